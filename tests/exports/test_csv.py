"""The CSV export: what a drafter finds when the file opens in a spreadsheet."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterable
from typing import Any

import pytest
from sqlalchemy import insert

from consult.comments.attribution import Audience
from consult.comments.models import Comment, CommentStatus, Identity
from consult.exports.csv_writer import comments_csv, csv_cell, csv_line, responses_csv
from consult.exports.queries import comment_total
from consult.exports.spec import ExportContent, ExportFilters, ExportFormat
from consult.extensions import db
from consult.questionnaires.models import QuestionKind
from tests.exports.helpers import (
    ARABIC_COMMENT,
    FORMULA_COMMENT,
    KnownConsultation,
    at,
    make_known_consultation,
    spec_for,
)
from tests.factories import make_comment, make_participant
from tests.questionnaires.factories import make_question, make_response

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("app_context")]

COMMENT_HEADER = [
    "comment_id",
    "consultation",
    "section_key",
    "section_title",
    "language",
    "status",
    "submitted_at",
    "author_name",
    "organisation",
    "stakeholder_group",
    "country",
    "body",
    "identity",
    "published_at",
]
STAFF_HEADER = [*COMMENT_HEADER, "moderated_at", "rejection_reason", "reports"]
RESPONSE_HEADER = [
    "response_id",
    "consultation",
    "language",
    "submitted_at",
    "updated_at",
    "author_name",
    "organisation",
    "stakeholder_group",
    "country",
    "identity",
]
EVERY_STATUS = frozenset(
    {CommentStatus.PUBLISHED, CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.HIDDEN}
)


def read_csv(chunks: Iterable[bytes]) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows, read as Excel reads the file: a UTF-8 BOM says the encoding."""
    data = b"".join(chunks)
    assert data.startswith(codecs.BOM_UTF8)
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = next(reader)
    return header, [dict(zip(header, row, strict=True)) for row in reader]


def comments(known: KnownConsultation, **options: Any) -> list[dict[str, str]]:
    return read_csv(comments_csv(spec_for(known, ExportFormat.CSV, **options)))[1]


def by_id(rows: list[dict[str, str]]) -> dict[int, dict[str, str]]:
    return {int(row["comment_id"]): row for row in rows}


def add_published_comments(known: KnownConsultation, count: int) -> None:
    """`count` published comments on section 1 in one bulk insert (fast even for thousands)."""
    section = next(s for s in known.consultation.sections if s.key == "1")
    author = known.authors["ana"]
    db.session.execute(
        insert(Comment),
        [
            {
                "consultation_id": known.consultation.id,
                "section_id": section.id,
                "author_id": author.id,
                "form_key": f"bulk-{number}",
                "language": "en",
                "body": f"Bulk comment {number}: " + "the drafters should read this. " * 4,
                "identity": Identity.NAME_AND_ORGANISATION,
                "author_name": author.display_name,
                "author_organisation": author.organisation,
                "author_group": "parliament",
                "author_country": "PE",
                "status": CommentStatus.PUBLISHED,
                "created_at": at(13),
                "published_at": at(13),
            }
            for number in range(count)
        ],
    )
    db.session.commit()


def test_comment_header_is_the_contract_with_staff_columns_and_email_only_when_asked() -> None:
    known = make_known_consultation()

    def header(audience: Audience) -> list[str]:
        return read_csv(comments_csv(spec_for(known, ExportFormat.CSV, audience=audience)))[0]

    assert header(Audience.EDITOR) == STAFF_HEADER
    assert header(Audience.CONTACT) == [*STAFF_HEADER, "email"]
    assert header(Audience.OPEN_DATA) == COMMENT_HEADER


