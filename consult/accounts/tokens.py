"""Random tokens for links and sessions: the secret travels, only its hash is stored."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """A fresh (token, hash) pair; the token goes to the user, the hash to the database."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    # The token has 256 random bits, so a plain SHA-256 is enough: no dictionary to attack.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
