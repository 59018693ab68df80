"""Importing a paper in the browser: preview (nothing saved), confirm, upload, translate."""

from __future__ import annotations

import codecs
import html
import io
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.consultations.models import Consultation, ConsultationNotice, NoticeKind
from consult.extensions import db
from consult.papers.importing import parse_document
from consult.papers.models import Section
from consult.papers.operations import import_paper, preview_import
from tests.accounts.helpers import csrf_token_of
from tests.accounts.staff_helpers import error_messages, make_staff, staff_client
from tests.factories import make_comment, make_consultation, make_participant
from tests.seed import SEED_KEYS, SEED_LETTERHEAD, SEED_PATH

IMPORT = "/en/manage/consultations/paper-x/paper/import"
SEED_TEXT = SEED_PATH.read_text(encoding="utf-8")
ENABLED = ("ar", "en", "es", "fr")


def as_editor(client: FlaskClient) -> FlaskClient:
    return staff_client(client, "editor@example.org", Role.EDITOR)


def send(client: FlaskClient, upload: tuple[bytes, str] | None = None, **data: str) -> TestResponse:
    """Post the import form with the page's token, multipart as the page sends it.

    The body is built in memory: the test client would spool a large one to a
    temporary file that it never closes.
    """
    token = csrf_token_of(client.get(IMPORT).get_data(as_text=True))
    values: dict[str, object] = {"csrf_token": token, **data}
    if upload is not None:
        values["upload"] = FileStorage(io.BytesIO(upload[0]), filename=upload[1])
    boundary, body = encode_multipart(values)
    return client.post(IMPORT, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def errors_on(page: str) -> list[str]:
    return [html.unescape(message) for message in error_messages(page)]


def reload(slug: str = "paper-x") -> Consultation:
    return db.session.scalars(select(Consultation).where(Consultation.slug == slug)).one()


def keys_of(slug: str = "paper-x") -> list[str]:
    return [section.key for section in reload(slug).sections]


def imported_entries() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "paper.imported")))


def notices(slug: str = "paper-x") -> list[tuple[NoticeKind, str | None, str | None]]:
    return sorted(
        ((n.kind, n.section_key, n.locale) for n in reload(slug).notices),
        key=lambda notice: (notice[0].value, notice[1] or "", notice[2] or ""),
    )


def make_english_paper(*, published: bool = False) -> Consultation:
    return make_consultation(
        "paper-x",
        titles={"en": "A paper"},
        published=published,
        sections={"1": {"en": "One."}, "2": {"en": "Two."}, "3": {"en": "Three."}},
    )


@pytest.mark.db
def test_previewing_the_seed_saves_nothing_and_lists_sections_and_dropped_lines(
    client: FlaskClient,
) -> None:
    make_consultation("paper-x", published=False)
    response = send(as_editor(client), locale="en", text=SEED_TEXT)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Preview: nothing is saved yet" in page
    for key in SEED_KEYS:
        label = "Preamble" if key == "preamble" else f"Paragraph \u2066{key}\u2069"
        assert f'<th scope="row">{label}</th>' in page
    dropped = page.split("Lines dropped as page headers or footers", 1)[1]
    for line in SEED_LETTERHEAD:
        assert f"<li>{line}</li>" in dropped
    # The confirmation form carries the text and the language, and nothing is saved.
    assert 'name="confirm"' in page
    assert 'name="locale" value="en"' in page
    assert keys_of() == []
    assert imported_entries() == []


@pytest.mark.db
def test_confirming_imports_the_sections_audits_and_goes_to_the_paper(
    client: FlaskClient,
) -> None:
    make_consultation("paper-x", published=False)
    response = send(as_editor(client), locale="en", text=SEED_TEXT, confirm="y")
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/manage/consultations/paper-x/paper/"
    assert keys_of() == list(SEED_KEYS)
    [entry] = imported_entries()
    assert entry.subject_type == "consultation"
    assert entry.details["locale"] == "en"
    assert entry.details["added"] == len(SEED_KEYS)
    assert entry.actor_id is not None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Added: {len(SEED_KEYS)}." in page


