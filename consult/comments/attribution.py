"""Who may see whose name: PRODUCT.md's table, in one place.

Public pages, editors' pages and every export cut the author's snapshot (taken at
submission) to what their reader may see through `shown_author`.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from consult.comments.models import Identity


class Audience(enum.Enum):
    """Who reads an author's name: the table's columns (PRODUCT.md, "Who sees whose name")."""

    # Anyone: public pages and open data.
    OPEN_DATA = "open_data"
    # Editors and admins: as the author chose, with the country of anonymous authors.
    EDITOR = "editor"
    # Admins who asked for contact data: every name and the e-mail address.
    CONTACT = "contact"


class ShownAuthor(NamedTuple):
    """Who wrote a comment or response, as one audience may see them; "" where withheld."""

    identity: Identity
    name: str
    organisation: str
    group: str
    country: str
    email: str

    @property
    def anonymous(self) -> bool:
        """Shown as "anonymous" (contact exports still name the person)."""
        return self.identity is Identity.ANONYMOUS and not self.name


def shown_author(
    identity: Identity,
    name: str | None,
    organisation: str | None,
    group: str | None,
    country: str | None,
    email: str | None,
    audience: Audience,
) -> ShownAuthor:
    """The snapshot taken at submission, cut to what `audience` may see.

    | choice | open data | editor | contact |
    | name and organisation | name, organisation, group, country | same | + e-mail |
    | organisation only | organisation, group, country | same | + name, e-mail |
    | anonymous | group | group, country | everything |

    (A country beside "anonymous" can single out one person: open data leaves it out.)
    """
    if audience is Audience.CONTACT:
        return ShownAuthor(
            identity, name or "", organisation or "", group or "", country or "", email or ""
        )
    if identity is Identity.ANONYMOUS:
        shown_country = country or "" if audience is Audience.EDITOR else ""
        return ShownAuthor(identity, "", "", group or "", shown_country, "")
    return ShownAuthor(
        identity,
        name or "" if identity is Identity.NAME_AND_ORGANISATION else "",
        organisation or "",
        group or "",
        country or "",
        "",
    )
