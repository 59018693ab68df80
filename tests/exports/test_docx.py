"""The DOCX feedback digest, opened again with python-docx as a word processor would."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from consult.comments.attribution import Audience
from consult.comments.models import CommentStatus
from consult.core.models import utcnow
from consult.exports.docx_digest import starts_right_to_left, write_feedback_digest
from consult.exports.spec import ExportFilters, ExportFormat, ExportSpec
from consult.extensions import db
from consult.questionnaires.models import QuestionKind
from tests.exports.helpers import (
    ARABIC_COMMENT,
    FORMULA_COMMENT,
    KnownConsultation,
    make_known_consultation,
    section_translation,
    spec_for,
)
from tests.factories import make_comment, make_consultation, make_participant
from tests.questionnaires.factories import make_question, make_response

PARAGRAPH_1 = "Paragraph \u20661\u2069"
PARAGRAPH_1A = "Paragraph \u20661.a\u2069 — Principles"


def digest_of(spec: ExportSpec) -> Any:
    output = io.BytesIO()
    write_feedback_digest(spec, output)
    output.seek(0)
    return docx.Document(output)


def known_digest(**options: Any) -> tuple[KnownConsultation, Any]:
    known = make_known_consultation()
    return known, digest_of(spec_for(known, ExportFormat.DOCX, **options))


def texts(document: Any) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def chapters(document: Any) -> dict[str, list[str]]:
    """The paragraphs under each top-level heading, by heading, in order."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            current = found.setdefault(paragraph.text, [])
        elif current is not None and paragraph.text:
            current.append(paragraph.text)
    return found


