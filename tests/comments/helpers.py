"""Sending the comment form as a person does: the page first, then its form."""

from __future__ import annotations

import html
import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from consult.accounts.models import User
from consult.comments.models import Comment, CommentStatus, RejectionReason
from consult.consultations.models import Consultation
from consult.core.models import utcnow
from consult.extensions import db
from tests.accounts.helpers import csrf_token_of
from tests.factories import make_comment


def form_key_of(page: str) -> str:
    match = re.search(r'name="form_key" type="hidden" value="([^"]+)"', page) or re.search(
        r'id="form_key" name="form_key" type="hidden" value="([^"]+)"', page
    )
    assert match is not None, "no comment form on the page"
    return html.unescape(match[1])


def comment_form_of(page: str, **fields: str) -> dict[str, str]:
    """What the comment form on `page` sends, with `fields` typed in."""
    return {
        "csrf_token": csrf_token_of(page),
        "form_key": form_key_of(page),
        "language": "en",
        "identity": "name",
        **fields,
    }


def send_comment(client: FlaskClient, path: str, body: str, **fields: str) -> TestResponse:
    page = client.get(path).get_data(as_text=True)
    return client.post(path, data=comment_form_of(page, body=body, **fields))


def comment_in(
    status: CommentStatus, consultation: Consultation, author: User, **fields: Any
) -> Comment:
    """A comment in `status`, with the time that status was reached."""
    comment = make_comment(consultation, author, status=CommentStatus.PENDING, **fields)
    now = utcnow()
    comment.status = status
    if status is CommentStatus.REJECTED:
        comment.rejection_reason = RejectionReason.OTHER
    if status in (CommentStatus.PUBLISHED, CommentStatus.HIDDEN):
        comment.published_at = now
    if status is CommentStatus.HIDDEN:
        comment.hidden_at = now
    if status is CommentStatus.WITHDRAWN:
        comment.withdrawn_at = now
    db.session.commit()
    return comment
