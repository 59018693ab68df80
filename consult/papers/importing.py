"""Turn a plain-text or Markdown document into paper sections.

Pure Python on purpose: the import preview, the `consult import-paper` command and
the demo loader all parse the same way, and the rules can be tested without an
application or a database. See `parse_document` for the rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["PaperParseError", "ParsedDocument", "ParsedSection", "parse_document"]

PREAMBLE_KEY = "preamble"

# Letterheads sit at the top of the first page; a repeated short line is only taken for
# one when it also appears this early, so that a repeated "Noting" in the body stays.
_LETTERHEAD_WINDOW = 15
_LETTERHEAD_MAX_CHARS = 80
# A footer sits at the end of each page, far from the top: three sightings anywhere.
_FOOTER_MIN_REPEATS = 3
_TITLE_MAX_CHARS = 200

# C0 and C1 control characters but the line feed; tabs are expanded before this runs.
_CONTROL_RE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")

_HEADING_RE = re.compile(r"^ {0,3}(?P<hashes>#{1,6})(?:[ ]+(?P<text>.*?))?(?:[ ]+#+)?[ ]*$")

# An optional bullet ("- a."), then the marker, then whitespace (PDF text often has a
# no-break space there) or the end of the line.
# Numbers have at most three digits so that a PDF-wrapped line starting "2024. The..."
# is not taken for item 2024. A capital letter with a full stop ("J. Smith", "I. Intro")
# is too often an initial or a chapter to count; "(A)" and "A)" do count.
# Arabic editions letter their items in the traditional abjad order, which UN
# documents line up with the Latin one: (أ) is (a), (ب) is (b), (هـ) is (e).
_ABJAD = ("أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م", "ن", "س", "ع",
          "ف", "ص", "ق", "ر", "ش", "ت", "ث", "خ", "ذ", "ض")  # fmt: skip
_ARABIC_TO_LATIN = {letter: chr(ord("a") + index) for index, letter in enumerate(_ABJAD)}
# The same letters as often typed: bare alif for alif with hamza, heh without tatweel.
_ARABIC_TO_LATIN |= {"ا": "a", "ه": "e"}
_ARABIC_LETTER = "(?:" + "|".join(sorted(_ARABIC_TO_LATIN, key=len, reverse=True)) + ")"

_ITEM_RE = re.compile(
    r"""^\s*(?:[-*+\u2022\u2013]\s+)?
    (?:
        (?P<num>\d{1,3})[.)]
      | \((?P<paren>[A-Za-z]{1,7})\)
      | (?P<close>[A-Za-z]{1,7})\)
      | (?P<dot>[a-z]{1,7})\.
      | \((?P<ar_paren>{arabic})\)
      | (?P<ar>{arabic})[.)]
    )
    (?:\s+(?P<rest>.*))?$""".replace("{arabic}", _ARABIC_LETTER),
    re.VERBOSE,
)

# In a heading the number may stand without punctuation: "## 2 Scope".
_HEADING_NUMBER_RE = re.compile(
    r"""^(?:
        (?P<num>\d{1,3})[.)]?
      | \((?P<paren>[A-Za-z]{1,7})\)
      | (?P<close>[A-Za-z]{1,7})\)
      | (?P<dot>[a-z]{1,7})\.
      | \((?P<ar_paren>{arabic})\)
      | (?P<ar>{arabic})[.)]
    )
    (?:\s+(?P<rest>.*))?$""".replace("{arabic}", _ARABIC_LETTER),
    re.VERBOSE,
)

# Roman numerals from ii to xxxix; a single i, v or x is ambiguous with a letter.
_ROMAN_RE = re.compile(r"^x{0,3}(?:ix|iv|v?i{0,3})$")
_AMBIGUOUS = frozenset("ivx")

_PAGE_NUMBER_RE = re.compile(
    r"""^(?:
        (?:page|p\.|p\u00e1gina|pagina)[ ]*\d+(?:[ ]*(?:of|sur|de|/)[ ]*\d+)?
      | [-\u2013\u2014][ ]*\d+[ ]*[-\u2013\u2014]
      | \d+[ ]*/[ ]*\d+
    )$""",
    re.VERBOSE | re.IGNORECASE,
)

_MONTHS = (
    # English, with the usual abbreviations.
    r"january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?"
    r"|dec\.?"
    # French, with and without accents.
    r"|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre"
    r"|novembre|d[ée]cembre"
    # Spanish.
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre"
    r"|noviembre|diciembre"
)
_WEEKDAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|\u00ba|\u00b0)?"
_DATE_RE = re.compile(
    rf"""^[*_]*(?:(?:{_WEEKDAYS}),?[ ]+)?
    (?:
        {_DAY}[ ]+(?:de[ ]+)?(?:{_MONTHS}),?[ ]+(?:de[ ]+)?\d{{4}}
      | (?:{_MONTHS})[ ]+{_DAY},?[ ]+\d{{4}}
      | (?:{_MONTHS})[ ]+(?:de[ ]+)?\d{{4}}
      | \d{{4}}-\d{{2}}-\d{{2}}
      | \d{{1,2}}[./]\d{{1,2}}[./]\d{{4}}
    )\.?[*_]*$""",
    re.VERBOSE | re.IGNORECASE,
)

# A line that opens a Markdown list or quote is content, not a title.
_NOT_TITLE_START_RE = re.compile(r"^[-*+>|](?:[ ]|$)")
# How a line that opens a paragraph ends, in Latin and Arabic punctuation.
_OPENS_A_PARAGRAPH = (",", ";", ":", "،", "؛")
_NOT_TITLE_ENDINGS = (*_OPENS_A_PARAGRAPH, ".")

_MarkerKind = Literal["number", "letter", "roman", "ambiguous"]


@dataclass(frozen=True)
class ParsedSection:
    key: str
    heading: str | None
    body: str


@dataclass(frozen=True)
class ParsedDocument:
    title: str | None
    date_line: str | None
    sections: tuple[ParsedSection, ...]
    dropped_lines: tuple[str, ...]


class PaperParseError(ValueError):
    """Raised for a document that cannot become a paper.

    Carries what went wrong (`code`: "empty" or "duplicate_key") and where (`key`,
    1-based `line_number`) so that the caller can word a translated message.
    """

    def __init__(self, code: str, *, key: str | None = None, line_number: int | None = None):
        self.code = code
        self.key = key
        self.line_number = line_number
        where = "" if line_number is None else f" at line {line_number}"
        what = "" if key is None else f" {key!r}"
        super().__init__(f"{code}{what}{where}")


@dataclass(frozen=True)
class _Marker:
    kind: _MarkerKind
    value: str  # lower-case: "2", "a", "iv"
    rest: str  # the line's text after the marker


@dataclass
class _Section:
    key: str
    heading: str | None
    lines: list[str] = field(default_factory=list)
    # The first line is the item's own text, unindented once its marker is gone, so it
    # must not hold back the dedent of the lines that wrap it.
    starts_with_marker_text: bool = False


@dataclass
class _Numbering:
    """Where the document's numbering stands, to turn each marker into a key.

    `letters_are_roman` is true while every item at the letter level could be a roman
    numeral (a list "(i) (ii) (iii)" directly under a number): such items are then keys
    at the letter level, `1.ii`, rather than `1.i.ii`.
    """

    number: str | None = None
    letter: str | None = None
    letters_are_roman: bool = True

    def key_for(self, marker: _Marker) -> str:
        if marker.kind == "number":
            self.number, self.letter, self.letters_are_roman = marker.value, None, True
            return marker.value
        if self._is_letter_level(marker):
            if marker.kind == "letter":
                self.letters_are_roman = False
            self.letter = marker.value
            return marker.value if self.number is None else f"{self.number}.{marker.value}"
        parent = self.letter if self.number is None else f"{self.number}.{self.letter}"
        return f"{parent}.{marker.value}"

    def _is_letter_level(self, marker: _Marker) -> bool:
        if marker.kind == "letter" or self.letter is None:
            return True
        if marker.kind == "roman":
            return self.letters_are_roman
        # An ambiguous i, v or x: a letter after h, u or w, else a roman numeral.
        return self.letters_are_roman or self.letter == chr(ord(marker.value) - 1)


def _normalise(text: str) -> list[str]:
    # A form feed is a page break in text extracted from a PDF.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.removeprefix("\ufeff")
    text = text.expandtabs(4)
    text = _CONTROL_RE.sub("", text)
    return unicodedata.normalize("NFC", text).split("\n")


def _marker_from(match: re.Match[str]) -> _Marker | None:
    rest = (match.group("rest") or "").strip()
    if match.group("num") is not None:
        return _Marker("number", str(int(match.group("num"))), rest)
    arabic = match.group("ar_paren") or match.group("ar")
    if arabic is not None:
        return _Marker("letter", _ARABIC_TO_LATIN[arabic], rest)
    token = (match.group("paren") or match.group("close") or match.group("dot")).lower()
    if len(token) == 1:
        return _Marker("ambiguous" if token in _AMBIGUOUS else "letter", token, rest)
    if _ROMAN_RE.match(token):
        return _Marker("roman", token, rest)
    return None  # "(ab)" or "etc." is text, not numbering


def _item_marker(line: str) -> _Marker | None:
    match = _ITEM_RE.match(line)
    return None if match is None else _marker_from(match)


def _heading(line: str) -> tuple[int, str] | None:
    match = _HEADING_RE.match(line)
    if match is None:
        return None
    return len(match.group("hashes")), (match.group("text") or "").strip()


def _heading_marker(text: str) -> _Marker | None:
    match = _HEADING_NUMBER_RE.match(text)
    return None if match is None else _marker_from(match)


def _has_word(text: str) -> bool:
    return any(char.isalnum() for char in text)


def _letterhead_lines(lines: list[str]) -> set[int]:
    stripped = [line.strip() for line in lines]
    non_empty = [text for text in stripped if text]
    counts = Counter(non_empty)
    early = set(non_empty[:_LETTERHEAD_WINDOW])
    dropped: set[int] = set()
    for index, text in enumerate(stripped):
        if not text:
            continue
        if _PAGE_NUMBER_RE.match(text) or (
            # Letterheads have words; a repeated "---" or "```" is Markdown.
            _has_word(text)
            and counts[text] >= 2
            and len(text) <= _LETTERHEAD_MAX_CHARS
            # Where letterheads sit, or so often that it must be a running footer.
            and (text in early or counts[text] >= _FOOTER_MIN_REPEATS)
            # "Recalling," or "Noting:" opens a paragraph; a letterhead does not.
            and not text.endswith(_OPENS_A_PARAGRAPH)
            and _heading(lines[index]) is None
            and _item_marker(lines[index]) is None
        ):
            dropped.add(index)
    # A document made only of repeated lines is content, not letterhead.
    if len(dropped) == len(non_empty):
        return set()
    return dropped


def _next_content(lines: list[str], start: int, dropped: set[int]) -> int | None:
    for index in range(start, len(lines)):
        if index not in dropped and lines[index].strip():
            return index
    return None


def _title_text(lines: list[str], index: int, dropped: set[int]) -> str | None:
    line = lines[index].strip()
    heading = _heading(lines[index])
    if heading is not None:
        level, text = heading
        if level == 1 and text and _heading_marker(text) is None:
            return text
        return None
    if (
        len(line) >= _TITLE_MAX_CHARS
        or not _has_word(line)
        or line.endswith(_NOT_TITLE_ENDINGS)
        or _NOT_TITLE_START_RE.match(line)
        or _item_marker(line) is not None
    ):
        return None
    # A plain title stands alone: the first line of a wrapped paragraph is not one.
    following = next((i for i in range(index + 1, len(lines)) if i not in dropped), None)
    if following is None or not lines[following].strip():
        return line
    return line if _DATE_RE.match(lines[following].strip()) else None


def _title_and_date(
    lines: list[str], dropped: set[int]
) -> tuple[str | None, int | None, str | None, int | None]:
    first = _next_content(lines, 0, dropped)
    if first is None:
        return None, None, None, None
    if _DATE_RE.match(lines[first].strip()):
        return None, None, lines[first].strip(), first
    title = _title_text(lines, first, dropped)
    if title is None:
        return None, None, None, None
    after = _next_content(lines, first + 1, dropped)
    if after is not None and _DATE_RE.match(lines[after].strip()):
        return title, first, lines[after].strip(), after
    return title, first, None, None


def _sections(lines: list[str], skipped: set[int]) -> list[_Section]:
    numbering = _Numbering()
    preamble = _Section(PREAMBLE_KEY, None)
    sections = [preamble]
    seen: set[str] = set()
    # An unnumbered heading waits to see whether a numbered item follows it.
    pending: tuple[str, str] | None = None

    def flush_pending() -> None:
        nonlocal pending
        if pending is not None:
            sections[-1].lines.extend([pending[0], ""])
            pending = None

    def open_section(marker: _Marker, heading: str | None, line_number: int) -> _Section:
        key = numbering.key_for(marker)
        if key in seen:
            raise PaperParseError("duplicate_key", key=key, line_number=line_number)
        seen.add(key)
        section = _Section(key, heading)
        sections.append(section)
        return section

    for index, line in enumerate(lines):
        if index in skipped:
            continue
        if not line.strip():
            if pending is None:
                sections[-1].lines.append("")
            continue
        heading = _heading(line)
        if heading is not None:
            marker = _heading_marker(heading[1])
            if marker is None:
                flush_pending()
                pending = (line.strip(), heading[1])
                continue
            text = marker.rest or None
            if text is None and pending is not None:
                text, pending = pending[1] or None, None
            flush_pending()
            open_section(marker, text, index + 1)
            continue
        marker = _item_marker(line)
        if marker is None:
            flush_pending()
            sections[-1].lines.append(line.rstrip())
            continue
        text = None if pending is None else pending[1] or None
        pending = None
        section = open_section(marker, text, index + 1)
        if marker.rest:
            section.lines.append(marker.rest)
            section.starts_with_marker_text = True
    flush_pending()
    if not _body(preamble):
        sections.remove(preamble)
    return sections


def _dedent(lines: list[str]) -> list[str]:
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return [line[cut:] for line in lines]


def _body(section: _Section) -> str:
    paragraphs: list[list[str]] = [[]]
    for line in section.lines:
        if line.strip():
            paragraphs[-1].append(line.rstrip())
        elif paragraphs[-1]:
            paragraphs.append([])
    texts = []
    for number, paragraph in enumerate(p for p in paragraphs if p):
        if number == 0 and section.starts_with_marker_text:
            paragraph = paragraph[:1] + _dedent(paragraph[1:])
        else:
            paragraph = _dedent(paragraph)
        texts.append("\n".join(paragraph))
    return "\n\n".join(texts).strip()


def parse_document(text: str) -> ParsedDocument:
    """Parse a plain-text or Markdown document into paper sections.

    Input is normalised first: CRLF and CR line ends, a leading UTF-8 BOM, tabs (to
    spaces), control characters other than line breaks (removed) and Unicode NFC.

    Numbering is recognised at the start of a line, after optional indentation and an
    optional bullet: numbers `1.` `1)` (one to three digits), letters `a.` `a)` `(a)`
    `- a.`, roman numerals `i.` `(ii)` `iv)`. Capitals count in `(A)` and `A)` but not
    in `A.` (an initial such as "J. Smith"). Keys are lower-case: a number gives `2`,
    a letter under it `2.a`, a roman numeral under that letter `2.a.i`. A single `i`,
    `v` or `x` is a letter when no letter item is open under the current number or
    when the previous letter was `h`, `u` or `w`, and a roman numeral otherwise; a
    list `(i) (ii) (iii)` directly under a number stays at the letter level (`2.i`,
    `2.ii`). A letter item before any number is a top-level key (`a`, `b`, and `a.i`
    under it).

    A Markdown heading (`#` to `######`) that carries a number (`## 2. Scope`,
    `## 2 Scope`, `### (a) Definitions`) opens that section with the heading text. An
    unnumbered heading with only blank lines between it and a numbered item becomes
    that item's heading; any other unnumbered heading stays in the body as Markdown.

    The title is the first line that is kept: a `# Title` heading, or a short line
    (under 200 characters) standing alone as a paragraph, not a list item and not
    ending in `,` `;` `:` or `.`. The date line is the next line when it is only a date
    (English, French or Spanish month names, ISO `2024-12-18`, `18/12/2024`), or the
    first line when that is a date. Neither belongs to a section. Everything before
    the first numbered item is the `preamble` section, left out when empty.

    Page headers and footers are dropped and listed once each in `dropped_lines`: a
    line (compared stripped) that occurs at least twice with one occurrence within the
    first 15 non-empty lines (a letterhead), or at least three times anywhere (a
    running footer), is at most 80 characters, has a letter or digit, is neither a
    heading nor a numbered item and does not end in `,` `;` or `:`; and any page-number
    line ("Page 3 of 7", "- 3 -", "3/7"). A form feed counts as a line break. Nothing is
    dropped from a document made only of such lines.

    Bodies keep the document's Markdown without the numbering marker; wrapped lines
    stay in their section, each paragraph is dedented, trailing spaces go, and blank
    runs become one paragraph break. A document whose title and date would leave no
    section is read whole as the preamble, so `sections` is never empty.

    Raises `PaperParseError` with code "empty" for a document without text and
    "duplicate_key" (with the key and 1-based line number of the second occurrence)
    when two items give the same key.
    """
    lines = _normalise(text)
    if not any(line.strip() for line in lines):
        raise PaperParseError("empty")
    dropped = _letterhead_lines(lines)
    title, title_index, date_line, date_index = _title_and_date(lines, dropped)
    skipped = dropped | {i for i in (title_index, date_index) if i is not None}
    sections = _sections(lines, skipped)
    if not sections:
        title = date_line = None
        sections = _sections(lines, dropped)
    dropped_lines = dict.fromkeys(lines[i].strip() for i in sorted(dropped))
    return ParsedDocument(
        title=title,
        date_line=date_line,
        sections=tuple(ParsedSection(s.key, s.heading, _body(s)) for s in sections),
        dropped_lines=tuple(dropped_lines),
    )
