"""The JSON export: every document matches its published schema and holds the paper's
sections with their comments, and the questionnaire for staff."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from consult.comments.attribution import Audience
from consult.exports.answers import answer_json
from consult.exports.json_writer import export_json, export_schema
from consult.exports.queries import AnswerValues
from consult.exports.spec import ExportFilters, ExportFormat
from consult.extensions import db
from tests.exports.helpers import (
    ARABIC_COMMENT,
    SCHEMA_VALIDATOR,
    KnownConsultation,
    at,
    make_known_consultation,
    spec_for,
)
from tests.exports.test_csv import EVERY_STATUS, add_published_comments
from tests.factories import make_comment

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("app_context")]

VALIDATOR = SCHEMA_VALIDATOR


def export(known: KnownConsultation, **options: Any) -> dict[str, Any]:
    """The export `options` describe, checked against the schema."""
    document: dict[str, Any] = json.loads(
        b"".join(export_json(spec_for(known, ExportFormat.JSON, **options)))
    )
    VALIDATOR.validate(document)
    return document


def section_comments(document: dict[str, Any]) -> dict[str, list[int]]:
    return {
        section["key"]: [comment["id"] for comment in section["comments"]]
        for section in document["sections"]
    }


def every_comment(document: dict[str, Any]) -> dict[int, dict[str, Any]]:
    found = [c for section in document["sections"] for c in section["comments"]]
    return {comment["id"]: comment for comment in found + document["general_comments"]}


def test_the_schema_is_valid_and_names_itself_in_every_export() -> None:
    Draft202012Validator.check_schema(export_schema())
    known = make_known_consultation()

    document = export(known)

    assert document["$schema"] == export_schema()["$id"]
    assert document["format_version"] == 1


def test_every_audience_and_filter_gives_a_valid_document() -> None:
    known = make_known_consultation()
    filter_choices = [
        ExportFilters(),
        ExportFilters(statuses=EVERY_STATUS),
        ExportFilters(section_key="1.a"),
        ExportFilters(general_only=True),
        ExportFilters(language="ar"),
        ExportFilters(group="parliament", country="PE"),
        ExportFilters(since=at(4), until=at(6)),
    ]

    for audience in Audience:
        for filters in filter_choices:
            if audience is Audience.OPEN_DATA and not filters.only_published:
                continue
            document = export(known, audience=audience, filters=filters, locale="ar")
            assert document["audience"] == audience.value
            assert document["filters"] == filters.as_details()


def test_schema_refuses_what_an_audience_may_not_see() -> None:
    known = make_known_consultation()
    open_data = export(known, audience=Audience.OPEN_DATA)
    contact = export(known, audience=Audience.CONTACT)

    leaked_email = json.loads(json.dumps(open_data))
    leaked_email["general_comments"][0]["author"]["email"] = "ana@example.org"
    leaked_questionnaire = json.loads(json.dumps(open_data))
    leaked_questionnaire["questionnaire"] = contact["questionnaire"]
    leaked_country = json.loads(json.dumps(open_data))
    anonymous = every_comment(leaked_country)[known.on_1a_anonymous.id]
    anonymous["author"]["country"] = "TV"

    for leaked in (leaked_email, leaked_questionnaire, leaked_country):
        assert not VALIDATOR.is_valid(leaked)


def test_sections_come_in_paper_order_each_with_its_comments() -> None:
    known = make_known_consultation()

    document = export(known)

    assert section_comments(document) == {
        "preamble": [known.on_preamble.id],
        "1": [known.formula.id],
        "1.a": [
            known.on_1a_arabic.id,
            known.on_1a_anonymous.id,
            known.on_1a_organisation_only.id,
        ],
    }
    assert [section["key"] for section in document["sections"]] == ["preamble", "1", "1.a"]
    assert [section["comment_count"] for section in document["sections"]] == [1, 1, 3]
    principles = document["sections"][2]
    assert principles["headings"] == {"en": "Principles", "ar": "المبادئ"}
    assert principles["archived"] is False
    assert [comment["id"] for comment in document["general_comments"]] == [known.general.id]
    assert document["general_comments"][0]["section_key"] is None
    assert document["general_comments"][0]["language"] == "es"


def test_consultation_is_described_in_every_language() -> None:
    known = make_known_consultation()

    consultation = export(known)["consultation"]

    assert consultation["slug"] == "ai-paper"
    assert consultation["default_language"] == "en"
    assert consultation["titles"] == {
        "en": "AI regulation paper",
        "ar": "ورقة تنظيم الذكاء الاصطناعي",
    }
    assert consultation["opens_at"] == "2024-09-01T00:00:00Z"
    assert consultation["closes_at"] == "2024-09-19T22:00:00Z"
    assert consultation["closed"] is True


def test_a_comment_carries_its_facts_and_author_as_the_editor_may_see_them() -> None:
    known = make_known_consultation()

    comments = every_comment(export(known))

    anonymous = comments[known.on_1a_anonymous.id]
    assert anonymous["section_key"] == "1.a"
    assert anonymous["status"] == "published"
    assert anonymous["submitted_at"] == "2024-09-04T12:00:00Z"
    assert anonymous["reports"] == 1
    assert anonymous["rejection_reason"] is None
    assert anonymous["author"] == {
        "identity": "anonymous",
        "name": None,
        "organisation": None,
        "stakeholder_group": "civil_society",
        "country": "TV",
    }
    assert comments[known.on_1a_organisation_only.id]["author"]["name"] is None
    assert comments[known.on_preamble.id]["author"]["name"] == "Ana López"


def test_archived_section_is_still_listed_with_its_comments() -> None:
    known = make_known_consultation()
    section = next(s for s in known.consultation.sections if s.key == "1.a")
    section.archived_at = at(15)
    db.session.commit()

    document = export(known)

    principles = next(s for s in document["sections"] if s["key"] == "1.a")
    assert principles["archived"] is True
    assert len(principles["comments"]) == 3


def test_sections_without_comments_are_listed_empty() -> None:
    known = make_known_consultation()

    document = export(known, filters=ExportFilters(language="ar"))

    assert section_comments(document) == {
        "preamble": [],
        "1": [],
        "1.a": [known.on_1a_arabic.id],
    }
    assert document["general_comments"] == []


def test_questionnaire_holds_questions_and_submitted_responses_with_their_answers() -> None:
    known = make_known_consultation()

    questionnaire = export(known)["questionnaire"]

    themes, committee, scale, attends, country = known.questions
    questions = questionnaire["questions"]
    assert [q["id"] for q in questions] == [q.id for q in known.questions]
    assert [q["number"] for q in questions] == [1, 2, 3, 4, 5]
    assert [q["kind"] for q in questions] == [
        "multiple_choice",
        "long_text",
        "scale",
        "yes_no",
        "country",
    ]
    assert questions[0]["texts"] == {
        "en": "Which themes matter most?",
        "ar": "ما هي المواضيع الأهم؟",
    }
    assert questions[0]["options"][1] == {
        "id": themes.options[1].id,
        "labels": {"en": "Cybersecurity", "ar": "الأمن السيبراني"},
    }
    options = [option.id for option in themes.options]
    ana, layla = questionnaire["responses"]
    assert ana["language"] == "es"
    assert ana["submitted_at"] == "2024-09-03T12:00:00Z"
    assert ana["answers"] == {
        str(themes.id): [options[0], options[2]],
        str(committee.id): "Comisión de Ciencia.\nSecond line.",
        str(scale.id): 4,
        str(attends.id): True,
        str(country.id): "PE",
    }
    # The unanswered scale question is left out.
    assert layla["answers"] == {
        str(themes.id): [options[1]],
        str(committee.id): "لجنة الاتصالات",
        str(attends.id): False,
        str(country.id): "JO",
    }
    assert layla["author"]["name"] is None
    assert layla["author"]["country"] == "JO"


def test_an_answer_is_option_ids_in_the_questions_order_a_number_a_flag_or_text() -> None:
    known = make_known_consultation()
    themes, committee, scale, attends, country = known.questions
    options = [option.id for option in themes.options]

    chosen = AnswerValues(None, [options[2], options[0]], None, None)
    assert answer_json(themes, chosen) == [options[0], options[2]]
    assert answer_json(scale, AnswerValues(None, None, 3, None)) == 3
    assert answer_json(attends, AnswerValues(None, None, None, False)) is False
    assert answer_json(country, AnswerValues("JO", None, None, None)) == "JO"
    # Nothing answered (drafts keep empty answers to optional questions) is None.
    for nothing in (None, AnswerValues("  ", None, None, None), AnswerValues(None, [], None, None)):
        assert answer_json(committee, nothing) is None


def test_draft_responses_and_unasked_statuses_stay_out() -> None:
    known = make_known_consultation()

    text = b"".join(export_json(spec_for(known, ExportFormat.JSON))).decode()

    for marker in ("DRAFT-TEXT", "PENDING-TEXT", "REJECTED-TEXT", "HIDDEN-TEXT", "WITHDRAWN"):
        assert marker not in text


def test_staff_statuses_are_marked_and_rejected_comments_give_their_reason() -> None:
    known = make_known_consultation()

    comments = every_comment(export(known, filters=ExportFilters(statuses=EVERY_STATUS)))

    assert comments[known.pending.id]["status"] == "pending"
    assert comments[known.hidden.id]["status"] == "hidden"
    assert comments[known.rejected.id]["status"] == "rejected"
    assert comments[known.rejected.id]["rejection_reason"] == "other"
    assert known.withdrawn.id not in comments


def test_open_data_has_no_questionnaire_email_or_moderation_facts() -> None:
    known = make_known_consultation()

    document = export(known, audience=Audience.OPEN_DATA)

    assert document["questionnaire"] is None
    comments = every_comment(document)
    assert set(comments) == {comment.id for comment in known.published}
    for comment in comments.values():
        assert "email" not in comment["author"]
        assert {"reports", "moderated_at", "rejection_reason"}.isdisjoint(comment)
    assert comments[known.on_1a_anonymous.id]["author"]["country"] is None


def test_contact_export_has_every_email_address() -> None:
    known = make_known_consultation()

    document = export(known, audience=Audience.CONTACT)

    comments = every_comment(document)
    assert comments[known.on_1a_anonymous.id]["author"]["name"] == "Kofi Mensah"
    assert comments[known.on_1a_anonymous.id]["author"]["email"] == "kofi@example.org"
    assert [r["author"]["email"] for r in document["questionnaire"]["responses"]] == [
        "ana@example.org",
        "layla@example.org",
    ]


def test_arabic_text_is_written_as_itself_and_reads_back_exactly() -> None:
    known = make_known_consultation()

    data = b"".join(export_json(spec_for(known, ExportFormat.JSON)))

    assert ARABIC_COMMENT.encode() in data
    assert every_comment(json.loads(data))[known.on_1a_arabic.id]["body"] == ARABIC_COMMENT


def test_tricky_text_round_trips() -> None:
    known = make_known_consultation()
    body = (
        'Emoji 👩🏽‍⚖️🇹🇻, "quotes", \\backslashes\\ and </script><script>alert(1)</script>\n'
        "النص العربي mixed with English (IPU) و ١٢٣ \u200f!"
    )
    comment = make_comment(
        known.consultation, known.authors["mia"], section_key="1", body=body, created_at=at(12)
    )

    comments = every_comment(export(known))

    assert comments[comment.id]["body"] == body


def test_a_large_export_is_sent_in_several_chunks_and_loses_no_comment() -> None:
    known = make_known_consultation()
    add_published_comments(known, 2500)

    chunks = list(export_json(spec_for(known, ExportFormat.JSON)))

    assert len(chunks) > 1
    document = json.loads(b"".join(chunks))
    VALIDATOR.validate(document)
    assert sum(section["comment_count"] for section in document["sections"]) == 2505
    assert len(every_comment(document)) == 2500 + len(known.published)


def test_a_consultation_without_questions_has_no_questionnaire() -> None:
    known = make_known_consultation()
    for response in [*known.responses, known.draft]:
        db.session.delete(response)
    for question in known.questions:
        db.session.delete(question)
    db.session.commit()

    assert export(known)["questionnaire"] is None
