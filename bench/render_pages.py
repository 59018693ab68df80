"""How long the public pages take to render and how large they are.

Prints, for each page, the median time over many renders as a ratio to `/healthz`
measured in the same run (machines are noisy; ratios travel), and the page's size
in bytes, compressed and not (people on slow connections pay for every byte).

    .venv/bin/python bench/render_pages.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from consult import create_app
from consult.config import Config
from consult.core.models import utcnow
from consult.demo.loader import load_demo
from consult.extensions import db

PAGES = [
    "/en/",
    "/ar/",
    "/en/consultations/igf-2024-parliamentary-output/",
    "/ar/consultations/igf-2024-parliamentary-output/",
    "/fr/consultations/ai-regulatory-approaches/sections/7/",
]


def median_seconds(client, path: str, rounds: int) -> float:  # type: ignore[no-untyped-def]
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        config = Config(database_url=f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                        secret_key="bench")  # fmt: skip
        app = create_app(config)
        with app.app_context():
            upgrade()
            load_demo(utcnow(), config.locales)
            db.session.commit()
        client = app.test_client()
        baseline = median_seconds(client, "/healthz", rounds)
        print(f"baseline /healthz: {baseline * 1000:.2f} ms median over {rounds} requests")
        print(f"{'page':58} {'x baseline':>10} {'bytes':>8} {'gzipped':>8}")
        for path in PAGES:
            seconds = median_seconds(client, path, rounds)
            body = client.get(path).get_data()
            print(
                f"{path:58} {seconds / baseline:10.1f} {len(body):8d} {len(gzip.compress(body)):8d}"
            )


if __name__ == "__main__":
    main()