@pytest.mark.db
@pytest.mark.parametrize(
    "raw",
    [SEED_TEXT.encode("utf-8"), codecs.BOM_UTF8 + SEED_TEXT.replace("\n", "\r\n").encode()],
    ids=["utf-8", "utf-8 with BOM and CRLF"],
)
def test_an_uploaded_file_is_previewed_and_its_text_kept_for_confirming(
    client: FlaskClient, raw: bytes
) -> None:
    make_consultation("paper-x", published=False)
    response = send(as_editor(client), locale="en", upload=(raw, "output.txt"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Paragraph \u20661.e\u2069" in page
    hidden = html.unescape(page.split('name="text" value="', 1)[1].split('"', 1)[0])
    assert "Digital Compact" in hidden
    assert keys_of() == []
    # Confirming sends back what the page holds, as the browser would.
    confirmed = send(client, locale="en", text=hidden, confirm="y")
    assert confirmed.status_code == 302
    assert keys_of() == list(SEED_KEYS)


@pytest.mark.db
def test_a_document_larger_than_a_plain_form_allows_goes_through(client: FlaskClient) -> None:
    # Flask refuses form fields over 500 kB by default; papers may be up to 2 MB.
    make_consultation("paper-x", published=False)
    text = "A long paper\n\n1. " + "word " * 130_000 + "\n\n2. The end.\n"
    as_editor(client)
    assert send(client, locale="en", text=text).status_code == 200
    assert send(client, locale="en", text=text, confirm="y").status_code == 302
    assert keys_of() == ["1", "2"]


@pytest.mark.db
@pytest.mark.parametrize(
    ("raw", "name", "message"),
    [
        ("Résumé: café.\n".encode("latin-1"), "paper.txt", "not in the UTF-8 encoding"),
        ("1. One.\n".encode("utf-16"), "paper.txt", "not in the UTF-8 encoding"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "paper.md", "not a text file"),
        (b"", "paper.txt", "The file is empty."),
        (b"  \n\n ", "paper.txt", "The file holds no text."),
        (b"1. One.\n", "paper.pdf", "Upload a .txt or .md file."),
        (b"1. " + b"x" * (2 * 1024 * 1024), "paper.txt", "larger than 2 MB"),
    ],
    ids=["latin-1", "utf-16", "binary", "empty", "blank", "pdf name", "too big"],
)
def test_a_bad_file_is_refused_clearly_and_the_form_kept(
    client: FlaskClient, raw: bytes, name: str, message: str
) -> None:
    make_consultation("paper-x", titles={"en": "A paper", "fr": "Un document"}, published=False)
    response = send(as_editor(client), locale="fr", upload=(raw, name))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert any(message in error for error in errors_on(page)), errors_on(page)
    assert '<option selected value="fr">' in page
    assert "Preview: nothing is saved yet" not in page
    assert keys_of() == []


@pytest.mark.db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   \n", "Upload a file or paste the document's text."),
        ("A paper\n\n1. One.\n2. Two.\n1. One again.\n", "Section 1 is numbered twice"),
        (f"## 1. {'Long heading ' * 30}\n\nText.\n", "longer than 300 characters: 1"),
    ],
    ids=["blank", "duplicate number", "heading too long"],
)
def test_pasted_text_that_cannot_be_imported_is_shown_back_with_the_error(
    client: FlaskClient, text: str, message: str
) -> None:
    make_consultation("paper-x", published=False)
    page = send(as_editor(client), locale="en", text=text).get_data(as_text=True)
    assert any(message in error for error in errors_on(page)), errors_on(page)
    assert html.escape(text.strip(), quote=False) in page.split("<textarea", 1)[1]
    assert keys_of() == []