def test_published_comments_come_in_paper_order_with_general_ones_last() -> None:
    known = make_known_consultation()

    rows = comments(known)

    assert [int(row["comment_id"]) for row in rows] == [
        known.on_preamble.id,
        known.formula.id,
        known.on_1a_arabic.id,
        known.on_1a_anonymous.id,
        known.on_1a_organisation_only.id,
        known.general.id,
    ]
    assert [row["section_key"] for row in rows] == ["preamble", "1", "1.a", "1.a", "1.a", ""]
    assert [row["section_title"] for row in rows] == ["", "", *["Principles"] * 3, ""]
    assert [row["language"] for row in rows] == ["en", "en", "ar", "en", "en", "es"]
    assert {row["status"] for row in rows} == {"published"}
    assert {row["consultation"] for row in rows} == {"ai-paper"}
    first = rows[0]
    assert first["submitted_at"] == "2024-09-02T12:00:00Z"
    assert first["published_at"] == "2024-09-02T12:00:00Z"
    assert first["moderated_at"] == ""
    assert first["rejection_reason"] == ""
    assert by_id(rows)[known.on_1a_anonymous.id]["reports"] == "1"
    assert first["reports"] == "0"


def test_section_titles_follow_the_export_language() -> None:
    known = make_known_consultation()

    rows = by_id(comments(known, locale="ar"))

    assert rows[known.on_1a_arabic.id]["section_title"] == "المبادئ"


def test_editor_export_names_authors_as_they_chose_with_the_country_of_anonymous_ones() -> None:
    known = make_known_consultation()

    rows = by_id(comments(known))

    named = rows[known.on_preamble.id]
    assert (named["author_name"], named["organisation"], named["identity"]) == (
        "Ana López",
        "Congreso de la República",
        "name",
    )
    assert (named["stakeholder_group"], named["country"]) == ("parliament", "PE")
    anonymous = rows[known.on_1a_anonymous.id]
    assert (anonymous["author_name"], anonymous["organisation"]) == ("", "")
    assert (anonymous["stakeholder_group"], anonymous["country"]) == ("civil_society", "TV")
    assert anonymous["identity"] == "anonymous"
    organisation_only = rows[known.on_1a_organisation_only.id]
    assert organisation_only["author_name"] == ""
    assert organisation_only["organisation"] == "Open Data Lab"
    assert (organisation_only["stakeholder_group"], organisation_only["country"]) == (
        "academia",
        "CA",
    )
    assert organisation_only["identity"] == "organisation"


def test_open_data_leaves_out_the_country_of_anonymous_authors_and_every_moderation_fact() -> None:
    known = make_known_consultation()

    rows = by_id(comments(known, audience=Audience.OPEN_DATA))

    anonymous = rows[known.on_1a_anonymous.id]
    assert (anonymous["author_name"], anonymous["organisation"], anonymous["country"]) == (
        "",
        "",
        "",
    )
    assert anonymous["stakeholder_group"] == "civil_society"
    assert rows[known.on_1a_organisation_only.id]["author_name"] == ""
    assert rows[known.on_1a_organisation_only.id]["country"] == "CA"
    assert all("reports" not in row and "email" not in row for row in rows.values())


def test_contact_export_names_everyone_with_their_email_address() -> None:
    known = make_known_consultation()

    rows = by_id(comments(known, audience=Audience.CONTACT))

    anonymous = rows[known.on_1a_anonymous.id]
    assert anonymous["author_name"] == "Kofi Mensah"
    assert anonymous["organisation"] == "Tuvalu Digital Rights"
    assert anonymous["email"] == "kofi@example.org"
    assert anonymous["identity"] == "anonymous"
    assert rows[known.on_1a_organisation_only.id]["author_name"] == "Mia Chen"
    assert rows[known.on_preamble.id]["email"] == "ana@example.org"


def test_arabic_comment_reads_back_exactly_after_the_byte_order_mark() -> None:
    known = make_known_consultation()

    data = b"".join(comments_csv(spec_for(known, ExportFormat.CSV)))

    assert data[:3] == codecs.BOM_UTF8
    assert data[3:].startswith(b"comment_id,")
    assert b"\r\n" in data
    rows = by_id(read_csv([data])[1])
    assert rows[known.on_1a_arabic.id]["body"] == ARABIC_COMMENT
    assert rows[known.on_1a_arabic.id]["author_name"] == "ليلى حداد"


