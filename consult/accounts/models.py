"""Users, their sign-in sessions and their one-time e-mail links."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.models import Base, enum_column, utcnow


class Role(enum.Enum):
    """Site-wide roles; each includes what the ones before it may do."""

    PARTICIPANT = "participant"
    MODERATOR = "moderator"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    @property
    def label(self) -> str:
        labels = {
            Role.PARTICIPANT: _l("Participant"),
            Role.MODERATOR: _l("Moderator"),
            Role.EDITOR: _l("Editor"),
            Role.ADMIN: _l("Administrator"),
        }
        return str(labels[self])


class LinkPurpose(enum.Enum):
    """What a one-time e-mail link does when its "Continue" button is pressed."""

    SIGN_IN = "sign_in"
    CHANGE_EMAIL = "change_email"
    SET_PASSWORD = "set_password"  # noqa: S105 - the name of a purpose, not a password


class User(Base):
    """One account per e-mail address: a participant, or staff with a password."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so that one address is one account however it is typed.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role", 16), default=Role.PARTICIPANT)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(String(120))
    organisation: Mapped[str | None] = mapped_column(String(200))
    stakeholder_group: Mapped[str | None] = mapped_column(String(40))
    # ISO 3166-1 alpha-2; None with a completed profile means "none / international".
    country: Mapped[str | None] = mapped_column(String(2))
    preferred_locale: Mapped[str | None] = mapped_column(String(35))
    privacy_accepted_at: Mapped[datetime | None]
    profile_completed_at: Mapped[datetime | None]
    disabled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]
    # The account was deleted by its owner: name, organisation and e-mail are
    # overwritten everywhere, and its published comments show "a deleted participant".
    deleted_at: Mapped[datetime | None]
    # Second factor (staff): the base32 secret an authenticator app shares, set
    # once confirmed with a first code; the last 30-second step used, so that a
    # code is accepted once.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]

    sessions: Mapped[list[UserSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_staff(self) -> bool:
        return self.role is not Role.PARTICIPANT

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None

    @property
    def receives_mail(self) -> bool:
        """Whether Consult writes to the account: not once disabled, nor deleted
        (a deleted account's placeholder address reaches no one)."""
        return self.disabled_at is None and self.deleted_at is None

    @property
    def has_complete_profile(self) -> bool:
        return self.profile_completed_at is not None

    def can_export_contact_data(self) -> bool:
        """Only administrators may take e-mail addresses away in an export
        (PRODUCT.md, "What each role may do")."""
        return self.role is Role.ADMIN


class UserSession(Base):
    """A signed-in browser. The cookie holds a random token whose hash is stored here,
    so that signing out, disabling an account or changing its role ends sessions on
    the server, and a replayed old cookie finds nothing."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Staff rights only in a session opened with the password; a link gives participant rights.
    with_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="sessions")


class RecoveryCode(Base):
    """A single-use code that stands in for the authenticator app when it is lost.

    Only the code's hash is stored; the codes are shown once, when made.
    """

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class EmailLink(Base):
    """A one-time link sent by e-mail: sign-in (also sign-up), e-mail change, password.

    Only the token's hash is stored. The link lasts 30 minutes, is used once, and a
    newer link for the same address and purpose cancels older ones. What the visitor
    was doing (the page, a half-written form) travels with it, so it is restored
    wherever the link is opened.
    """

    __tablename__ = "email_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[LinkPurpose] = mapped_column(enum_column(LinkPurpose, "link_purpose", 16))
    email: Mapped[str] = mapped_column(String(254), index=True)
    # The account asking for an e-mail change or being invited; None for a sign-in.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(35))
    next_url: Mapped[str | None] = mapped_column(Text)
    draft: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.used_at is None and self.cancelled_at is None and now < self.expires_at
