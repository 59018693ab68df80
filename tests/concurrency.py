"""For tests whose sessions really commit, several at once: an application on a
database of its own, a participant signed in on it, and one form sent many times
at the same moment."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

from consult import create_app
from consult.extensions import db
from tests.accounts.helpers import (
    complete_profile,
    csrf_token_of,
    last_mail_to,
    link_path_in,
    press_continue,
)
from tests.conftest import drop_postgres_database, fresh_postgres_database, make_config


@contextmanager
def app_on_own_database(backend: str, tmp_path: Path, name: str) -> Iterator[Flask]:
    """An application on an empty database of its own, with the schema built."""
    database = f"consult_{name}_{os.getpid()}"
    if backend == "postgresql":
        url = fresh_postgres_database(database)
    else:
        url = f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
    application = create_app(make_config(url))
    with application.app_context():
        db.create_all()
    try:
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        if backend == "postgresql":
            drop_postgres_database(database)


def signed_in_participant_cookie(app: Flask, email: str) -> str:
    """Sign `email` up by e-mail link on `app`, profile completed; its session cookie."""
    client = app.test_client()
    sign_in = client.get("/en/account/sign-in").get_data(as_text=True)
    client.post("/en/account/sign-in", data={"email": email, "csrf_token": csrf_token_of(sign_in)})
    # Outside any request: each request must open and close its own session.
    with app.app_context():
        link = link_path_in(last_mail_to(email))
    complete_profile(client, path=press_continue(client, link).headers["Location"])
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def post_at_once(
    app: Flask, path: str, data: dict[str, str], session_cookie: str, copies: int
) -> list[int]:
    """Send the same form `copies` times at the same moment; the status codes."""
    start = threading.Barrier(copies, timeout=30)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send() -> None:
        client = app.test_client()
        client.set_cookie("session", session_cookie)
        try:
            start.wait()
            statuses.append(client.post(path, data=data).status_code)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return statuses
