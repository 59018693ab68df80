"""Two-step sign-in for staff: a code from an authenticator app after the password.

Offered to every staff member, required for administrators (`require_role`
sends an administrator without it to set it up). The secret is the base32 key
the app shares (RFC 6238, 30-second steps, 6 digits); each step's code is
accepted once (`User.totp_last_step`). Ten recovery codes stand in for a lost
app, each once; only their hashes are stored, and they are shown once, when made.

Operations flush but never commit, and write their audit entry.
"""

from __future__ import annotations

import hmac
import io
import re
import secrets
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete, func, or_, select, update

from consult.accounts.models import RecoveryCode, Role, User, UserSession
from consult.accounts.operations import record_sign_in
from consult.accounts.sessions import end_all_sessions
from consult.accounts.tokens import hash_token
from consult.audit.operations import record
from consult.core.models import utcnow
from consult.extensions import db

ISSUER = "Consult"
RECOVERY_CODE_COUNT = 10
# Letters and digits that cannot be mistaken for one another (no 0/o, 1/l/i).
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 16  # about 79 random bits
_CODE = re.compile(r"[0-9]{6}")


class WrongCode(Exception):
    """The code is not the app's current one (or was used already), nor a recovery code."""


class TwoStepRequired(Exception):
    """An administrator cannot turn two-step sign-in off."""


class NotEnabled(Exception):
    """The account has no two-step sign-in to reset."""


def two_step_on(user: User) -> bool:
    """Whether the account signs in with a code after the password."""
    return user.totp_enabled_at is not None and user.totp_secret is not None


def must_set_up_two_step(user: User) -> bool:
    """An administrator without two-step sign-in must set it up before anything else."""
    return user.role is Role.ADMIN and not two_step_on(user)


def new_secret() -> str:
    """A fresh key for an authenticator app: 32 base32 characters, 160 bits."""
    return pyotp.random_base32()


def grouped(text: str, size: int = 4) -> str:
    """`text` in groups of `size` characters, easier to read out and type."""
    return " ".join(text[start : start + size] for start in range(0, len(text), size))


def qr_code_svg(secret: str, email: str) -> bytes:
    """The key as a QR code an authenticator app scans, as an SVG image."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, xmldecl=False, svgns=True)
    return buffer.getvalue()


def matching_step(secret: str, code: str, last_step: int | None, now: datetime) -> int | None:
    """The 30-second step whose code `code` is, within one step of `now` and after
    `last_step` (a code is accepted once); None if there is none."""
    typed = re.sub(r"\s", "", code)
    if not _CODE.fullmatch(typed):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), typed):
            return step
    return None


def _use_code(user: User, code: str) -> None:
    """Accept the app's current code for `user` once, or WrongCode.

    The step is claimed with a conditional update, so that the same code sent
    twice at the same moment is accepted only once.
    """
    if user.totp_secret is None:
        raise WrongCode
    step = matching_step(user.totp_secret, code, user.totp_last_step, utcnow())
    if step is None:
        raise WrongCode
    claimed = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise WrongCode
    user.totp_last_step = step


def _normalise_recovery_code(code: str) -> str:
    return re.sub(r"[^0-9a-z]", "", code.lower())


def _use_recovery_code(user: User, code: str) -> None:
    """Spend one of `user`'s unused recovery codes, or WrongCode."""
    typed = _normalise_recovery_code(code)
    if len(typed) != _RECOVERY_LENGTH:
        raise WrongCode
    spent = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == hash_token(typed),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise WrongCode


def recovery_codes_left(user: User) -> int:
    """How many of `user`'s recovery codes are still unused."""
    count = db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    return int(count or 0)


def _make_recovery_codes(user: User) -> list[str]:
    """Replace `user`'s recovery codes with new ones; the codes, to show once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_token(code)) for code in codes)
    db.session.flush()
    return [grouped(code, 4).replace(" ", "-") for code in codes]


def enable_two_step(
    user: User, secret: str, code: str, current: UserSession | None = None
) -> list[str]:
    """Turn two-step sign-in on with the key the app was given and its first code.

    Makes the recovery codes (returned, to show once) and ends the account's
    other sessions, opened without the second step; `current` stays. WrongCode
    if the code does not match the key.
    """
    step = matching_step(secret, code, None, utcnow())
    if step is None:
        raise WrongCode
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    codes = _make_recovery_codes(user)
    end_all_sessions(user, keep=current)
    record("user.two_factor_enabled", actor_id=user.id, subject_type="user", subject_id=user.id)
    return codes


def renew_recovery_codes(user: User, code: str) -> list[str]:
    """New recovery codes in place of the old ones, with a current code (WrongCode)."""
    _use_code(user, code)
    codes = _make_recovery_codes(user)
    record("user.recovery_codes_renewed", actor_id=user.id, subject_type="user", subject_id=user.id)
    return codes


def disable_two_step(user: User, code: str) -> None:
    """Turn two-step sign-in off, with a current code (WrongCode).

    Not for administrators, who must keep it (TwoStepRequired).
    """
    if user.role is Role.ADMIN:
        raise TwoStepRequired
    _use_code(user, code)
    clear_two_step(user)
    record("user.two_factor_disabled", actor_id=user.id, subject_type="user", subject_id=user.id)


def clear_two_step(user: User) -> None:
    """Remove the key and the recovery codes: the password alone signs in."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


def complete_sign_in(user: User, code: str) -> str:
    """The second step of a staff sign-in: the app's code or a recovery code.

    Returns the method recorded with `auth.sign_in` (`password_code` or
    `password_recovery_code`). A wrong code is audited and raises WrongCode;
    the caller commits either way and opens the session on success.
    """
    method = "password_code"
    try:
        if _CODE.fullmatch(re.sub(r"\s", "", code)):
            _use_code(user, code)
        else:
            _use_recovery_code(user, code)
            method = "password_recovery_code"
    except WrongCode:
        record(
            "auth.second_factor_failed",
            subject_type="user",
            subject_id=user.id,
            cause="wrong_code",
        )
        raise
    record_sign_in(user, method)
    return method
