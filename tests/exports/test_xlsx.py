"""The XLSX export, read back with openpyxl as a spreadsheet would read it."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

import openpyxl
import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl.utils import get_column_letter

from consult.comments.attribution import Audience
from consult.comments.models import CommentStatus
from consult.exports.spec import ExportFilters, ExportFormat, ExportSpec
from consult.exports.xlsx_writer import sheet_title, write_workbook
from consult.extensions import db
from tests.exports.helpers import (
    ARABIC_COMMENT,
    FORMULA_COMMENT,
    KnownConsultation,
    at,
    make_known_consultation,
    spec_for,
)
from tests.factories import make_comment

ALL_STATUSES = frozenset(
    {
        CommentStatus.PUBLISHED,
        CommentStatus.PENDING,
        CommentStatus.REJECTED,
        CommentStatus.HIDDEN,
    }
)
NOT_PUBLISHED = ("PENDING-TEXT", "REJECTED-TEXT", "HIDDEN-TEXT", "WITHDRAWN-TEXT")
BY_SECTION = "Comments in this file, by section and stakeholder group"
BY_LANGUAGE = "Comments in this file, by language"
BY_COUNTRY = "Comments in this file, by country"


def workbook_of(spec: ExportSpec) -> Any:
    output = io.BytesIO()
    write_workbook(spec, output)
    output.seek(0)
    return openpyxl.load_workbook(output)


def records(sheet: Any) -> list[dict[str, Any]]:
    """A data sheet's rows as {header: value}."""
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def summary_block(sheet: Any, title: str) -> list[tuple[Any, ...]]:
    """The rows of one of the summary's tables, header included, up to the blank line."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == title)
    block = []
    for row in rows[start:]:
        if all(value is None for value in row):
            break
        block.append(tuple(value for value in row if value is not None))
    return block


def column_of(sheet: Any, header: str) -> int:
    """The index (from 0) of the column headed `header`."""
    return [cell.value for cell in sheet[1]].index(header)


def summary_facts(sheet: Any) -> dict[str, Any]:
    """The summary's opening lines (label, value), up to its first blank line."""
    facts = {}
    for label, value in sheet.iter_rows(min_row=2, max_col=2, values_only=True):
        if label is None:
            break
        facts[label] = value
    return facts


def known_xlsx(locale: str = "en", **options: Any) -> tuple[KnownConsultation, Any]:
    known = make_known_consultation()
    return known, workbook_of(spec_for(known, ExportFormat.XLSX, locale=locale, **options))


@pytest.mark.db
def test_sheets_are_summary_comments_and_responses(app_context: None) -> None:
    _known, book = known_xlsx()

    assert book.sheetnames == ["Summary", "Comments", "Responses"]


@pytest.mark.db
def test_open_data_workbook_has_no_responses_sheet(app_context: None) -> None:
    _known, book = known_xlsx(audience=Audience.OPEN_DATA)

    assert book.sheetnames == ["Summary", "Comments"]
    headers = next(book["Comments"].iter_rows(values_only=True))
    assert "Reports" not in headers
    assert "Rejection reason" not in headers


@pytest.mark.db
def test_summary_counts_comments_by_section_and_group_language_and_country(
    app_context: None,
) -> None:
    _known, book = known_xlsx()
    summary = book["Summary"]

    assert summary["A1"].value == "AI regulation paper"
    assert summary_block(summary, BY_SECTION) == [
        (BY_SECTION,),
        ("Section", "Parliament", "Civil society", "Academia", "Total"),
        ("Preamble", 1, 0, 0, 1),
        ("Paragraph \u20661\u2069", 0, 0, 1, 1),
        ("Paragraph \u20661.a\u2069 — Principles", 1, 1, 1, 3),
        ("General comments", 1, 0, 0, 1),
        ("Total", 3, 1, 2, 6),
    ]
    assert summary_block(summary, BY_LANGUAGE) == [
        (BY_LANGUAGE,),
        ("Language", "Comments"),
        ("English", 4),
        ("Arabic", 1),
        ("Spanish", 1),
    ]
    assert summary_block(summary, BY_COUNTRY) == [
        (BY_COUNTRY,),
        ("Country", "Comments"),
        ("Canada", 2),
        ("Peru", 2),
        ("Jordan", 1),
        ("Tuvalu", 1),
    ]
    facts = summary_facts(summary)
    assert facts["Comments included"] == "Published"
    assert facts["Submitted responses"] == 2
    assert isinstance(facts["Generated at (UTC)"], datetime)


