"""Who may see whose name: PRODUCT.md's table, in one place.

Public pages, editors' pages and every export cut the author's snapshot (taken at
submission) to what their reader may see through `shown_author`. A participant who
deletes their account has the name and organisation of every snapshot overwritten
(`consult.accounts.operations.delete_account`); `shown_author` then names them
"a deleted participant" wherever a name was shown.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from flask_babel import gettext as _

from consult.comments.models import Identity

# What `delete_account` writes over the name of a deleted participant's snapshots.
# A submission always has a name (a profile needs one), so an empty name can only
# mean that it was erased.
ERASED_AUTHOR_NAME = ""


def author_name_erased(name: str | None) -> bool:
    """Whether a snapshot's name was erased with its author's account."""
    return not name


def deleted_participant() -> str:
    """How a deleted participant is named, in the language in force."""
    # i18n: shown in place of the name of someone who deleted their account
    return str(_("A deleted participant"))


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
    # The author deleted their account: `name` says so, nothing else names them.
    deleted: bool = False

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

    A snapshot whose name was erased (its author deleted their account) is from
    "a deleted participant", shown like an anonymous author: the group, and for
    editors the country. Comments sent anonymously still read "anonymous" where
    they did: naming them "deleted" would tell readers which anonymous comments
    came from one person, and when that person left.
    """
    if author_name_erased(name) and (
        audience is Audience.CONTACT or identity is not Identity.ANONYMOUS
    ):
        shown_country = "" if audience is Audience.OPEN_DATA else country or ""
        return ShownAuthor(
            identity, deleted_participant(), "", group or "", shown_country, "", deleted=True
        )
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