@pytest.mark.db
def test_a_second_language_lists_mismatches_before_confirming_then_fills_matching_keys(
    client: FlaskClient,
) -> None:
    make_english_paper()
    french = "Un document\n\n1. Un.\n2. Deux.\n9. Neuf.\n"
    page = send(as_editor(client), locale="fr", text=french).get_data(as_text=True)
    confirm_at = page.index('name="confirm"')
    unmatched = page.index("not sections of the paper and will not be imported")
    uncovered = page.index("This file does not cover these sections of the paper")
    assert unmatched < confirm_at and uncovered < confirm_at
    assert '<span dir="ltr">9</span>' in page[unmatched:confirm_at]
    assert '<span dir="ltr">3</span>' in page[uncovered:confirm_at]
    assert "adds French to its languages" in page
    assert reload().offered_locales == ["en"]

    assert send(client, locale="fr", text=french, confirm="y").status_code == 302
    consultation = reload()
    assert consultation.offered_locales == ["en", "fr"]
    assert [s.key for s in consultation.sections] == ["1", "2", "3"]
    assert consultation.sections[1].body_in("fr").value == "Deux."
    assert consultation.sections[2].body_in("fr").is_fallback


@pytest.mark.db
def test_reimporting_an_archived_key_updates_it_and_keeps_it_archived(
    client: FlaskClient,
) -> None:
    make_english_paper()
    section = db.session.scalars(select(Section).where(Section.key == "3")).one()
    section.archived_at = section.created_at
    db.session.commit()
    text = "A paper\n\n1. One.\n2. Two.\n3. Three, revised.\n"
    page = send(as_editor(client), locale="en", text=text).get_data(as_text=True)
    assert "These sections are archived: their text will be updated" in page
    assert send(client, locale="en", text=text, confirm="y").status_code == 302
    archived = reload().sections[2]
    assert archived.is_archived
    assert archived.translations["en"].body == "Three, revised."


@pytest.mark.db
def test_import_on_a_published_consultation_leaves_notices_and_keeps_comments(
    app_context: None,
) -> None:
    consultation = make_english_paper(published=True)
    author = make_participant()
    comment = make_comment(consultation, author, section_key="1")
    editor = make_staff("editor@example.org", Role.EDITOR)
    text = "A paper\n\n1. One, corrected.\n2. Two.\n3. Three.\n4. Four.\n"
    import_paper("paper-x", "en", parse_document(text), enabled_locales=ENABLED, editor=editor)
    assert notices() == [
        (NoticeKind.SECTION_ADDED, "4", None),
        (NoticeKind.SECTION_CORRECTED, "1", "en"),
    ]
    assert comment.section is not None and comment.section.key == "1"

    # A first translation is not a correction; correcting it afterwards is.
    french = "Un document\n\n1. Un.\n2. Deux.\n"
    import_paper("paper-x", "fr", parse_document(french), enabled_locales=ENABLED)
    assert len(notices()) == 2
    french = "Un document\n\n1. Un, corrigé.\n2. Deux.\n"
    import_paper("paper-x", "fr", parse_document(french), enabled_locales=ENABLED)
    assert (NoticeKind.SECTION_CORRECTED, "1", "fr") in notices()
    assert len(notices()) == 3


@pytest.mark.db
def test_a_draft_gets_no_notice(app_context: None) -> None:
    make_english_paper()
    text = "A paper\n\n1. One, corrected.\n4. Four.\n"
    import_paper("paper-x", "en", parse_document(text), enabled_locales=ENABLED)
    assert keys_of() == ["1", "4", "2", "3"]
    assert notices() == []
    assert db.session.scalars(select(ConsultationNotice)).all() == []


