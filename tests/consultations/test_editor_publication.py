"""Publishing and unpublishing a consultation from its overview."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.comments.models import Comment, CommentStatus
from consult.consultations.models import Consultation, NoticeKind
from consult.consultations.operations import (
    PublicationRefused,
    change_window,
    publish_consultation,
    unpublish_consultation,
)
from consult.consultations.queries import PublicationBlocker, publication_blockers
from consult.extensions import db
from tests.accounts.staff_helpers import make_staff, post_form, staff_client
from tests.factories import make_comment, make_consultation, make_participant

BASE = "/en/manage/consultations"
OPENS = datetime(2030, 1, 10, 8, 0, tzinfo=UTC)
CLOSES = datetime(2030, 2, 10, 22, 59, tzinfo=UTC)


def reload(slug: str) -> Consultation:
    return db.session.scalars(select(Consultation).where(Consultation.slug == slug)).one()


def entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def windowless_draft(slug: str = "draft") -> Consultation:
    consultation = make_consultation(slug, published=False, sections={"1": {"en": "One."}})
    consultation.opens_at = consultation.closes_at = None
    db.session.commit()
    return consultation


@pytest.fixture
def editor(client: FlaskClient) -> FlaskClient:
    return staff_client(client, "editor@example.org", Role.EDITOR)


@pytest.mark.db
def test_publishing_without_a_window_is_refused_and_says_why(editor: FlaskClient) -> None:
    windowless_draft()
    overview = editor.get(f"{BASE}/draft/").get_data(as_text=True)
    assert "It has no opening and closing time." in overview
    response = post_form(editor, f"{BASE}/draft/", f"{BASE}/draft/publish")
    assert response.headers["Location"] == f"{BASE}/draft/"
    page = editor.get(f"{BASE}/draft/").get_data(as_text=True)
    assert "cannot be published yet: It has no opening and closing time." in page
    assert not reload("draft").is_published
    assert entries("consultation.published") == []


@pytest.mark.db
def test_publishing_with_a_window_shows_it_to_the_public(editor: FlaskClient) -> None:
    make_consultation(
        "draft", published=False, opens_at=OPENS, closes_at=CLOSES, sections={"1": {"en": "One."}}
    )
    assert editor.get("/en/consultations/draft/").status_code == 404
    post_form(editor, f"{BASE}/draft/", f"{BASE}/draft/publish")
    assert reload("draft").is_published
    (entry,) = entries("consultation.published")
    assert (entry.subject_type, entry.subject_id) == ("consultation", reload("draft").id)
    assert editor.get("/en/consultations/draft/").status_code == 200
    overview = editor.get(f"{BASE}/draft/").get_data(as_text=True)
    assert 'href="/en/consultations/draft/"' in overview


@pytest.mark.db
def test_publishing_twice_publishes_once(app_context: None) -> None:
    consultation = make_consultation("live", sections={"1": {"en": "One."}})
    published_at = consultation.published_at
    assert publish_consultation(consultation, make_staff("e@example.org", Role.EDITOR)) is False
    assert consultation.published_at == published_at
    assert entries("consultation.published") == []


@pytest.mark.db
def test_a_deadline_moved_while_unpublished_is_noticed_when_it_is_back(
    app_context: None,
) -> None:
    consultation = make_consultation(
        "live", published=False, opens_at=OPENS, closes_at=CLOSES, sections={"1": {"en": "One."}}
    )
    editor = make_staff("editor@example.org", Role.EDITOR)
    publish_consultation(consultation, editor)
    first_published_at = consultation.first_published_at
    assert first_published_at == consultation.published_at
    unpublish_consultation(consultation, editor)
    assert consultation.first_published_at == first_published_at
    later = CLOSES + timedelta(days=7)
    change_window(consultation, OPENS, later, editor)
    publish_consultation(consultation, editor)
    # Its readers come back to a deadline that moved while they could not see it.
    assert [(n.kind, n.moment, n.previous_moment) for n in consultation.notices] == [
        (NoticeKind.DEADLINE_CHANGED, later, CLOSES)
    ]
    assert consultation.first_published_at == first_published_at


@pytest.mark.db
def test_what_blocks_publication(app_context: None) -> None:
    consultation = make_consultation("empty", published=False, titles={"en": "Paper"})
    consultation.opens_at = consultation.closes_at = None
    consultation.translations["en"].title = ""
    db.session.flush()
    assert publication_blockers(consultation) == [
        PublicationBlocker.NO_WINDOW,
        PublicationBlocker.NO_TITLE,
        PublicationBlocker.NO_CONTENT,
    ]
    with pytest.raises(PublicationRefused) as refused:
        publish_consultation(consultation, make_staff("e@example.org", Role.EDITOR))
    assert len(refused.value.blockers) == 3


@pytest.mark.db
def test_a_paper_of_archived_sections_only_has_nothing_to_publish(app_context: None) -> None:
    consultation = make_consultation("paper", published=False, sections={"1": {"en": "One."}})
    consultation.sections[0].archived_at = consultation.created_at
    db.session.flush()
    assert publication_blockers(consultation) == [PublicationBlocker.NO_CONTENT]


@pytest.mark.db
def test_unpublishing_hides_it_and_keeps_every_comment(editor: FlaskClient) -> None:
    consultation = make_consultation("live", sections={"1": {"en": "One."}})
    author = make_participant()
    make_comment(consultation, author, section_key="1")
    make_comment(consultation, author, status=CommentStatus.PENDING)
    overview = editor.get(f"{BASE}/live/").get_data(as_text=True)
    assert "2 comments" in overview
    assert "Every comment is kept" in overview
    response = post_form(editor, f"{BASE}/live/", f"{BASE}/live/unpublish")
    assert response.status_code == 302
    assert not reload("live").is_published
    assert editor.get("/en/consultations/live/").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 2
    assert len(entries("consultation.unpublished")) == 1
    overview = editor.get(f"{BASE}/live/").get_data(as_text=True)
    assert "Unpublished: only staff can see it." in overview
    # Published again, the comments are there again.
    post_form(editor, f"{BASE}/live/", f"{BASE}/live/publish")
    assert reload("live").is_published
    assert "Paragraph 3.b should name the IPU." in editor.get(
        "/en/consultations/live/sections/1/"
    ).get_data(as_text=True)


@pytest.mark.db
def test_the_overview_counts_sections_archived_ones_and_comments(editor: FlaskClient) -> None:
    consultation = make_consultation(
        "live",
        opens_at=OPENS,
        closes_at=CLOSES,
        sections={"1": {"en": "One."}, "2": {"en": "Two."}, "3": {"en": "Three."}},
    )
    consultation.sections[2].archived_at = consultation.created_at
    db.session.commit()
    make_comment(consultation, make_participant(), section_key="1")
    page = editor.get(f"{BASE}/live/").get_data(as_text=True)
    assert "2 sections in the paper" in page
    assert "1 archived" in page
    assert "1 comment, in every state" in page
    assert "Central European" in page and "GMT+01:00" in page