def test_formula_like_cells_start_with_an_apostrophe_and_keep_their_text() -> None:
    known = make_known_consultation()
    tricksters = [
        make_participant(
            f"trick{number}@example.org",
            display_name=f"{start}Name {number}",
            organisation=f"{start}Org {number}",
        )
        for number, start in enumerate(["+", "-", "@", "\t"])
    ]
    for author in tricksters:
        make_comment(known.consultation, author, section_key="1", created_at=at(12))

    rows = comments(known, audience=Audience.CONTACT)

    assert by_id(rows)[known.formula.id]["body"] == "'" + FORMULA_COMMENT
    tricky = [row for row in rows if row["email"].startswith("trick")]
    assert [row["author_name"] for row in tricky] == [
        "'+Name 0",
        "'-Name 1",
        "'@Name 2",
        "'\tName 3",
    ]
    assert [row["organisation"] for row in tricky] == [
        "'+Org 0",
        "'-Org 1",
        "'@Org 2",
        "'\tOrg 3",
    ]


def test_only_published_comments_by_default() -> None:
    known = make_known_consultation()

    text = b"".join(comments_csv(spec_for(known, ExportFormat.CSV))).decode("utf-8-sig")

    for marker in ("PENDING-TEXT", "REJECTED-TEXT", "HIDDEN-TEXT", "WITHDRAWN-TEXT"):
        assert marker not in text


def test_staff_may_include_other_statuses_each_marked_but_never_withdrawn_comments() -> None:
    known = make_known_consultation()

    rows = by_id(comments(known, filters=ExportFilters(statuses=EVERY_STATUS)))

    assert rows[known.pending.id]["status"] == "pending"
    assert "PENDING-TEXT" in rows[known.pending.id]["body"]
    assert rows[known.rejected.id]["status"] == "rejected"
    assert rows[known.rejected.id]["rejection_reason"] == "other"
    assert "REJECTED-TEXT" in rows[known.rejected.id]["body"]
    assert rows[known.hidden.id]["status"] == "hidden"
    assert "HIDDEN-TEXT" in rows[known.hidden.id]["body"]
    assert known.withdrawn.id not in rows
    assert len(rows) == len(known.published) + 3


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            ExportFilters(section_key="1.a"),
            ["on_1a_arabic", "on_1a_anonymous", "on_1a_organisation_only"],
        ),
        (ExportFilters(general_only=True), ["general"]),
        (ExportFilters(language="ar"), ["on_1a_arabic"]),
        (ExportFilters(group="academia"), ["formula", "on_1a_organisation_only"]),
        (ExportFilters(country="TV"), ["on_1a_anonymous"]),
        # `until` is excluded: the formula comment was sent on the 6th at noon.
        (
            ExportFilters(since=at(4), until=at(6)),
            ["on_1a_anonymous", "on_1a_organisation_only"],
        ),
    ],
)
def test_filters_narrow_the_comments(filters: ExportFilters, expected: list[str]) -> None:
    known = make_known_consultation()

    rows = comments(known, filters=filters)

    assert [int(row["comment_id"]) for row in rows] == [
        getattr(known, name).id for name in expected
    ]
    # The one COUNT the command line and the staff page show agrees with the rows.
    assert comment_total(spec_for(known, ExportFormat.CSV, filters=filters)) == len(expected)


def test_no_cell_says_none() -> None:
    known = make_known_consultation()

    for audience in Audience:
        for content in ExportContent:
            # Open data holds published comments only; the others every state.
            statuses = (
                ExportFilters()
                if audience is Audience.OPEN_DATA
                else ExportFilters(statuses=EVERY_STATUS)
            )
            spec = spec_for(
                known, ExportFormat.CSV, audience=audience, content=content, filters=statuses
            )
            writer = responses_csv if content is ExportContent.RESPONSES else comments_csv
            assert "None" not in b"".join(writer(spec)).decode("utf-8-sig")


def responses(known: KnownConsultation, **options: Any) -> tuple[list[str], list[dict[str, str]]]:
    spec = spec_for(known, ExportFormat.CSV, content=ExportContent.RESPONSES, **options)
    return read_csv(responses_csv(spec))


