"""Error pages: a failure inside a view shows the translated page, never a stack trace."""

from __future__ import annotations

from pathlib import Path

from consult import create_app
from consult.extensions import db
from tests.conftest import make_config

SECRET_DETAIL = "password=hunter2 in /srv/consult/secret.py"


def test_an_unexpected_error_shows_no_stack_trace_nor_its_message(tmp_path: Path) -> None:
    app = create_app(make_config(f"sqlite:///{tmp_path / 'errors.sqlite3'}"))
    # As in production: the error is answered, not raised into the test.
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/<lang:lang>/boom")
    def boom(lang: str) -> str:
        raise RuntimeError(SECRET_DETAIL)

    with app.app_context():
        db.create_all()
    for path, language in (("/en/boom", "en"), ("/fr/boom", "fr")):
        response = app.test_client().get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 500
        assert response.mimetype == "text/html"
        assert f'<html lang="{language}"' in page
        for leak in ("Traceback", "RuntimeError", SECRET_DETAIL, 'File "', ".py"):
            assert leak not in page, leak


def test_a_missing_page_shows_no_stack_trace(tmp_path: Path) -> None:
    app = create_app(make_config(f"sqlite:///{tmp_path / 'missing.sqlite3'}"))
    with app.app_context():
        db.create_all()
    response = app.test_client().get("/en/no/such/page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in page
    assert "Traceback" not in page
