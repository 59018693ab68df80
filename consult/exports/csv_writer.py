"""Comments or questionnaire responses as a CSV file, written while the rows are read.

The file is what spreadsheets open without asking: UTF-8 with a byte-order mark
(without it Excel reads Arabic as mojibake), RFC 4180 quoting and CRLF line ends.
It carries codes, not labels (status "published", group "civil_society",
country "TV"), times as ISO 8601 UTC, and "" where a value is missing or withheld.
Cells that can hold someone's text go through `neutralise`, so that no cell
starts a formula.

Lines are put together here rather than by the `csv` module, whose writer copies
each cell one character at a time: on long comments it took longer than reading
the rows. The quoting below is the same (RFC 4180, the module's QUOTE_MINIMAL; a
test holds them equal) and only searches each cell for the characters that need it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from consult.comments.attribution import Audience
from consult.exports.answers import answer_value, question_heading
from consult.exports.cells import encoded_chunks, neutralise, utc_text
from consult.exports.queries import comment_rows, response_rows
from consult.exports.spec import ExportSpec
from consult.questionnaires.queries import questions_of

BYTE_ORDER_MARK = "\ufeff"

COMMENT_COLUMNS = (
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
)
# Moderation facts: for staff, never in open data.
STAFF_COMMENT_COLUMNS = ("moderated_at", "rejection_reason", "reports")
RESPONSE_COLUMNS = (
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
)
EMAIL_COLUMN = "email"


def comments_csv(spec: ExportSpec) -> Iterator[bytes]:
    """The comments `spec` asks for, one row each, in the paper's order (general ones last)."""
    return encoded_chunks(_comment_lines(spec))


def responses_csv(spec: ExportSpec) -> Iterator[bytes]:
    """The submitted responses `spec` asks for: one row each, one column per question."""
    return encoded_chunks(_response_lines(spec))


def csv_cell(cell: str) -> str:
    """`cell` as RFC 4180 writes it: between double quotes (those inside doubled) when
    it holds a quote, a comma or a line break; as it is otherwise."""
    if '"' in cell:
        return '"' + cell.replace('"', '""') + '"'
    if "," in cell or "\n" in cell or "\r" in cell:
        return '"' + cell + '"'
    return cell


def _text(cell: str) -> str:
    """Someone's text as a cell: never a formula, quoted as needed."""
    return csv_cell(neutralise(cell))


def csv_line(cells: Iterable[str]) -> str:
    """One row of already quoted cells, with the CRLF line end RFC 4180 asks for."""
    return ",".join(cells) + "\r\n"


def _comment_lines(spec: ExportSpec) -> Iterator[str]:
    for_staff = spec.audience is not Audience.OPEN_DATA
    with_email = spec.with_email
    header = list(COMMENT_COLUMNS)
    if for_staff:
        header.extend(STAFF_COMMENT_COLUMNS)
    if with_email:
        header.append(EMAIL_COLUMN)
    yield BYTE_ORDER_MARK + csv_line(header)

    # Codes (slug, language, country, enum values) hold no comma, quote or formula
    # start: they are written as they are.
    slug = spec.consultation.slug
    for row in comment_rows(spec):
        author = row.author
        cells = [
            str(row.id),
            slug,
            _text(row.section_key),
            _text(row.section_title),
            row.language,
            row.status.value,
            utc_text(row.submitted_at),
            _text(author.name),
            _text(author.organisation),
            _text(author.group),
            author.country,
            _text(row.body),
            author.identity.value,
            utc_text(row.published_at),
        ]
        if for_staff:
            cells.append(utc_text(row.moderated_at))
            cells.append(row.rejection_reason.value if row.rejection_reason else "")
            cells.append(str(row.reports))
        if with_email:
            cells.append(_text(author.email))
        yield csv_line(cells)


def _response_lines(spec: ExportSpec) -> Iterator[str]:
    locale = spec.locale
    with_email = spec.with_email
    questions = questions_of(spec.consultation)
    header = list(RESPONSE_COLUMNS)
    if with_email:
        header.append(EMAIL_COLUMN)
    header.extend(
        _text(question_heading(number, question, locale))
        for number, question in enumerate(questions, start=1)
    )
    yield BYTE_ORDER_MARK + csv_line(header)

    slug = spec.consultation.slug
    for row in response_rows(spec):
        author = row.author
        cells = [
            str(row.id),
            slug,
            row.language,
            utc_text(row.submitted_at),
            utc_text(row.updated_at),
            _text(author.name),
            _text(author.organisation),
            _text(author.group),
            author.country,
            author.identity.value,
        ]
        if with_email:
            cells.append(_text(author.email))
        cells.extend(
            _answer_cell(answer_value(question, row.answers.get(question.id), locale))
            for question in questions
        )
        yield csv_line(cells)


def _answer_cell(value: str | int | bool | None) -> str:
    """An answer as a cell: "yes"/"no" for yes/no questions, "" for no answer."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    return _text(value)