@pytest.mark.db
def test_a_preview_on_a_published_consultation_saves_no_change_notice_or_entry(
    client: FlaskClient,
) -> None:
    make_english_paper(published=True)
    text = "A paper\n\n1. One, corrected.\n2. Two.\n4. Four.\n"
    page = send(as_editor(client), locale="fr", text=text).get_data(as_text=True)
    assert "Preview: nothing is saved yet" in page
    page = send(client, locale="en", text=text).get_data(as_text=True)
    assert "will show a dated notice for each corrected or added section" in page
    db.session.expire_all()
    consultation = reload()
    assert consultation.offered_locales == ["en"]
    assert keys_of() == ["1", "2", "3"]
    assert consultation.sections[0].translations["en"].body == "One."
    assert db.session.scalars(select(ConsultationNotice)).all() == []
    assert imported_entries() == []


@pytest.mark.db
def test_the_command_line_import_leaves_the_same_notices(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    make_english_paper(published=True)
    path = tmp_path / "v2.md"
    path.write_text("A paper\n\n1. One, corrected.\n2. Two.\n3. Three.\n")
    result = runner.invoke(
        args=["consult", "import-paper", str(path), "--slug", "paper-x", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert notices() == [(NoticeKind.SECTION_CORRECTED, "1", "en")]
    [entry] = imported_entries()
    assert entry.actor_id is None and entry.details["updated"] == 1


@pytest.mark.db
def test_previewing_on_a_published_consultation_leaves_nothing_even_once_committed(
    app_context: None,
) -> None:
    make_english_paper(published=True)
    text = "A paper\n\n1. One, corrected.\n2. Two.\n4. Four.\n"
    report = preview_import("paper-x", "fr", parse_document(text), enabled_locales=ENABLED)
    assert report.added_locale and report.unmatched == ["4"]
    report = preview_import("paper-x", "en", parse_document(text), enabled_locales=ENABLED)
    assert report.corrected == ["1"] and report.added == ["4"]
    db.session.commit()
    db.session.expire_all()
    assert reload().offered_locales == ["en"]
    assert keys_of() == ["1", "2", "3"]
    assert reload().sections[0].translations["en"].body == "One."
    assert db.session.scalars(select(ConsultationNotice)).all() == []
    assert imported_entries() == []


@pytest.mark.db
def test_an_imported_language_takes_its_configured_place_and_is_audited(
    app_context: None,
) -> None:
    make_english_paper()
    reload().offered_locales = ["en", "fr"]
    text = "Un documento\n\n1. Uno.\n"
    report = import_paper("paper-x", "es", parse_document(text), enabled_locales=ENABLED)
    assert report.added_locale
    # The settings form lists offered languages in the configured order: an
    # untouched save there changes nothing.
    assert reload().offered_locales == ["en", "es", "fr"]
    import_paper("paper-x", "ar", parse_document("1. واحد.\n"), enabled_locales=ENABLED)
    assert reload().offered_locales == ["ar", "en", "es", "fr"]
    import_paper("paper-x", "fr", parse_document("1. Un.\n"), enabled_locales=ENABLED)
    first, second, third = imported_entries()
    assert first.details["added_locale"] == "es"
    assert second.details["added_locale"] == "ar"
    assert "added_locale" not in third.details


@pytest.mark.db
def test_an_imported_language_goes_before_those_no_longer_enabled(app_context: None) -> None:
    make_english_paper()
    reload().offered_locales = ["en", "de"]  # German was enabled once, no longer
    import_paper("paper-x", "fr", parse_document("1. Un.\n"), enabled_locales=ENABLED)
    assert reload().offered_locales == ["en", "fr", "de"]


@pytest.mark.db
def test_reimporting_a_published_paper_gives_no_notice_for_archived_sections(
    app_context: None,
) -> None:
    make_english_paper(published=True)
    section = db.session.scalars(select(Section).where(Section.key == "3")).one()
    section.archived_at = section.created_at
    text = "A paper\n\n1. One, corrected.\n2. Two.\n3. Three, revised.\n"
    report = import_paper("paper-x", "en", parse_document(text), enabled_locales=ENABLED)
    assert report.archived == ["3"]
    assert report.corrected == ["1"]
    assert section.translations["en"].body == "Three, revised."
    assert notices() == [(NoticeKind.SECTION_CORRECTED, "1", "en")]
