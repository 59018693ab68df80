"""`flask consult send-mail`: one pass, a loop that stops cleanly, a clear error."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, scoped_session

from consult import create_app
from consult.config import Config
from consult.extensions import db
from consult.mail.models import OutboxMessage, OutboxStatus
from consult.mail.operations import queue_mail
from tests.conftest import make_config
from tests.mail.conftest import SmtpServer

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def with_smtp(app: Flask, server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> None:
    config: Config = app.extensions["consult_config"]
    monkeypatch.setitem(
        app.extensions, "consult_config", dataclasses.replace(config, smtp=server.settings)
    )


def test_without_smtp_settings_it_says_mail_stays_in_the_outbox(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["consult", "send-mail"])

    assert result.exit_code == 1
    assert "no SMTP server is configured (set SMTP_HOST)" in result.output
    assert "printed to the console" in result.output


@pytest.mark.db
def test_one_pass_delivers_and_prints_a_summary(
    app: Flask,
    app_context: None,
    db_session: scoped_session[Session],
    runner: FlaskCliRunner,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with_smtp(app, smtp_server, monkeypatch)
    message = queue_mail(
        "reader@example.org", "Sign in", "sign_in_link", "en", link="https://x/", minutes=30
    )
    db_session.commit()

    result = runner.invoke(args=["consult", "send-mail"])

    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("sent 1, will retry 0, failed 0, expired 0")
    assert message.status is OutboxStatus.SENT
    assert smtp_server.recipients() == ["reader@example.org"]


@pytest.mark.db
def test_one_pass_with_the_server_down_says_so_counts_nothing_and_exits_1(
    app: Flask,
    app_context: None,
    db_session: scoped_session[Session],
    runner: FlaskCliRunner,
    smtp_server_down: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with_smtp(app, smtp_server_down, monkeypatch)
    message = queue_mail(
        "reader@example.org", "Sign in", "sign_in_link", "en", link="https://x/", minutes=30
    )
    db_session.commit()

    result = runner.invoke(args=["consult", "send-mail"])

    assert result.exit_code == 1, result.output
    assert (
        f"SMTP server unusable: cannot connect to 127.0.0.1:{smtp_server_down.port}"
        in result.output
    )
    assert result.output.strip().endswith("; nothing counted against messages")
    assert message.status is OutboxStatus.PENDING
    assert message.attempts == 0


def run_loop(database_url: str, port: int) -> subprocess.Popen[str]:
    """`send-mail --loop` in a process of its own, so that it can be sent signals."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SMTP_", "CONSULT_", "MAIL_"))
    }
    environment.update(
        DATABASE_URL=database_url,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(port),
        SMTP_SECURITY="none",
        PYTHONUNBUFFERED="1",
    )
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "consult", "send-mail"]
    return subprocess.Popen(
        [*command, "--loop", "--interval", "0.2"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def first_pass_then_stop(process: subprocess.Popen[str], stop_signal: int) -> tuple[str, str]:
    """The first pass's line, and everything after it once the loop is told to stop."""
    try:
        assert process.stdout is not None
        # Start-up may log a line or two before the first pass's summary.
        first_pass = ""
        while "sent " not in first_pass and process.poll() is None:
            first_pass = process.stdout.readline()
        process.send_signal(stop_signal)
        rest, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    return first_pass, rest


def queue_one(database_url: str) -> Flask:
    app = create_app(make_config(database_url))
    with app.app_context():
        db.create_all()
        queue_mail(
            "reader@example.org", "Sign in", "sign_in_link", "en", link="https://x/", minutes=30
        )
        db.session.commit()
        db.engine.dispose()
    return app


def test_loop_with_the_server_down_says_so_and_waits_longer_between_passes(
    tmp_path: Path, smtp_server_down: SmtpServer
) -> None:
    database_url = f"sqlite:///{tmp_path / 'loop.sqlite3'}"
    app = queue_one(database_url)

    first_pass, rest = first_pass_then_stop(
        run_loop(database_url, smtp_server_down.port), signal.SIGTERM
    )

    # The 0.2 s interval gives way to the server backoff, and the signal still ends the wait.
    assert (
        f"; SMTP server unusable: cannot connect to 127.0.0.1:{smtp_server_down.port}" in first_pass
    ), first_pass + rest
    assert first_pass.rstrip().endswith("; nothing counted against messages; next try in 30 s")
    assert rest.strip().endswith("stopped")
    with app.app_context():
        [message] = db.session.scalars(select(OutboxMessage)).all()
        assert message.status is OutboxStatus.PENDING
        assert message.attempts == 0
        db.engine.dispose()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_loop_delivers_then_stops_cleanly_between_passes_on_a_signal(
    tmp_path: Path, smtp_server: SmtpServer, stop_signal: signal.Signals
) -> None:
    database_url = f"sqlite:///{tmp_path / 'loop.sqlite3'}"
    app = queue_one(database_url)
    process = run_loop(database_url, smtp_server.port)

    first_pass, rest = first_pass_then_stop(process, stop_signal)

    assert "sent 1, will retry 0, failed 0, expired 0" in first_pass, first_pass + rest
    assert process.returncode == 0, rest
    assert rest.strip().endswith("stopped")
    assert smtp_server.recipients() == ["reader@example.org"]
    with app.app_context():
        [message] = db.session.scalars(select(OutboxMessage)).all()
        assert message.status is OutboxStatus.SENT
        db.engine.dispose()