@pytest.mark.db
def test_open_data_summary_leaves_out_the_countries_of_anonymous_comments(
    app_context: None,
) -> None:
    _known, book = known_xlsx(audience=Audience.OPEN_DATA)

    # Kofi's anonymous comment is from Tuvalu: a country beside "anonymous" can
    # single out one person, so open data counts it without one.
    assert summary_block(book["Summary"], BY_COUNTRY) == [
        (BY_COUNTRY,),
        ("Country", "Comments"),
        ("Canada", 2),
        ("Peru", 2),
        ("Jordan", 1),
        ("None, or not shown for anonymous comments", 1),
    ]


@pytest.mark.db
def test_summary_says_which_filters_apply(app_context: None) -> None:
    known = make_known_consultation()
    spec = spec_for(
        known,
        ExportFormat.XLSX,
        filters=ExportFilters(statuses=ALL_STATUSES, section_key="1.a", language="en"),
    )
    summary = workbook_of(spec)["Summary"]

    facts = summary_facts(summary)
    assert facts["Section"] == "Paragraph \u20661.a\u2069 — Principles"
    assert facts["Language"] == "English"
    assert facts["Comments included"] == (
        "Published, Awaiting moderation, Rejected, and Hidden by a moderator"
    )
    # The counts are of every comment the file holds, whatever its state: the hidden
    # comment on 1.a is Mia's (academia); the Arabic one is filtered out.
    assert summary_block(summary, BY_SECTION)[1:] == [
        ("Section", "Civil society", "Academia", "Total"),
        ("Paragraph \u20661.a\u2069 — Principles", 1, 2, 3),
        ("Total", 1, 2, 3),
    ]


@pytest.mark.db
def test_comments_sheet_holds_every_published_comment_in_words(app_context: None) -> None:
    known, book = known_xlsx()
    rows = records(book["Comments"])

    assert [row["Comment"] for row in rows] == [
        known.on_preamble.id,
        known.formula.id,
        known.on_1a_arabic.id,
        known.on_1a_anonymous.id,
        known.on_1a_organisation_only.id,
        known.general.id,
    ]
    first = rows[0]
    assert first["Section key"] == "preamble"
    assert first["Section"] == "Preamble"
    assert first["Language"] == "English"
    assert first["Status"] == "Published"
    assert first["Author"] == "Ana López"
    assert first["Organisation"] == "Congreso de la República"
    assert first["Stakeholder group"] == "Parliament"
    assert first["Country"] == "Peru"
    assert first["Text"] == "The preamble should cite the GDC."
    assert first["Shown as"] == "Name and organisation"
    assert first["Reports"] == 0
    by_id = {row["Comment"]: row for row in rows}
    anonymous = by_id[known.on_1a_anonymous.id]
    assert anonymous["Author"] == "Anonymous"
    assert anonymous["Organisation"] is None
    assert anonymous["Country"] == "Tuvalu"
    assert anonymous["Reports"] == 1
    # The key is plain text to filter on; the label isolates it for right-to-left text.
    assert anonymous["Section key"] == "1.a"
    assert anonymous["Section"] == "Paragraph \u20661.a\u2069"
    assert anonymous["Section title"] == "Principles"
    organisation_only = by_id[known.on_1a_organisation_only.id]
    assert organisation_only["Author"] is None
    assert organisation_only["Organisation"] == "Open Data Lab"
    general = by_id[known.general.id]
    assert general["Section key"] is None  # an empty cell
    assert general["Section"] == "General comments"
    assert general["Language"] == "Spanish"
    assert "E-mail" not in rows[0]


