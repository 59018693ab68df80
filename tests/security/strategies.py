"""Hostile text for the fuzz tests: what a browser, a bot or an attacker can send.

Every Unicode category is drawn except surrogates (category Cs): a lone surrogate
cannot be encoded as UTF-8, so no HTTP request can carry one (a browser sends
U+FFFD in its place, and U+FFFD is drawn here). Around the random text come the
characters that break things in practice: NUL, the other C0 and C1 controls,
bidirectional controls, zero-width characters, combining marks (which NFC folds,
so a text can change length when normalised), astral emoji and ZWJ sequences,
line and paragraph separators, and injection strings (HTML, SQL, template,
format, path, spreadsheet formula, URL). Each field's text runs from empty to one
character past its limit, and at the limit and past it exactly.
"""

from __future__ import annotations

from hypothesis import strategies as st

# A lone surrogate cannot be sent: see the module's docstring.
ANY_CHARACTER = st.characters(exclude_categories=("Cs",))

NUL = "\x00"
C0_CONTROLS = [chr(code) for code in range(0x00, 0x20)] + ["\x7f"]
C1_CONTROLS = [chr(code) for code in range(0x80, 0xA0)]
BIDI_CONTROLS = [
    *(chr(code) for code in range(0x202A, 0x202F)),  # LRE RLE PDF LRO RLO
    *(chr(code) for code in range(0x2066, 0x206A)),  # LRI RLI FSI PDI
    "\u200e",  # LRM
    "\u200f",  # RLM
    "\u061c",  # ALM
]
INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"]
SEPARATORS = ["\r", "\n", "\r\n", "\t", "\v", "\f", "\u2028", "\u2029", "\u00a0", "\u3000"]
COMBINING = ["\u0301", "\u0308", "\u0327", "\u0651", "\u20dd", "e\u0301", "\u1100\u1161"]
ASTRAL = ["\U0001f600", "\U0001f469\u200d\U0001f4bb", "\U0001f1e8\U0001f1ed", "\U00010348"]
ODD = ["\ufffd", "\uffff", "\ufffe", "\U0010ffff", "\ue000", "\u0130", "\u00df", "\ufb01"]
SPECIAL_CHARACTERS = [
    *C0_CONTROLS,
    *C1_CONTROLS,
    *BIDI_CONTROLS,
    *INVISIBLES,
    *SEPARATORS,
    *COMBINING,
    *ASTRAL,
    *ODD,
]

INJECTIONS = [
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    "</textarea><svg onload=alert(1)>",
    "javascript:alert(1)",
    "' OR '1'='1' --",
    "'; DROP TABLE users; --",
    "%",
    "_",
    "%_%\\",
    "{{ 7*7 }}",
    "{% raw %}",
    "${7*7}",
    "%(name)s %s %d {0} {}",
    "../../../../etc/passwd",
    '=HYPERLINK("https://evil.example")',
    "@SUM(1+1)",
    "+1-1",
    "//evil.example",
    "/\\evil.example",
    "https://evil.example/",
    "?a=1&b=2#c",
    "a=b&c",
    "%00%0d%0a",
    "%ff%fe",
    "\x00<script>",
    "\u202ejs.exe",
    "NaN",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "True",
    "null",
    "[]",
    "{}",
    "2024-02-30",
    "2024-13-01 25:61",
    "9999-12-31T23:59",
    "0000-00-00",
]

DEFAULT_LIMIT = 64


def _repeated(unit: str, length: int) -> str:
    """`length` characters made of `unit` repeated (cut to the length)."""
    return (unit * (length // max(len(unit), 1) + 1))[:length]


def hostile_text(limit: int | None = None) -> st.SearchStrategy[str]:
    """Text from 0 to `limit` + 1 characters, from every category and every trap above."""
    limit = limit or DEFAULT_LIMIT
    short = min(limit + 1, 80)
    mixed = st.lists(
        st.one_of(st.sampled_from(SPECIAL_CHARACTERS), ANY_CHARACTER, st.sampled_from(INJECTIONS)),
        max_size=12,
    ).map("".join)
    at_the_limit = st.builds(
        _repeated,
        st.sampled_from(["a", "é", "e\u0301", "\U0001f600", "\u202e", NUL, "<", " ", "\r\n", "ß"]),
        st.sampled_from([limit, limit + 1]),
    )
    padded = st.builds(
        lambda text, pad: pad + text + pad,
        st.sampled_from(INJECTIONS),
        st.sampled_from([" ", "\t", NUL, "\u200b", "\u202e", "\n", "\x1b"]),
    )
    return st.one_of(
        st.text(ANY_CHARACTER, max_size=short),
        mixed.map(lambda text: text[: limit + 1]),
        st.sampled_from(INJECTIONS),
        padded,
        at_the_limit,
    )


# What a `next` (the page to come back to) can be made to say. Each of these
# leaves the site if taken at face value by some browser.
OFF_SITE_NEXTS = [
    "//evil.example",
    # An unbalanced "[" once made the URL parser raise: a server error, found by the fuzzer.
    "//[",
    "http://[evil.example",
    "//evil.example/",
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\x00script:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "https://evil.example",
    "HTTPS://evil.example",
    "http://evil.example",
    "hTtP://evil.example",
    "https:evil.example",
    "http:/evil.example",
    "http:\\\\evil.example",
    "ftp://evil.example",
    "mailto:x@evil.example",
    "/%2F%2Fevil.example",
    "/%2f%2fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\x00/evil.example",
    "/ /evil.example",
    " //evil.example",
    "\t//evil.example",
    "\x00//evil.example",
    "\u3000//evil.example",
    "\u00a0//evil.example",
    "\u202e//evil.example",
    "\ufeff//evil.example",
    "/\u2215\u2215evil.example",
    "\uff0f\uff0fevil.example",
    "/\uff0fevil.example",
    "//evil.example@consult.example",
    "https://consult.example@evil.example",
    "/@evil.example",
    "//evil%2Eexample",
    "//%65vil.example",
    "/.//evil.example",
    "/..//evil.example",
    "/./\\evil.example",
    "#//evil.example",
    "?//evil.example",
    "evil.example",
]


def next_value() -> st.SearchStrategy[str]:
    """A `next`: a known trick, a trick with hostile text around it, or hostile text."""
    tricks = st.sampled_from(OFF_SITE_NEXTS)
    return st.one_of(
        tricks,
        st.builds(lambda head, trick: head + trick, hostile_text(8), tricks),
        st.builds(lambda trick, tail: trick + tail, tricks, hostile_text(8)),
        st.builds(lambda path: "/" + path, hostile_text(40)),
        hostile_text(2000),
    )
