"""Open data: anyone downloads the published comments of a consultation that offers them,
with authors named as on the public pages."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from consult import create_app
from consult.audit.models import AuditEntry
from consult.consultations.models import Consultation
from consult.core.models import utcnow
from consult.extensions import db
from tests.conftest import make_config
from tests.exports.helpers import ARABIC_COMMENT, at, make_known_consultation, valid_json_export
from tests.factories import make_comment, make_consultation, make_participant

CSV_PATH = "/en/consultations/ai-paper/open-data/comments.csv"
JSON_PATH = "/en/consultations/ai-paper/open-data/comments.json"
PUBLISHED_BODIES = 6
# Columns that only staff exports carry.
STAFF_COLUMNS = {"email", "reports", "moderated_at", "rejection_reason"}


def csv_rows(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def an_open_paper(slug: str = "open-paper") -> None:
    consultation = make_consultation(slug, sections={"1": {"en": "Section one."}})
    make_comment(consultation, make_participant(f"{slug}@example.org"), section_key="1")


def fetch(client: FlaskClient, path: str) -> TestResponse:
    """The page or file at `path`, read to its end (a download is streamed)."""
    return client.get(path, buffered=True)


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry)) or 0


@pytest.mark.db
@pytest.mark.parametrize("path", [CSV_PATH, JSON_PATH])
def test_a_closed_consultation_offers_its_comments_to_anyone(
    client: FlaskClient, path: str
) -> None:
    make_known_consultation()  # closed on 19 September 2024
    response = fetch(client, path)
    assert response.status_code == 200
    extension = path.rsplit(".", 1)[1]
    what = "comments" if extension == "csv" else "feedback"
    assert response.headers["Content-Disposition"].startswith(
        f"attachment; filename=ai-paper-{what}-"
    )
    assert response.headers["Content-Disposition"].endswith(f".{extension}")
    assert response.headers["Content-Type"].startswith(
        "text/csv" if extension == "csv" else "application/json"
    )
    # Public: nothing written to the audit log.
    assert audit_count() == 0


@pytest.mark.db
def test_open_data_holds_published_comments_named_as_on_the_public_pages(
    client: FlaskClient,
) -> None:
    make_known_consultation()
    rows = csv_rows(fetch(client, CSV_PATH).get_data())
    assert len(rows) == PUBLISHED_BODIES
    assert {row["status"] for row in rows} == {"published"}
    assert not STAFF_COLUMNS & set(rows[0])
    anonymous = next(row for row in rows if row["identity"] == "anonymous")
    # "Anonymous, civil society" and no more: a country could single out the author.
    assert (anonymous["author_name"], anonymous["organisation"], anonymous["country"]) == (
        "",
        "",
        "",
    )
    assert anonymous["stakeholder_group"] == "civil_society"
    organisation_only = next(row for row in rows if row["identity"] == "organisation")
    assert organisation_only["author_name"] == ""
    assert organisation_only["organisation"] == "Open Data Lab"
    assert organisation_only["country"] == "CA"
    assert ARABIC_COMMENT in {row["body"] for row in rows}
    text = fetch(client, CSV_PATH).get_data(as_text=True)
    for secret in ("PENDING-TEXT", "REJECTED-TEXT", "HIDDEN-TEXT", "WITHDRAWN-TEXT", "@"):
        assert secret not in text


@pytest.mark.db
def test_open_data_json_holds_no_responses_and_no_addresses(client: FlaskClient) -> None:
    make_known_consultation()
    data = valid_json_export(fetch(client, JSON_PATH).get_data())
    text = json.dumps(data, ensure_ascii=False)
    assert ARABIC_COMMENT in text
    for secret in ("PENDING-TEXT", "HIDDEN-TEXT", "Comisión de Ciencia", "DRAFT-TEXT", "@", "TV"):
        assert secret not in text


@pytest.mark.db
def test_the_urls_language_is_the_files_language(client: FlaskClient) -> None:
    make_known_consultation()
    rows = csv_rows(fetch(client, CSV_PATH.replace("/en/", "/ar/")).get_data())
    assert {row["section_title"] for row in rows if row["section_key"] == "1.a"} == {"المبادئ"}


@pytest.mark.db
@pytest.mark.parametrize("path", [CSV_PATH, JSON_PATH])
def test_a_draft_offers_nothing(client: FlaskClient, path: str) -> None:
    known = make_known_consultation()
    known.consultation.published_at = None
    db.session.commit()
    assert fetch(client, path).status_code == 404


@pytest.mark.db
def test_an_open_consultation_offers_nothing_until_its_editor_allows_it(
    client: FlaskClient,
) -> None:
    an_open_paper()
    path = "/en/consultations/open-paper/open-data/comments.csv"
    assert fetch(client, path).status_code == 404
    assert "open-data" not in fetch(client, "/en/consultations/open-paper/").get_data(as_text=True)


@pytest.mark.db
def test_an_editor_may_offer_open_data_before_the_close(client: FlaskClient) -> None:
    an_open_paper()
    consultation = db.session.scalars(
        select(Consultation).where(Consultation.slug == "open-paper")
    ).one()
    consultation.open_data_before_close = True
    db.session.commit()
    assert fetch(client, "/en/consultations/open-paper/open-data/comments.csv").status_code == 200
    page = fetch(client, "/en/consultations/open-paper/").get_data(as_text=True)
    assert "/en/consultations/open-paper/open-data/comments.csv" in page
    assert "/en/consultations/open-paper/open-data/comments.json" in page


@pytest.mark.db
def test_open_data_starts_at_the_close(client: FlaskClient) -> None:
    an_open_paper()
    closes_at = utcnow() + timedelta(weeks=4)
    path = "/en/consultations/open-paper/open-data/comments.json"
    with time_machine.travel(closes_at - timedelta(minutes=1), tick=False):
        assert fetch(client, path).status_code == 404
    with time_machine.travel(closes_at + timedelta(minutes=1), tick=False):
        assert fetch(client, path).status_code == 200


@pytest.mark.db
def test_the_consultation_page_links_open_data_once_closed(client: FlaskClient) -> None:
    make_known_consultation()
    page = fetch(client, "/en/consultations/ai-paper/").get_data(as_text=True)
    assert 'href="/en/consultations/ai-paper/open-data/comments.csv"' in page
    assert 'href="/en/consultations/ai-paper/open-data/comments.json"' in page
    assert "Authors appear as on this site" in page


def test_each_network_address_downloads_sixty_files_an_hour(tmp_path: Path) -> None:
    config = replace(
        make_config(f"sqlite:///{tmp_path / 'limits.sqlite3'}"), rate_limits_in_tests=True
    )
    app = create_app(config)
    with app.app_context():
        db.create_all()
        make_consultation("closed", opens_at=at(1), closes_at=at(2))
    client = app.test_client()
    paths = ["/en/consultations/closed/open-data/comments.csv"] * 30
    paths += ["/en/consultations/closed/open-data/comments.json"] * 30
    here, elsewhere = {"REMOTE_ADDR": "203.0.113.7"}, {"REMOTE_ADDR": "198.51.100.1"}
    assert {client.get(path, environ_base=here, buffered=True).status_code for path in paths} == {
        200
    }
    assert client.get(paths[0], environ_base=here, buffered=True).status_code == 429
    assert client.get(paths[0], environ_base=elsewhere, buffered=True).status_code == 200
