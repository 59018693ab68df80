"""The XLSX export: a summary, the comments and the responses, for people to read and sort.

Written with openpyxl's write-only worksheets, which send each row to a temporary
file as it is appended, so memory stays flat however many comments there are.
Labels are in the export's language (status, group, country and language names,
in the words it shares with the DOCX digest: `consult.exports.labels`);
participant text is exactly as stored, minus the characters XML cannot hold.

Text openpyxl would not keep as text (a comment that starts with "=" would be
stored as a formula, which a spreadsheet then runs) goes in a cell typed as
text. The file holds no formula and no hyperlink, so there is nothing to
neutralise with an apostrophe.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any, Generic, TypeVar

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from consult.accounts.stakeholders import group_label
from consult.comments.attribution import Audience
from consult.core.models import utcnow
from consult.exports.answers import answer_value, question_heading
from consult.exports.cells import xml_safe
from consult.exports.labels import (
    Names,
    country_counts,
    counts_by_country_title,
    counts_by_language_title,
    counts_by_section_title,
    general_caption,
    groups_in_order,
    holdings,
    most_first,
    section_caption,
    yes_no,
)
from consult.exports.queries import (
    CommentRow,
    ResponseRow,
    comment_counts,
    comment_rows,
    export_sections,
    response_count,
    response_rows,
)
from consult.exports.spec import ExportSpec
from consult.i18n.locale import language_name, text_direction
from consult.papers.forms import section_label_text
from consult.papers.models import Section
from consult.questionnaires.models import Question, QuestionKind
from consult.questionnaires.queries import questions_of

# Spreadsheet dates carry no time zone: every time is UTC, and its header says so.
TIME_FORMAT = "yyyy-mm-dd hh:mm"
# Excel's limit on a sheet's name, and the characters it refuses in one.
SHEET_TITLE_LENGTH = 31
_NOT_IN_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_WRAPPED = Alignment(vertical="top", wrap_text=True)

Row = TypeVar("Row")


def write_workbook(spec: ExportSpec, output: IO[bytes]) -> None:
    """Write the workbook for `spec` to `output`: a summary sheet, the comments, and
    the responses when the export holds them (never in open data).

    Labels are in `spec.locale`, also when called outside a request (the CLI).
    """
    with force_locale(spec.locale):
        workbook = Workbook(write_only=True)
        rtl = text_direction(spec.locale) == "rtl"
        sections = export_sections(spec.consultation)
        _write_summary(_new_sheet(workbook, _("Summary"), rtl), spec, sections)
        _write_comments(_new_sheet(workbook, _("Comments"), rtl), spec, sections)
        if spec.includes_responses:
            _write_responses(_new_sheet(workbook, _("Responses"), rtl), spec)
        workbook.save(output)


def sheet_title(text: str) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of []:*?/\\."""
    title = _NOT_IN_SHEET_TITLE.sub("", xml_safe(text)).strip().strip("'")
    return title[:SHEET_TITLE_LENGTH] or "Sheet"


def _new_sheet(workbook: Any, title: str, rtl: bool) -> Any:
    sheet = workbook.create_sheet(sheet_title(str(title)))
    # Views and column widths are written with the sheet's first row: set them now.
    if rtl:
        sheet.sheet_view.rightToLeft = True
    return sheet


class _Cells:
    """Turns values into what a sheet's `append` takes, as cheaply as it can.

    Most values go in as they are: openpyxl types numbers and text by itself, and
    a plain value costs a fraction of a cell made for it. A cell is made only for

    - text openpyxl would not keep as text: it takes "=..." for a formula and
      "#N/A" (and the other error codes) for an error; such a cell is forced to
      the text type, so the file never holds a formula;
    - times, in TIME_FORMAT and as naive UTC, which is all a spreadsheet date
      can be (openpyxl refuses aware ones);
    - styled values (wrapped or in a font).

    So only the wrapped text of a data sheet is aligned to the top of its row:
    styling every cell would cost more than writing it.
    """

    def __init__(self, sheet: Any, *, wrap: bool = False, font: Font | None = None) -> None:
        self.sheet = sheet
        self._styled = wrap or font is not None
        self._style = _style(sheet, wrap=wrap, font=font)
        self._time_style = _style(sheet, wrap=wrap, font=font, time=True)

    def __call__(self, value: object) -> Any:
        """What to append for `value`: None (an empty cell) for None or "", else the
        value itself or a cell holding it."""
        if isinstance(value, str):  # the most frequent, first
            if not value:
                return None
            text = xml_safe(value)
            if self._styled or text.startswith("=") or text in ERROR_CODES:
                return self._cell(text)
            return text
        if value is None:
            return None
        if isinstance(value, datetime):
            return self._time(value.astimezone(UTC).replace(tzinfo=None))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self._cell(value) if self._styled else value
        return self(str(value))

    def _cell(self, value: object) -> Cell:
        return _filled(self._new(self._style), value)

    def _time(self, value: datetime) -> Cell:
        return _filled(self._new(self._time_style), value)

    def _new(self, style: Any) -> Cell:
        # Styled before its value is set, so that a time keeps this number format.
        return Cell(self.sheet, row=1, column=1, style_array=style)


