"""`flask db upgrade` on an empty database gives exactly the models' schema."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from consult import create_app
from consult.extensions import db
from tests.conftest import drop_postgres_database, fresh_postgres_database, make_config

OPENS = datetime(2030, 1, 10, 8, 0, tzinfo=UTC)
CLOSES = datetime(2030, 2, 10, 22, 59, tzinfo=UTC)


def _empty_database(backend: str, tmp_path: Path, name: str) -> Iterator[str]:
    if backend == "postgresql":
        database = f"consult_{name}_{os.getpid()}"
        yield fresh_postgres_database(database)
        drop_postgres_database(database)
    else:
        yield f"sqlite:///{tmp_path / name}.sqlite3"


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    yield from _empty_database(backend, tmp_path, "migrations")


@pytest.fixture
def models_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    yield from _empty_database(backend, tmp_path, "models")


def check_constraints(url: str, build: Callable[[], None]) -> dict[str, set[str | None]]:
    """Each table's CHECK constraints, by name, in a database built by `build`."""
    app = create_app(make_config(url))
    with app.app_context():
        build()
        inspector = inspect(db.engine)
        found = {
            table: {c["name"] for c in inspector.get_check_constraints(table)}
            for table in inspector.get_table_names()
            if table != "alembic_version"
        }
        db.engine.dispose()
    return found


@pytest.mark.db
def test_upgrade_on_empty_database_gives_the_models_schema(empty_database_url: str) -> None:
    app = create_app(make_config(empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    assert differences == []


@pytest.mark.db
def test_downgrade_to_base_then_upgrade_again(empty_database_url: str) -> None:
    app = create_app(make_config(empty_database_url))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "sections" in inspect(db.engine).get_table_names()
        db.engine.dispose()


@pytest.mark.db
def test_upgrade_creates_the_models_check_constraints(
    empty_database_url: str, models_database_url: str
) -> None:
    # compare_metadata does not look at CHECK constraints: compare them as built.
    migrated = check_constraints(empty_database_url, upgrade)
    from_models = check_constraints(models_database_url, db.create_all)
    assert migrated == from_models
    assert "ck_consultations_published_has_window" in migrated["consultations"]


@pytest.mark.db
def test_a_consultation_published_before_notices_existed_gets_them(
    empty_database_url: str,
) -> None:
    # Published before the first publication was recorded: it has had readers.
    app = create_app(make_config(empty_database_url))
    with app.app_context():
        upgrade(revision="e4bda9a95254")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO consultations (slug, default_locale, offered_locales, "
                    "opens_at, closes_at, timezone, moderation_mode, published_at, "
                    "created_at, updated_at) VALUES (:slug, 'en', '[\"en\"]', :opens, "
                    ":closes, 'UTC', 'pre', :published, :opens, :opens)"
                ),
                [
                    {"slug": slug, "opens": OPENS, "closes": CLOSES, "published": published}
                    for slug, published in (("live", OPENS), ("draft", None))
                ],
            )
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT slug, first_published_at FROM consultations ORDER BY slug")
            ).all()
        db.engine.dispose()
    assert [(slug, first is not None) for slug, first in rows] == [
        ("draft", False),
        ("live", True),
    ]
