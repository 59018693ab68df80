"""The staff export page: who may download, each format as a file, filters, contact data,
the audit entry, and a form that keeps what was chosen."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime
from functools import partial
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from consult.accounts.models import Role, User
from consult.audit.models import AuditEntry
from consult.comments.models import CommentStatus
from consult.consultations.models import Consultation
from consult.core.models import utcnow
from consult.exports.forms import GENERAL_COMMENTS
from consult.exports.spec import ExportFilters, day_range
from consult.extensions import db
from consult.papers.models import Section
from tests.accounts.helpers import csrf_token_of
from tests.accounts.staff_helpers import (
    PARTICIPANT,
    STAFF_SIGN_IN,
    VISITOR,
    as_role,
    error_messages,
)
from tests.exports.helpers import ARABIC_COMMENT, make_known_consultation, valid_json_export

PAGE = "/en/manage/consultations/ai-paper/exports/"
ZURICH = ZoneInfo("Europe/Zurich")

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FILE_NAMES = {
    "csv": r"ai-paper-comments-\d{4}-\d{2}-\d{2}\.csv",
    "xlsx": r"ai-paper-feedback-\d{4}-\d{2}-\d{2}\.xlsx",
    "json": r"ai-paper-feedback-\d{4}-\d{2}-\d{2}\.json",
    "docx": r"ai-paper-feedback-digest-\d{4}-\d{2}-\d{2}\.docx",
}


def session_token(client: FlaskClient) -> str:
    """A form token of this session, from a page anyone may open."""
    return csrf_token_of(client.get("/en/account/sign-in").get_data(as_text=True))


def export(client: FlaskClient, path: str = PAGE, **data: str | list[str]) -> TestResponse:
    """Send the export form as the page offers it, with `data` changed."""
    token = csrf_token_of(client.get(path).get_data(as_text=True))
    sent: dict[str, str | list[str]] = {
        "format": "csv",
        "content": "comments",
        "statuses": ["published"],
        **data,
    }
    # Buffered: the file is read to its end, as a browser would, before the test goes on.
    return client.post(path, data={**sent, "csrf_token": token}, buffered=True)


def csv_rows(response: TestResponse) -> list[dict[str, str]]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf"), "a byte-order mark, for Excel"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def exported_entries() -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "consultation.exported")
            .order_by(AuditEntry.id)
        )
    )


def user_id(email: str) -> int:
    return db.session.scalars(select(User.id).where(User.email == email)).one()


@pytest.mark.db
@pytest.mark.parametrize("who", [VISITOR, PARTICIPANT, "moderator", "editor", "admin"])
def test_the_page_is_for_editors_and_admins(client: FlaskClient, who: str) -> None:
    make_known_consultation()
    as_role(client, who)
    response = client.get(PAGE)
    sent = client.post(
        PAGE,
        data={
            "format": "csv",
            "content": "comments",
            "statuses": "published",
            "csrf_token": session_token(client),
        },
        buffered=True,
    )
    if who in (VISITOR, PARTICIPANT):
        # An e-mail link never gives staff rights: both are sent to the staff sign-in
        # (the form sent, to the sign-in page that keeps it, with nothing exported).
        assert response.status_code == 302
        assert response.headers["Location"].startswith(f"{STAFF_SIGN_IN}?next=")
        assert sent.status_code == 401
        assert f'action="{STAFF_SIGN_IN}"' in sent.get_data(as_text=True)
        assert exported_entries() == []
    elif who == "moderator":
        assert (response.status_code, sent.status_code) == (403, 403)
        assert exported_entries() == []
    else:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert sent.status_code == 200
        assert len(exported_entries()) == 1


@pytest.mark.db
@pytest.mark.parametrize("who", ["editor", "admin"])
@pytest.mark.parametrize("format", ["csv", "xlsx", "json", "docx"])
def test_each_format_downloads_as_an_attachment(client: FlaskClient, who: str, format: str) -> None:
    make_known_consultation()
    response = export(as_role(client, who), format=format)
    assert response.status_code == 200, error_messages(response.get_data(as_text=True))
    assert response.headers["Content-Type"] == MEDIA_TYPES[format]
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(f"attachment; filename={FILE_NAMES[format]}", disposition), disposition
    body = response.get_data()
    if format == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
        assert rows[0][:4] == ["comment_id", "consultation", "section_key", "section_title"]
        assert len(rows) == 1 + 6
    elif format == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(body))
        assert len(workbook.sheetnames) >= 3
    elif format == "json":
        text = json.dumps(valid_json_export(body), ensure_ascii=False)
        assert ARABIC_COMMENT in text and "PENDING-TEXT" not in text
    else:
        text = "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(body)).paragraphs)
        assert "Principles-based approaches." in text


@pytest.mark.db
def test_the_file_is_named_after_the_day_in_the_consultations_zone(client: FlaskClient) -> None:
    # 23:30 UTC on 30 September is already 1 October in Zurich.
    with time_machine.travel(datetime(2024, 9, 30, 23, 30, tzinfo=UTC)):
        make_known_consultation()
        response = export(as_role(client, "editor"), format="docx")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=ai-paper-feedback-digest-2024-10-01.docx"
    )


@pytest.mark.db
def test_the_page_counts_what_there_is_and_defaults_to_published_comments(
    client: FlaskClient,
) -> None:
    make_known_consultation()
    page = as_role(client, "editor").get(PAGE).get_data(as_text=True)
    assert "6 published comments" in page and "2 submitted responses" in page
    checked = re.findall(r'<input checked id="statuses-\d"[^>]*value="(\w+)"', page)
    assert checked == ["published"]
    for label in ("Awaiting moderation", "Rejected", "Hidden by a moderator"):
        assert label in page
    assert "Authors appear as they chose when they wrote" in page
    assert 'aria-current="page">Exports<' in page


@pytest.mark.db
def test_sections_are_offered_in_the_papers_order_with_headings_and_withdrawn_marked(
    client: FlaskClient,
) -> None:
    known = make_known_consultation()
    section = db.session.scalars(
        select(Section).where(Section.consultation_id == known.consultation.id, Section.key == "1")
    ).one()
    section.archived_at = utcnow()
    db.session.commit()
    page = as_role(client, "editor").get(PAGE).get_data(as_text=True)
    options = re.findall(
        r'<option[^>]*value="([^"]*)">([^<]*)</option>', page.split('id="section"')[1]
    )
    labels = [label for _, label in options][:5]
    assert labels == [
        "All sections and general comments",
        "General comments (on the paper as a whole)",
        "Preamble",
        "Paragraph \u20661\u2069 (withdrawn from the paper)",
        "Paragraph \u20661.a\u2069 — Principles",
    ]


@pytest.mark.db
def test_statuses_other_than_published_are_included_when_chosen(client: FlaskClient) -> None:
    make_known_consultation()
    editor = as_role(client, "editor")
    published_only = csv_rows(export(editor))
    assert {row["status"] for row in published_only} == {"published"}
    rows = csv_rows(export(editor, statuses=["published", "pending", "hidden"]))
    by_status = {row["status"] for row in rows}
    assert by_status == {"published", "pending", "hidden"}
    bodies = " ".join(row["body"] for row in rows)
    assert "PENDING-TEXT" in bodies and "HIDDEN-TEXT" in bodies
    assert "REJECTED-TEXT" not in bodies and "WITHDRAWN-TEXT" not in bodies


@pytest.mark.db
def test_no_status_is_refused_and_the_choices_are_kept(client: FlaskClient) -> None:
    make_known_consultation()
    response = export(as_role(client, "editor"), statuses=[], format="json", section="1.a")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert error_messages(page) == ["Please choose at least one kind of comment."]
    assert 'checked id="format-2" name="format" type="radio" value="json"' in page
    assert '<option selected value="1.a">' in page
    assert exported_entries() == []


@pytest.mark.db
def test_filters_narrow_the_comments(client: FlaskClient) -> None:
    make_known_consultation()
    editor = as_role(client, "editor")
    rows = csv_rows(export(editor, section="1.a", language="ar"))
    assert [row["body"] for row in rows] == [ARABIC_COMMENT]
    rows = csv_rows(export(editor, group="academia", country="CA"))
    assert {row["organisation"] for row in rows} == {"Open Data Lab"}
    rows = csv_rows(export(editor, section="_general"))
    assert [row["section_key"] for row in rows] == [""]
    # Days in Zurich: 3 to 5 September, both included (comments at noon UTC each day).
    rows = csv_rows(export(editor, date_from="2024-09-03", date_to="2024-09-05"))
    assert [row["submitted_at"][:10] for row in rows] == ["2024-09-03", "2024-09-04", "2024-09-05"]


@pytest.mark.db
def test_responses_as_csv(client: FlaskClient) -> None:
    make_known_consultation()
    # Comment states do not concern responses: none need be ticked.
    rows = csv_rows(export(as_role(client, "editor"), content="responses", statuses=[]))
    assert len(rows) == 2
    assert list(rows[0])[:3] == ["response_id", "consultation", "language"]
    assert "DRAFT-TEXT" not in json.dumps(rows, ensure_ascii=False)


def test_days_are_the_consultations_from_midnight_to_midnight() -> None:
    since, until = day_range(date(2024, 9, 3), date(2024, 9, 5), ZURICH)
    assert since == datetime(2024, 9, 2, 22, 0, tzinfo=UTC)
    assert until == datetime(2024, 9, 5, 22, 0, tzinfo=UTC)
    # In winter Zurich is UTC+1; an open end stays open.
    assert day_range(date(2024, 12, 1), None, ZURICH) == (
        datetime(2024, 11, 30, 23, 0, tzinfo=UTC),
        None,
    )
    # Where the clocks jump forward at midnight, the day starts at the jump.
    santiago = ZoneInfo("America/Santiago")
    since, _ = day_range(date(2024, 9, 8), None, santiago)
    assert since == datetime(2024, 9, 8, 4, 0, tzinfo=UTC)
    assert since.astimezone(santiago).hour == 1


def test_chosen_filters_default_to_published_and_map_the_general_choice() -> None:
    # What an empty form sends.
    chosen = partial(
        ExportFilters.chosen,
        statuses=[],
        section="",
        general=GENERAL_COMMENTS,
        language="",
        group="",
        country="",
        first_day=None,
        last_day=None,
        zone=ZURICH,
    )
    # Nothing chosen is everything published.
    assert chosen() == ExportFilters()
    assert chosen(section=GENERAL_COMMENTS) == ExportFilters(general_only=True)
    assert chosen(section="1.a", statuses=["hidden", "published"]) == ExportFilters(
        statuses=frozenset({CommentStatus.HIDDEN, CommentStatus.PUBLISHED}), section_key="1.a"
    )
    assert chosen(first_day=date(2024, 9, 3), last_day=date(2024, 9, 5)) == ExportFilters(
        since=datetime(2024, 9, 2, 22, 0, tzinfo=UTC),
        until=datetime(2024, 9, 5, 22, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_may_export_contact_data(role: Role) -> None:
    assert User(role=role).can_export_contact_data() is (role is Role.ADMIN)


@pytest.mark.db
def test_the_page_links_open_data_in_one_sentence(client: FlaskClient) -> None:
    make_known_consultation()  # closed: it offers open data
    page = as_role(client, "editor").get(PAGE).get_data(as_text=True)
    assert (
        "as on the public pages, as "
        '<a href="/en/consultations/ai-paper/open-data/comments.csv">CSV</a> or '
        '<a href="/en/consultations/ai-paper/open-data/comments.json">JSON</a>.'
    ) in page


@pytest.mark.db
@pytest.mark.parametrize(
    ("date_from", "date_to", "message"),
    [
        ("2024-09-10", "2024-09-05", "The last day must not be before the first day."),
        (
            "2024-13-45",
            "2024-09-05",
            "Please give a date as year-month-day, for example 2024-09-30.",
        ),
        ("2024-09-01", "soon", "Please give a date as year-month-day, for example 2024-09-30."),
    ],
)
def test_wrong_dates_are_explained_and_everything_typed_kept(
    client: FlaskClient, date_from: str, date_to: str, message: str
) -> None:
    make_known_consultation()
    response = export(
        as_role(client, "editor"),
        format="xlsx",
        group="academia",
        date_from=date_from,
        date_to=date_to,
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert error_messages(page) == [message]
    assert f'value="{date_from}"' in page and f'value="{date_to}"' in page
    assert 'checked id="format-1" name="format" type="radio" value="xlsx"' in page
    assert '<option selected value="academia">' in page
    assert exported_entries() == []


@pytest.mark.db
def test_an_editor_asking_for_contact_data_is_refused_and_nothing_is_logged(
    client: FlaskClient,
) -> None:
    make_known_consultation()
    editor = as_role(client, "editor")
    assert "Include contact data" not in editor.get(PAGE).get_data(as_text=True)
    response = export(editor, contact="y")
    assert response.status_code == 403
    assert exported_entries() == []


@pytest.mark.db
def test_an_admin_asking_for_contact_data_gets_the_email_addresses(client: FlaskClient) -> None:
    make_known_consultation()
    admin = as_role(client, "admin")
    assert "Include contact data (e-mail addresses)" in admin.get(PAGE).get_data(as_text=True)
    without = csv_rows(export(admin))
    assert "email" not in without[0]
    rows = csv_rows(export(admin, contact="y"))
    assert {row["email"] for row in rows} >= {"kofi@example.org", "ana@example.org"}
    # The anonymous comment names its author to the admin who asked.
    anonymous = next(row for row in rows if row["identity"] == "anonymous")
    assert anonymous["author_name"] == "Kofi Mensah"
    (_, entry) = exported_entries()
    assert entry.details["audience"] == "contact"


@pytest.mark.db
def test_an_export_is_audited_with_its_filters_and_shown_in_the_log(client: FlaskClient) -> None:
    make_known_consultation()
    editor = as_role(client, "editor")
    response = export(
        editor,
        format="xlsx",
        statuses=["published", "pending"],
        section="1.a",
        country="TV",
        date_from="2024-09-03",
    )
    assert response.status_code == 200
    (entry,) = exported_entries()
    consultation = db.session.scalars(
        select(Consultation).where(Consultation.slug == "ai-paper")
    ).one()
    assert (entry.actor_id, entry.subject_type, entry.subject_id) == (
        user_id("editor@example.org"),
        "consultation",
        consultation.id,
    )
    assert entry.details == {
        "format": "xlsx",
        "audience": "editor",
        "locale": "en",
        "filters": {
            "statuses": ["pending", "published"],
            "section": "1.a",
            "country": "TV",
            "since": "2024-09-02T22:00:00Z",
        },
        "via": "web",
    }
    page = editor.get("/en/manage/audit/").get_data(as_text=True)
    assert "Feedback exported" in page
    assert "Excel workbook (XLSX)" in page and "Staff pages" in page
    assert "Comments: Awaiting moderation, Published; Section: 1.a; Country: Tuvalu" in page


@pytest.mark.db
def test_a_csv_export_records_what_it_held(client: FlaskClient) -> None:
    make_known_consultation()
    export(as_role(client, "editor"), content="responses")
    (entry,) = exported_entries()
    assert entry.details["content"] == "responses"
    assert entry.details["format"] == "csv"


@pytest.mark.db
def test_a_draft_can_be_exported(client: FlaskClient) -> None:
    known = make_known_consultation()
    known.consultation.published_at = None
    db.session.commit()
    editor = as_role(client, "editor")
    assert editor.get(PAGE).status_code == 200
    assert len(csv_rows(export(editor))) == 6


@pytest.mark.db
def test_an_unknown_consultation_is_not_found(client: FlaskClient) -> None:
    page = as_role(client, "editor").get("/en/manage/consultations/nope/exports/")
    assert page.status_code == 404


@pytest.mark.db
def test_the_page_in_arabic_labels_and_the_export_quote_arabic(client: FlaskClient) -> None:
    make_known_consultation()
    editor = as_role(client, "editor")
    path = PAGE.replace("/en/", "/ar/")
    page = editor.get(path).get_data(as_text=True)
    assert 'dir="rtl"' in page
    rows = csv_rows(export(editor, path, section="1.a"))
    assert {row["section_title"] for row in rows} == {"المبادئ"}