class _ColumnCells(_Cells):
    """A data column's cells: each styled cell is made once and refilled row after row.

    A write-only sheet writes a row out while it is appended (openpyxl's own
    `append` refills one cell from value to value), so the cell is free again
    when `append` returns: this saves making one per row. An unstyled cell is
    not reused: openpyxl goes on to refill it with the values after it in its row.
    """

    def __init__(self, sheet: Any, *, wrap: bool = False) -> None:
        super().__init__(sheet, wrap=wrap)
        self._time_cell = self._new(self._time_style)
        self._styled_cell = self._new(self._style) if wrap else None

    def _cell(self, value: object) -> Cell:
        if self._styled_cell is None:
            return super()._cell(value)
        return _filled(self._styled_cell, value)

    def _time(self, value: datetime) -> Cell:
        return _filled(self._time_cell, value)


def _style(sheet: Any, *, wrap: bool = False, font: Font | None = None, time: bool = False) -> Any:
    """A style for cells to start from. It is built once and copied into each cell,
    as openpyxl's own sheet copier does: assigning style objects cell by cell
    hashes them every time."""
    model = WriteOnlyCell(sheet)
    if wrap:
        model.alignment = _WRAPPED
    if font is not None:
        model.font = font
    if time:
        model.number_format = TIME_FORMAT
    return model._style


