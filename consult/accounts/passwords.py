"""Staff passwords: argon2id hashes and the policy a new password must meet.

Only the hash is stored. Passwords are compared after Unicode NFKC normalisation
(as NIST SP 800-63B advises), so that the same characters typed on another
keyboard or system still match.
"""

from __future__ import annotations

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


# The hash of a random password that was thrown away, with today's parameters:
# checking against it costs what a real check costs. Written out rather than made
# at start-up, which would cost every process (each worker, each command) a quarter
# of a second and 64 MiB.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$Fj58IHKroD//NADiE0ti6A"
    "$NfKjdfOHdXFam2HG6EdH77C7Q5RuWXDBMTc7HHUp7BE"
)


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
