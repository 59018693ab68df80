"""Addresses users hand back to us, made safe to redirect to."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for

from consult.config import Config


def safe_next(url: str | None) -> str | None:
    """`url` if it is a path on this site, else None: a `next` never leads off the site.

    Refuses absolute URLs, scheme-relative `//host`, backslash tricks browsers read
    as `//`, and anything with control characters.
    """
    if not url or len(url) > 2000:
        return None
    if any(ord(char) < 32 or char == "\\" for char in url) or url.startswith("//"):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced "[" reads as a broken IPv6 host
        return None
    if parts.scheme or parts.netloc or not url.startswith("/"):
        return None
    return url


# A million pages is past any real list, and keeps the row offset a database is
# asked for within 64 bits (a larger one fails on SQLite and PostgreSQL alike).
MAX_PAGE = 1_000_000


def requested_page() -> int:
    """The `?page=` asked for: a whole number from 1 to `MAX_PAGE`, else 1 or the bound."""
    page = request.args.get("page", 1, type=int) or 1
    return min(max(1, page), MAX_PAGE)


def current_path() -> str:
    """This request's path and query, to come back to after signing in."""
    return request.full_path.rstrip("?")


def absolute_url(endpoint: str, **values: Any) -> str:
    """A full address for e-mails, also from the command line (CONSULT_BASE_URL)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    config: Config = current_app.extensions["consult_config"]
    with current_app.test_request_context(base_url=config.base_url):
        return url_for(endpoint, _external=True, **values)
