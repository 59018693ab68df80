"""Reading consultations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.consultations.models import Consultation
from consult.core.models import utcnow
from consult.extensions import db


@dataclass(frozen=True)
class HomeListing:
    """Published consultations as the home page groups them."""

    open: list[Consultation]
    upcoming: list[Consultation]
    closed: list[Consultation]


def home_listing(now: datetime | None = None) -> HomeListing:
    """Open ones first (closing soonest first), then upcoming, then closed (latest first)."""
    now = now or utcnow()
    published = db.session.scalars(
        select(Consultation)
        .where(Consultation.published_at.is_not(None))
        .options(selectinload(Consultation.translations))
        .order_by(Consultation.closes_at)
    ).all()
    return HomeListing(
        open=[c for c in published if c.window.is_open(now)],
        upcoming=[c for c in published if c.window.not_yet_open(now)],
        closed=sorted(
            (c for c in published if c.window.has_ended(now)),
            key=lambda c: c.closes_at or now,
            reverse=True,
        ),
    )


def get_published_or_404(slug: str) -> Consultation:
    """The public's view: a draft does not exist for them."""
    consultation = db.session.scalar(
        select(Consultation)
        .where(Consultation.slug == slug)
        .options(selectinload(Consultation.translations))
    )
    if consultation is None or not consultation.is_published:
        abort(404)
    return consultation


def get_by_slug(slug: str) -> Consultation | None:
    return db.session.scalar(select(Consultation).where(Consultation.slug == slug))
