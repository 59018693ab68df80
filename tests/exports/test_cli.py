"""`flask consult export`: each format as a file, filters, contact data, refusals, the audit."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import docx
import openpyxl
import pytest
import time_machine
from click.testing import Result
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from consult.audit.models import AuditEntry
from consult.extensions import db
from tests.exports.helpers import (
    ARABIC_COMMENT,
    FORMULA_COMMENT,
    at,
    make_known_consultation,
    valid_json_export,
)
from tests.factories import make_comment


def run(runner: FlaskCliRunner, *args: str) -> Result:
    return runner.invoke(args=["consult", "export", "ai-paper", *args])


def csv_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"), newline="")))


def exported_entries() -> list[AuditEntry]:
    return list(
        db.session.scalars(select(AuditEntry).where(AuditEntry.action == "consultation.exported"))
    )


@pytest.mark.db
@pytest.mark.parametrize("format", ["csv", "xlsx", "json", "docx"])
def test_each_format_is_written_to_the_file_asked_for(
    runner: FlaskCliRunner, tmp_path: Path, format: str
) -> None:
    make_known_consultation()
    target = tmp_path / f"out.{format}"
    result = run(runner, "--format", format, "--output", str(target))
    assert result.exit_code == 0, result.output
    if format == "csv":
        rows = csv_rows(target)
        assert len(rows) == 6
        assert ARABIC_COMMENT in {row["body"] for row in rows}
        assert result.stderr == f"Wrote {target}: 6 comments.\n"
    elif format == "xlsx":
        workbook = openpyxl.load_workbook(target)
        assert workbook.sheetnames == ["Summary", "Comments", "Responses"]
        rows = workbook["Comments"].iter_rows(values_only=True)
        assert any(ARABIC_COMMENT in row for row in rows)
    elif format == "json":
        assert ARABIC_COMMENT in json.dumps(
            valid_json_export(target.read_bytes()), ensure_ascii=False
        )
    else:
        paragraphs = [p.text for p in docx.Document(str(target)).paragraphs]
        assert ARABIC_COMMENT in paragraphs
    if format != "csv":
        assert result.stderr == f"Wrote {target}: 6 comments and 2 responses.\n"
    # Nothing on standard output but what was asked for (here: nothing).
    assert result.stdout == ""


@pytest.mark.db
def test_the_default_file_is_named_as_the_download_and_written_here(
    runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_known_consultation()
    monkeypatch.chdir(tmp_path)
    # 23:30 UTC on 30 September is already 1 October in Zurich.
    with time_machine.travel(at(30, 23).replace(minute=30), tick=False):
        result = run(runner, "--format", "xlsx")
    assert result.exit_code == 0, result.output
    assert [path.name for path in tmp_path.iterdir()] == ["ai-paper-feedback-2024-10-01.xlsx"]


@pytest.mark.db
def test_a_dash_writes_to_standard_output(runner: FlaskCliRunner) -> None:
    make_known_consultation()
    result = run(runner, "--format", "csv", "--output", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfcomment_id,consultation,")
    assert result.stderr == "Wrote standard output: 6 comments.\n"


@pytest.mark.db
def test_responses_as_csv(runner: FlaskCliRunner, tmp_path: Path) -> None:
    make_known_consultation()
    target = tmp_path / "responses.csv"
    result = run(runner, "--format", "csv", "--what", "responses", "--output", str(target))
    assert result.exit_code == 0, result.output
    rows = csv_rows(target)
    assert len(rows) == 2 and "response_id" in rows[0]
    assert "email" not in rows[0]
    assert result.stderr == f"Wrote {target}: 2 responses.\n"


@pytest.mark.db
def test_filters_are_applied(runner: FlaskCliRunner, tmp_path: Path) -> None:
    make_known_consultation()
    target = tmp_path / "out.csv"

    def bodies(*filters: str) -> list[str]:
        result = run(runner, "--format", "csv", "--output", str(target), *filters)
        assert result.exit_code == 0, result.output
        return [row["body"] for row in csv_rows(target)]

    assert bodies("--section", "1.a", "--language", "ar") == [ARABIC_COMMENT]
    # Paper order: paragraph 1 before 1.a; the formula neutralised, as in every CSV.
    assert bodies("--group", "academia", "--country", "ca") == [
        "'" + FORMULA_COMMENT,
        "Principles need measurable indicators.",
    ]
    assert bodies("--section", "general") == ["A general remark on the whole paper."]
    # Days in the consultation's zone, both included (comments at noon UTC).
    assert len(bodies("--from", "2024-09-03", "--to", "2024-09-05")) == 3
    with_pending = bodies("--status", "published", "--status", "pending")
    assert len(with_pending) == 7 and any("PENDING-TEXT" in body for body in with_pending)
    assert bodies("--status", "rejected") == ["REJECTED-TEXT was off-topic."]


@pytest.mark.db
@pytest.mark.parametrize("language", ["ar", "AR", "Ar"])
def test_language_is_matched_whatever_its_case(
    runner: FlaskCliRunner, tmp_path: Path, language: str
) -> None:
    make_known_consultation()
    target = tmp_path / "out.csv"
    result = run(runner, "--format", "csv", "--language", language, "--output", str(target))
    assert result.exit_code == 0, result.output
    assert [row["body"] for row in csv_rows(target)] == [ARABIC_COMMENT]
    assert result.stderr == f"Wrote {target}: 1 comment.\n"
    # Audited as the comments store it.
    (entry,) = exported_entries()
    assert entry.details["filters"] == {"statuses": ["published"], "language": "ar"}


@pytest.mark.db
def test_language_with_a_region_is_matched_whatever_its_separator(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    known = make_known_consultation()
    make_comment(known.consultation, known.authors["ana"], section_key="1", language="pt_BR")
    db.session.commit()
    target = tmp_path / "out.csv"
    result = run(runner, "--format", "csv", "--language", "PT-br", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert [row["language"] for row in csv_rows(target)] == ["pt_BR"]


@pytest.mark.db
def test_labels_and_quoted_texts_follow_lang(runner: FlaskCliRunner, tmp_path: Path) -> None:
    make_known_consultation()
    target = tmp_path / "out.csv"
    result = run(runner, "--format", "csv", "--lang", "ar", "--output", str(target))
    assert result.exit_code == 0, result.output
    titles = {row["section_title"] for row in csv_rows(target) if row["section_key"] == "1.a"}
    assert titles == {"المبادئ"}


@pytest.mark.db
def test_contact_data_adds_the_email_addresses(runner: FlaskCliRunner, tmp_path: Path) -> None:
    make_known_consultation()
    target = tmp_path / "out.csv"
    result = run(runner, "--format", "csv", "--contact-data", "--output", str(target))
    assert result.exit_code == 0, result.output
    rows = csv_rows(target)
    assert {row["email"] for row in rows} == {
        "ana@example.org",
        "layla@example.org",
        "kofi@example.org",
        "mia@example.org",
    }
    (entry,) = exported_entries()
    assert entry.details["audience"] == "contact"


@pytest.mark.db
def test_open_data_names_authors_as_the_public_pages_do(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    make_known_consultation()
    target = tmp_path / "out.csv"
    result = run(runner, "--format", "csv", "--open-data", "--output", str(target))
    assert result.exit_code == 0, result.output
    anonymous = next(row for row in csv_rows(target) if row["identity"] == "anonymous")
    assert anonymous["country"] == ""
    assert "reports" not in anonymous


@pytest.mark.db
def test_an_export_is_audited_as_made_on_the_command_line(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    make_known_consultation()
    result = run(
        runner,
        "--format",
        "csv",
        "--what",
        "responses",
        "--group",
        "parliament",
        "--from",
        "2024-09-03",
        "--output",
        str(tmp_path / "out.csv"),
    )
    assert result.exit_code == 0, result.output
    # Committed: a rollback of the command's own work would not take it away.
    db.session.rollback()
    (entry,) = exported_entries()
    assert entry.actor_id is None
    assert entry.details == {
        "format": "csv",
        "content": "responses",
        "audience": "editor",
        "locale": "en",
        "filters": {
            "statuses": ["published"],
            "group": "parliament",
            "since": "2024-09-02T22:00:00Z",
        },
        "via": "cli",
    }


@pytest.mark.db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--format", "json", "--what", "comments"],
            "--what applies to CSV only: XLSX, JSON and DOCX hold comments and responses both.",
        ),
        (
            ["--format", "csv", "--contact-data", "--open-data"],
            "--contact-data and --open-data exclude each other.",
        ),
        (
            ["--format", "csv", "--open-data", "--what", "responses"],
            "Responses are private: --open-data holds comments only.",
        ),
        (
            ["--format", "csv", "--open-data", "--status", "hidden"],
            "--open-data holds published comments only.",
        ),
        (["--format", "pdf"], "'pdf' is not one of 'csv', 'xlsx', 'json', 'docx'."),
        (["--format", "csv", "--status", "withdrawn"], "'withdrawn' is not one of"),
        (["--format", "csv", "--from", "2024-13-01"], "'2024-13-01' does not match the format"),
        (
            ["--format", "csv", "--from", "2024-09-05", "--to", "2024-09-01"],
            "the last day is before the first (--from).",
        ),
        (
            ["--format", "csv", "--section", "9.z"],
            "'ai-paper' has no section '9.z'; its sections are preamble, 1, 1.a, or 'general'",
        ),
        (["--format", "csv", "--group", "pirates"], "unknown stakeholder group 'pirates'"),
        (["--format", "csv", "--country", "XX"], "'XX' is not an ISO 3166-1 country code"),
        (["--format", "csv", "--lang", "de"], "'de' is not one of this site's languages"),
        (
            ["--format", "csv", "--language", "DE"],
            "'DE' is not a language of 'ai-paper'; its languages are ar, en, es.",
        ),
    ],
)
def test_wrong_options_are_refused_with_a_clear_message(
    runner: FlaskCliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    make_known_consultation()
    result = run(runner, *args, "--output", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split()), result.stderr
    assert not (tmp_path / "out").exists()
    assert exported_entries() == []


@pytest.mark.db
def test_an_unknown_consultation_is_refused(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        args=["consult", "export", "nope", "--format", "csv", "--output", str(tmp_path / "x")]
    )
    assert result.exit_code == 2
    assert "no consultation has the address name 'nope'" in result.stderr
    assert not (tmp_path / "x").exists()
