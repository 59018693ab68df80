"""Fixtures for tests that drive a real Chromium through Playwright.

The browser needs a server it can reach over HTTP, so these tests run against
their own SQLite file database, built by the migrations and filled with the demo,
never the suite's savepoint-isolated one (a server thread cannot share its
rolled-back transaction). They never take the `backend` fixture: SQLite only.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from consult import create_app
from consult.config import Config
from consult.core.models import utcnow
from consult.demo.loader import load_demo
from consult.extensions import db
from tests.conftest import IN_CI, make_config

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Keep the browser quiet: no GPU on a headless machine, and no calls home, so that
# the only traffic is to the live server.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with the demo loaded, served on a free local port; yields its base URL."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'live.sqlite3'}"
    config: Config = make_config(url)
    app = create_app(config)
    with app.app_context():
        # The migrations, not create_all: the browser sees the schema production gets.
        upgrade()
        load_demo(utcnow(), config.locales)
        db.session.commit()
        db.session.remove()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    if Path(candidate).is_file() and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which(candidate)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        reason = (
            f"Chromium not found at {os.environ.get('CHROMIUM_PATH') or DEFAULT_CHROMIUM} "
            "(install Debian's `chromium` or set CHROMIUM_PATH)"
        )
        if IN_CI:
            # CI must run the browser tests; a silent skip would hide a broken image.
            pytest.fail(f"{reason}: under CI=true that is a failure")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        # Playwright cannot download its own browsers here: use the system's Chromium.
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context per test: no cookies (the saved language) leak between tests."""
    context = browser.new_context(locale="en-US")
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_up_on_the_sign_in_page(
    page: Page,
    capfd: pytest.CaptureFixture[str],
    lang: str,
    email: str,
    profile: dict[str, str],
) -> None:
    """From the sign-in page a form sent us to: ask for the link, open the e-mail
    printed by the development outbox, continue, and complete the profile."""
    capfd.readouterr()
    page.locator("#email").fill(email)
    page.locator("main form button[type=submit]").click()
    link = re.compile(rf"https?://\S+/{lang}/account/link/[A-Za-z0-9_\-]+")
    match = link.search(capfd.readouterr().out)
    assert match
    page.goto(match[0])
    page.locator("main form button").click()
    page.locator("#display_name").fill(profile["display_name"])
    page.locator("#organisation").fill(profile["organisation"])
    page.locator("#stakeholder_group").select_option(profile["stakeholder_group"])
    page.locator("#country").select_option(profile["country"])
    page.locator("#accept_privacy").check()
    page.locator("main form button[type=submit]").first.click()