@pytest.mark.db
def test_times_are_spreadsheet_dates_in_utc(app_context: None) -> None:
    known, book = known_xlsx()
    sheet = book["Comments"]
    headers = [cell.value for cell in sheet[1]]

    assert [h for h in headers if "(UTC)" in h] == [
        "Sent (UTC)",
        "Published (UTC)",
        "Moderated (UTC)",
    ]
    sent = sheet.cell(row=2, column=headers.index("Sent (UTC)") + 1)
    assert sent.is_date
    assert sent.value == at(2).replace(tzinfo=None)
    assert sent.number_format == "yyyy-mm-dd hh:mm"
    published = sheet.cell(row=2, column=headers.index("Published (UTC)") + 1)
    assert published.value == known.on_preamble.published_at.replace(tzinfo=None)


@pytest.mark.db
def test_no_cell_is_a_formula_and_formula_text_is_kept_exactly(app_context: None) -> None:
    _known, book = known_xlsx()

    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    bodies = [row["Text"] for row in records(book["Comments"])]
    assert FORMULA_COMMENT in bodies


@pytest.mark.db
def test_saved_file_holds_no_formula_element(app_context: None) -> None:
    known = make_known_consultation()
    output = io.BytesIO()
    write_workbook(spec_for(known, ExportFormat.XLSX), output)

    with zipfile.ZipFile(output) as package:
        sheets = [name for name in package.namelist() if name.startswith("xl/worksheets/")]
        assert len(sheets) == 3
        for name in sheets:
            xml = package.read(name).decode()
            assert "<f>" not in xml and "<f " not in xml
            assert "<hyperlink" not in xml


@pytest.mark.db
def test_error_like_text_stays_text(app_context: None) -> None:
    known = make_known_consultation()
    make_comment(known.consultation, known.authors["mia"], section_key="1", body="#N/A")
    book = workbook_of(spec_for(known, ExportFormat.XLSX))

    text = column_of(book["Comments"], "Text")
    cells = [row[text] for row in book["Comments"].iter_rows(min_row=2)]
    assert any(cell.value == "#N/A" and cell.data_type == "s" for cell in cells)


@pytest.mark.db
def test_formula_and_error_like_text_in_any_column_stays_text(app_context: None) -> None:
    known = make_known_consultation()
    comment = make_comment(known.consultation, known.authors["mia"], section_key="1")
    comment.author_name = "#REF!"
    comment.author_organisation = "=1+2"
    db.session.commit()
    spec = spec_for(known, ExportFormat.XLSX)
    book = workbook_of(spec)

    headers = [cell.value for cell in book["Comments"][1]]
    row = next(row for row in book["Comments"].iter_rows(min_row=2) if row[0].value == comment.id)
    author, organisation = row[headers.index("Author")], row[headers.index("Organisation")]
    assert (author.value, author.data_type) == ("#REF!", "s")
    assert (organisation.value, organisation.data_type) == ("=1+2", "s")
    output = io.BytesIO()
    write_workbook(spec, output)
    with zipfile.ZipFile(output) as package:
        xml = package.read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


@pytest.mark.db
def test_arabic_text_and_sheet_names_round_trip_right_to_left(app_context: None) -> None:
    known, book = known_xlsx(locale="ar")

    with force_locale("ar"):
        expected = [sheet_title(_("Summary")), sheet_title(_("Comments"))]
    assert book.sheetnames[:2] == expected
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    comments = book.worksheets[1]
    with force_locale("ar"):
        text, title = column_of(comments, _("Text")), column_of(comments, _("Section title"))
    bodies = [row[text].value for row in comments.iter_rows(min_row=2)]
    assert ARABIC_COMMENT in bodies
    titles = {row[title].value for row in comments.iter_rows(min_row=2)}
    assert "المبادئ" in titles
    assert book.worksheets[0]["A1"].value == "ورقة تنظيم الذكاء الاصطناعي"
    del known


@pytest.mark.db
def test_english_sheets_are_left_to_right(app_context: None) -> None:
    _known, book = known_xlsx()

    assert not any(sheet.sheet_view.rightToLeft for sheet in book.worksheets)


