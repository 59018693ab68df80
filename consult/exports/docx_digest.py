"""The DOCX feedback digest: the paper section by section, each with its comments, then
the questionnaire's tallies, for drafters to read and annotate in a word processor.

Built in memory with python-docx, then saved. Comments are written into the
document as they are read (the query streams them in the paper's order), so
only the document itself grows. Labels are in the export's language; section
texts are editors' Markdown, rendered into Word paragraphs and run formatting
(never as HTML); participant text is exactly as stored, minus the characters
XML cannot hold.

Right-to-left: a paragraph whose text starts, in reading order, with an Arabic
or Hebrew letter is marked right-to-left (`<w:bidi/>` on the paragraph, `<w:rtl/>`
on its runs), so that Word lays it out from the right; labels follow the
direction of the export's language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from functools import cache
from typing import IO, Any, NamedTuple
from zoneinfo import ZoneInfo

import docx
from babel.numbers import format_decimal, format_percent
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Pt
from docx.text.paragraph import Paragraph
from flask_babel import force_locale
from flask_babel import gettext as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

from consult.accounts.countries import country_name
from consult.accounts.stakeholders import group_label
from consult.comments.attribution import ShownAuthor
from consult.comments.models import CommentStatus
from consult.core.models import utcnow
from consult.exports.answers import question_heading
from consult.exports.cells import xml_safe
from consult.exports.labels import (
    Names,
    country_counts,
    counts_by_country_title,
    counts_by_group_title,
    counts_by_language_title,
    general_caption,
    groups_in_order,
    holdings,
    most_first,
    section_caption,
    yes_no,
)
from consult.exports.queries import (
    AnswerValues,
    CommentCounts,
    CommentRow,
    comment_counts,
    comment_rows,
    export_sections,
    response_count,
    response_rows,
)
from consult.exports.spec import ExportSpec
from consult.i18n.dates import format_date_in_zone, format_in_zone
from consult.i18n.locale import language_name, text_direction
from consult.papers.models import Section
from consult.questionnaires.models import Question, QuestionKind
from consult.questionnaires.queries import questions_of
from consult.questionnaires.reports import QuestionTally, count_answers, is_answered

# Section texts as the site reads them, minus what a document cannot show: no raw
# HTML (it stays as its text), no images (their text is kept).
_markdown = MarkdownIt("commonmark", {"html": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])
_markdown.disable("image")

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# What a run writes as an element of its own rather than as text.
_RUN_BREAK = re.compile(r"([\t\r\n])")
# The qualified names of what a run is made of, worked out once.
_R, _RPR, _B, _I, _RTL, _T, _TAB, _BR = (
    qn(f"w:{name}") for name in ("r", "rPr", "b", "i", "rtl", "t", "tab", "br")
)
_SPACE = qn("xml:space")
_MONOSPACE = "Courier New"

# The elements that follow <w:bidi/> in a paragraph's properties (ECMA-376 order).
_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
# The elements that follow <w:bidiVisual/> in a table's properties.
_AFTER_BIDI_VISUAL = (
    "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing",
    "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
    "w:tblCaption", "w:tblDescription",
)  # fmt: skip
# Unicode isolates: what they enclose does not decide the surrounding direction.
_ISOLATE_STARTS = {"\u2066", "\u2067", "\u2068"}
_ISOLATE_END = "\u2069"


def starts_right_to_left(text: str, default: bool) -> bool:
    """Whether `text` reads right to left, by its first strong character outside
    isolates (rule P2 of the Unicode bidirectional algorithm); `default` if none."""
    depth = 0
    for char in text:
        if char in _ISOLATE_STARTS:
            depth += 1
        elif char == _ISOLATE_END:
            depth = max(depth - 1, 0)
        elif depth == 0:
            kind = unicodedata.bidirectional(char)
            if kind == "L":
                return False
            if kind in ("R", "AL"):
                return True
    return default


def set_right_to_left(paragraph: Any) -> None:
    """Mark a paragraph and the runs it holds as right to left."""
    properties = paragraph._p.get_or_add_pPr()
    if properties.find(qn("w:bidi")) is None:
        properties.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
    for run in paragraph.runs:
        run.font.rtl = True


class _Run(NamedTuple):
    """A run of text for `_Digest._write`."""

    text: str
    bold: bool = False
    italic: bool = False


def _append_run(paragraph: Any, run: _Run, *, rtl: bool) -> None:
    """Append `run` to a paragraph element as python-docx's `add_run(text)` writes it: a
    tab as <w:tab/>, a line break (LF or CR) as <w:br/>, the text between in <w:t>,
    its spaces kept where it starts or ends with one."""
    element = _child(paragraph, _R)
    if run.bold or run.italic or rtl:
        properties = _child(element, _RPR)  # in the schema's order
        if run.bold:
            _child(properties, _B)
        if run.italic:
            _child(properties, _I)
        if rtl:
            _child(properties, _RTL)
    for piece in _RUN_BREAK.split(run.text):
        if piece == "\t":
            _child(element, _TAB)
        elif piece in ("\r", "\n"):
            _child(element, _BR)
        elif piece:
            text = _child(element, _T)
            text.text = piece
            if piece.strip() != piece:
                text.set(_SPACE, "preserve")


def _child(parent: Any, tag: str, attributes: dict[str, str] | None = None) -> Any:
    """A new element appended to `parent`, made by the document's own parser (so that
    python-docx gives it its element class)."""
    child = parent.makeelement(tag, attributes or {})
    parent.append(child)
    return child


def write_feedback_digest(spec: ExportSpec, output: IO[bytes]) -> None:
    """Write the feedback digest for `spec` to `output`.

    Labels are in `spec.locale`, also when called outside a request (the CLI).
    """
    with force_locale(spec.locale):
        digest = _Digest(spec)
        digest.write()
        digest.document.save(output)


@cache
def _reads_right_to_left(locale: str) -> bool:
    """Whether text in `locale` is written right to left (looked up once per language)."""
    return text_direction(locale) == "rtl"


class _TextAnswer(NamedTuple):
    """A free-text answer with its respondent, as the export's audience may see them."""

    author: ShownAuthor
    language: str
    text: str


