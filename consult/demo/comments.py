"""Demo participants and their comments: something to read, moderate and export.

Loaded once (when the demo consultations have no comment yet). Times are set a
few days back so that the pages show a real history.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from consult.accounts.models import User
from consult.accounts.operations import get_user_by_email
from consult.comments.models import Comment, CommentReport, CommentStatus, Identity
from consult.consultations.queries import get_by_slug
from consult.demo.content import AI_REGULATION, OUTPUT_DOCUMENT
from consult.extensions import db
from consult.moderation.models import DecisionKind, ModerationDecision

# Created by the staff part of the demo loader, before the comments.
DEMO_MODERATOR = "moderator@example.org"


@dataclass(frozen=True)
class DemoParticipant:
    email: str
    name: str
    organisation: str
    group: str
    country: str | None
    locale: str


@dataclass(frozen=True)
class DemoComment:
    author: str  # a DemoParticipant's e-mail
    slug: str
    section: str | None  # None: a general comment
    language: str
    identity: Identity
    status: CommentStatus
    days_ago: int
    body: str


PARTICIPANTS = (
    DemoParticipant("ana.lopez@example.org", "Ana López", "Congreso de la República",
                    "parliament", "PE", "es"),
    DemoParticipant("amina.diallo@example.org", "Amina Diallo", "Assemblée nationale",
                    "parliament", "SN", "fr"),
    DemoParticipant("omar.haddad@example.org", "عمر حداد", "جامعة اليرموك", "academia",
                    "JO", "ar"),
    DemoParticipant("sarah.chen@example.org", "Sarah Chen", "Digital Rights Lab",
                    "civil_society", "AU", "en"),
)  # fmt: skip

COMMENTS = (
    DemoComment(
        "ana.lopez@example.org", AI_REGULATION.slug, "7", "es",
        Identity.NAME_AND_ORGANISATION, CommentStatus.PUBLISHED, 6,
        "El enfoque basado en riesgos es útil, pero la lista de usos de alto riesgo "
        "debería revisarse cada año con participación de los parlamentos.\n\n"
        "Sugerimos que el documento cite ejemplos de América Latina.",
    ),
    DemoComment(
        "amina.diallo@example.org", OUTPUT_DOCUMENT.slug, "3.b", "fr",
        Identity.NAME_AND_ORGANISATION, CommentStatus.PUBLISHED, 5,
        "Le renforcement des capacités devrait inclure le personnel des commissions, "
        "pas seulement les parlementaires. Voir https://www.ipu.org pour des exemples.",
    ),
    DemoComment(
        "omar.haddad@example.org", AI_REGULATION.slug, "8", "ar",
        Identity.ANONYMOUS, CommentStatus.PUBLISHED, 4,
        "ينبغي أن يوضح النهج القائم على الحقوق كيفية تعويض المتضررين من قرارات "
        "الأنظمة الآلية، وأن يحدد الجهة المسؤولة عن الرقابة.",
    ),
    DemoComment(
        "sarah.chen@example.org", OUTPUT_DOCUMENT.slug, None, "en",
        Identity.ORGANISATION_ONLY, CommentStatus.PUBLISHED, 3,
        "A strong text overall. The commitments in paragraphs 7 and 8 would be easier "
        "to follow up with a date for the first progress report.",
    ),
    DemoComment(
        "amina.diallo@example.org", OUTPUT_DOCUMENT.slug, "1.b", "fr",
        Identity.ORGANISATION_ONLY, CommentStatus.PENDING, 1,
        "Il faudrait préciser comment les parlements régionaux sont associés à ce "
        "consensus entre États membres.",
    ),
    DemoComment(
        "sarah.chen@example.org", AI_REGULATION.slug, "3", "en",
        Identity.NAME_AND_ORGANISATION, CommentStatus.PENDING, 0,
        "Sandboxes need an exit rule: what happens to a product when the trial ends?",
    ),
)  # fmt: skip

# A reader's report waiting in the queue: (reporter, index of the comment in COMMENTS).
REPORT = ("sarah.chen@example.org", 2, "This reads as if it names a specific company.")


def load_demo_comments(now: datetime) -> list[str]:
    """Create the demo participants and comments, unless the demo has comments already."""
    consultations = [get_by_slug(AI_REGULATION.slug), get_by_slug(OUTPUT_DOCUMENT.slug)]
    if any(c is None for c in consultations):
        return []
    ids = [c.id for c in consultations if c is not None]
    existing = db.session.scalar(
        select(func.count()).select_from(Comment).where(Comment.consultation_id.in_(ids))
    )
    if existing:
        return ["demo comments: already present, left as they are"]
    authors = {p.email: demo_participant(p, now) for p in PARTICIPANTS}
    moderator = get_user_by_email(DEMO_MODERATOR)
    created = [_comment(spec, authors[spec.author], moderator, now) for spec in COMMENTS]
    reporter, index, note = REPORT
    db.session.add(
        CommentReport(
            comment=created[index], reporter_id=authors[reporter].id, note=note, created_at=now
        )
    )
    db.session.flush()
    return [f"demo comments: {len(created)} comments by {len(authors)} participants, 1 report"]


def demo_participant(spec: DemoParticipant, now: datetime) -> User:
    """The demo participant's account, created with a complete profile if missing."""
    user = get_user_by_email(spec.email)
    if user is None:
        user = User(
            email=spec.email,
            display_name=spec.name,
            organisation=spec.organisation,
            stakeholder_group=spec.group,
            country=spec.country,
            preferred_locale=spec.locale,
            privacy_accepted_at=now,
            profile_completed_at=now,
        )
        db.session.add(user)
        db.session.flush()
    return user


def _comment(spec: DemoComment, author: User, moderator: User | None, now: datetime) -> Comment:
    consultation = get_by_slug(spec.slug)
    assert consultation is not None
    section = None
    if spec.section is not None:
        section = next(s for s in consultation.sections if s.key == spec.section)
    sent = now - timedelta(days=spec.days_ago, hours=2)
    comment = Comment(
        consultation_id=consultation.id,
        section_id=section.id if section else None,
        author_id=author.id,
        form_key=secrets.token_urlsafe(16),
        language=spec.language,
        body=spec.body,
        identity=spec.identity,
        author_name=author.display_name or "",
        author_organisation=author.organisation,
        author_group=author.stakeholder_group or "",
        author_country=author.country,
        status=spec.status,
        created_at=sent,
        published_at=sent + timedelta(hours=3) if spec.status is CommentStatus.PUBLISHED else None,
        decided_at=sent + timedelta(hours=3) if spec.status is CommentStatus.PUBLISHED else None,
    )
    db.session.add(comment)
    db.session.flush()
    if spec.status is CommentStatus.PUBLISHED:
        # Published comments were approved: keep that history, as moderation would.
        db.session.add(
            ModerationDecision(
                comment_id=comment.id,
                moderator_id=moderator.id if moderator else None,
                kind=DecisionKind.APPROVE,
                previous_status=CommentStatus.PENDING,
                new_status=CommentStatus.PUBLISHED,
                created_at=comment.published_at,
            )
        )
    return comment