def _filled(cell: Cell, value: object) -> Cell:
    """`cell` holding `value`, text as text (never a formula or an error)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


@dataclass(frozen=True)
class _Column(Generic[Row]):
    """A column of a data sheet: its header, its width in characters, its value per row."""

    header: str
    width: float
    value: Callable[[Row], object]
    wrap: bool = False


def _write_table(sheet: Any, columns: Sequence[_Column[Row]], rows: Iterable[Row]) -> None:
    """A data sheet: a bold, frozen, filterable header row, then one row per item."""
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header = _Cells(sheet, font=_BOLD)
    sheet.append([header(column.header) for column in columns])
    values = [(column.value, _ColumnCells(sheet, wrap=column.wrap)) for column in columns]
    count = 0
    for row in rows:
        sheet.append([cells(value(row)) for value, cells in values])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"


def _write_summary(sheet: Any, spec: ExportSpec, sections: list[Section]) -> None:
    """The title, what the export holds, then comment counts by section and stakeholder
    group, by language and by country (from grouped queries, no rows read)."""
    locale = spec.locale
    counts = comment_counts(spec)
    groups = groups_in_order(counts)
    sheet.column_dimensions["A"].width = 45
    for index in range(2, len(groups) + 3):
        sheet.column_dimensions[get_column_letter(index)].width = 18

    plain, bold, title = _Cells(sheet), _Cells(sheet, font=_BOLD), _Cells(sheet, font=_TITLE)

    def line(*values: object, cells: _Cells = plain) -> None:
        sheet.append([cells(value) for value in values])

    line(spec.consultation.title_in(locale).value, cells=title)
    for label, value in holdings(spec, sections, "UTC"):
        line(label, value)
    line(_("Generated at (UTC)"), utcnow())
    line(_("Comments"), counts.total)
    if spec.includes_responses:
        line(_("Submitted responses"), response_count(spec))

    # The counts are of the comments in this file, whatever their states ("Comments
    # included" above): a drafter can check them against the comments sheet.
    line()
    line(counts_by_section_title(), cells=bold)
    line(_("Section"), *(group_label(code) for code in groups), _("Total"), cells=bold)
    captions = {section.key: section_caption(section, locale) for section in sections}
    keys = [section.key for section in sections if section.key in counts.by_section_group]
    if "" in counts.by_section_group:
        keys.append("")
    for key in keys:
        by_group = counts.by_section_group[key]
        caption = captions.get(key, key) if key else general_caption()
        line(caption, *(by_group[code] for code in groups), sum(by_group.values()))
    line(_("Total"), *(counts.by_group[code] for code in groups), counts.total, cells=bold)

    line()
    line(counts_by_language_title(), cells=bold)
    line(_("Language"), _("Comments"), cells=bold)
    for name, count in most_first(counts.by_language, lambda c: language_name(c, locale)):
        line(name, count)

    line()
    line(counts_by_country_title(), cells=bold)
    line(_("Country"), _("Comments"), cells=bold)
    for name, count in country_counts(spec, counts):
        line(name, count)


def _write_comments(sheet: Any, spec: ExportSpec, sections: list[Section]) -> None:
    """One row per comment, in the paper's order, with the CSV's columns in words.

    The section's key ("1.a", empty for general comments) has a plain column of its
    own to filter and search on; the label beside it ("Paragraph 1.a", its key
    isolated for right-to-left text) is for reading."""
    names = Names(spec.locale)
    captions = {section.key: section_label_text(section) for section in sections}

    def section_of(row: CommentRow) -> str:
        key = row.section_key
        return captions.get(key, key) if key else names.general

    columns: list[_Column[CommentRow]] = [
        # i18n: column header: the comment's number
        _Column(_("Comment"), 10, lambda row: row.id),
        # i18n: column header: a section's number in the paper, such as 1.a
        _Column(_("Section key"), 12, lambda row: row.section_key),
        _Column(_("Section"), 20, section_of),
        _Column(_("Section title"), 26, lambda row: row.section_title),
        _Column(_("Language"), 14, lambda row: names.language(row.language)),
        _Column(_("Status"), 22, lambda row: names.status(row.status)),
        _Column(_("Sent (UTC)"), 17, lambda row: row.submitted_at),
        _Column(_("Author"), 24, lambda row: names.author(row.author)),
        _Column(_("Organisation"), 28, lambda row: row.author.organisation),
        _Column(_("Stakeholder group"), 22, lambda row: names.author_group(row.author)),
        _Column(_("Country"), 18, lambda row: names.author_country(row.author)),
        _Column(_("Text"), 80, lambda row: row.body, wrap=True),
        _Column(_("Shown as"), 22, lambda row: names.shown_as(row.author.identity)),
        _Column(_("Published (UTC)"), 17, lambda row: row.published_at),
    ]
    if spec.audience is not Audience.OPEN_DATA:
        columns += [
            _Column(_("Moderated (UTC)"), 17, lambda row: row.moderated_at),
            _Column(_("Rejection reason"), 22, lambda row: _reason(row, names)),
            # i18n: column header: how many times readers reported the comment
            _Column(_("Reports"), 10, lambda row: row.reports),
        ]
    if spec.with_email:
        columns.append(_Column(_("E-mail"), 30, lambda row: row.author.email))
    _write_table(sheet, columns, comment_rows(spec))


def _write_responses(sheet: Any, spec: ExportSpec) -> None:
    """One row per submitted response: the respondent, then one column per question."""
    locale = spec.locale
    names = Names(locale)
    columns: list[_Column[ResponseRow]] = [
        # i18n: column header: the response's number
        _Column(_("Response"), 10, lambda row: row.id),
        _Column(_("Language"), 14, lambda row: names.language(row.language)),
        _Column(_("Sent (UTC)"), 17, lambda row: row.submitted_at),
        _Column(_("Updated (UTC)"), 17, lambda row: row.updated_at),
        _Column(_("Respondent"), 24, lambda row: names.author(row.author)),
        _Column(_("Organisation"), 28, lambda row: row.author.organisation),
        _Column(_("Stakeholder group"), 22, lambda row: names.author_group(row.author)),
        _Column(_("Country"), 18, lambda row: names.author_country(row.author)),
        _Column(_("Shown as"), 22, lambda row: names.shown_as(row.author.identity)),
    ]
    if spec.with_email:
        columns.append(_Column(_("E-mail"), 30, lambda row: row.author.email))
    for number, question in enumerate(questions_of(spec.consultation), start=1):
        columns.append(_answer_column(number, question, locale, names))
    _write_table(sheet, columns, response_rows(spec))


def _answer_column(
    number: int, question: Question, locale: str, names: Names
) -> _Column[ResponseRow]:
    """A question's column: numbers as numbers, yes/no and countries in words."""
    is_text = question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)

    def value(row: ResponseRow) -> object:
        answer = answer_value(question, row.answers.get(question.id), locale)
        if isinstance(answer, bool):
            return yes_no(answer)
        if question.kind is QuestionKind.COUNTRY and isinstance(answer, str) and answer:
            return names.country(answer)
        return answer

    return _Column(
        question_heading(number, question, locale), 40 if is_text else 24, value, is_text
    )


def _reason(row: CommentRow, names: Names) -> str:
    return names.reason(row.rejection_reason) if row.rejection_reason else ""