class _Digest:
    """The document being written, and what every part of it needs to know."""

    def __init__(self, spec: ExportSpec) -> None:
        self.spec = spec
        self.locale = spec.locale
        self.zone = spec.consultation.timezone
        self.rtl = _reads_right_to_left(spec.locale)
        self.document = docx.Document()
        # New blocks go just before the body's closing section properties, where
        # python-docx puts them; it looks for that element among all the body's
        # children for every paragraph it adds, which takes time growing with the
        # square of a digest's length, so the digest places its paragraphs itself.
        self._end = self.document.element.body.get_or_add_sectPr()
        self._style_ids: dict[str, str] = {}
        self.names = Names(spec.locale)
        self._days: dict[date, str] = {}
        self.sections = export_sections(spec.consultation)
        self.counts = comment_counts(spec)
        # A questionnaire alone has no paper, and nothing to say about comments.
        self.has_paper = bool(self.sections) or self.counts.total > 0
        self._rows: Iterator[CommentRow] = iter(())
        self._next_row: CommentRow | None = None

    def write(self) -> None:
        self.document.core_properties.title = xml_safe(self._title())
        self._cover()
        self._rows = comment_rows(self.spec)
        self._next_row = next(self._rows, None)
        for section in self._shown_sections():
            self._section(section)
        if self._has_general_chapter():
            self._heading(general_caption(), 1)
            self._comments_on("")
        if self.spec.includes_responses:
            self._questionnaire()

    def _has_general_chapter(self) -> bool:
        """Whether the digest has a chapter of general comments: if there is a paper,
        unless the filters ask for one of its sections."""
        filters = self.spec.filters
        return self.has_paper and (not filters.section_key or filters.general_only)

    # -- Writing blocks ------------------------------------------------------------

    def _paragraph(
        self,
        text: str = "",
        *,
        style: str | None = None,
        rtl: bool | None = None,
        bold: bool = False,
        italic: bool = False,
    ) -> None:
        """A paragraph of one run: a label (in the export's direction) unless `rtl` says."""
        runs = [_Run(xml_safe(text), bold=bold, italic=italic)] if text else []
        self._write(runs, style=style, rtl=self.rtl if rtl is None else rtl)

    def _write(
        self,
        runs: Sequence[_Run],
        *,
        rtl: bool,
        style: str | None = None,
        space_before: Length | None = None,
    ) -> None:
        """A paragraph of runs of plain text, built as python-docx would build it, in one
        go: python-docx's run text setter handles text a character at a time, and each
        property it sets looks for its place among its neighbours."""
        paragraph = OxmlElement("w:p")
        if style is not None or rtl or space_before is not None:
            properties = _child(paragraph, qn("w:pPr"))
            if style is not None:
                _child(properties, qn("w:pStyle"), {qn("w:val"): self._style_id(style)})
            if rtl:
                _child(properties, qn("w:bidi"))
            if space_before is not None:
                _child(properties, qn("w:spacing"), {qn("w:before"): str(space_before.twips)})
        for run in runs:
            _append_run(paragraph, run, rtl=rtl)
        self._end.addprevious(paragraph)

    def _new_paragraph(self, style: str | None = None) -> Paragraph:
        """An empty paragraph, to be filled through python-docx (for Markdown and tables,
        where there is little text)."""
        paragraph = OxmlElement("w:p")
        if style is not None:
            paragraph.get_or_add_pPr().style = self._style_id(style)
        self._end.addprevious(paragraph)
        return Paragraph(paragraph, self.document)

    def _style_id(self, name: str) -> str:
        """The id of the paragraph style `name`, looked up once (a lookup by name goes
        through every style of the document)."""
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        return self._style_ids[name]

    def _direct(self, paragraph: Any, rtl: bool) -> None:
        if rtl:
            set_right_to_left(paragraph)

    def _heading(self, text: str, level: int) -> None:
        self._write([_Run(xml_safe(text))], style=f"Heading {level}", rtl=self.rtl)

    def _fact(self, label: str, value: str) -> None:
        """ "Label: value", the label in bold."""
        # i18n: a label before its value, as in "Comments: 6"
        label_run = _Run(xml_safe(_("%(label)s:", label=label)), bold=True)
        self._write([label_run, _Run(" " + xml_safe(value))], rtl=self.rtl)

    def _table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A small table of labels and figures, its header row in bold."""
        table = self.document.add_table(rows=0, cols=len(header))
        table.style = "Table Grid"
        if self.rtl:
            table._tbl.tblPr.insert_element_before(OxmlElement("w:bidiVisual"), *_AFTER_BIDI_VISUAL)
        for values, bold in [(header, True), *((row, False) for row in rows)]:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                paragraph = cell.paragraphs[0]
                paragraph.add_run(xml_safe(value)).bold = bold or None
                self._direct(paragraph, starts_right_to_left(value, self.rtl))
        # A table followed directly by another would merge with it in Word.
        self._new_paragraph()

    def _number(self, value: float) -> str:
        return str(format_decimal(value, locale=self.locale))

    def _share(self, count: int, total: int) -> str:
        return str(format_percent(count / total if total else 0, locale=self.locale))

    # -- The cover -----------------------------------------------------------------

    def _title(self) -> str:
        return self.spec.consultation.title_in(self.locale).value

    def _cover(self) -> None:
        self._paragraph(self._title(), style="Title")
        self._paragraph(_("Feedback digest"), style="Subtitle")
        if window := self._window():
            self._paragraph(window)
        self._paragraph(
            _("Generated on %(moment)s", moment=format_in_zone(utcnow(), self.zone, self.locale))
        )
        facts = holdings(self.spec, self.sections, self.zone, comments=self.has_paper)
        for label, value in facts:
            self._fact(label, value)
        if self.has_paper:
            self._fact(_("Comments"), self._number(self.counts.total))
        if self.spec.includes_responses:
            self._fact(_("Submitted responses"), self._number(response_count(self.spec)))
        self._cover_counts(self.counts)
        self._new_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _window(self) -> str | None:
        """When the consultation was open, in its own time zone."""
        consultation = self.spec.consultation
        opens, closes = consultation.opens_at, consultation.closes_at
        if opens and closes:
            return str(
                _(
                    "Open from %(opens)s to %(closes)s",
                    opens=format_in_zone(opens, self.zone, self.locale),
                    closes=format_in_zone(closes, self.zone, self.locale),
                )
            )
        if closes:
            return str(
                _("Open until %(closes)s", closes=format_in_zone(closes, self.zone, self.locale))
            )
        if opens:
            return str(
                _("Open from %(opens)s", opens=format_in_zone(opens, self.zone, self.locale))
            )
        return None

    def _cover_counts(self, counts: CommentCounts) -> None:
        if not counts.total:
            return
        # The comments in this digest, whatever their states ("Comments included" above).
        self._paragraph(counts_by_group_title(), bold=True)
        self._table(
            [_("Stakeholder group"), _("Comments")],
            [
                (group_label(code), self._number(counts.by_group[code]))
                for code in groups_in_order(counts)
            ],
        )
        self._paragraph(counts_by_language_title(), bold=True)
        self._table(
            [_("Language"), _("Comments")],
            [
                (name, self._number(count))
                for name, count in most_first(
                    counts.by_language, lambda code: language_name(code, self.locale)
                )
            ],
        )
        self._paragraph(counts_by_country_title(), bold=True)
        self._table(
            [_("Country"), _("Comments")],
            [(name, self._number(count)) for name, count in country_counts(self.spec, counts)],
        )

    # -- Sections and comments -----------------------------------------------------

    def _shown_sections(self) -> list[Section]:
        """The sections the digest walks through: those the filters leave, archived
        ones only if they have comments."""
        filters = self.spec.filters
        if filters.general_only:
            return []
        commented = self.counts.by_section_group
        return [
            section
            for section in self.sections
            if (not filters.section_key or section.key == filters.section_key)
            and (not section.is_archived or section.key in commented)
        ]

    def _section(self, section: Section) -> None:
        # An archived section's caption says it was withdrawn.
        self._heading(section_caption(section, self.locale), 1)
        body = section.body_in(self.locale)
        if body.is_fallback and body.value:
            self._paragraph(
                _(
                    "Not available in this language; shown in %(language)s.",
                    language=language_name(body.locale, self.locale),
                ),
                italic=True,
            )
        self._markdown(body.value, _reads_right_to_left(body.locale))
        self._comments_on(section.key)

    def _comments_on(self, key: str) -> None:
        """Write the comments on section `key` ("" for general comments).

        The rows come in the paper's order, the same order as the sections are
        written in: each section takes the rows that follow while they are its own.
        """
        written = 0
        while self._next_row is not None and self._next_row.section_key == key:
            self._comment(self._next_row)
            written += 1
            self._next_row = next(self._rows, None)
        if not written:
            self._paragraph(_("No comments."), italic=True)

    def _comment(self, row: CommentRow) -> None:
        runs = []
        if row.status is not CommentStatus.PUBLISHED:
            runs.append(_Run(xml_safe(f"[{row.status.label}] "), bold=True))
        runs += self._attribution(row.author, row.language, self._day(row.submitted_at))
        self._write(runs, rtl=self.rtl, space_before=Pt(12))
        self._plain(row.body, _reads_right_to_left(row.language))

    def _attribution(self, author: ShownAuthor, language: str, *more: str) -> list[_Run]:
        """Who wrote it, as the export's audience may see them, then where they are from,
        the language they wrote in and `more`, joined as the export's language joins
        them ("Ana López, Congreso · Parliament · Peru · Spanish")."""
        names = self.names
        where = [
            names.author_group(author),
            names.author_country(author),
            names.language(language),
            *more,
        ]
        return [
            _Run(xml_safe(names.who(author)), bold=True),
            _Run(xml_safe("".join(names.separator + part for part in where if part))),
        ]

    def _day(self, moment: datetime) -> str:
        """The day of `moment` in the consultation's time zone, in words, formatted once
        per day."""
        day = moment.astimezone(ZoneInfo(self.zone)).date()
        if day not in self._days:
            self._days[day] = format_date_in_zone(moment, self.zone)
        return self._days[day]

    def _plain(self, text: str, rtl: bool) -> None:
        """Participant text: blank lines part paragraphs; a single line break stays one."""
        for chunk in _PARAGRAPH_BREAK.split(xml_safe(text)):
            chunk = chunk.strip("\n")
            if chunk.strip():
                # A "\n" inside a run is written as a line break.
                self._write([_Run(chunk)], rtl=starts_right_to_left(chunk, rtl))

    # -- Section texts (Markdown) --------------------------------------------------

    def _markdown(self, source: str, rtl: bool) -> None:
        """An editor's Markdown as Word paragraphs: headings as bold paragraphs, list
        items as list paragraphs, emphasis as run formatting, tables as tables."""
        lists: list[str] = []  # "bullet" or "ordered", innermost last
        marker = ""  # an ordered item's number, for its first paragraph
        quoted = heading = False
        table: list[list[Token]] | None = None
        for token in _markdown.parse(source):
            kind = token.type
            if kind == "bullet_list_open":
                lists.append("bullet")
            elif kind == "ordered_list_open":
                lists.append("ordered")
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "list_item_open" and lists[-1] == "ordered":
                marker = f"{token.info}{token.markup} "
            elif kind in ("blockquote_open", "blockquote_close"):
                quoted = kind == "blockquote_open"
            elif kind in ("heading_open", "heading_close"):
                heading = kind == "heading_open"
            elif kind == "table_open":
                table = []
            elif kind == "tr_open" and table is not None:
                table.append([])
            elif kind == "table_close" and table is not None:
                self._markdown_table(table, rtl)
                table = None
            elif kind in ("code_block", "fence"):
                paragraph = self._new_paragraph()
                paragraph.add_run(xml_safe(token.content.rstrip("\n"))).font.name = _MONOSPACE
                self._direct(paragraph, False)
            elif kind == "inline" and table is not None and table:
                table[-1].append(token)
            elif kind == "inline":
                paragraph = self._new_paragraph(style=_block_style(lists, quoted))
                if marker:
                    paragraph.add_run(marker)
                    marker = ""
                _add_inline(paragraph, token.children or [], bold=heading)
                self._direct(paragraph, starts_right_to_left(paragraph.text, rtl))

    def _markdown_table(self, rows: list[list[Token]], rtl: bool) -> None:
        width = max((len(row) for row in rows), default=0)
        if not width:
            return
        table = self.document.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        for index, row in enumerate(rows):
            cells = table.add_row().cells
            for cell, token in zip(cells, row, strict=False):
                paragraph = cell.paragraphs[0]
                _add_inline(paragraph, token.children or [], bold=index == 0)
                self._direct(paragraph, starts_right_to_left(paragraph.text, rtl))
        self._new_paragraph()

    # -- The questionnaire -----------------------------------------------------------

    def _questionnaire(self) -> None:
        questions = questions_of(self.spec.consultation)
        if not questions:
            return
        answers, texts, responses = _answers(self.spec, questions)
        self._heading(_("Questionnaire"), 1)
        self._fact(_("Submitted responses"), self._number(responses))
        for number, question in enumerate(questions, start=1):
            tally = count_answers(question, answers[question.id], self.locale)
            self._heading(question_heading(number, question, self.locale), 2)
            self._paragraph(
                _(
                    "Answered in %(answered)s of %(responses)s responses.",
                    answered=self._number(tally.answered),
                    responses=self._number(responses),
                ),
                italic=True,
            )
            if tally.answered:
                self._question_tally(tally, texts[question.id])

    def _question_tally(self, tally: QuestionTally, texts: list[_TextAnswer]) -> None:
        """The counts of a question with choices, in a table (a scale's with its mean);
        a free-text question's answers one after the other, each with who wrote it."""
        question = tally.question
        kind = question.kind
        answered = tally.answered
        rows: list[tuple[str, int]]
        if kind.has_options:
            rows = [(option.label.value, option.count) for option in tally.options]
        elif kind is QuestionKind.YES_NO:
            rows = [(yes_no(True), tally.yes), (yes_no(False), tally.no)]
        elif kind is QuestionKind.SCALE:
            rows = [(self._scale_point(question, point), n) for point, n in tally.distribution]
        elif kind is QuestionKind.COUNTRY:
            rows = most_first(dict(tally.countries), lambda code: country_name(code, self.locale))
        else:
            for author, language, text in texts:
                self._write(self._attribution(author, language), rtl=self.rtl, space_before=Pt(8))
                self._plain(text, _reads_right_to_left(language))
            return
        self._table(
            [_("Answer"), _("Responses"), _("Share")],
            [(label, self._number(count), self._share(count, answered)) for label, count in rows],
        )
        if tally.mean is not None:
            self._fact(_("Mean"), str(format_decimal(tally.mean, "#,##0.0", locale=self.locale)))

    def _scale_point(self, question: Question, point: int) -> str:
        """A point of a scale, the end points with what they mean ("5 (Very much)")."""
        label = self._number(point)
        low, high = question.scale_labels_in(self.locale)
        named = low if point == 1 else high if point == question.scale_max else None
        return f"{label} ({named.value})" if named and named.value else label


def _block_style(lists: list[str], quoted: bool) -> str | None:
    """The Word style of a Markdown paragraph: a list paragraph inside a list (bullets
    nested up to three deep; numbers are written out, as Word's would run on from
    one list to the next), a quote inside a quotation, else the normal style."""
    if lists:
        if lists[-1] == "bullet":
            depth = min(len(lists), 3)
            return "List Bullet" if depth == 1 else f"List Bullet {depth}"
        return "List Paragraph"
    return "Quote" if quoted else None


def _add_inline(paragraph: Any, children: list[Token], *, bold: bool = False) -> None:
    """Markdown's inline tokens as runs: bold, italic and struck-through text; code in
    a monospace font; a link as its text with the address in brackets."""
    strong = emphasis = struck = 0
    links: list[tuple[str, int]] = []  # (address, length of the text before the link)
    written = ""
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            run = paragraph.add_run(xml_safe(child.content))
            run.bold = bold or strong > 0 or None
            run.italic = emphasis > 0 or None
            run.font.strike = struck > 0 or None
            if kind == "code_inline":
                run.font.name = _MONOSPACE
            written += child.content
        elif kind == "softbreak":
            paragraph.add_run(" ")
            written += " "
        elif kind == "hardbreak":
            paragraph.add_run().add_break()
        elif kind in ("strong_open", "strong_close"):
            strong += 1 if kind == "strong_open" else -1
        elif kind in ("em_open", "em_close"):
            emphasis += 1 if kind == "em_open" else -1
        elif kind in ("s_open", "s_close"):
            struck += 1 if kind == "s_open" else -1
        elif kind == "link_open":
            links.append((str(child.attrGet("href") or ""), len(written)))
        elif kind == "link_close" and links:
            address, start = links.pop()
            if address and written[start:] != address:
                paragraph.add_run(xml_safe(f" ({address})"))


def _answers(
    spec: ExportSpec, questions: list[Question]
) -> tuple[dict[int, list[AnswerValues]], dict[int, list[_TextAnswer]], int]:
    """Each question's answers in the exported responses (filters and audience applied
    by `response_rows`), those to free-text questions also with their respondents,
    and how many responses there are."""
    answers: dict[int, list[AnswerValues]] = {question.id: [] for question in questions}
    texts: dict[int, list[_TextAnswer]] = {question.id: [] for question in questions}
    free_text = {
        q.id for q in questions if q.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
    }
    responses = 0
    for row in response_rows(spec):
        responses += 1
        for question_id, answer in row.answers.items():
            if question_id not in answers or not is_answered(answer):
                continue
            answers[question_id].append(answer)
            if question_id in free_text:
                texts[question_id].append(_TextAnswer(row.author, row.language, answer.text or ""))
    return answers, texts, responses
