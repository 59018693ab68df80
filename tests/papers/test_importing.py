"""Parsing a plain-text or Markdown document into paper sections (PRODUCT.md C2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consult.papers.importing import PaperParseError, ParsedDocument, parse_document
from tests.seed import SEED_KEYS, SEED_LETTERHEAD, SEED_PATH

GUIDELINES = Path(__file__).resolve().parent / "documents" / "guidelines_open_consultations.md"


def keys(document: ParsedDocument) -> list[str]:
    return [section.key for section in document.sections]


def bodies(document: ParsedDocument) -> dict[str, str]:
    return {section.key: section.body for section in document.sections}


@pytest.fixture(scope="module")
def seed() -> ParsedDocument:
    return parse_document(SEED_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def guidelines() -> ParsedDocument:
    return parse_document(GUIDELINES.read_text(encoding="utf-8"))


def test_seed_output_document_gives_preamble_and_numbered_sections(seed: ParsedDocument) -> None:
    assert keys(seed) == list(SEED_KEYS)
    assert all(section.heading is None for section in seed.sections)
    assert bodies(seed)["1"] == "*Call upon* parliaments to advance digital cooperation by:"
    assert bodies(seed)["1.a"].startswith("participating actively in ongoing discussions")
    assert bodies(seed)["8"].startswith("*Request* that the IGF and the IPU compile a report")


def test_seed_title_and_date_line_are_not_part_of_the_preamble(seed: ParsedDocument) -> None:
    assert seed.title == (
        "Output document from the Parliamentary Track 19th UN Internet Governance Forum"
    )
    assert seed.date_line == "18 December 2024"
    preamble = bodies(seed)["preamble"]
    assert preamble.startswith("We, parliamentarians taking part in the Parliamentary Track")
    assert preamble.endswith(
        "Guided by the goal of helping to build our multi-stakeholder digital future,"
    )
    assert "Output document" not in preamble
    assert "18 December 2024" not in preamble


def test_letterhead_lines_are_dropped_and_listed(seed: ParsedDocument) -> None:
    assert seed.dropped_lines == SEED_LETTERHEAD
    # "Inter-Parliamentary Union" also occurs inside a sentence, so compare whole lines.
    for section in seed.sections:
        lines = {line.strip() for line in section.body.splitlines()}
        assert lines.isdisjoint(SEED_LETTERHEAD), section.key
    assert seed.title not in SEED_LETTERHEAD


def test_paragraphs_around_a_dropped_letterhead_stay_separate_paragraphs(
    seed: ParsedDocument,
) -> None:
    paragraphs = bodies(seed)["preamble"].split("\n\n")
    assert paragraphs[-2].startswith("Determined to further strengthen the momentum")
    assert paragraphs[-1] == (
        "Guided by the goal of helping to build our multi-stakeholder digital future,"
    )
    assert all(paragraph.strip() == paragraph and paragraph for paragraph in paragraphs)


def test_markdown_document_takes_title_date_and_headed_sections(
    guidelines: ParsedDocument,
) -> None:
    assert guidelines.title == "Guidelines on Open Consultations"
    assert guidelines.date_line == "2 March 2025"
    assert guidelines.dropped_lines == ()
    assert keys(guidelines) == [
        "preamble",
        "1",
        "2",
        "2.a",
        "2.b",
        "2.b.i",
        "2.b.ii",
        "2.c",
        "2.d",
        "2.e",
        "2.f",
        "2.g",
        "2.h",
        "2.i",
        "3",
        "3.a",
        "4",
    ]
    headings = {section.key: section.heading for section in guidelines.sections}
    assert headings["1"] == "Scope"
    assert headings["3"] == "Review"
    assert headings["3.a"] == "Timing"
    assert headings["4"] == "Contact"
    assert headings["2.a"] is None
    sections = bodies(guidelines)
    assert sections["preamble"] == (
        "These guidelines explain how an organisation runs an open consultation."
    )
    assert sections["1"] == (
        "The guidelines apply to every consultation that is open to the public."
    )
    assert sections["3"] == ""
    assert sections["3.a"] == "The guidelines are reviewed every two years."


def test_unnumbered_heading_before_an_item_becomes_its_heading(
    guidelines: ParsedDocument,
) -> None:
    section = next(section for section in guidelines.sections if section.key == "2")
    assert section.heading == "Definitions"
    assert section.body == "In these guidelines:"
    assert "## Definitions" not in bodies(guidelines)["1"]


def test_unnumbered_heading_elsewhere_stays_in_the_body_as_markdown(
    guidelines: ParsedDocument,
) -> None:
    assert bodies(guidelines)["2.i"] == (
        '"participant" means anyone who signs in to comment.\n\n'
        "### Notes\n\n"
        "A participant may speak for *more than one* organisation."
    )


def test_roman_numerals_nest_under_the_current_letter(guidelines: ParsedDocument) -> None:
    sections = bodies(guidelines)
    assert sections["2.b"] == '"comment" means a remark on one section, which may be:'
    assert sections["2.b.i"] == "published after moderation; or"
    assert sections["2.b.ii"] == "rejected with a reason;"


def test_i_after_h_is_a_letter(guidelines: ParsedDocument) -> None:
    assert "2.i" in keys(guidelines)
    assert "2.h.i" not in keys(guidelines)


def test_wrapped_lines_stay_in_their_section_without_indentation(
    guidelines: ParsedDocument,
) -> None:
    assert bodies(guidelines)["2.a"] == (
        '"paper" means the document put to consultation, divided into\n'
        "sections that each carry a key;"
    )


def test_parenthesis_and_letter_dot_styles_are_recognised() -> None:
    document = parse_document(
        "1) Share the paper\na. with members\nb. with staff\n"
        "2) Collect comments\na) by e-mail\nb) on the platform\n"
    )
    assert document.title is None
    assert keys(document) == ["1", "1.a", "1.b", "2", "2.a", "2.b"]
    assert bodies(document)["1"] == "Share the paper"
    assert bodies(document)["2.b"] == "on the platform"


def test_bullet_letters_keep_markdown_and_lose_their_marker() -> None:
    document = parse_document("1. *Call upon* parliaments to:\n - a. act **now**;\n")
    assert bodies(document) == {"1": "*Call upon* parliaments to:", "1.a": "act **now**;"}


def test_roman_list_directly_under_a_number_stays_at_the_letter_level() -> None:
    document = parse_document("1. Options:\n(i) first\n(ii) second\n(iii) third\n2. Next\n")
    assert keys(document) == ["1", "1.i", "1.ii", "1.iii", "2"]


def test_letter_items_before_any_number_are_top_level_keys() -> None:
    document = parse_document("Introduction.\n\n(a) one\n(i) sub\n(b) two\n1. three\n")
    assert keys(document) == ["preamble", "a", "a.i", "b", "1"]


def test_crlf_bom_tabs_and_control_characters_are_normalised() -> None:
    text = "\ufeffTitle\r\n\r\n1. Cafe\u0301 open\r\n\tcontinued\x07 here\r\n\r\n\r\n\r\n2. Two\r\n"
    document = parse_document(text)
    assert document.title == "Title"
    assert keys(document) == ["1", "2"]
    assert bodies(document)["1"] == "Caf\u00e9 open\ncontinued here"
    assert bodies(document)["2"] == "Two"


def test_blank_line_runs_collapse_to_one_paragraph_break() -> None:
    document = parse_document("First paragraph.\n\n\n\n\nSecond paragraph.\n")
    assert bodies(document)["preamble"] == "First paragraph.\n\nSecond paragraph."


def test_duplicate_keys_are_refused_with_key_and_line() -> None:
    with pytest.raises(PaperParseError) as raised:
        parse_document("1. One\n2. Two\n\n2. Two again\n")
    assert raised.value.code == "duplicate_key"
    assert raised.value.key == "2"
    assert raised.value.line_number == 4


def test_duplicate_letters_under_one_number_are_refused() -> None:
    with pytest.raises(PaperParseError) as raised:
        parse_document("1. One\n(a) x\n(b) y\n(a) z\n")
    assert (raised.value.code, raised.value.key, raised.value.line_number) == (
        "duplicate_key",
        "1.a",
        4,
    )


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "\ufeff", "\r\n\x00\r\n"])
def test_document_without_text_is_refused_as_empty(text: str) -> None:
    with pytest.raises(PaperParseError) as raised:
        parse_document(text)
    assert raised.value.code == "empty"
    assert raised.value.key is None
    assert raised.value.line_number is None


def test_document_without_numbering_is_a_single_preamble() -> None:
    document = parse_document(
        "We welcome comments on the proposal below.\nIt was wrapped by a PDF export.\n\n"
        "Send them before the deadline.\n"
    )
    assert document.title is None
    assert keys(document) == ["preamble"]
    assert bodies(document)["preamble"] == (
        "We welcome comments on the proposal below.\nIt was wrapped by a PDF export.\n\n"
        "Send them before the deadline."
    )


def test_title_alone_is_kept_as_the_preamble_so_a_paper_has_a_section() -> None:
    document = parse_document("# Only a title\n")
    assert document.title is None
    assert [(s.key, s.body) for s in document.sections] == [("preamble", "# Only a title")]


@pytest.mark.parametrize(
    "date_line",
    [
        "18 December 2024",
        "December 18, 2024",
        "2024-12-18",
        "18 d\u00e9cembre 2024",
        "1er mars 2025",
        "18 de diciembre de 2024",
    ],
)
def test_date_line_after_the_title_is_recognised(date_line: str) -> None:
    document = parse_document(f"Some Title\n\n{date_line}\n\nPreamble text,\n\n1. Item\n")
    assert document.title == "Some Title"
    assert document.date_line == date_line
    assert bodies(document)["preamble"] == "Preamble text,"


def test_repeated_short_body_line_is_kept() -> None:
    text = "Recalling,\n\nthe first text.\n\nRecalling,\n\nthe second text.\n\n1. Item\n"
    document = parse_document(text)
    assert document.dropped_lines == ()
    assert bodies(document)["preamble"].count("Recalling,") == 2


def test_repeated_line_found_only_late_in_the_document_is_kept() -> None:
    items = "\n".join(f"{n}. Item {n}" for n in range(1, 20))
    document = parse_document(f"{items}\nSee annex\n20. Last\nSee annex\n")
    assert document.dropped_lines == ()
    assert bodies(document)["19"] == "Item 19\nSee annex"


def test_page_number_footers_are_dropped_and_listed() -> None:
    text = "1. One\n\nPage 1 of 2\n\n2. Two\ncontinues\n\n- 2 -\n\n3. Three\n"
    document = parse_document(text)
    assert document.dropped_lines == ("Page 1 of 2", "- 2 -")
    assert bodies(document) == {"1": "One", "2": "Two\ncontinues", "3": "Three"}


def test_no_break_space_after_a_marker_is_accepted() -> None:
    document = parse_document("1.\u00a0One\n(a)\u00a0first\n")
    assert bodies(document) == {"1": "One", "1.a": "first"}


def test_repeated_markdown_rules_are_not_taken_for_a_letterhead() -> None:
    document = parse_document("Intro text.\n\n---\n\nMore text\n\n---\n\n1. Item\n")
    assert document.dropped_lines == ()
    assert bodies(document)["preamble"] == "Intro text.\n\n---\n\nMore text\n\n---"


NUMBERING_LINES = st.sampled_from(
    [
        "1. one",
        "2) two",
        "- a. item",
        "(a) item",
        "(h) item",
        "(i) item",
        "(ii) item",
        "(v)",
        "x) item",
        "b.",
        "# Title",
        "## 2. Scope",
        "## Heading",
        "### (a) Sub",
        "18 December 2024",
        "United Nations",
        "Page 2 of 3",
        "",
        "   ",
    ]
)


@given(
    st.one_of(
        st.text(),
        st.lists(st.one_of(NUMBERING_LINES, st.text(max_size=20))).map("\n".join),
    )
)
def test_any_text_parses_or_raises_paper_parse_error_and_keys_are_unique(text: str) -> None:
    try:
        document: ParsedDocument | PaperParseError = parse_document(text)
    except PaperParseError as error:
        document = error
    if isinstance(document, PaperParseError):
        assert document.code in {"empty", "duplicate_key"}
        return
    assert document.sections
    assert len(set(keys(document))) == len(document.sections)
    assert all(section.key == section.key.lower() for section in document.sections)


def test_running_footer_far_from_the_top_is_dropped_and_listed() -> None:
    # Three pages of sixteen items, each ending with the same footer and a form feed.
    numbered = []
    for page_number in range(3):
        items = "\n\n".join(
            f"{page_number * 16 + n}. Paragraph text number {page_number * 16 + n}."
            for n in range(1, 17)
        )
        numbered.append(f"{items}\n\nIPU – Parliamentary Track 2024\n\f")
    document = parse_document("\n".join(numbered))
    assert document.dropped_lines == ("IPU – Parliamentary Track 2024",)
    assert all("Parliamentary Track" not in s.body for s in document.sections)
    assert [s.key for s in document.sections][-1] == "48"


def test_arabic_edition_numbering_gives_the_same_keys() -> None:
    arabic = parse_document(
        "إن البرلمانيين،\n\n"
        "١. *يدعون* البرلمانات إلى ما يلي:\n"
        " - (أ) المشاركة الفعالة؛\n"
        " - (ب) العمل مع السلطة التنفيذية؛\n"
        " - (هـ) دعم المنتدى؛\n"
        "٢. *يدعون* البرلمانات إلى العمل معًا:\n"
        " - أ) وضع رؤية مشتركة؛\n"
        " - ب. اتخاذ إجراءات؛\n"
    )
    assert keys(arabic) == ["preamble", "1", "1.a", "1.b", "1.e", "2", "2.a", "2.b"]
    assert bodies(arabic)["1.a"] == "المشاركة الفعالة؛"
