"""A real SMTP server on loopback (aiosmtpd) and databases of the tests' own."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from flask import Flask

from consult import create_app
from consult.config import SmtpSettings
from consult.extensions import db
from tests.conftest import drop_postgres_database, fresh_postgres_database, make_config

MAIL_FROM = "Consult <no-reply@consult.example>"


class RecordingHandler:
    """Accepts every message, except for the recipients told to refuse, and keeps them."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        # recipient -> the reply to RCPT TO, such as "550 5.1.1 No such mailbox"
        self.refuse: dict[str, str] = {}
        # Recipients whose message the server sits on, after DATA, for this many seconds.
        self.hang: dict[str, float] = {}
        # Whether MAIL FROM needs a successful AUTH first.
        self.require_sign_in = False

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        # aiosmtpd's own `auth_required` warns without TLS, and warnings fail the suite.
        if self.require_sign_in and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        hang = max((self.hang.get(r, 0.0) for r in envelope.rcpt_tos), default=0.0)
        if hang:
            await asyncio.sleep(hang)
            return "451 4.3.0 Took too long"
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class SmtpServer:
    """An SMTP server on a free loopback port, which a test can start and stop.

    With `credentials`, it takes mail only after AUTH with that user name and
    password (over plain SMTP: this is loopback).
    """

    def __init__(self, credentials: tuple[str, str] | None = None) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port: int = probe.getsockname()[1]
        self.handler = RecordingHandler()
        self.credentials = credentials
        self._controller: Controller | None = None

    @property
    def settings(self) -> SmtpSettings:
        return SmtpSettings(host="127.0.0.1", port=self.port, security="none", timeout=5)

    def settings_with(self, **changes: object) -> SmtpSettings:
        return dataclasses.replace(self.settings, **changes)  # type: ignore[arg-type]

    def start(self) -> None:
        self.handler.require_sign_in = self.credentials is not None
        self._controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            server_hostname="smtp.test",
            enable_SMTPUTF8=True,
            authenticator=self._authenticate if self.credentials is not None else None,
            auth_require_tls=self.credentials is None,
        )
        self._controller.start()

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: object
    ) -> AuthResult:
        given = (
            (data.login.decode(), data.password.decode())
            if isinstance(data, LoginPassword)
            else None
        )
        return AuthResult(success=given is not None and given == self.credentials, handled=False)

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def raw_messages(self) -> list[bytes]:
        """What the server received, as it came over the wire."""
        return [envelope.original_content or b"" for envelope in self.handler.envelopes]

    def messages(self) -> list[EmailMessage]:
        """What the server received, parsed."""
        parser = BytesParser(policy=default)
        found = []
        for raw in self.raw_messages():
            message = parser.parsebytes(raw)
            assert isinstance(message, EmailMessage)
            found.append(message)
        return found

    def recipients(self) -> list[str]:
        return [r for envelope in self.handler.envelopes for r in envelope.rcpt_tos]


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A server that is up."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server_with_sign_in() -> Iterator[SmtpServer]:
    """A server that is up and wants AUTH as "consult" with password "right"."""
    server = SmtpServer(credentials=("consult", "right"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server_down() -> Iterator[SmtpServer]:
    """A port with nothing listening on it, until the test starts the server."""
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def own_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database for tests whose sessions really commit (several at once)."""
    if backend == "postgresql":
        name = f"consult_mail_{os.getpid()}"
        yield fresh_postgres_database(name)
        drop_postgres_database(name)
    else:
        yield f"sqlite:///{tmp_path / 'mail.sqlite3'}"


@pytest.fixture
def own_app(own_database_url: str) -> Iterator[Flask]:
    """An application on a database of the test's own, with the schema built."""
    application = create_app(make_config(own_database_url))
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.engine.dispose()
