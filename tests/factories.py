"""Test data, built through the models the application uses."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from consult.accounts.models import User
from consult.comments.models import Comment, CommentStatus, Identity, RejectionReason
from consult.consultations.models import Consultation, ConsultationTranslation
from consult.core.models import utcnow
from consult.extensions import db
from consult.papers.models import Section, SectionTranslation


def make_consultation(
    slug: str = "test-paper",
    *,
    titles: dict[str, str] | None = None,
    default_locale: str = "en",
    offered: list[str] | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    published: bool = True,
    timezone: str = "Europe/Zurich",
    sections: dict[str, dict[str, str]] | None = None,
) -> Consultation:
    """A consultation, open now for four weeks unless told otherwise.

    `sections` maps a key to its bodies by locale, in order.
    """
    now = utcnow()
    titles = titles or {"en": f"Consultation {slug}"}
    consultation = Consultation(
        slug=slug,
        default_locale=default_locale,
        offered_locales=offered or list(titles),
        opens_at=opens_at or now - timedelta(days=1),
        closes_at=closes_at or now + timedelta(weeks=4),
        timezone=timezone,
        published_at=now if published else None,
        first_published_at=now if published else None,
    )
    for locale, title in titles.items():
        consultation.translations[locale] = ConsultationTranslation(
            locale=locale, title=title, summary=f"About *{title}*."
        )
    for position, (key, bodies) in enumerate((sections or {}).items()):
        section = Section(key=key, position=position)
        for locale, body in bodies.items():
            section.translations[locale] = SectionTranslation(locale=locale, body=body)
        consultation.sections.append(section)
    db.session.add(consultation)
    # Committed (to a savepoint of the test's transaction), so that it outlives the
    # session each request closes, as data entered before a request would.
    db.session.commit()
    return consultation


def make_participant(email: str = "participant@example.org", **profile: object) -> User:
    """A participant with a complete profile, committed (to the test's savepoint)."""
    now = utcnow()
    values: dict[str, object] = {
        "display_name": "Ana López",
        "organisation": "Congreso de la República",
        "stakeholder_group": "parliament",
        "country": "PE",
        "preferred_locale": "es",
        "privacy_accepted_at": now,
        "profile_completed_at": now,
        **profile,
    }
    user = User(email=email, **values)
    db.session.add(user)
    db.session.commit()
    return user


def make_comment(
    consultation: Consultation,
    author: User,
    *,
    section_key: str | None = None,
    body: str = "Paragraph 3.b should name the IPU.",
    status: CommentStatus = CommentStatus.PUBLISHED,
    identity: Identity = Identity.NAME_AND_ORGANISATION,
    language: str = "en",
    created_at: datetime | None = None,
) -> Comment:
    """A comment as if submitted (author snapshot copied), in the given status."""
    section = next((s for s in consultation.sections if s.key == section_key), None)
    now = created_at or utcnow()
    comment = Comment(
        consultation=consultation,
        section=section,
        author=author,
        form_key=secrets.token_hex(16),
        language=language,
        body=body,
        identity=identity,
        author_name=author.display_name or "",
        author_organisation=author.organisation,
        author_group=author.stakeholder_group or "individual",
        author_country=author.country,
        status=status,
        created_at=now,
        published_at=now if status in (CommentStatus.PUBLISHED, CommentStatus.HIDDEN) else None,
        rejection_reason=RejectionReason.OTHER if status is CommentStatus.REJECTED else None,
        hidden_at=now if status is CommentStatus.HIDDEN else None,
        withdrawn_at=now if status is CommentStatus.WITHDRAWN else None,
    )
    db.session.add(comment)
    db.session.commit()
    return comment
