"""Staff passwords: argon2id hashes and the policy a new password must meet.

Only the hash is stored. Passwords are compared after Unicode NFKC normalisation
(as NIST SP 800-63B advises), so that the same characters typed on another
keyboard or system still match.
"""

from __future__ import annotations

import secrets
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200

# argon2-cffi's defaults follow RFC 9106's recommendation (argon2id, 64 MiB, t=3).
_hasher = PasswordHasher()


def _prepared(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def hash_password(password: str) -> str:
    """The argon2id hash to store for `password` (salted: never the same twice)."""
    return _hasher.hash(_prepared(password))


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash`; a malformed hash never matches."""
    try:
        return _hasher.verify(password_hash, _prepared(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's (rehash on sign-in)."""
    return _hasher.check_needs_rehash(password_hash)


def spend_verification_time(password: str) -> None:
    """Take as long as a real check, for an address without a password.

    So the time a failed sign-in takes does not tell whether the address has an
    account.
    """
    verify_password(_DUMMY_HASH, password)


# Built here, once per process, rather than on first use: otherwise the first
# unknown address after start-up would take two argon2 runs and stand out.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(32))


def password_problem(password: str, email: str | None = None) -> str | None:
    """What is wrong with `password` as a new password, translated; None if it is fine."""
    prepared = _prepared(password)
    problem: str | None = None
    if len(prepared) < MIN_PASSWORD_LENGTH:
        problem = _(
            "Please choose a password of at least %(count)d characters.", count=MIN_PASSWORD_LENGTH
        )
    elif len(prepared) > MAX_PASSWORD_LENGTH:
        problem = _(
            "Please choose a password of at most %(count)d characters.", count=MAX_PASSWORD_LENGTH
        )
    elif email and prepared.strip().casefold() == email.strip().casefold():
        problem = _("Your password must not be your e-mail address.")
    return problem
