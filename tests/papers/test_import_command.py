"""`flask consult import-paper`: creating, re-importing and translating a paper."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from consult.consultations.models import Consultation
from consult.consultations.queries import get_by_slug
from consult.extensions import db
from tests.seed import SEED_KEYS, SEED_LETTERHEAD, SEED_PATH


def run_import(runner: FlaskCliRunner, path: Path, slug: str, lang: str, *extra: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        args=["consult", "import-paper", str(path), "--slug", slug, "--lang", lang, *extra]
    )


def keys_of(slug: str) -> list[str]:
    consultation = get_by_slug(slug)
    assert consultation is not None
    return [section.key for section in consultation.sections]


@pytest.mark.db
def test_seed_imports_into_a_draft_with_its_numbered_sections(runner: FlaskCliRunner) -> None:
    result = run_import(runner, SEED_PATH, "output-2024", "en")
    assert result.exit_code == 0, result.output
    consultation = get_by_slug("output-2024")
    assert consultation is not None
    assert keys_of("output-2024") == list(SEED_KEYS)
    assert not consultation.is_published
    assert consultation.opens_at is None
    assert consultation.closes_at is None
    assert consultation.title_in("en").value == (
        "Output document from the Parliamentary Track 19th UN Internet Governance Forum"
    )
    body_lines = {
        line.strip()
        for s in consultation.sections
        for line in s.translations["en"].body.split("\n")
    }
    assert body_lines.isdisjoint(SEED_LETTERHEAD)
    assert "Dropped as page headers or footers:" in result.output
    assert "Inter-Parliamentary Union" in result.output


@pytest.mark.db
def test_reimport_updates_adds_and_keeps_missing_sections(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    first = tmp_path / "v1.md"
    first.write_text("Title line\n\nPreamble text.\n\n1. One.\n2. Two.\n3. Three.\n")
    assert run_import(runner, first, "revised", "en").exit_code == 0

    second = tmp_path / "v2.md"
    second.write_text("Title line\n\nPreamble text.\n\n1. One, revised.\n2. Two.\n2bis\n4. Four.\n")
    result = run_import(runner, second, "revised", "en")
    assert result.exit_code == 0, result.output
    assert "Updated: 1" in result.output
    assert "Added: 4" in result.output
    assert "Kept (not in this file, never deleted): 3" in result.output
    # The new section follows the one before it in the file; the missing one stays put.
    assert keys_of("revised") == ["preamble", "1", "2", "4", "3"]
    consultation = get_by_slug("revised")
    assert consultation is not None
    section_3 = next(s for s in consultation.sections if s.key == "3")
    assert section_3.translations["en"].body == "Three."


@pytest.mark.db
def test_second_language_fills_matching_keys_and_reports_the_rest(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    english = tmp_path / "en.md"
    english.write_text("A paper\n\n1. One.\n2. Two.\n3. Three.\n")
    assert run_import(runner, english, "bilingual", "en").exit_code == 0
    french = tmp_path / "fr.md"
    french.write_text("Un document\n\n1. Un.\n2. Deux.\n9. Neuf.\n")
    result = run_import(runner, french, "bilingual", "fr")
    assert result.exit_code == 0, result.output
    assert "Not imported (no such section in the paper): 9" in result.output
    assert "Kept (not in this file, never deleted): 3" in result.output
    assert keys_of("bilingual") == ["1", "2", "3"]
    consultation = get_by_slug("bilingual")
    assert consultation is not None
    assert consultation.offered_locales == ["en", "fr"]
    assert consultation.sections[1].body_in("fr").value == "Deux."
    assert consultation.sections[2].body_in("fr").is_fallback
    assert consultation.title_in("fr").value == "Un document"


def test_dry_run_saves_nothing(runner: FlaskCliRunner) -> None:
    result = run_import(runner, SEED_PATH, "dry", "en", "--dry-run")
    assert result.exit_code == 0
    assert "nothing was saved" in result.output
    assert db.session.scalar(select(Consultation).where(Consultation.slug == "dry")) is None


@pytest.mark.parametrize(
    ("slug", "lang", "message"),
    [
        ("Bad Slug", "en", "lower-case letters"),
        ("fine", "de", "not one of the enabled languages"),
    ],
)
def test_invalid_slug_or_language_is_refused_clearly(
    runner: FlaskCliRunner, slug: str, lang: str, message: str
) -> None:
    result = run_import(runner, SEED_PATH, slug, lang)
    assert result.exit_code != 0
    assert message in result.output


def test_duplicate_numbering_is_refused_with_the_line(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    document = tmp_path / "dup.txt"
    document.write_text("1. One.\n2. Two.\n2. Again.\n")
    result = run_import(runner, document, "dup", "en")
    assert result.exit_code != 0
    assert "Section 2 is numbered twice; the second time is on line 3." in result.output


def test_text_that_is_not_utf8_is_refused(runner: FlaskCliRunner, tmp_path: Path) -> None:
    document = tmp_path / "latin1.txt"
    document.write_bytes("1. Préambule\n".encode("latin-1"))
    result = run_import(runner, document, "latin", "en")
    assert result.exit_code != 0
    assert "not UTF-8" in result.output


@pytest.mark.db
def test_headings_and_slugs_too_long_for_the_database_are_refused_clearly(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    document = tmp_path / "long.md"
    document.write_text("## 1. " + "Very long heading " * 20 + "\n\nText.\n")
    result = run_import(runner, document, "long-heading", "en")
    assert result.exit_code != 0
    assert "headings of these sections are longer than 300 characters: 1" in result.output
    result = run_import(runner, SEED_PATH, "a" * 81, "en")
    assert result.exit_code != 0
    assert "at most 80 characters" in result.output
