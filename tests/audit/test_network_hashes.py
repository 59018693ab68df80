"""The audit log keeps network addresses only as keyed hashes, and forgets even those."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from consult import create_app
from consult.audit.models import AuditEntry
from consult.audit.operations import network_hash, record
from consult.config import Config
from consult.core.models import utcnow
from consult.extensions import db
from tests.accounts.staff_helpers import sign_in_staff

ADDRESS = "203.0.113.7"


def entries() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


@pytest.mark.db
def test_a_failed_sign_in_is_logged_with_a_hash_of_the_address_not_the_address(
    app: Flask, client: FlaskClient
) -> None:
    sign_in_staff(client, "nobody@example.org", environ={"REMOTE_ADDR": ADDRESS})
    sign_in_staff(client, "nobody@example.org", environ={"REMOTE_ADDR": ADDRESS})
    sign_in_staff(client, "nobody@example.org", environ={"REMOTE_ADDR": "198.51.100.1"})

    first, again, elsewhere = entries()
    assert re.fullmatch(r"[0-9a-f]{64}", first.network_hash or "")
    # Repeats from one place show as such; another place differs.
    assert again.network_hash == first.network_hash
    assert elsewhere.network_hash != first.network_hash
    with app.app_context():
        assert first.network_hash == network_hash(ADDRESS)
    stored = " ".join(str(value) for value in vars(first).values())
    assert ADDRESS not in stored


def test_the_hash_depends_on_the_site_secret(app: Flask) -> None:
    other = create_app(replace(app.extensions["consult_config"], secret_key="another secret"))
    with app.app_context():
        ours = network_hash(ADDRESS)
    with other.app_context():
        theirs = network_hash(ADDRESS)
    assert ours != theirs


@pytest.mark.db
def test_purge_clears_old_hashes_and_keeps_the_entries(app: Flask, runner: FlaskCliRunner) -> None:
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": ADDRESS}):
        old = record("auth.sign_in_failed", email="old@example.org")
        recent = record("auth.sign_in_failed", email="recent@example.org")
        old.created_at = utcnow() - timedelta(days=31)
        recent.created_at = utcnow() - timedelta(days=29)
        db.session.commit()

    result = runner.invoke(args=["consult", "purge"])

    assert result.exit_code == 0, result.output
    assert "cleared the network hash of 1 audit entry" in result.output
    old_entry, recent_entry = entries()
    assert old_entry.network_hash is None
    assert old_entry.details == {"email": "old@example.org"}
    assert recent_entry.network_hash is not None

    assert "of 1 audit entry" in runner.invoke(args=["consult", "purge", "--days", "0"]).output
    assert [entry.network_hash for entry in entries()] == [None, None]


def test_the_retention_is_configured_in_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Config.from_env(tmp_path).network_hash_days == 30
    monkeypatch.setenv("CONSULT_NETWORK_HASH_DAYS", "7")
    assert Config.from_env(tmp_path).network_hash_days == 7
