"""The one place output is marked safe: editor Markdown and participant plain text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consult.core.text import normalise_plain_text, render_markdown, render_plain

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '"><script>alert(1)</script>',
    "<iframe src=https://example.org></iframe>",
    '![x](https://tracker.example/pixel.png "t")',
    "<!-- <script>alert(1)</script> -->",
    '<form action="https://evil.example"><button>go</button></form>',
]

ALLOWED_TAGS = {"p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "ul",
                "ol", "li", "a", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody",
                "tr", "th", "td"}  # fmt: skip


class _Elements(HTMLParser):
    """The elements a browser would build from the HTML, with their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def assert_harmless(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style", name
            if name == "href":
                scheme = (value or "").split(":", 1)[0].lower() if ":" in (value or "") else ""
                assert scheme in {"", "http", "https", "mailto"}, value


@pytest.mark.parametrize("source", HOSTILE)
def test_markdown_never_lets_hostile_input_through(source: str) -> None:
    assert_harmless(render_markdown(source))


@pytest.mark.parametrize("source", HOSTILE)
def test_plain_text_is_escaped_not_interpreted(source: str) -> None:
    html = render_plain(source)
    assert_harmless(html)
    assert "&lt;" in html or "<" not in source


def test_markdown_renders_what_editors_write() -> None:
    html = render_markdown("*Call upon* parliaments:\n\n- one\n- two\n\n> quoted")
    assert "<em>Call upon</em>" in html
    assert "<ul>" in html and "<li>one</li>" in html
    assert "<blockquote>" in html


def test_markdown_links_keep_safe_addresses_only() -> None:
    html = render_markdown("[IGF](https://www.intgovforum.org) and [bad](javascript:x())")
    assert '<a href="https://www.intgovforum.org" rel="noopener">IGF</a>' in html
    assert 'href="javascript' not in html


def test_markdown_images_are_not_fetched() -> None:
    assert "<img" not in render_markdown("![chart](https://example.org/chart.png)")


def test_plain_text_keeps_paragraphs_and_line_breaks() -> None:
    html = render_plain("First line\nsecond line\n\nNew paragraph")
    assert html == "<p>First line<br>second line</p><p>New paragraph</p>"


def test_plain_text_links_addresses_without_endorsing_them() -> None:
    html = render_plain("See https://www.ipu.org/resolutions?id=1&x=2 for details")
    assert (
        '<a href="https://www.ipu.org/resolutions?id=1&amp;x=2" rel="nofollow ugc noopener">'
        in html
    )


def test_plain_text_normalisation_keeps_line_breaks_and_drops_control_characters() -> None:
    assert normalise_plain_text("e\u0301\r\nb\x00c\x1b") == "é\nbc"


@given(st.text())
def test_plain_text_rendering_never_produces_markup_from_text(text: str) -> None:
    html = render_plain(text)
    assert_harmless(html)
    assert set(re.findall(r"<(/?[a-z]+)", html)) <= {"p", "/p", "br", "a", "/a"}


@given(st.text())
def test_markdown_rendering_never_produces_a_script(text: str) -> None:
    assert_harmless(render_markdown(text))


def test_only_the_text_module_marks_output_safe() -> None:
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in [*root.joinpath("consult").rglob("*.py"), *root.joinpath("templates").rglob("*")]:
        if path.is_dir() or path == root / "consult" / "core" / "text.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\|\s*safe\b|Markup\(", text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_markdown_headings_start_below_the_page_headings() -> None:
    assert render_markdown("# Scope\n\n## Notes") == "<h2>Scope</h2>\n<h3>Notes</h3>\n"
    assert (
        render_markdown("# Scope\n\n### Deep", top_heading=4) == "<h4>Scope</h4>\n<h6>Deep</h6>\n"
    )
