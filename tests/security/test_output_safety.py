"""Every vector of the XSS corpus (`xss_vectors.json`), stored once through the fields
people control, then every page, HTML e-mail and file that shows them, checked.

Participants' fields (comment, name, organisation, answers, report notes) and
moderators' notes are plain text: escaped. Editors' Markdown (section text,
summary, an imported paper) goes through `render_markdown`'s allow-list. Either
way no page may hold a script of its own making, an event-handler or style
attribute, an element that loads or frames other content, or a link whose scheme
is not http, https or mailto. CSV and JSON carry the text exactly as stored.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select

from consult.accounts.models import Role
from consult.comments.attribution import Audience
from consult.comments.models import CommentReport, CommentStatus, Identity, RejectionReason
from consult.consultations.queries import get_by_slug
from consult.core.text import normalise_plain_text
from consult.exports.build import export_chunks
from consult.exports.cells import neutralise
from consult.exports.spec import ExportFormat, ExportSpec
from consult.extensions import db
from consult.mail.models import OutboxMessage
from consult.moderation.operations import reject_comment
from consult.papers.importing import parse_document
from consult.papers.operations import import_paper
from consult.questionnaires.models import QuestionKind
from tests.accounts.staff_helpers import make_staff, staff_client
from tests.factories import make_comment, make_consultation, make_participant
from tests.questionnaires.factories import make_question, make_response

VECTORS: list[str] = json.loads((Path(__file__).parent / "xss_vectors.json").read_text("ascii"))
SLUG = "xss"
# Attributes whose value a browser follows or loads.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "background",
    "poster",
    "data",
    "srcset",
    "cite",
}
SAFE_SCHEMES = {"http", "https", "mailto"}
# Elements that load, frame or restyle other content: none of our templates uses them
# in a page's body, so any one of them came from someone's text.
FORBIDDEN_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "style",
    "svg",
    "math",
    "form",
}
# `<form>` is ours on many pages; it is checked by its action instead.
OUR_ELEMENTS = {"form"}


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see: tabs and line breaks removed, ends trimmed."""
    cleaned = re.sub(r"[\t\n\r]", "", value).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08 ")
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else None


