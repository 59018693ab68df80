"""What every export writer shares: text made safe for the files drafters open (without
changing what it says), times as text, and output sent in chunks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

# Text is sent once this many characters have gathered (about 64 KB).
CHUNK_CHARS = 64 * 1024

# A spreadsheet reads a cell starting with one of these as a formula (or, for tab
# and CR, lets the next character start one): OWASP's "CSV injection".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")

# Characters XML 1.0 cannot carry (XLSX and DOCX are XML): C0 controls other than
# tab, line feed and carriage return, lone surrogates, and U+FFFE/U+FFFF. Stored
# participant text has none (controls are removed when it is typed), but editor
# text and older rows are not trusted to be so clean.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def neutralise(text: str) -> str:
    """`text` with a leading apostrophe if a spreadsheet would take it for a formula.

    The apostrophe is what spreadsheets themselves use to mark "text, not a
    formula"; everything after it is exactly as stored.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def xml_safe(text: str) -> str:
    """`text` without the characters an XML document cannot hold."""
    return _NOT_XML.sub("", text)


def encoded_chunks(pieces: Iterable[str]) -> Iterator[bytes]:
    """`pieces` as UTF-8, sent in chunks of about `CHUNK_CHARS` characters.

    Fewer, bigger chunks than one per row (cheaper to send), but never the whole
    file at once: memory stays flat however many rows there are.
    """
    gathered: list[str] = []
    size = 0
    for piece in pieces:
        gathered.append(piece)
        size += len(piece)
        if size >= CHUNK_CHARS:
            yield "".join(gathered).encode()
            gathered.clear()
            size = 0
    if gathered:
        yield "".join(gathered).encode()


def utc_text(moment: datetime | None) -> str:
    """ "2024-09-02T12:00:00Z": the instant in UTC to the second; "" for none."""
    if moment is None:
        return ""
    text = moment.isoformat(timespec="seconds")
    # Stored times come back in UTC already: only the offset's spelling changes.
    if text.endswith("+00:00"):
        return text[:19] + "Z"
    return moment.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"
