"""Headers every response carries, whatever the page."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.factories import make_consultation

PATHS = [
    "/",
    "/en/",
    "/ar/consultations/headers/",
    "/fr/consultations/headers/sections/1/",
    "/xx/",
    "/healthz",
    "/static/consult.css",
]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_forbids_third_party_content_and_framing(
    client: FlaskClient, path: str
) -> None:
    make_consultation("headers", sections={"1": {"en": "Text"}})
    response = client.get(path)
    response.close()  # static files are streamed from an open file
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(client: FlaskClient) -> None:
    make_consultation("inline", sections={"1": {"en": "Text"}})
    for path in ("/en/", "/ar/consultations/inline/", "/en/consultations/inline/sections/1/"):
        page = client.get(path).get_data(as_text=True)
        # Scripts only from our own files: a <script> without src would be inline.
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)
        assert "<style" not in page
        assert " style=" not in page
