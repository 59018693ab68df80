"""How fast the exports run and how much memory they take, against bare baselines.

Builds SQLite databases of 10,000 and 100,000 synthetic comments over 50 sections
(a quarter in Arabic, bodies of 20 to 150 words), runs `flask consult export` in
each format as a separate process, and prints, measured in the same run:

- CSV time / the time of `sqlite3 -csv` running the export's own query (the same
  columns, joins and order, compiled to plain SQL)          target <= 3
- XLSX time / a bare openpyxl write-only loop over that query's rows, in a
  process of its own                                         target <= 1.5
- peak RSS of the CSV, JSON and XLSX exports at 10k and 100k  growth <= 50 MB
- the DOCX digest's time at 10k.

The ratios are printed for whole commands, and again without each side's fixed
start-up cost (the application's, measured as `flask consult export --help`, or
Python importing openpyxl), which at small sizes is most of the time.

Each time is the best of `--rounds` runs (machines are noisy; the best run is the
one least disturbed). Needs the `sqlite3` command-line shell.

    .venv/bin/python bench/export.py [--rounds 3] [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-paper"
SECTIONS = 50
AUTHORS = 2000
GROUPS = ["parliament", "government", "civil_society", "private_sector", "academia", "individual"]
COUNTRIES = ["FR", "SN", "PE", "JO", "EG", "TV", "CA", "JP", "BR", None]
ENGLISH = [
    "parliament",
    "oversight",
    "artificial",
    "intelligence",
    "regulation",
    "transparency",
    "rights",
    "risk",
    "standards",
    "liability",
    "agile",
    "sandbox",
    "data",
    "governance",
    "capacity",
    "cooperation",
    "inclusive",
    "digital",
    "divide",
    "cybersecurity",
    "budget",
    "committee",
    "legislation",
    "principles",
    "accountability",
]
ARABIC = [
    "البرلمان",
    "الرقابة",
    "الذكاء",
    "الاصطناعي",
    "التنظيم",
    "الشفافية",
    "الحقوق",
    "المخاطر",
    "المعايير",
    "المسؤولية",
    "البيانات",
    "الحوكمة",
    "القدرات",
    "التعاون",
    "الشامل",
    "الفجوة",
    "الرقمية",
    "الأمن",
    "السيبراني",
    "الميزانية",
    "اللجنة",
]

XLSX_BASELINE = """
import sqlite3, sys
from openpyxl import Workbook
database, sql, output = sys.argv[1:4]
workbook = Workbook(write_only=True)
sheet = workbook.create_sheet("Comments")
for row in sqlite3.connect(database).execute(sql):
    sheet.append(row)
workbook.save(output)
"""


def build_database(path: Path, comments: int) -> str:
    """Fill a database with one consultation of `comments` synthetic comments; return the
    CSV export's own query as plain SQL, its values written in.

    Run in a process of its own (`--build`): the measuring process stays small, and
    the peak RSS a child reports does not start from a copy of it.
    """
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from consult import create_app
    from consult.accounts.models import User
    from consult.comments.models import Comment, CommentStatus, Identity
    from consult.config import Config
    from consult.consultations.models import Consultation, ConsultationTranslation
    from consult.core.models import utcnow
    from consult.extensions import db
    from consult.papers.models import Section, SectionTranslation

    config = Config(database_url=f"sqlite:///{path}", secret_key="bench")
    app = create_app(config)
    rng = random.Random(comments)
    now = utcnow()
    with app.app_context():
        upgrade()
        consultation = Consultation(
            slug=SLUG,
            default_locale="en",
            offered_locales=["en", "ar"],
            opens_at=now - timedelta(days=60),
            closes_at=now - timedelta(days=1),
            timezone="Europe/Zurich",
            published_at=now - timedelta(days=60),
            first_published_at=now - timedelta(days=60),
        )
        consultation.translations["en"] = ConsultationTranslation(
            locale="en", title="Benchmark paper", summary=""
        )
        for position in range(SECTIONS):
            section = Section(key=str(position + 1), position=position)
            section.translations["en"] = SectionTranslation(
                locale="en", heading=f"Heading {position + 1}", body=" ".join(ENGLISH)
            )
            consultation.sections.append(section)
        db.session.add(consultation)
        db.session.flush()
        db.session.execute(
            insert(User),
            [
                {
                    "email": f"author{n}@example.org",
                    "display_name": f"Author {n}",
                    "organisation": f"Organisation {n % 300}",
                    "stakeholder_group": GROUPS[n % len(GROUPS)],
                    "country": COUNTRIES[n % len(COUNTRIES)],
                    "preferred_locale": "en",
                }
                for n in range(AUTHORS)
            ],
        )
        author_ids = list(db.session.scalars(db.select(User.id)))
        section_ids = [section.id for section in consultation.sections]
        identities = list(Identity)
        batch = []
        for n in range(comments):
            arabic = n % 4 == 0
            words = ARABIC if arabic else ENGLISH
            created = now - timedelta(days=59, seconds=-n * 30)
            author = author_ids[n % len(author_ids)]
            batch.append(
                {
                    "consultation_id": consultation.id,
                    # One comment in twenty is a general one.
                    "section_id": None if n % 20 == 0 else rng.choice(section_ids),
                    "author_id": author,
                    "form_key": f"bench-{n}",
                    "language": "ar" if arabic else "en",
                    "body": " ".join(rng.choices(words, k=rng.randint(20, 150))),
                    "identity": identities[n % len(identities)],
                    "author_name": f"Author {author}",
                    "author_organisation": f"Organisation {author % 300}",
                    "author_group": GROUPS[author % len(GROUPS)],
                    "author_country": COUNTRIES[author % len(COUNTRIES)],
                    # Nine in ten are published: the default export leaves the rest out.
                    "status": CommentStatus.PENDING if n % 10 == 9 else CommentStatus.PUBLISHED,
                    "created_at": created,
                    "published_at": None if n % 10 == 9 else created + timedelta(hours=2),
                    "decided_at": None if n % 10 == 9 else created + timedelta(hours=2),
                }
            )
            if len(batch) == 5000:
                db.session.execute(insert(Comment), batch)
                batch = []
        if batch:
            db.session.execute(insert(Comment), batch)
        db.session.commit()
    return export_sql(app)


def export_sql(app: Flask) -> str:
    """The CSV export's own query as plain SQL, with its values written in."""
    from sqlalchemy.dialects import sqlite

    from consult.consultations.models import Consultation
    from consult.exports.queries import comment_statement
    from consult.exports.spec import Audience, ExportFormat, ExportSpec
    from consult.extensions import db

    with app.test_request_context("/en/"):
        consultation = db.session.scalar(db.select(Consultation).filter_by(slug=SLUG))
        assert consultation is not None
        spec = ExportSpec(consultation, ExportFormat.CSV, Audience.EDITOR, "en")
        statement = comment_statement(spec)
        compiled = statement.compile(
            dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
        )
        return str(compiled)


