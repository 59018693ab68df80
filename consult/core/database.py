"""Database behaviour that must hold on every connection."""

from __future__ import annotations

import sqlite3
from contextvars import ContextVar
from typing import Any

from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

_configured = False
# Whether the current unit of work may write: requests say so; everything else
# (commands, the mail sender) may.
_may_write: ContextVar[bool] = ContextVar("sqlite_may_write", default=True)


def configure_sqlite() -> None:
    """Make SQLite behave like a database that several writers share.

    WAL lets readers go on while one writes; the busy timeout makes a second
    writer wait instead of failing; foreign keys are off by default in SQLite.
    Python's sqlite3 module also opens transactions late and on its own terms,
    which breaks savepoints: we take over and emit BEGIN ourselves (the recipe
    in SQLAlchemy's SQLite documentation).
    """
    global _configured
    if _configured:
        return
    _configured = True

    @event.listens_for(Engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.close()

    @event.listens_for(Engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.dialect.name == "sqlite":
            # A writer takes the write lock at its start, so that two writers queue
            # on the busy timeout; one that read first and wrote later would fail
            # with "database is locked" instead. Reads take no write lock.
            connection.exec_driver_sql("BEGIN IMMEDIATE" if _may_write.get() else "BEGIN")


def init_write_tracking(app: Flask) -> None:
    """Requests that cannot write (GET, HEAD, OPTIONS) open read transactions."""

    @app.before_request
    def _reading_or_writing() -> None:
        _may_write.set(request.method not in ("GET", "HEAD", "OPTIONS"))

    @app.teardown_request
    def _back_to_writing(error: BaseException | None) -> None:
        _may_write.set(True)
