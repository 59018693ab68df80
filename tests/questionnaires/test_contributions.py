"""My contributions lists my responses to calls for input, drafts and submitted."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.accounts.models import User
from consult.extensions import db
from tests.accounts.helpers import sign_in_participant
from tests.factories import make_comment, make_consultation
from tests.questionnaires.helpers import FORM, full_answers, name_of, send_answers, survey

CONTRIBUTIONS = "/en/account/contributions/"


@pytest.mark.db
def test_my_contributions_list_my_responses(client: FlaskClient) -> None:
    _, q = survey()
    sign_in_participant(client)
    send_answers(client, {name_of(q["story"]): "Later."}, action="draft")
    page = client.get(CONTRIBUTIONS).get_data(as_text=True)
    assert "Survey</span>: call for input" in page
    assert "Draft, not sent" in page and "Last saved on" in page
    assert f'href="{FORM}">See or change your answers</a>' in page
    # Not a comment: the empty-comments sentence stays away.
    assert "You have not commented yet." not in page

    send_answers(client, full_answers(q))
    page = client.get(CONTRIBUTIONS).get_data(as_text=True)
    assert "Submitted on" in page and "Draft, not sent" not in page


@pytest.mark.db
def test_responses_and_comments_are_listed_together(client: FlaskClient) -> None:
    _, q = survey()
    sign_in_participant(client)
    send_answers(client, full_answers(q))
    author = db.session.scalars(select(User)).one()
    paper = make_consultation("ai", sections={"1": {"en": "Principles."}})
    make_comment(paper, author, body="Name the IPU.")
    page = client.get(CONTRIBUTIONS).get_data(as_text=True)
    assert "call for input" in page and "Name the IPU." in page


def test_nothing_yet(client: FlaskClient) -> None:
    sign_in_participant(client)
    assert "You have not commented yet." in client.get(CONTRIBUTIONS).get_data(as_text=True)
