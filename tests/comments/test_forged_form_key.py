"""A comment form whose key was not made by us is refused, and the text is kept."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.comments.models import Comment
from consult.extensions import db
from tests.accounts.helpers import sign_in_participant
from tests.comments.helpers import comment_form_of
from tests.factories import make_consultation

SECTION = "/en/consultations/ai/sections/1/"


@pytest.mark.db
@pytest.mark.parametrize("key", ["k\x00", "k ey", "<script>", "k\n"])
def test_a_forged_form_key_keeps_the_text_and_saves_nothing(client: FlaskClient, key: str) -> None:
    # A NUL in the key reached PostgreSQL, which refuses it: it was a server error.
    make_consultation("ai", sections={"1": {"en": "Regulate by principles."}})
    sign_in_participant(client)
    page = client.get(SECTION).get_data(as_text=True)
    data = comment_form_of(page, body="Kept as typed.", form_key=key)
    response = client.post(SECTION, data=data)
    assert response.status_code == 200
    assert "Kept as typed.</textarea>" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0
