"""What staff type into the account search and the audit filter reaches the database clean."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from consult.accounts.models import Role
from tests.accounts.staff_helpers import staff_client


@pytest.mark.db
def test_control_characters_in_the_searches_are_dropped_not_an_error(
    client: FlaskClient,
) -> None:
    # PostgreSQL refuses a NUL in any text, even one only compared: it was a 500.
    admin = staff_client(client, "admin@example.org", Role.ADMIN)
    users = admin.get("/en/manage/users/?q=adm%00in&everyone=y")
    assert users.status_code == 200
    assert "admin@example.org" in users.get_data(as_text=True)
    audit = admin.get("/en/manage/audit/?action=auth%00.")
    assert audit.status_code == 200
    assert 'value="auth."' in audit.get_data(as_text=True)