def table_rows(document: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def paragraph_with(document: Any, text: str) -> Any:
    return next(paragraph for paragraph in document.paragraphs if paragraph.text == text)


def is_bidi(paragraph: Any) -> bool:
    properties = paragraph._p.pPr
    return properties is not None and properties.find(qn("w:bidi")) is not None


@pytest.mark.db
def test_cover_has_title_window_and_counts(app_context: None) -> None:
    _known, document = known_digest()
    paragraphs = document.paragraphs

    assert paragraphs[0].text == "AI regulation paper"
    assert paragraphs[0].style.name == "Title"
    assert paragraphs[1].text == "Feedback digest"
    cover = texts(document)[: texts(document).index("Preamble")]
    assert any(text.startswith("Open from September 1, 2024") for text in cover)
    assert "Comments included: Published" in cover
    assert "Comments: 6" in cover
    assert "Submitted responses: 2" in cover
    assert [text for text in cover if text.startswith("Comments in this file")] == [
        "Comments in this file, by stakeholder group",
        "Comments in this file, by language",
        "Comments in this file, by country",
    ]
    rows = table_rows(document)
    assert rows[:4] == [
        ["Stakeholder group", "Comments"],
        ["Parliament", "3"],
        ["Civil society", "1"],
        ["Academia", "2"],
    ]
    assert rows[4:8] == [
        ["Language", "Comments"],
        ["English", "4"],
        ["Arabic", "1"],
        ["Spanish", "1"],
    ]
    assert rows[8:13] == [
        ["Country", "Comments"],
        ["Canada", "2"],
        ["Peru", "2"],
        ["Jordan", "1"],
        ["Tuvalu", "1"],
    ]


@pytest.mark.db
def test_open_data_cover_leaves_out_the_countries_of_anonymous_comments(
    app_context: None,
) -> None:
    _known, document = known_digest(audience=Audience.OPEN_DATA)

    # Kofi's anonymous comment is from Tuvalu: open data counts it without a country.
    rows = table_rows(document)
    assert rows[8:13] == [
        ["Country", "Comments"],
        ["Canada", "2"],
        ["Peru", "2"],
        ["Jordan", "1"],
        ["None, or not shown for anonymous comments", "1"],
    ]
    assert not any("Tuvalu" in cell for row in rows for cell in row)


@pytest.mark.db
def test_each_section_has_its_text_then_its_comments_in_order(app_context: None) -> None:
    known, document = known_digest()
    found = chapters(document)

    assert list(found) == [
        "Preamble",
        PARAGRAPH_1,
        PARAGRAPH_1A,
        "General comments",
        "Questionnaire",
    ]
    preamble = found["Preamble"]
    assert preamble[0] == "We, parliamentarians, welcome the Compact."
    assert preamble[-1] == known.on_preamble.body
    paragraph_1 = found[PARAGRAPH_1]
    assert paragraph_1[:3] == ["Parliaments should legislate.", "a. with care", "b. with speed"]
    assert paragraph_1[-1] == FORMULA_COMMENT
    paragraph_1a = found[PARAGRAPH_1A]
    assert paragraph_1a[0] == "Principles-based approaches."
    bodies = [
        known.on_1a_arabic.body,
        known.on_1a_anonymous.body,
        known.on_1a_organisation_only.body,
    ]
    positions = [paragraph_1a.index(body) for body in bodies]
    assert positions == sorted(positions)
    assert found["General comments"][-1] == known.general.body


@pytest.mark.db
def test_section_markdown_becomes_word_formatting(app_context: None) -> None:
    known = make_known_consultation()
    section_translation(known, "1", "en").body = (
        "## Scope\n\nSee [the Compact](https://un.org/compact) and **this**.\n"
        "Next line <b>raw</b>.\n\n1. first\n2. second\n\n- point"
    )
    db.session.commit()
    document = digest_of(spec_for(known, ExportFormat.DOCX))

    scope = paragraph_with(document, "Scope")
    assert all(run.bold for run in scope.runs)
    link = paragraph_with(
        document, "See the Compact (https://un.org/compact) and this. Next line <b>raw</b>."
    )
    assert [run.text for run in link.runs if run.bold] == ["this"]
    assert paragraph_with(document, "1. first").style.name == "List Paragraph"
    assert paragraph_with(document, "2. second").style.name == "List Paragraph"
    assert paragraph_with(document, "point").style.name == "List Bullet"
    welcome = paragraph_with(document, "We, parliamentarians, welcome the Compact.")
    assert [run.text for run in welcome.runs if run.italic] == ["welcome"]


@pytest.mark.db
def test_attribution_as_each_audience_may_see_it(app_context: None) -> None:
    known = make_known_consultation()

    def lines(audience: Audience) -> list[str]:
        return texts(digest_of(spec_for(known, ExportFormat.DOCX, audience=audience)))

    editor = lines(Audience.EDITOR)
    assert "Anonymous · Civil society · Tuvalu · English · September 4, 2024" in editor
    assert "Open Data Lab · Academia · Canada · English · September 5, 2024" in editor
    assert (
        "Ana López, Congreso de la República · Parliament · Peru · English · September 2, 2024"
        in editor
    )
    assert not any("Kofi" in line for line in editor)

    open_data = lines(Audience.OPEN_DATA)
    assert "Anonymous · Civil society · English · September 4, 2024" in open_data
    assert "Questionnaire" not in open_data

    contact = lines(Audience.CONTACT)
    assert (
        "Kofi Mensah, Tuvalu Digital Rights · Civil society · Tuvalu · English · September 4, 2024"
        in contact
    )
    assert "Mia Chen, Open Data Lab · Academia · Canada · English · September 5, 2024" in contact


@pytest.mark.db
def test_pending_comment_is_marked_only_when_asked_for(app_context: None) -> None:
    known = make_known_consultation()
    default = texts(digest_of(spec_for(known, ExportFormat.DOCX)))
    assert not any("PENDING-TEXT" in line or "[Awaiting" in line for line in default)

    statuses = frozenset({CommentStatus.PUBLISHED, CommentStatus.PENDING})
    document = digest_of(
        spec_for(known, ExportFormat.DOCX, filters=ExportFilters(statuses=statuses))
    )
    found = chapters(document)[PARAGRAPH_1]
    marked = found.index(
        "[Awaiting moderation] Kofi Mensah, Tuvalu Digital Rights · Civil society · Tuvalu"
        " · English · September 8, 2024"
    )
    assert found[marked + 1] == known.pending.body
    marker = next(p for p in document.paragraphs if p.text.startswith("[Awaiting moderation]"))
    assert marker.runs[0].bold
    assert not any("WITHDRAWN-TEXT" in line for line in texts(document))


@pytest.mark.db
def test_arabic_paragraphs_are_right_to_left(app_context: None) -> None:
    _known, document = known_digest()

    arabic = paragraph_with(document, ARABIC_COMMENT)
    assert is_bidi(arabic)
    assert all(run._r.rPr.find(qn("w:rtl")) is not None for run in arabic.runs)
    assert not is_bidi(paragraph_with(document, "The preamble should cite the GDC."))
    assert not is_bidi(paragraph_with(document, "Preamble"))


@pytest.mark.db
def test_arabic_digest_has_right_to_left_labels_and_texts(app_context: None) -> None:
    _known, document = known_digest(locale="ar")

    title = document.paragraphs[0]
    assert title.text == "ورقة تنظيم الذكاء الاصطناعي"
    assert is_bidi(title)
    assert is_bidi(paragraph_with(document, "نحن البرلمانيين نرحب بالميثاق."))
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert all(is_bidi(heading) for heading in headings)
    # English comments stay left to right in an Arabic digest.
    assert not is_bidi(paragraph_with(document, "The preamble should cite the GDC."))
    assert document.tables[0]._tbl.tblPr.find(qn("w:bidiVisual")) is not None


@pytest.mark.db
def test_questionnaire_tallies_and_free_text_answers(app_context: None) -> None:
    _known, document = known_digest()
    rows = table_rows(document)
    questionnaire = chapters(document)["Questionnaire"]

    assert "1. Which themes matter most?" in questionnaire
    assert ["Cybersecurity", "1", "50%"] in rows
    assert ["AI governance", "1", "50%"] in rows
    assert ["Yes", "1", "50%"] in rows
    assert ["No", "1", "50%"] in rows
    assert ["4", "1", "100%"] in rows
    assert ["Peru", "1", "50%"] in rows
    assert "Mean: 4.0" in questionnaire
    assert "Answered in 1 of 2 responses." in questionnaire
    answer = questionnaire.index("Comisión de Ciencia.\nSecond line.")
    assert questionnaire[answer - 1] == (
        "Ana López, Congreso de la República · Parliament · Peru · Spanish"
    )
    layla = questionnaire.index("لجنة الاتصالات")
    assert questionnaire[layla - 1] == "Anonymous · Parliament · Jordan · Arabic"
    assert is_bidi(paragraph_with(document, "لجنة الاتصالات"))
    assert not any("DRAFT-TEXT" in line for line in texts(document))


@pytest.mark.db
def test_questionnaire_alone_has_no_chapter_of_general_comments(app_context: None) -> None:
    consultation = make_consultation("survey", titles={"en": "Survey"})
    question = make_question(consultation, QuestionKind.YES_NO, texts={"en": "Attend?"})
    make_response(consultation, make_participant(), {question: True})
    spec = ExportSpec(consultation, ExportFormat.DOCX, Audience.EDITOR, "en")
    document = digest_of(spec)

    assert list(chapters(document)) == ["Questionnaire"]
    assert "No comments." not in texts(document)
    assert not any(text.startswith("Comments") for text in texts(document))
    assert "Filters: None" in texts(document)
    assert ["Yes", "1", "100%"] in table_rows(document)


@pytest.mark.db
def test_filters_narrow_sections_and_archived_ones_are_marked(app_context: None) -> None:
    known = make_known_consultation()
    section_1 = next(s for s in known.consultation.sections if s.key == "1")
    section_1.archived_at = utcnow()
    db.session.commit()

    found = chapters(digest_of(spec_for(known, ExportFormat.DOCX)))
    withdrawn = f"{PARAGRAPH_1} (withdrawn from the paper)"
    assert found[withdrawn][0] == "Parliaments should legislate."
    assert found[withdrawn][-1] == FORMULA_COMMENT

    arabic_only = ExportFilters(language="ar")
    found = chapters(digest_of(spec_for(known, ExportFormat.DOCX, filters=arabic_only)))
    assert list(found) == ["Preamble", PARAGRAPH_1A, "General comments", "Questionnaire"]
    assert found["Preamble"][-1] == "No comments."
    assert found[PARAGRAPH_1A][-1] == ARABIC_COMMENT

    one_section = ExportFilters(section_key="1.a")
    found = chapters(digest_of(spec_for(known, ExportFormat.DOCX, filters=one_section)))
    assert list(found) == [PARAGRAPH_1A, "Questionnaire"]

    general = ExportFilters(general_only=True)
    found = chapters(digest_of(spec_for(known, ExportFormat.DOCX, filters=general)))
    assert list(found) == ["General comments", "Questionnaire"]


@pytest.mark.db
def test_hostile_comment_text_still_gives_a_document(app_context: None) -> None:
    known = make_known_consultation()
    # Inserted as stored rows are not: bypassing the normalisation that removes controls.
    line = "Emoji 😀🇵🇪 and مرحبا بالعالم mixed ‏עברית‎ text.\n"
    body = ("\x01Start\x0b here.\n\n" + line * 400)[:10_000]
    make_comment(known.consultation, known.authors["mia"], section_key="1", body=body)
    document = digest_of(spec_for(known, ExportFormat.DOCX))

    everything = "\n".join(texts(document))
    assert "Start here." in everything
    assert "\x01" not in everything
    assert "\x0b" not in everything
    assert everything.count("Emoji 😀🇵🇪 and مرحبا بالعالم") >= 200


@pytest.mark.db
def test_tabs_line_breaks_and_edge_spaces_are_kept_as_word_writes_them(
    app_context: None,
) -> None:
    known = make_known_consultation()
    body = "\tIndented first line\nsecond line, then a space "
    make_comment(known.consultation, known.authors["mia"], section_key="1", body=body)
    document = digest_of(spec_for(known, ExportFormat.DOCX))

    run = paragraph_with(document, body).runs[0]._r
    assert [child.tag for child in run] == [qn("w:tab"), qn("w:t"), qn("w:br"), qn("w:t")]
    assert run[-1].get(qn("xml:space")) == "preserve"
    # Every paragraph is written before the page setup, which closes the body.
    assert document.element.body[-1].tag == qn("w:sectPr")


def test_direction_comes_from_the_first_strong_character() -> None:
    assert starts_right_to_left("مرحبا hello", default=False)
    assert not starts_right_to_left("hello مرحبا", default=True)
    assert starts_right_to_left("1. ١٢ — שלום", default=False)
    assert starts_right_to_left("123 ...", default=True)
    assert not starts_right_to_left("", default=False)
    # What an isolate holds does not decide: "الفقرة ⁦1.a⁩" and "⁦1.a⁩ الفقرة" are Arabic.
    assert starts_right_to_left("\u2066Paragraph\u2069 الفقرة", default=False)
