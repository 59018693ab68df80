"""`flask consult demo`: the demo consultations, loaded once, never in production."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from consult import create_app
from consult.comments.models import Comment, CommentReport, CommentStatus
from consult.config import Config
from consult.consultations.models import Consultation
from consult.consultations.queries import get_by_slug
from consult.core.models import utcnow
from consult.extensions import db
from consult.moderation.models import ModerationDecision
from consult.papers.models import Section

AI_SLUG = "ai-regulatory-approaches"
OUTPUT_SLUG = "igf-2024-parliamentary-output"


@pytest.mark.db
def test_demo_loads_two_open_consultations_in_four_languages(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["consult", "demo"])
    assert result.exit_code == 0, result.output
    for slug in (AI_SLUG, OUTPUT_SLUG):
        consultation = get_by_slug(slug)
        assert consultation is not None
        assert consultation.is_open()
        assert consultation.closes_at is not None
        assert consultation.closes_at - utcnow() > timedelta(weeks=4)
        assert sorted(consultation.translations) == ["ar", "en", "es", "fr"]
        assert sorted(consultation.offered_locales) == ["ar", "en", "es", "fr"]


@pytest.mark.db
def test_demo_ai_paper_compares_nine_approaches_in_english_and_french(
    runner: FlaskCliRunner,
) -> None:
    runner.invoke(args=["consult", "demo"])
    consultation = get_by_slug(AI_SLUG)
    assert consultation is not None
    assert [s.key for s in consultation.sections] == [str(n) for n in range(1, 10)]
    for section in consultation.sections:
        assert set(section.translations) == {"en", "fr"}
        assert section.translations["en"].heading
    assert "liability" in consultation.sections[-1].translations["en"].heading.lower()


@pytest.mark.db
def test_demo_output_document_is_the_imported_seed(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["consult", "demo"])
    consultation = get_by_slug(OUTPUT_SLUG)
    assert consultation is not None
    keys = [s.key for s in consultation.sections]
    assert keys[:3] == ["preamble", "1", "1.a"]
    assert keys[-2:] == ["7", "8"]


@pytest.mark.db
def test_demo_is_idempotent(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["consult", "demo"])
    second = runner.invoke(args=["consult", "demo"])
    assert second.exit_code == 0
    assert "already present" in second.output
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 4
    assert (
        db.session.scalar(select(func.count()).select_from(Section)) == 9 + 35
    )  # nine approaches, and the seed's preamble and 34 paragraphs


def test_demo_refuses_under_production_configuration(tmp_path: Path) -> None:
    config = Config(
        database_url=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        secret_key="a-real-secret",
        production=True,
    )
    result = create_app(config).test_cli_runner().invoke(args=["consult", "demo"])
    assert result.exit_code != 0
    assert "not loaded under production settings" in result.output


def test_demo_pages_show_the_french_text_and_the_english_fallback(
    runner: FlaskCliRunner, client: FlaskClient
) -> None:
    runner.invoke(args=["consult", "demo"])
    french = client.get(f"/fr/consultations/{AI_SLUG}/sections/7/").get_data(as_text=True)
    assert '<div class="prose" lang="fr" dir="ltr">' in french
    assert 'class="fallback-note"' not in french
    spanish = client.get(f"/es/consultations/{AI_SLUG}/sections/7/").get_data(as_text=True)
    assert 'class="fallback-note"' in spanish
    assert '<div class="prose" lang="en" dir="ltr">' in spanish


@pytest.mark.db
def test_demo_creates_the_three_staff_users_once(runner: FlaskCliRunner) -> None:
    from consult.accounts.models import Role, User
    from consult.demo.loader import DEMO_STAFF_PASSWORD
    from tests.accounts.staff_helpers import sign_in_staff

    runner.invoke(args=["consult", "demo"])
    second = runner.invoke(args=["consult", "demo"])
    assert "admin@example.org: already present" in second.output
    staff = db.session.scalars(
        select(User).where(User.role != Role.PARTICIPANT).order_by(User.email)
    ).all()
    assert [(u.email, u.role) for u in staff] == [
        ("admin@example.org", Role.ADMIN),
        ("editor@example.org", Role.EDITOR),
        ("moderator@example.org", Role.MODERATOR),
    ]
    assert all(u.has_complete_profile for u in staff)
    client = runner.app.test_client()
    response = sign_in_staff(client, "admin@example.org", DEMO_STAFF_PASSWORD)
    assert response.status_code == 302
    # Without two-step sign-in yet: asked to set it up before the staff pages.
    response = client.get("/en/manage/users/")
    assert response.headers["Location"].startswith("/en/account/two-step?next=")
    assert client.get("/en/account/two-step").status_code == 200


@pytest.mark.db
def test_demo_has_published_and_pending_comments_in_several_languages_and_a_report(
    runner: FlaskCliRunner,
) -> None:
    runner.invoke(args=["consult", "demo"])
    second = runner.invoke(args=["consult", "demo"])
    assert "demo comments: already present" in second.output
    comments = db.session.scalars(select(Comment)).all()
    assert {c.language for c in comments} >= {"ar", "en", "es", "fr"}
    assert {c.status for c in comments} == {CommentStatus.PUBLISHED, CommentStatus.PENDING}
    assert any(c.section_id is None for c in comments)
    reports = db.session.scalars(select(CommentReport)).all()
    assert len(reports) == 1
    assert reports[0].comment.status is CommentStatus.PUBLISHED
    assert reports[0].reviewed_at is None
    for comment in comments:
        opens_at = comment.consultation.opens_at
        assert opens_at is not None
        assert opens_at <= comment.created_at <= utcnow()
    decided = db.session.scalars(select(ModerationDecision)).all()
    assert {d.comment_id for d in decided} == {
        c.id for c in comments if c.status is CommentStatus.PUBLISHED
    }
