"""What a visitor was typing when asked to sign in, restored after the link is used.

The draft travels with the sign-in link on the server (`EmailLink.draft`), so it
comes back on whichever device the link is opened. The session only remembers
which used link to restore from, and the page the draft belongs to asks for it.
"""

from __future__ import annotations

from flask import session
from sqlalchemy import select

from consult.accounts.models import EmailLink
from consult.accounts.permissions import signed_in_user
from consult.core.urls import safe_next
from consult.extensions import db

RESTORE_KEY = "restore_from_link"


def remember_draft_to_restore(link: EmailLink) -> None:
    session[RESTORE_KEY] = link.id


def restored_draft(path: str) -> dict[str, str] | None:
    """The draft to put back into the form on `path`, once; None if there is none.

    Only the account that used the link gets it back, and only on the page it
    was typed on.
    """
    link_id = session.get(RESTORE_KEY)
    user = signed_in_user()
    if link_id is None or user is None:
        return None
    link = db.session.scalar(select(EmailLink).where(EmailLink.id == link_id))
    destination = safe_next(link.next_url) if link else None
    if link is None or link.draft is None or link.email != user.user.email:
        session.pop(RESTORE_KEY, None)
        return None
    if destination is None or destination.split("?")[0] != path:
        return None
    session.pop(RESTORE_KEY, None)
    return dict(link.draft)
