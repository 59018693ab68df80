"""What the seed output document must import into, shared by the tests that check it."""

from __future__ import annotations

from consult.demo.loader import OUTPUT_DOCUMENT_TEXT

SEED_PATH = OUTPUT_DOCUMENT_TEXT

# The letterhead repeated at each page break of the text extracted from the PDF,
# in the order it first appears. "Inter-Parliamentary Union (IPU)" inside a
# paragraph is text, not letterhead.
SEED_LETTERHEAD = (
    "United Nations",
    "Department of",
    "Economic and",
    "Social Affairs",
    "Inter-Parliamentary Union",
    "For democracy. For everyone.",
)


def _lettered(number: str, last: str) -> list[str]:
    letters = "abcdefg"[: "abcdefg".index(last) + 1]
    return [number, *(f"{number}.{letter}" for letter in letters)]


SEED_KEYS = (
    "preamble",
    *_lettered("1", "e"),
    *_lettered("2", "d"),
    *_lettered("3", "g"),
    *_lettered("4", "c"),
    *_lettered("5", "d"),
    *_lettered("6", "c"),
    "7",
    "8",
)
