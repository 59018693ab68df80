"""Concurrent SQLite writers wait for each other instead of failing."""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from consult import create_app
from consult.accounts.models import User
from consult.extensions import db
from tests.conftest import make_config


def test_two_writers_that_read_first_both_succeed(tmp_path: Path) -> None:
    app = create_app(make_config(f"sqlite:///{tmp_path / 'writers.sqlite3'}"))
    with app.app_context():
        db.create_all()
    errors: list[BaseException] = []
    both_have_read = threading.Barrier(2, timeout=10)

    def read_then_write(email: str) -> None:
        try:
            with app.app_context():
                # Reading first is what every operation does (is the address taken?).
                db.session.scalar(select(func.count()).select_from(User))
                # With the write lock taken at the start, the other writer waits
                # before its read, so the barrier breaks: it is simply our turn.
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_have_read.wait(timeout=0.5)
                time.sleep(0.1)
                db.session.add(User(email=email))
                db.session.commit()
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=read_then_write, args=(f"w{n}@example.org",)) for n in (1, 2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2
        db.engine.dispose()
