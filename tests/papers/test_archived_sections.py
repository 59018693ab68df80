"""Archived sections on the public side: out of the paper, their comments still reachable."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from consult.accounts.models import User
from consult.comments.models import Comment, CommentStatus, Identity
from consult.comments.operations import CommentDraft, CommentRefused, submit_comment
from consult.consultations.models import Consultation
from consult.core.models import utcnow
from consult.extensions import db
from consult.papers.models import Section
from tests.accounts.helpers import sign_in_participant
from tests.comments.helpers import comment_form_of
from tests.factories import make_comment, make_consultation, make_participant

PAPER = "/en/consultations/ai/"
WITHDRAWN = "/en/consultations/ai/sections/2/"


def paper_with_a_withdrawn_section() -> Consultation:
    """Sections 1, 2 and 3, with 2 archived after a published and a pending comment."""
    consultation = make_consultation(
        "ai",
        sections={
            "1": {"en": "Regulate by principles."},
            "2": {"en": "Regulate by *risk*."},
            "3": {"en": "Regulate by rights."},
        },
    )
    author = make_participant("lima@example.org")
    make_comment(consultation, author, section_key="2", body="Risk tiers are vague.")
    make_comment(
        consultation, author, section_key="2", body="Still pending.", status=CommentStatus.PENDING
    )
    section(consultation, "2").archived_at = utcnow()
    db.session.commit()
    return consultation


def section(consultation: Consultation, key: str) -> Section:
    return next(s for s in consultation.sections if s.key == key)


def archive(key: str, when: datetime | None) -> None:
    """Set a section's archived_at between requests (each request ends the session)."""
    db.session.execute(update(Section).where(Section.key == key).values(archived_at=when))
    db.session.commit()


def comment_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Comment)) or 0


@pytest.mark.db
def test_an_archived_section_leaves_the_paper_and_is_listed_as_withdrawn(
    client: FlaskClient,
) -> None:
    paper_with_a_withdrawn_section()
    page = client.get(PAPER).get_data(as_text=True)
    contents = page.split('id="contents-heading"', 1)[1].split("</nav>", 1)[0]
    assert 'href="#1"' in contents and 'href="#3"' in contents
    assert 'href="#2"' not in contents
    body = page.split('id="withdrawn-heading"', 1)[0]
    assert "Regulate by <em>risk</em>." not in body
    assert 'id="heading-2"' not in body
    withdrawn = page.split('id="withdrawn-heading"', 1)[1].split("</section>", 1)[0]
    assert ">Withdrawn sections</h2>" in withdrawn
    assert f'href="{WITHDRAWN}"' in withdrawn
    # Published comments only, as everywhere else.
    assert "(1 comment)" in withdrawn


@pytest.mark.db
def test_the_page_of_an_archived_section_shows_its_text_and_comments_and_no_form(
    client: FlaskClient,
) -> None:
    paper_with_a_withdrawn_section()
    sign_in_participant(client)
    response = client.get(WITHDRAWN)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="archived-note"' in page
    assert "This section was withdrawn from the paper on" in page
    assert "no new comments are taken" in page
    assert "Regulate by <em>risk</em>." in page
    assert "Risk tiers are vague." in page
    assert "Still pending." not in page  # someone else's, awaiting moderation
    assert 'name="form_key"' not in page
    assert 'id="comment-form"' not in page
    # Out of the paper: no previous or next section.
    assert 'rel="prev"' not in page and 'rel="next"' not in page
    # The paper's own sections still lead from one to the next, past the gap.
    neighbour = client.get("/en/consultations/ai/sections/1/").get_data(as_text=True)
    assert 'rel="next" href="/en/consultations/ai/sections/3/"' in neighbour


@pytest.mark.db
def test_a_comment_sent_to_an_archived_section_is_refused_and_its_text_kept(
    client: FlaskClient,
) -> None:
    paper_with_a_withdrawn_section()
    sign_in_participant(client)
    # The form was loaded while the section was still in the paper.
    archive("2", None)
    form_page = client.get(WITHDRAWN).get_data(as_text=True)
    archive("2", utcnow())
    before = comment_count()
    typed = "Written before the section was withdrawn."
    response = client.post(WITHDRAWN, data=comment_form_of(form_page, body=typed))
    assert response.status_code == 200
    assert comment_count() == before
    page = response.get_data(as_text=True)
    assert "This section was withdrawn from the paper, so it takes no new comments" in page
    assert f"{typed}</textarea>" in page


@pytest.mark.db
def test_the_operation_refuses_a_comment_on_an_archived_section(app_context: None) -> None:
    consultation = paper_with_a_withdrawn_section()
    author = db.session.scalar(select(User).where(User.email == "lima@example.org"))
    assert author is not None
    draft = CommentDraft(
        body="Sent by some other path.",
        language="en",
        identity=Identity.NAME_AND_ORGANISATION,
        form_key="k" * 20,
    )
    with pytest.raises(CommentRefused) as refused:
        submit_comment(consultation, section(consultation, "2"), author, draft)
    assert refused.value.reason == "archived"
    # The paper's own sections still take comments.
    comment = submit_comment(consultation, section(consultation, "1"), author, draft)
    assert comment.section_id == section(consultation, "1").id


@pytest.mark.db
def test_comments_on_an_archived_section_stay_in_my_contributions_and_reachable(
    client: FlaskClient,
) -> None:
    sign_in_participant(client)
    consultation = make_consultation("ai", sections={"1": {"en": "One."}, "2": {"en": "Two."}})
    author = db.session.scalar(select(User).where(User.email == "amina@example.org"))
    assert author is not None
    comment = make_comment(consultation, author, section_key="2", body="Mine, on two.")
    archive("2", utcnow())
    contributions = client.get("/en/account/contributions/").get_data(as_text=True)
    assert "Mine, on two." in contributions
    permalink = f"/en/consultations/ai/comments/{comment.id}/"
    assert f'href="{permalink}"' in contributions
    response = client.get(permalink)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{WITHDRAWN}#comment-{comment.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'id="comment-{comment.id}"' in page
    assert "1 comment" in page


@pytest.mark.db
def test_a_paper_whose_sections_are_all_withdrawn_still_lists_them(client: FlaskClient) -> None:
    consultation = make_consultation("ai", sections={"1": {"en": "One."}})
    section(consultation, "1").archived_at = utcnow()
    db.session.commit()
    page = client.get(PAPER).get_data(as_text=True)
    assert "Withdrawn sections" in page
    assert 'href="/en/consultations/ai/sections/1/"' in page
    assert client.get("/en/consultations/ai/sections/1/").status_code == 200