def run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run `command` to completion; its wall time in seconds and peak RSS in MB."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed with status {status}")
    return elapsed, usage.ru_maxrss / 1024


def best(rounds: int, command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    runs = [run(command, env) for _ in range(rounds)]
    return min(t for t, _ in runs), max(m for _, m in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--build", nargs=2, metavar=("DATABASE", "COMMENTS"), help=argparse.SUPPRESS
    )
    arguments = parser.parse_args()
    if arguments.build:
        database, comments = arguments.build
        print(build_database(Path(database), int(comments)))
        return
    if shutil.which("sqlite3") is None:
        raise SystemExit("needs the sqlite3 command-line shell (Debian: apt-get install sqlite3)")
    flask = [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "consult", "export"]
    figures: dict[int, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in arguments.sizes:
            database = Path(folder) / f"bench-{size}.sqlite3"
            started = time.perf_counter()
            sql = subprocess.run(
                [sys.executable, __file__, "--build", str(database), str(size)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            print(f"built {size:,} comments in {time.perf_counter() - started:.1f} s")
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
            output = Path(folder) / "out"
            results = {
                "sqlite3 -csv": best(arguments.rounds, ["sqlite3", "-csv", str(database), sql]),
                "openpyxl loop": best(
                    arguments.rounds,
                    [sys.executable, "-c", XLSX_BASELINE, str(database), sql, f"{output}.xlsx"],
                ),
                "start-up": best(arguments.rounds, [*flask, "--help"], env),
                "openpyxl start": best(
                    arguments.rounds, [sys.executable, "-c", "import sqlite3, openpyxl"]
                ),
            }
            for fmt in ("csv", "json", "xlsx", "docx"):
                if fmt == "docx" and size > 10_000:
                    continue
                results[fmt] = best(
                    arguments.rounds,
                    [*flask, SLUG, "--format", fmt, "--output", f"{output}.{fmt}"],
                    env,
                )
            figures[size] = results
            for name, (seconds, rss) in results.items():
                print(f"  {size:>7,} {name:<14} {seconds:7.2f} s  peak RSS {rss:6.1f} MB")

    print()
    for size, results in figures.items():
        # Whole commands, as a user waits for them; then without the fixed cost of
        # starting each side (the application, or Python with openpyxl), which at
        # small sizes is most of the time.
        startup, openpyxl_startup = results["start-up"][0], results["openpyxl start"][0]
        csv_ratio = results["csv"][0] / results["sqlite3 -csv"][0]
        csv_work = (results["csv"][0] - startup) / results["sqlite3 -csv"][0]
        xlsx_ratio = results["xlsx"][0] / results["openpyxl loop"][0]
        xlsx_work = (results["xlsx"][0] - startup) / (
            results["openpyxl loop"][0] - openpyxl_startup
        )
        print(
            f"{size:>7,} comments: CSV / sqlite3 -csv = {csv_ratio:.2f}, "
            f"without start-up {csv_work:.2f} (target <= 3)"
        )
        print(
            f"{size:>7,} comments: XLSX / openpyxl loop = {xlsx_ratio:.2f}, "
            f"without start-up {xlsx_work:.2f} (target <= 1.5)"
        )
    if len(figures) >= 2:
        small, large = sorted(figures)[:1] + sorted(figures)[-1:]
        for fmt in ("csv", "json", "xlsx"):
            growth = figures[large][fmt][1] - figures[small][fmt][1]
            print(
                f"peak RSS growth {fmt.upper()} {small:,} -> {large:,}: {growth:+.1f} MB "
                "(target <= 50 MB)"
            )
    if 10_000 in figures:
        print(f"DOCX digest at 10,000 comments: {figures[10_000]['docx'][0]:.2f} s")


if __name__ == "__main__":
    main()