def test_responses_have_one_row_each_and_one_column_per_question() -> None:
    known = make_known_consultation()

    header, rows = responses(known)

    assert header == [
        *RESPONSE_HEADER,
        "1. Which themes matter most?",
        "2. Your committee's work?",
        "3. How urgent is regulation?",
        "4. Will you attend?",
        "5. Which parliament?",
    ]
    assert [int(row["response_id"]) for row in rows] == [r.id for r in known.responses]
    ana, layla = rows
    assert ana["language"] == "es"
    assert ana["submitted_at"] == "2024-09-03T12:00:00Z"
    assert ana["author_name"] == "Ana López"
    assert ana["1. Which themes matter most?"] == "AI governance; Digital divide"
    assert ana["2. Your committee's work?"] == "Comisión de Ciencia.\nSecond line."
    assert ana["3. How urgent is regulation?"] == "4"
    assert ana["4. Will you attend?"] == "yes"
    assert ana["5. Which parliament?"] == "PE"
    assert layla["identity"] == "anonymous"
    assert (layla["author_name"], layla["organisation"], layla["country"]) == ("", "", "JO")
    assert layla["1. Which themes matter most?"] == "Cybersecurity"
    assert layla["3. How urgent is regulation?"] == ""
    assert layla["4. Will you attend?"] == "no"


def test_draft_responses_are_never_exported() -> None:
    known = make_known_consultation()

    for audience in (Audience.EDITOR, Audience.CONTACT):
        rows = responses(known, audience=audience)[1]
        assert len(rows) == 2
        assert all("DRAFT-TEXT" not in value for row in rows for value in row.values())


def test_contact_responses_carry_the_email_after_the_identity() -> None:
    known = make_known_consultation()

    header, rows = responses(known, audience=Audience.CONTACT)

    assert header[len(RESPONSE_HEADER)] == "email"
    assert [row["email"] for row in rows] == ["ana@example.org", "layla@example.org"]
    assert rows[1]["author_name"] == "ليلى حداد"


def test_responses_in_arabic_use_arabic_questions_and_option_labels() -> None:
    known = make_known_consultation()

    header, rows = responses(known, locale="ar")

    themes = "1. ما هي المواضيع الأهم؟"
    assert header[len(RESPONSE_HEADER)] == themes
    # Questions written only in English keep their English text.
    assert header[len(RESPONSE_HEADER) + 1] == "2. Your committee's work?"
    assert rows[0][themes] == "حوكمة الذكاء الاصطناعي; الفجوة الرقمية"
    assert rows[1][themes] == "الأمن السيبراني"
    assert rows[1]["2. Your committee's work?"] == "لجنة الاتصالات"


def test_a_large_export_is_sent_in_several_chunks_and_loses_no_row() -> None:
    known = make_known_consultation()
    add_published_comments(known, 2500)

    chunks = list(comments_csv(spec_for(known, ExportFormat.CSV)))

    assert len(chunks) > 1
    rows = read_csv(chunks)[1]
    assert len(rows) == 2500 + len(known.published)
    assert len({row["comment_id"] for row in rows}) == len(rows)


def test_quoting_is_the_csv_modules_own() -> None:
    """Lines are put together without the csv module (for speed): they must be the
    very lines it writes, for every mix of quotes, commas and line breaks."""
    pieces = ["", "a", ",", '"', "\n", "\r", "\r\n", " ", "'", ";", "é", "ع", "👩🏽"]
    reference = io.StringIO()
    writer = csv.writer(reference, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    ours = []
    for parts in itertools.product(pieces, repeat=3):
        row = ["".join(parts), "x", "".join(reversed(parts))]
        writer.writerow(row)
        ours.append(csv_line(csv_cell(cell) for cell in row))

    assert "".join(ours) == reference.getvalue()


def test_answers_that_look_like_formulas_are_neutralised() -> None:
    known = make_known_consultation()
    consultation = known.consultation
    typed = make_question(consultation, QuestionKind.SHORT_TEXT, texts={"en": "Budget line?"})
    chosen = make_question(
        consultation,
        QuestionKind.SINGLE_CHOICE,
        texts={"en": "Which cell?"},
        options=[{"en": "@SUM(A1:A9)"}, {"en": "Plain"}],
    )
    make_response(
        consultation,
        known.authors["mia"],
        {typed: "=1+1", chosen: [chosen.options[0].id]},
    )

    _, rows = responses(known)

    (row,) = [row for row in rows if row["author_name"] == "Mia Chen"]
    assert row["6. Budget line?"] == "'=1+1"
    assert row["7. Which cell?"] == "'@SUM(A1:A9)"
