"""The queue's filters come from the address: one that is not offered filters nothing."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from consult.accounts.models import Role
from consult.comments.models import CommentStatus
from tests.accounts.staff_helpers import staff_client
from tests.factories import make_comment
from tests.moderation.helpers import author, paper


@pytest.mark.db
def test_a_language_or_section_not_offered_shows_the_whole_queue(client: FlaskClient) -> None:
    # A hand-made language with a NUL went to PostgreSQL as it was: a server error.
    consultation = paper()
    writer = author()
    make_comment(consultation, writer, status=CommentStatus.PENDING, body="On one", section_key="1")
    moderator = staff_client(client, "moderator@example.org", Role.MODERATOR)
    for query in ("language=%00es", "language=xx", "section=%00", "section=nope"):
        response = moderator.get(f"/en/manage/moderation/ai-paper/?{query}")
        assert response.status_code == 200, query
        assert "On one" in response.get_data(as_text=True), query