@pytest.mark.db
def test_unpublished_comments_only_when_asked_for_and_marked(app_context: None) -> None:
    known = make_known_consultation()
    book = workbook_of(spec_for(known, ExportFormat.XLSX))
    bodies = " ".join(row["Text"] for row in records(book["Comments"]))
    for marker in NOT_PUBLISHED:
        assert marker not in bodies

    spec = spec_for(known, ExportFormat.XLSX, filters=ExportFilters(statuses=ALL_STATUSES))
    rows = records(workbook_of(spec)["Comments"])
    status_of = {row["Text"].split()[0]: row["Status"] for row in rows}
    assert status_of["PENDING-TEXT"] == "Awaiting moderation"
    assert status_of["REJECTED-TEXT"] == "Rejected"
    assert status_of["HIDDEN-TEXT"] == "Hidden by a moderator"
    assert "WITHDRAWN-TEXT" not in status_of
    rejected = next(row for row in rows if row["Text"].startswith("REJECTED-TEXT"))
    assert rejected["Rejection reason"] == "Other"


@pytest.mark.db
def test_email_column_only_with_contact_data(app_context: None) -> None:
    known, book = known_xlsx(audience=Audience.CONTACT)
    rows = records(book["Comments"])

    by_id = {row["Comment"]: row for row in rows}
    assert by_id[known.on_preamble.id]["E-mail"] == "ana@example.org"
    # The contact export names anonymous authors.
    assert by_id[known.on_1a_anonymous.id]["Author"] == "Kofi Mensah"
    assert by_id[known.on_1a_anonymous.id]["E-mail"] == "kofi@example.org"
    responses = records(book["Responses"])
    assert [row["E-mail"] for row in responses] == ["ana@example.org", "layla@example.org"]


@pytest.mark.db
def test_responses_sheet_has_one_column_per_question_and_values_for_people(
    app_context: None,
) -> None:
    _known, book = known_xlsx()
    sheet = book["Responses"]
    headers = [cell.value for cell in sheet[1]]

    assert headers[-5:] == [
        "1. Which themes matter most?",
        "2. Your committee's work?",
        "3. How urgent is regulation?",
        "4. Will you attend?",
        "5. Which parliament?",
    ]
    ana, layla = (row[-5:] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert ana == (
        "AI governance; Digital divide",
        "Comisión de Ciencia.\nSecond line.",
        4,
        "Yes",
        "Peru",
    )
    assert layla == ("Cybersecurity", "لجنة الاتصالات", None, "No", "Jordan")
    assert sheet.cell(row=2, column=len(headers) - 2).data_type == "n"
    rows = records(sheet)
    assert [row["Respondent"] for row in rows] == ["Ana López", "Anonymous"]
    assert "Author" not in rows[0]
    assert rows[1]["Country"] == "Jordan"
    assert all("DRAFT-TEXT" not in str(value) for row in rows for value in row.values())


@pytest.mark.db
def test_data_sheets_are_readable_at_once(app_context: None) -> None:
    _known, book = known_xlsx()

    for name in ("Comments", "Responses"):
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet.column_dimensions["A"].width == 10
    comments = book["Comments"]
    text = get_column_letter(column_of(comments, "Text") + 1)
    assert comments.column_dimensions[text].width == 80
    assert comments[f"{text}2"].alignment.wrap_text
    assert book["Summary"].column_dimensions["A"].width == 45


def test_sheet_titles_are_what_excel_accepts() -> None:
    assert sheet_title("Comments: [draft]?") == "Comments draft"
    assert len(sheet_title("x" * 40)) == 31
    assert sheet_title("*/\\") == "Sheet"


@pytest.mark.db
def test_hostile_comment_text_is_kept_minus_what_xml_cannot_hold(app_context: None) -> None:
    known = make_known_consultation()
    # Inserted as stored rows are not: bypassing the normalisation that removes controls.
    line = "Emoji 😀🇵🇪 and مرحبا بالعالم mixed ‏עברית‎ text.\n"
    body = ("\x01Start\x0b here.\n\n" + line * 400)[:10_000]
    make_comment(known.consultation, known.authors["mia"], section_key="1", body=body)
    book = workbook_of(spec_for(known, ExportFormat.XLSX))

    bodies = [row["Text"] for row in records(book["Comments"])]
    assert body.replace("\x01", "").replace("\x0b", "") in bodies