class MarkupCheck(HTMLParser):
    """Collects what an HTML document must not hold, with where it was."""

    def __init__(self, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = f"{self.where}: <{tag} {attrs}>"
        if tag == "script" and not (dict(attrs).get("src") or "").startswith("/static/"):
            self.problems.append(f"script element {found}")
        if tag in FORBIDDEN_ELEMENTS - OUR_ELEMENTS:
            self.problems.append(f"forbidden element {found}")
        if tag == "meta" and "http-equiv" in dict(attrs):
            self.problems.append(f"meta http-equiv {found}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {found}")
            if name in ("style", "srcdoc"):
                self.problems.append(f"{name} attribute {found}")
            if name in URL_ATTRIBUTES and value is not None:
                scheme = url_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    self.problems.append(f"{scheme}: link {found}")

    handle_startendtag = handle_starttag


def markup_problems(where: str, html: str) -> list[str]:
    check = MarkupCheck(where)
    check.feed(html)
    check.close()
    return check.problems


@pytest.fixture
def stored(app: Flask, db_session: object) -> dict[str, object]:
    """Each vector stored once through each field people control."""
    with app.test_request_context("/en/"):
        return store_every_vector()


def store_every_vector() -> dict[str, object]:
    consultation = make_consultation(
        SLUG,
        sections={"1": {"en": "Plain text."}, "2": {"en": "\n\n".join(VECTORS)}},
    )
    consultation.translations["en"].summary = "\n\n".join(VECTORS)
    short = make_question(consultation, QuestionKind.SHORT_TEXT, texts={"en": VECTORS[0][:900]})
    long = make_question(consultation, QuestionKind.LONG_TEXT, texts={"en": "Anything else?"})
    moderator = make_staff("moderator@example.org", Role.MODERATOR)
    comments = []
    for number, vector in enumerate(VECTORS):
        text = normalise_plain_text(vector)
        author = make_participant(
            f"p{number}@example.org", display_name=text[:120], organisation=text[:200]
        )
        comments.append(
            make_comment(
                consultation,
                author,
                section_key="1",
                body=text,
                identity=Identity.NAME_AND_ORGANISATION,
            )
        )
        make_response(consultation, author, {short: text[:500], long: text})
        pending = make_comment(
            consultation, author, section_key="1", body=text, status=CommentStatus.PENDING
        )
        if number % 8 == 0:
            # A moderator's note goes to the author by e-mail.
            reject_comment(pending, moderator, RejectionReason.OTHER, note=text)
    reporters = [make_participant(f"reader{n}@example.org") for n in range(2)]
    for number, comment in enumerate(comments):
        db.session.add(
            CommentReport(
                comment=comment,
                reporter_id=reporters[number % 2].id,
                note=normalise_plain_text(VECTORS[-1 - number]),
            )
        )
    db.session.commit()
    # An editor's import: a document of numbered paragraphs made of vectors.
    document = "\n\n".join(f"{n + 1}. {vector}" for n, vector in enumerate(VECTORS[:60]))
    import_paper("xss-import", "en", parse_document(document), enabled_locales=("en",))
    db.session.commit()
    return {"long_question_id": long.id}


def pages_of(client: FlaskClient, path: str) -> list[tuple[str, str]]:
    """The page at `path` and every later page of its list (`?page=N`)."""
    pages = []
    for number in range(1, 50):
        separator = "&" if "?" in path else "?"
        address = f"{path}{separator}page={number}"
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.get_data(as_text=True)
        pages.append((address, html))
        if f"page={number + 1}" not in html:
            return pages
    raise AssertionError(f"{path}: more pages than expected")


def test_no_vector_becomes_markup_on_any_page_e_mail_or_file(
    client: FlaskClient, stored: dict[str, object]
) -> None:
    public = [
        f"/en/consultations/{SLUG}/",
        f"/en/consultations/{SLUG}/sections/1/",
        f"/en/consultations/{SLUG}/sections/2/",
        f"/en/consultations/{SLUG}/comments/",
        "/en/consultations/xss-import/",
    ]
    shown: list[tuple[str, str]] = []
    for path in public:
        shown += (
            pages_of(client, path)
            if "sections/1/" in path
            else [(path, client.get(path).get_data(as_text=True))]
        )

    staff = staff_client(client, "admin@example.org", Role.ADMIN)
    long_id = stored["long_question_id"]
    for path in (
        "/en/manage/moderation/?state=waiting",
        "/en/manage/moderation/?state=reported",
        "/en/manage/moderation/?state=decided",
        f"/en/manage/consultations/{SLUG}/responses/?all_texts={long_id}",
    ):
        shown += pages_of(staff, path)
    for path in (
        f"/en/manage/consultations/{SLUG}/",
        f"/en/manage/consultations/{SLUG}/preview/",
        f"/en/manage/consultations/{SLUG}/preview/sections/2/",
        f"/en/manage/consultations/{SLUG}/paper/",
        f"/en/manage/consultations/{SLUG}/paper/sections/2/en",
        f"/en/manage/consultations/{SLUG}/texts/en",
        f"/en/manage/consultations/{SLUG}/questionnaire/",
        f"/en/manage/consultations/{SLUG}/responses/1/",
        "/en/manage/consultations/xss-import/paper/",
        "/en/manage/audit/",
    ):
        response = staff.get(path)
        assert response.status_code == 200, path
        shown.append((path, response.get_data(as_text=True)))
    mails = list(db.session.scalars(select(OutboxMessage)))
    assert mails, "the rejected comments' authors are e-mailed"
    shown += [(f"e-mail {mail.id}", mail.html_body) for mail in mails]

    problems = [problem for where, html in shown for problem in markup_problems(where, html)]
    assert problems == []
    # The text is there, shown as text: every vector, escaped, on the section's pages.
    section_pages = "\n".join(html for where, html in shown if "/sections/1/" in where)
    assert [v for v in VECTORS if str(escape(normalise_plain_text(v))) not in section_pages] == []


def test_the_checker_catches_what_it_looks_for() -> None:
    # Without this, the test above could pass by looking at nothing.
    for html in (
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href=" java\tscript:alert(1)">x</a>',
        '<p style="color:red">x</p>',
        "<iframe src=https://example.org></iframe>",
        '<a href="data:text/html,x">x</a>',
    ):
        assert markup_problems("sample", html), html
    assert markup_problems("ours", '<script src="/static/local-time.js"></script>') == []
    assert markup_problems("ours", '<a href="/en/" rel="nofollow">x</a>') == []


def test_files_carry_the_text_exactly_as_stored(
    stored: dict[str, object], app_context: None
) -> None:
    consultation = get_by_slug(SLUG)
    bodies = {normalise_plain_text(vector) for vector in VECTORS}

    def export(format: ExportFormat) -> bytes:
        assert consultation is not None
        spec = ExportSpec(consultation, format, Audience.EDITOR, "en")
        return b"".join(export_chunks(spec))

    rows = list(csv.DictReader(io.StringIO(export(ExportFormat.CSV).decode("utf-8-sig"))))
    # Exactly as stored, but for the apostrophe before what a spreadsheet would run.
    assert {row["body"] for row in rows} == {neutralise(body) for body in bodies}
    document = json.loads(export(ExportFormat.JSON))
    in_json = {c["body"] for s in document["sections"] for c in s["comments"]}
    assert in_json == bodies
    # The digest holds the text as text: no field codes, no hyperlinks.
    with zipfile.ZipFile(io.BytesIO(export(ExportFormat.DOCX))) as docx_file:
        xml = docx_file.read("word/document.xml").decode()
    for construct in ("<w:hyperlink", "<w:fldSimple", "<w:instrText", "<w:object", "<w:altChunk"):
        assert construct not in xml
