"""Downloads streamed through the application's real database session, on a database
of their own: the suite's usual rolled-back session lives across requests, which would
hide a stream that reads after its request's session has closed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from consult.accounts.models import Role
from consult.exports import queries
from tests.accounts.staff_helpers import make_staff, post_form, sign_in_staff
from tests.concurrency import app_on_own_database
from tests.exports.helpers import ARABIC_COMMENT, make_known_consultation, valid_json_export

EXPORT_PAGE = "/en/manage/consultations/ai-paper/exports/"


@pytest.fixture(params=["sqlite", "postgresql"])
def committing_app(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    """The known consultation on a database of its own, read one row per batch, so that
    every batch boundary (and on PostgreSQL the server-side cursor beside the answers'
    queries) is crossed."""
    monkeypatch.setattr(queries, "BATCH_SIZE", 1)
    with app_on_own_database(request.param, tmp_path, "export_stream") as app:
        with app.app_context():
            make_known_consultation()
            make_staff("editor@example.org", Role.EDITOR)
        yield app


def test_a_streamed_json_export_is_whole_and_valid(committing_app: Flask) -> None:
    client = committing_app.test_client()
    sign_in_staff(client, "editor@example.org")

    response = post_form(client, EXPORT_PAGE, EXPORT_PAGE, format="json", statuses="published")

    assert response.status_code == 200
    document = valid_json_export(response.get_data())
    comments = [c["body"] for s in document["sections"] for c in s["comments"]]
    assert ARABIC_COMMENT in comments
    assert len(comments) + len(document["general_comments"]) == 6
    assert len(document["questionnaire"]["responses"]) == 2


def test_a_streamed_responses_csv_has_every_response(committing_app: Flask) -> None:
    client = committing_app.test_client()
    sign_in_staff(client, "editor@example.org")

    response = post_form(
        client, EXPORT_PAGE, EXPORT_PAGE, format="csv", content="responses", statuses="published"
    )

    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [row["language"] for row in rows] == ["es", "ar"]
    assert rows[0]["2. Your committee's work?"] == "Comisión de Ciencia.\nSecond line."


def test_open_data_streams_for_a_visitor(committing_app: Flask) -> None:
    response = committing_app.test_client().get("/en/consultations/ai-paper/open-data/comments.csv")

    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == 6
    assert ARABIC_COMMENT in [row["body"] for row in rows]
