"""Fixtures for the whole suite.

Every test runs on SQLite. Tests marked `db` also run on PostgreSQL when it
answers (under CI=true it must answer: a missing database fails, never skips).
The schema is built once per backend per session; each test runs inside a
transaction that is rolled back, and the application's commits become savepoints.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from consult import create_app
from consult.accounts import passwords
from consult.config import Config
from consult.extensions import db

IN_CI = os.environ.get("CI") == "true"
POSTGRES_SERVER = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TEST_OUTPUT = Path(__file__).resolve().parent.parent / "test-output"

settings.register_profile(
    "ci", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("fuzz", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _postgres_answers() -> bool:
    try:
        with psycopg.connect(POSTGRES_SERVER, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


POSTGRES_AVAILABLE = _postgres_answers()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that touches the database runs on SQLite; `db` tests on PostgreSQL too."""
    if "backend" not in metafunc.fixturenames:
        return
    backends = ["sqlite"]
    if metafunc.definition.get_closest_marker("db"):
        backends.append("postgresql")
    metafunc.parametrize("backend", backends, scope="session")


def require_postgres() -> None:
    if POSTGRES_AVAILABLE:
        return
    message = f"PostgreSQL does not answer at {POSTGRES_SERVER}"
    if IN_CI:
        pytest.fail(f"{message}: under CI=true that is a failure")
    pytest.skip(message)


def fresh_postgres_database(name: str) -> str:
    """Drop and create database `name`; return its SQLAlchemy URL."""
    require_postgres()
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    server = POSTGRES_SERVER.rsplit("/", 1)[0]
    return server.replace("postgresql://", "postgresql+psycopg://", 1) + f"/{name}"


def drop_postgres_database(name: str) -> None:
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_config(database_url: str) -> Config:
    return Config(database_url=database_url, secret_key="test-secret", testing=True)


# Argon2 at production's cost (RFC 9106: 64 MiB, three passes) takes a tenth of a
# second a hash, and the suite makes and checks staff passwords thousands of times:
# that alone was most of its running time. The tests use one pass over 8 MiB;
# tests of the parameters themselves ask for `production_password_hashing`.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", FAST_HASHER)
        yield


@pytest.fixture
def production_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher())


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    database = f"consult_suite_{os.getpid()}"
    if backend == "postgresql":
        url = fresh_postgres_database(database)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'suite.sqlite3'}"
    application = create_app(make_config(url))
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.engine.dispose()
    if backend == "postgresql":
        drop_postgres_database(database)


@pytest.fixture
def db_session(app: Flask) -> Iterator[scoped_session[Session]]:
    """A session inside a transaction that is rolled back after the test.

    No application context stays pushed: each request in the test gets its own,
    as in production, so nothing cached in `g` leaks from one request to the next.
    """
    with app.app_context():
        connection = db.engine.connect()
    transaction = connection.begin()
    session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    )
    original = db.session
    db.session = session
    try:
        yield session
    finally:
        session.remove()
        transaction.rollback()
        connection.close()
        db.session = original


@pytest.fixture
def client(app: Flask, db_session: scoped_session[Session]) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask, db_session: scoped_session[Session]) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def app_context(app: Flask, db_session: scoped_session[Session]) -> Iterator[None]:
    with app.test_request_context("/en/"):
        yield


@pytest.fixture(scope="session")
def test_output() -> Path:
    TEST_OUTPUT.mkdir(exist_ok=True)
    return TEST_OUTPUT
