"""Rate limits on asking for links, kept in memory or shared through Redis."""

from __future__ import annotations

import os
import socket
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask

from consult import create_app
from consult.extensions import db
from tests.accounts.helpers import csrf_token_of
from tests.conftest import IN_CI, make_config

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def limited_app(tmp_path: Path, storage: str = "memory://") -> Flask:
    tmp_path.mkdir(parents=True, exist_ok=True)
    config = replace(
        make_config(f"sqlite:///{tmp_path / 'limits.sqlite3'}"),
        rate_limits_in_tests=True,
        ratelimit_storage_uri=storage,
    )
    app = create_app(config)
    with app.app_context():
        db.create_all()
    return app


def ask(app: Flask, email: str, address: str = "203.0.113.7") -> int:
    client = app.test_client()
    page = client.get("/en/account/sign-in").get_data(as_text=True)
    return client.post(
        "/en/account/sign-in",
        data={"email": email, "csrf_token": csrf_token_of(page)},
        environ_base={"REMOTE_ADDR": address},
    ).status_code


def test_one_address_gets_at_most_five_links_an_hour(tmp_path: Path) -> None:
    app = limited_app(tmp_path)
    answers = [ask(app, "flood@example.org", f"198.51.100.{n}") for n in range(6)]
    assert answers == [302] * 5 + [429]
    assert ask(app, "someone.else@example.org") == 302


def test_one_network_address_asks_for_at_most_twenty_links_an_hour(tmp_path: Path) -> None:
    app = limited_app(tmp_path)
    answers = [ask(app, f"person{n}@example.org") for n in range(21)]
    assert answers[-1] == 429
    assert set(answers[:20]) == {302}


def test_a_refusal_is_a_translated_page(tmp_path: Path) -> None:
    app = limited_app(tmp_path)
    for _ in range(5):
        ask(app, "flood@example.org")
    client = app.test_client()
    page = client.get("/fr/account/sign-in").get_data(as_text=True)
    response = client.post(
        "/fr/account/sign-in",
        data={"email": "flood@example.org", "csrf_token": csrf_token_of(page)},
    )
    assert response.status_code == 429
    assert '<html lang="fr"' in response.get_data(as_text=True)
    # How long to wait, for the browser and for scripts.
    assert int(response.headers["Retry-After"]) > 0


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            return True
    except OSError:
        return False


def test_limits_are_shared_by_app_servers_through_redis(tmp_path: Path) -> None:
    if not _redis_answers():
        if IN_CI:
            pytest.fail("Redis does not answer at 127.0.0.1:6379: under CI=true that is a failure")
        pytest.skip("Redis does not answer at 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    first_server = limited_app(tmp_path / "a", REDIS_URL)
    second_server = limited_app(tmp_path / "b", REDIS_URL)
    answers = [
        ask(server, "shared@example.org")
        for server in (first_server, second_server, first_server, second_server,
                       first_server, second_server)
    ]  # fmt: skip
    assert answers == [302] * 5 + [429]
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(tmp_path: Path) -> None:
    app = limited_app(tmp_path)
    proxied = create_app(replace(app.extensions["consult_config"], trusted_proxies=1))
    client = proxied.test_client()
    codes = []
    for n in range(21):
        page = client.get("/en/account/sign-in").get_data(as_text=True)
        codes.append(
            client.post(
                "/en/account/sign-in",
                data={"email": f"person{n}@example.org", "csrf_token": csrf_token_of(page)},
                environ_base={"REMOTE_ADDR": "10.0.0.2"},  # the balancer
                headers={"X-Forwarded-For": f"203.0.113.{n + 1}"},
            ).status_code
        )
    assert set(codes) == {302}


def ask_with_forwarded(app: Flask, n: int, forwarded: str) -> int:
    client = app.test_client()
    page = client.get("/en/account/sign-in").get_data(as_text=True)
    return client.post(
        "/en/account/sign-in",
        data={"email": f"person{n}@example.org", "csrf_token": csrf_token_of(page)},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
        headers={"X-Forwarded-For": forwarded},
    ).status_code


def test_without_a_trusted_proxy_a_forged_forwarded_address_changes_nothing(
    tmp_path: Path,
) -> None:
    app = limited_app(tmp_path)
    codes = [ask_with_forwarded(app, n, f"198.51.100.{n + 1}") for n in range(21)]
    assert codes == [302] * 20 + [429]


def test_behind_a_trusted_proxy_addresses_forged_before_the_proxys_count_for_nothing(
    tmp_path: Path,
) -> None:
    app = limited_app(tmp_path)
    proxied = create_app(replace(app.extensions["consult_config"], trusted_proxies=1))
    # The visitor sends a made-up address; the balancer appends the one it saw.
    codes = [ask_with_forwarded(proxied, n, f"198.51.100.{n + 1}, 203.0.113.50") for n in range(21)]
    assert codes == [302] * 20 + [429]
