"""The only code that marks output safe: editors' Markdown and participants' plain text.

Editors write Markdown (section bodies, summaries, help texts). It is rendered by
markdown-it-py with raw HTML off, then cleaned by nh3 against a named allow-list,
so that even a renderer bug cannot put a script on a page.

Participants write plain text (comments, names, answers). It is stored as typed,
escaped on output, with its paragraphs and line breaks kept and web addresses
made into links that search engines do not follow.
"""

from __future__ import annotations

import re
import unicodedata

import nh3
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

# What editors' Markdown may produce. No images (no third-party requests), no
# raw HTML, no style or event attributes, no classes to spoof the interface.
EDITOR_MARKDOWN_TAGS = frozenset(
    {
        "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
EDITOR_MARKDOWN_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
# What participants' plain text may become: paragraphs, line breaks and links.
PLAIN_TEXT_TAGS = frozenset({"p", "br", "a"})
PLAIN_TEXT_ATTRIBUTES = {"a": {"href"}}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
PARTICIPANT_LINK_REL = "nofollow ugc noopener"
EDITOR_LINK_REL = "noopener"

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
_markdown.enable(["table", "strikethrough", "linkify"])
# Images would make readers' browsers fetch from third parties: not rendered.
_markdown.disable("image")
_linkify = LinkifyIt()

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def normalise_plain_text(text: str) -> str:
    """Plain text as we store it: NFC, Unix line breaks, no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", unicodedata.normalize("NFC", text))


def render_markdown(source: str, top_heading: int = 2) -> Markup:
    """Editor Markdown to HTML that is safe to put on a page.

    The text's own headings start at level `top_heading` (`#` becomes `<h2>` by
    default), so they fit under the page's headings instead of competing with them.
    """
    tokens = _markdown.parse(source)
    shift = max(top_heading, 2) - 1
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return _clean(html, EDITOR_MARKDOWN_TAGS, EDITOR_MARKDOWN_ATTRIBUTES, EDITOR_LINK_REL)


def render_plain(text: str) -> Markup:
    """Participant text to HTML: escaped, paragraphs and line breaks kept, addresses linked."""
    paragraphs = [p.strip("\n") for p in _PARAGRAPH_BREAK.split(normalise_plain_text(text))]
    html = "".join(
        f"<p>{_linkify_escaped(paragraph).replace(chr(10), '<br>')}</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    )
    # Every piece was escaped already; nh3 checks the result all the same.
    return _clean(html, PLAIN_TEXT_TAGS, PLAIN_TEXT_ATTRIBUTES, PARTICIPANT_LINK_REL)


def _clean(
    html: str, tags: frozenset[str], attributes: dict[str, set[str]], link_rel: str
) -> Markup:
    """nh3 against an allow-list: what it returns is what we mark safe."""
    return Markup(  # noqa: S704 - cleaned by nh3 against a named allow-list
        nh3.clean(
            html,
            tags=set(tags),
            attributes={tag: set(names) for tag, names in attributes.items()},
            url_schemes=set(LINK_SCHEMES),
            link_rel=link_rel,
            strip_comments=True,
        )
    )


def _linkify_escaped(text: str) -> str:
    """Escape `text`, turning each web or mail address into a link."""
    matches = _linkify.match(text) or []
    pieces: list[str] = []
    position = 0
    for match in matches:
        pieces.append(str(escape(text[position : match.index])))
        pieces.append(f'<a href="{escape(match.url)}">{escape(match.text)}</a>')
        position = match.last_index
    pieces.append(str(escape(text[position:])))
    return "".join(pieces)
