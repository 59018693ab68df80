"""Editing, adding, moving, archiving and restoring sections in the browser."""

from __future__ import annotations

import html

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.comments.models import Comment
from consult.consultations.models import Consultation, NoticeKind
from consult.core.models import utcnow
from consult.extensions import db
from consult.papers.importing import parse_document
from consult.papers.models import Section
from consult.papers.operations import (
    add_section,
    archive_section,
    edit_section,
    import_paper,
    move_section,
)
from tests.accounts.staff_helpers import error_messages, make_staff, post_form, staff_client
from tests.factories import make_comment, make_consultation, make_participant
from tests.questionnaires.factories import make_question

PAPER = "/en/manage/consultations/paper-x/paper"
ENABLED = ("ar", "en", "es", "fr")


def as_editor(client: FlaskClient) -> FlaskClient:
    return staff_client(client, "editor@example.org", Role.EDITOR)


def make_paper(*, published: bool = False) -> Consultation:
    return make_consultation(
        "paper-x",
        titles={"en": "A paper", "fr": "Un document"},
        published=published,
        sections={
            "preamble": {"en": "Recalling."},
            "1": {"en": "One.", "fr": "Un."},
            "2": {"en": "Two."},
            "3": {"en": "Three."},
        },
    )


def section(key: str) -> Section:
    return db.session.scalars(select(Section).where(Section.key == key)).one()


def keys_in_order() -> list[str]:
    return list(db.session.scalars(select(Section.key).order_by(Section.position)))


def notices() -> list[tuple[NoticeKind, str | None, str | None]]:
    consultation = db.session.scalars(select(Consultation)).one()
    return [(n.kind, n.section_key, n.locale) for n in consultation.notices]


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def errors_on(page: str) -> list[str]:
    return [html.unescape(message) for message in error_messages(page)]


