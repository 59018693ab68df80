"""The JSON export: the consultation, its sections with their comments, its
questionnaire with the responses, as described by `schema/consult-export.schema.json`.

Written while the rows are read: each object is serialised on its own and sent,
never the whole document, so memory does not grow with the number of comments.
Values are codes and UTC times, as in the CSV file; null where a value is missing
or withheld from the audience. Text is exactly as stored (no neutralising: JSON
is read by programs, not spreadsheets).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Generator, Iterator
from datetime import datetime
from importlib import resources
from operator import attrgetter
from typing import Any

from consult.comments.attribution import Audience, ShownAuthor
from consult.consultations.models import Consultation
from consult.core.models import utcnow
from consult.exports.answers import answer_json
from consult.exports.cells import encoded_chunks, utc_text
from consult.exports.queries import (
    CommentRow,
    ResponseRow,
    comment_rows,
    export_sections,
    response_count,
    response_rows,
)
from consult.exports.spec import ExportSpec
from consult.papers.models import Section
from consult.questionnaires.models import Question
from consult.questionnaires.queries import questions_of

SCHEMA_ID = "https://consult.example/schemas/consult-export-1.json"
# Raised when the document's shape changes in a way its readers must know about.
FORMAT_VERSION = 1
SCHEMA_FILE = "consult-export.schema.json"
# Arabic, emoji and the rest as themselves, not \u escapes: the file stays readable.
# One encoder for the whole export (json.dumps with options builds one per call).
_dumps = json.JSONEncoder(ensure_ascii=False).encode


def export_schema() -> dict[str, Any]:
    """The JSON Schema every JSON export validates against (shipped inside the package)."""
    text = (resources.files("consult.exports") / "schema" / SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def export_json(spec: ExportSpec) -> Iterator[bytes]:
    """The JSON document for `spec`, in chunks, as UTF-8."""
    return encoded_chunks(_document(spec))


def _open(head: dict[str, object]) -> str:
    """`head` serialised without its closing brace, so that more members can follow."""
    return _dumps(head)[:-1]


def _document(spec: ExportSpec) -> Iterator[str]:
    yield _open(
        {
            "$schema": SCHEMA_ID,
            "format_version": FORMAT_VERSION,
            "generated_at": utc_text(utcnow()),
            "audience": spec.audience.value,
            "language": spec.locale,
            "filters": spec.filters.as_details(),
            "consultation": _consultation(spec.consultation),
        }
    )
    yield from _sections(spec)
    yield ', "questionnaire": '
    yield from _questionnaire(spec)
    yield "}\n"


def _consultation(consultation: Consultation) -> dict[str, object]:
    return {
        "slug": consultation.slug,
        "default_language": consultation.default_locale,
        "languages": list(consultation.offered_locales),
        "titles": {
            code: translation.title
            for code, translation in sorted(consultation.translations.items())
            if translation.title
        },
        "opens_at": _time(consultation.opens_at),
        "closes_at": _time(consultation.closes_at),
        "timezone": consultation.timezone,
        "closed": consultation.window.has_ended(),
    }


def _sections(spec: ExportSpec) -> Iterator[str]:
    """`"sections": [...], "general_comments": [...]`, comments put in their sections
    as they are read.

    The comments come in the paper's order with the general ones last, so each
    run of one section key fills that section's array; every section is listed,
    archived ones and those without comments included.
    """
    for_staff = spec.audience is not Audience.OPEN_DATA
    with_email = spec.with_email
    runs = itertools.groupby(comment_rows(spec), key=attrgetter("section_key"))
    key, run = next(runs, (None, iter(())))
    yield ', "sections": ['
    for index, section in enumerate(export_sections(spec.consultation)):
        yield ("," if index else "") + "\n" + _open(_section(section)) + ', "comments": ['
        count = 0
        if key == section.key:
            count = yield from _comments(run, for_staff, with_email)
            key, run = next(runs, (None, iter(())))
        yield f'], "comment_count": {count}}}'
    if key not in (None, ""):
        # Only a query that lost the paper's order gets here: fail rather than drop comments.
        raise RuntimeError(f"comments on section {key!r} came out of the paper's order")
    yield '], "general_comments": ['
    if key == "":
        yield from _comments(run, for_staff, with_email)
    yield "]"


def _section(section: Section) -> dict[str, object]:
    return {
        "key": section.key,
        "position": section.position,
        "archived": section.is_archived,
        "headings": {
            code: translation.heading
            for code, translation in sorted(section.translations.items())
            if translation.heading
        },
    }


def _comments(
    rows: Iterator[CommentRow], for_staff: bool, with_email: bool
) -> Generator[str, None, int]:
    """The comments of one array, one per line; returns how many there were."""
    count = 0
    for row in rows:
        comment: dict[str, object] = {
            "id": row.id,
            "section_key": row.section_key or None,
            "language": row.language,
            "status": row.status.value,
            "submitted_at": utc_text(row.submitted_at),
            "published_at": _time(row.published_at),
            "body": row.body,
            "author": _author(row.author, with_email),
        }
        if for_staff:
            comment["moderated_at"] = _time(row.moderated_at)
            comment["rejection_reason"] = (
                row.rejection_reason.value if row.rejection_reason else None
            )
            comment["reports"] = row.reports
        yield ("," if count else "") + "\n" + _dumps(comment)
        count += 1
    return count


def _author(author: ShownAuthor, with_email: bool) -> dict[str, object]:
    shown: dict[str, object] = {
        "identity": author.identity.value,
        "name": author.name or None,
        "organisation": author.organisation or None,
        "stakeholder_group": author.group or None,
        "country": author.country or None,
    }
    if with_email:
        shown["email"] = author.email or None
    return shown


def _questionnaire(spec: ExportSpec) -> Iterator[str]:
    """The questions and the submitted responses; null for open data (responses are
    private) and for a consultation without a questionnaire."""
    if not spec.includes_responses:
        yield "null"
        return
    questions = questions_of(spec.consultation)
    if not questions and not response_count(spec):
        yield "null"
        return
    yield '{"questions": ' + _dumps(
        [_question(number, question) for number, question in enumerate(questions, start=1)]
    )
    yield ', "responses": ['
    for index, row in enumerate(response_rows(spec)):
        yield ("," if index else "") + "\n" + _dumps(_response(row, questions, spec.with_email))
    yield "]}"


def _question(number: int, question: Question) -> dict[str, object]:
    return {
        "id": question.id,
        "number": number,
        "kind": question.kind.value,
        "required": question.required,
        "texts": {
            code: translation.text
            for code, translation in sorted(question.translations.items())
            if translation.text
        },
        "options": [
            {
                "id": option.id,
                "labels": {
                    code: translation.label
                    for code, translation in sorted(option.translations.items())
                    if translation.label
                },
            }
            for option in question.options
        ],
        "scale_max": question.scale_max,
    }


def _response(row: ResponseRow, questions: list[Question], with_email: bool) -> dict[str, object]:
    answers: dict[str, object] = {}
    for question in questions:
        value = answer_json(question, row.answers.get(question.id))
        if value is not None:
            answers[str(question.id)] = value
    return {
        "id": row.id,
        "language": row.language,
        "submitted_at": utc_text(row.submitted_at),
        "updated_at": utc_text(row.updated_at),
        "author": _author(row.author, with_email),
        "answers": answers,
    }


def _time(moment: datetime | None) -> str | None:
    """A UTC time, or null."""
    return utc_text(moment) if moment is not None else None