@pytest.mark.db
def test_a_preview_renders_the_typed_text_and_saves_nothing(client: FlaskClient) -> None:
    make_paper()
    path = f"{PAPER}/sections/2/en"
    response = post_form(
        as_editor(client), path, path, heading="Scope", body="Two, *revised*.", preview="y"
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    preview = page.split('class="markdown-preview"', 1)[1].split("</section>", 1)[0]
    assert '<span lang="en" dir="ltr">Scope</span>' in preview
    assert "<em>revised</em>" in preview
    assert "Two, *revised*." in page.split("<textarea", 1)[1]
    assert 'value="Scope"' in page
    assert section("2").translations["en"].body == "Two."
    assert audit("section.edited") == []


@pytest.mark.db
def test_saving_a_section_audits_it_and_goes_back_to_the_paper(client: FlaskClient) -> None:
    make_paper()
    path = f"{PAPER}/sections/2/en"
    response = post_form(as_editor(client), path, path, heading=" Scope ", body="Two!", save="y")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{PAPER}/#section-2"
    saved = section("2").translations["en"]
    assert (saved.heading, saved.body) == ("Scope", "Two!")
    [entry] = audit("section.edited")
    assert entry.subject_type == "section" and entry.subject_id == section("2").id
    assert entry.details["locale"] == "en"
    assert notices() == []  # a draft has no readers to tell


@pytest.mark.db
def test_correcting_a_published_commented_section_leaves_a_notice_and_its_comments(
    client: FlaskClient,
) -> None:
    consultation = make_paper(published=True)
    comment_id = make_comment(consultation, make_participant(), section_key="1").id
    path = f"{PAPER}/sections/1/en"
    response = post_form(as_editor(client), path, path, body="One, corrected.", save="y")
    assert response.status_code == 302
    assert notices() == [(NoticeKind.SECTION_CORRECTED, "1", "en")]
    comment = db.session.get(Comment, comment_id)
    assert comment is not None and comment.section_id == section("1").id
    assert comment.body == "Paragraph 3.b should name the IPU."


@pytest.mark.db
def test_correcting_an_archived_section_is_audited_but_not_announced(
    client: FlaskClient,
) -> None:
    make_paper(published=True)
    section("2").archived_at = utcnow()
    db.session.commit()
    path = f"{PAPER}/sections/2/en"
    response = post_form(as_editor(client), path, path, body="Two, corrected.", save="y")
    assert response.status_code == 302
    assert section("2").translations["en"].body == "Two, corrected."
    assert len(audit("section.edited")) == 1
    assert notices() == []


@pytest.mark.db
def test_a_first_translation_is_not_a_correction(client: FlaskClient) -> None:
    make_paper(published=True)
    path = f"{PAPER}/sections/2/fr"
    page = as_editor(client).get(path).get_data(as_text=True)
    # The default language's text, for reference.
    assert "For reference: the English text" in page
    assert "<p>Two.</p>" in page
    assert 'lang="fr"' in page.split("<textarea", 1)[1].split(">", 1)[0]
    assert post_form(client, path, path, body="Deux.", save="y").status_code == 302
    assert section("2").translations["fr"].body == "Deux."
    assert notices() == []


@pytest.mark.db
def test_the_default_language_needs_a_heading_or_a_body_and_the_typed_text_stays(
    client: FlaskClient,
) -> None:
    make_paper()
    path = f"{PAPER}/sections/1/en"
    page = post_form(as_editor(client), path, path, heading=" ", body="  \x00", save="y")
    text = page.get_data(as_text=True)
    assert errors_on(text) == [
        "Write a heading or a text: the consultation's default language needs one."
    ]
    assert section("1").translations["en"].body == "One."
    assert audit("section.edited") == []


@pytest.mark.db
def test_a_heading_alone_is_enough_in_the_default_language(client: FlaskClient) -> None:
    make_paper(published=True)
    path = f"{PAPER}/sections/1/en"
    response = post_form(as_editor(client), path, path, heading="Review", body=" ", save="y")
    assert response.status_code == 302
    saved = section("1").translations["en"]
    assert (saved.heading, saved.body) == ("Review", "")
    assert notices() == [(NoticeKind.SECTION_CORRECTED, "1", "en")]
    # A heading alone is the text there is: the sections page does not call it missing.
    row = client.get(f"{PAPER}/").get_data(as_text=True).split('id="section-1"', 1)[1]
    row = row.split("</tr>", 1)[0]
    assert 'badge-present">English' in row
    assert "English: missing" not in row


@pytest.mark.db
def test_an_imported_heading_only_section_can_be_edited_in_the_default_language(
    client: FlaskClient,
) -> None:
    make_consultation("paper-x", titles={"en": "Guidelines", "fr": "Lignes"}, published=False)
    text = "Guidelines\n\n## 1. Scope\n\nAll of it.\n\n## 2. Review\n\n### (a) Timing\n\nYearly.\n"
    editor = make_staff("editor@example.org", Role.EDITOR)
    import_paper("paper-x", "en", parse_document(text), enabled_locales=ENABLED, editor=editor)
    db.session.commit()
    review = section("2").translations["en"]
    assert (review.heading, review.body) == ("Review", "")
    as_editor(client)
    page = client.get(f"{PAPER}/").get_data(as_text=True)
    row = page.split('id="section-2"', 1)[1].split("</tr>", 1)[0]
    assert 'badge-present">English' in row and "French: missing" in row
    path = f"{PAPER}/sections/2/en"
    response = post_form(client, path, path, heading="Review and revision", body="", save="y")
    assert response.status_code == 302
    assert section("2").translations["en"].heading == "Review and revision"
    # A translated heading is all a heading-only section needs in French.
    path = f"{PAPER}/sections/2/fr"
    assert post_form(client, path, path, heading="Révision", body="", save="y").status_code == 302
    row = client.get(f"{PAPER}/").get_data(as_text=True).split('id="section-2"', 1)[1]
    assert 'badge-present">French' in row.split("</tr>", 1)[0]


@pytest.mark.db
def test_a_heading_alone_does_not_make_a_translation_of_a_body_present(
    client: FlaskClient,
) -> None:
    make_paper()
    path = f"{PAPER}/sections/2/fr"
    assert post_form(as_editor(client), path, path, heading="Deux", save="y").status_code == 302
    row = client.get(f"{PAPER}/").get_data(as_text=True).split('id="section-2"', 1)[1]
    assert "French: missing" in row.split("</tr>", 1)[0]


@pytest.mark.db
def test_the_operations_refuse_a_default_text_without_heading_or_body(app_context: None) -> None:
    consultation = make_paper()
    editor = make_staff("editor@example.org", Role.EDITOR)
    with pytest.raises(ValueError, match="heading or a body"):
        edit_section(section("1"), "en", " ", "\x07 ", editor)
    with pytest.raises(ValueError, match="heading or a body"):
        add_section(consultation, "4", after=None, heading=None, body=" ", editor=editor)
    assert section("1").translations["en"].body == "One."
    assert keys_in_order() == ["preamble", "1", "2", "3"]


@pytest.mark.db
def test_emptying_another_language_removes_that_translation(client: FlaskClient) -> None:
    make_paper(published=True)
    path = f"{PAPER}/sections/1/fr"
    assert post_form(as_editor(client), path, path, body="", save="y").status_code == 302
    assert "fr" not in section("1").translations
    assert section("1").body_in("fr").is_fallback
    # Readers of the French text see it change: that is a correction.
    assert notices() == [(NoticeKind.SECTION_CORRECTED, "1", "fr")]


@pytest.mark.db
def test_saving_unchanged_text_records_nothing(client: FlaskClient) -> None:
    make_paper(published=True)
    path = f"{PAPER}/sections/1/en"
    assert post_form(as_editor(client), path, path, body="One.", save="y").status_code == 302
    assert audit("section.edited") == []
    assert notices() == []


@pytest.mark.db
def test_a_section_is_added_after_the_chosen_one(client: FlaskClient) -> None:
    make_paper(published=True)
    path = f"{PAPER}/sections/new"
    page = as_editor(client).get(path).get_data(as_text=True)
    assert '<option selected value="3">' in page  # at the end unless told otherwise
    response = post_form(
        client, path, path, key=" 1.A ", place="1", heading="New", body="New text.", save="y"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"{PAPER}/#section-1.a"
    assert keys_in_order() == ["preamble", "1", "1.a", "2", "3"]
    positions = db.session.scalars(select(Section.position).order_by(Section.position))
    assert list(positions) == [0, 1, 2, 3, 4]
    added = section("1.a").translations["en"]
    assert (added.heading, added.body) == ("New", "New text.")
    assert [entry.subject_id for entry in audit("section.added")] == [section("1.a").id]
    assert notices() == [(NoticeKind.SECTION_ADDED, "1.a", None)]


@pytest.mark.db
def test_a_section_may_be_added_with_a_heading_alone_but_not_with_nothing(
    client: FlaskClient,
) -> None:
    make_paper()
    path = f"{PAPER}/sections/new"
    as_editor(client)
    page = post_form(client, path, path, key="4", place="3", heading=" ", body=" ", save="y")
    assert errors_on(page.get_data(as_text=True)) == [
        "Write a heading or a text: the consultation's default language needs one."
    ]
    assert keys_in_order() == ["preamble", "1", "2", "3"]
    response = post_form(client, path, path, key="4", place="3", heading="Review", save="y")
    assert response.status_code == 302
    added = section("4").translations["en"]
    assert (added.heading, added.body) == ("Review", "")


@pytest.mark.db
@pytest.mark.parametrize(
    ("key", "label"), [("1.A", "Paragraph \u20661.a\u2069"), ("preamble", "Preamble")]
)
def test_previewing_a_new_section_labels_it_and_saves_nothing(
    client: FlaskClient, key: str, label: str
) -> None:
    make_paper()
    path = f"{PAPER}/sections/new"
    response = post_form(
        as_editor(client), path, path, key=key, place="1", heading="New", body="*New*.", preview="y"
    )
    preview = response.get_data(as_text=True).split('class="markdown-preview"', 1)[1]
    preview = preview.split("</section>", 1)[0]
    assert f'<h2>{label}: <span lang="en" dir="ltr">New</span></h2>' in preview
    assert "<em>New</em>" in preview
    assert keys_in_order() == ["preamble", "1", "2", "3"]


@pytest.mark.db
def test_a_section_can_be_added_at_the_start(client: FlaskClient) -> None:
    make_paper()
    path = f"{PAPER}/sections/new"
    response = post_form(as_editor(client), path, path, key="0", place="", body="First.", save="y")
    assert response.status_code == 302
    assert keys_in_order() == ["0", "preamble", "1", "2", "3"]


@pytest.mark.db
@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "Give the section a number"),
        ("1. a", "lower-case letters and digits separated by single dots"),
        ("1..a", "lower-case letters and digits separated by single dots"),
        ("x" * 33, "at most 32 characters"),
        ("2", "already has a section 2 (perhaps archived)"),
        ("9", "already has a section 9 (perhaps archived)"),  # archived
    ],
)
def test_a_bad_or_taken_number_is_refused_and_the_text_kept(
    client: FlaskClient, key: str, message: str
) -> None:
    consultation = make_paper()
    archived = Section(key="9", position=9, archived_at=consultation.created_at)
    consultation.sections.append(archived)
    db.session.commit()
    path = f"{PAPER}/sections/new"
    response = post_form(
        as_editor(client), path, path, key=key, place="1", body="Typed text.", save="y"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert any(message in error for error in errors_on(page)), errors_on(page)
    assert "Typed text." in page.split("<textarea", 1)[1]
    assert '<option selected value="1">' in page
    assert "Preview: not saved yet" not in page
    assert keys_in_order() == ["preamble", "1", "2", "3", "9"]


@pytest.mark.db
def test_moving_up_and_down_swaps_with_the_neighbour(client: FlaskClient) -> None:
    make_paper()
    as_editor(client)
    response = post_form(client, f"{PAPER}/", f"{PAPER}/sections/2/move", direction="up")
    assert response.status_code == 302
    assert keys_in_order() == ["preamble", "2", "1", "3"]
    post_form(client, f"{PAPER}/", f"{PAPER}/sections/preamble/move", direction="down")
    assert keys_in_order() == ["2", "preamble", "1", "3"]
    [first, second] = audit("section.moved")
    assert first.details["direction"] == "up" and second.details["direction"] == "down"
    # At an end, nothing moves.
    response = post_form(client, f"{PAPER}/", f"{PAPER}/sections/3/move", direction="down")
    assert keys_in_order() == ["2", "preamble", "1", "3"]
    assert "is already last" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.db
def test_a_section_moves_past_archived_ones_which_stay_put(app_context: None) -> None:
    make_paper()
    editor = make_staff("editor@example.org", Role.EDITOR)
    section("2").archived_at = section("2").created_at
    assert move_section(section("3"), "up", editor)
    # 3 swapped places with 1, its neighbour in the paper; archived 2 kept its position.
    assert keys_in_order() == ["preamble", "3", "2", "1"]
    assert section("2").position == 2


@pytest.mark.db
def test_archiving_a_commented_section_keeps_it_and_its_comments(client: FlaskClient) -> None:
    consultation = make_paper(published=True)
    comment_id = make_comment(consultation, make_participant(), section_key="2").id
    as_editor(client)
    response = post_form(client, f"{PAPER}/", f"{PAPER}/sections/2/archive")
    assert response.status_code == 302
    archived = section("2")
    assert archived.is_archived
    assert archived.translations["en"].body == "Two."
    comment = db.session.get(Comment, comment_id)
    assert comment is not None and comment.section_id == archived.id
    assert notices() == [(NoticeKind.SECTION_ARCHIVED, "2", None)]
    assert len(audit("section.archived")) == 1
    page = client.get(f"{PAPER}/").get_data(as_text=True)
    assert "badge-archived" in page.split('id="section-2"', 1)[1].split("</tr>", 1)[0]
    # Readers keep reaching it, with its comments.
    public = client.get("/en/consultations/paper-x/sections/2/")
    assert public.status_code == 200
    assert "Paragraph 3.b should name the IPU." in public.get_data(as_text=True)


@pytest.mark.db
def test_restoring_puts_the_section_back_where_it_was(client: FlaskClient) -> None:
    make_paper(published=True)
    as_editor(client)
    post_form(client, f"{PAPER}/", f"{PAPER}/sections/2/archive")
    response = post_form(client, f"{PAPER}/", f"{PAPER}/sections/2/restore")
    assert response.status_code == 302
    assert not section("2").is_archived
    assert keys_in_order() == ["preamble", "1", "2", "3"]
    assert sorted(kind.value for kind, _key, _locale in notices()) == [
        "section_archived",
        "section_restored",
    ]
    assert len(audit("section.restored")) == 1


@pytest.mark.db
def test_the_last_section_of_a_published_paper_cannot_be_archived(client: FlaskClient) -> None:
    make_paper(published=True)
    as_editor(client)
    for key in ("preamble", "1", "2"):
        post_form(client, f"{PAPER}/", f"{PAPER}/sections/{key}/archive")
    response = post_form(client, f"{PAPER}/", f"{PAPER}/sections/3/archive")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{PAPER}/#section-3"
    assert not section("3").is_archived
    assert len(audit("section.archived")) == 3
    assert (NoticeKind.SECTION_ARCHIVED, "3", None) not in notices()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Paragraph \u20663\u2069 is the last section in the paper of a published "
        "consultation, so it cannot be archived." in html.unescape(page)
    )
    # Restoring another section makes room again.
    post_form(client, f"{PAPER}/", f"{PAPER}/sections/2/restore")
    post_form(client, f"{PAPER}/", f"{PAPER}/sections/3/archive")
    assert section("3").is_archived


@pytest.mark.db
def test_a_published_consultation_with_a_questionnaire_may_archive_its_whole_paper(
    app_context: None,
) -> None:
    consultation = make_paper(published=True)
    make_question(consultation)
    editor = make_staff("editor@example.org", Role.EDITOR)
    for key in ("preamble", "1", "2", "3"):
        assert archive_section(section(key), editor)
    assert all(section(key).is_archived for key in ("preamble", "1", "2", "3"))


@pytest.mark.db
def test_a_draft_may_have_all_its_sections_archived(app_context: None) -> None:
    make_paper()
    editor = make_staff("editor@example.org", Role.EDITOR)
    for key in ("preamble", "1", "2", "3"):
        assert archive_section(section(key), editor)
    assert all(section(key).is_archived for key in ("preamble", "1", "2", "3"))


@pytest.mark.db
def test_an_archived_section_cannot_be_moved(client: FlaskClient) -> None:
    make_paper()
    as_editor(client)
    post_form(client, f"{PAPER}/", f"{PAPER}/sections/2/archive")
    response = post_form(client, f"{PAPER}/", f"{PAPER}/sections/2/move", direction="up")
    assert response.status_code == 302
    assert keys_in_order() == ["preamble", "1", "2", "3"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "restore it first" in page
