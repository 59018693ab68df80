"""Loading the demo consultations (idempotent: what exists already is left alone)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from consult.accounts.models import Role
from consult.accounts.operations import ProfileData, get_user_by_email, save_profile
from consult.accounts.staff import create_staff_user
from consult.consultations.models import Consultation, ConsultationTranslation
from consult.consultations.queries import get_by_slug
from consult.demo.comments import load_demo_comments
from consult.demo.content import (
    AI_REGULATION,
    AI_REGULATION_SECTIONS,
    OUTPUT_DOCUMENT,
    DemoConsultation,
)
from consult.demo.questionnaire_content import DemoQuestion
from consult.demo.questionnaires import QUESTIONNAIRES, add_questions, load_demo_responses
from consult.extensions import db
from consult.papers.importing import parse_document
from consult.papers.models import Section, SectionTranslation
from consult.papers.operations import import_paper

OUTPUT_DOCUMENT_TEXT = Path(__file__).with_name("output_document_igf2024.txt")
DEMO_LOCALES = ["en", "fr", "es", "ar"]
# UNESCO's consultation is run from Paris, the Parliamentary Track (and so its
# calls for input) from Geneva.
AI_REGULATION_ZONE = "Europe/Paris"
OUTPUT_DOCUMENT_ZONE = "Europe/Zurich"
QUESTIONNAIRE_ZONE = "Europe/Zurich"
DAYS_OPEN_ALREADY = 10


# One fixed, published password for the demo staff accounts, so that `make run`
# can say how to sign in. Acceptable only because `consult demo` refuses to run
# under production settings: these accounts never exist on a real site.
DEMO_STAFF_PASSWORD = "demo-password-2024"  # noqa: S105 - documented demo credential
DEMO_STAFF = (
    ("moderator@example.org", Role.MODERATOR, "Demo moderator"),
    ("editor@example.org", Role.EDITOR, "Demo editor"),
    ("admin@example.org", Role.ADMIN, "Demo administrator"),
)


def closing_time(now: datetime, weeks: int, zone: str) -> datetime:
    """23:59 local time on the day `weeks` weeks from now: a deadline people can say aloud."""
    tz = ZoneInfo(zone)
    day = (now.astimezone(tz) + timedelta(weeks=weeks)).date()
    return datetime.combine(day, time(23, 59), tzinfo=tz)


def load_demo(now: datetime, enabled_locales: tuple[str, ...]) -> list[str]:
    """Create the demo consultations that are missing; return what was done, line by line."""
    done = []
    for demo in (AI_REGULATION, OUTPUT_DOCUMENT):
        if get_by_slug(demo.slug) is not None:
            done.append(f"{demo.slug}: already present, left as it is")
            continue
        if demo is AI_REGULATION:
            _load_ai_regulation(now)
        else:
            _load_output_document(now, enabled_locales)
        done.append(f"{demo.slug}: created and published")
    for demo, questions in QUESTIONNAIRES:
        if get_by_slug(demo.slug) is not None:
            done.append(f"{demo.slug}: already present, left as it is")
            continue
        _load_questionnaire(demo, questions, now)
        done.append(f"{demo.slug}: created and published, {len(questions)} questions")
    done.extend(load_demo_staff())
    db.session.flush()
    done.extend(load_demo_comments(now))
    done.extend(load_demo_responses(now))
    return done


def load_demo_staff() -> list[str]:
    """Create the demo moderator, editor and administrator that are missing."""
    done = []
    for email, role, name in DEMO_STAFF:
        if get_user_by_email(email) is not None:
            done.append(f"{email}: already present, left as it is")
            continue
        user = create_staff_user(email, role, DEMO_STAFF_PASSWORD)
        save_profile(
            user,
            ProfileData(
                display_name=name,
                organisation="Consult demo",
                stakeholder_group="intergovernmental",
                country=None,
                preferred_locale="en",
            ),
            accepts_privacy_notice=True,
        )
        done.append(f"{email}: {role.value} created (password {DEMO_STAFF_PASSWORD})")
    return done


def _describe(consultation: Consultation, demo: DemoConsultation, now: datetime) -> None:
    """Titles, summaries, languages, window and publication, from the demo content."""
    consultation.offered_locales = [code for code in DEMO_LOCALES if code in demo.title]
    for locale, title in demo.title.items():
        translation = consultation.translations.get(locale)
        if translation is None:
            consultation.translations[locale] = ConsultationTranslation(
                locale=locale, title=title, summary=demo.summary.get(locale, "")
            )
        else:
            translation.title, translation.summary = title, demo.summary.get(locale, "")
    # Open for a while already, so the demo comments have a history inside the window.
    consultation.opens_at = now - timedelta(days=DAYS_OPEN_ALREADY)
    consultation.closes_at = closing_time(now, demo.weeks_open, consultation.timezone)
    consultation.published_at = consultation.first_published_at = now


def _load_ai_regulation(now: datetime) -> None:
    consultation = Consultation(
        slug=AI_REGULATION.slug,
        default_locale="en",
        offered_locales=["en"],
        timezone=AI_REGULATION_ZONE,
    )
    for position, demo_section in enumerate(AI_REGULATION_SECTIONS):
        section = Section(key=demo_section.key, position=position)
        for locale, body in demo_section.body.items():
            section.translations[locale] = SectionTranslation(
                locale=locale, heading=demo_section.heading.get(locale), body=body
            )
        consultation.sections.append(section)
    db.session.add(consultation)
    _describe(consultation, AI_REGULATION, now)


def _load_questionnaire(
    demo: DemoConsultation, questions: tuple[DemoQuestion, ...], now: datetime
) -> None:
    """A call for input: a questionnaire and no paper."""
    consultation = Consultation(
        slug=demo.slug, default_locale="en", offered_locales=["en"], timezone=QUESTIONNAIRE_ZONE
    )
    add_questions(consultation, questions)
    db.session.add(consultation)
    _describe(consultation, demo, now)


def _load_output_document(now: datetime, enabled_locales: tuple[str, ...]) -> None:
    document = parse_document(OUTPUT_DOCUMENT_TEXT.read_text(encoding="utf-8"))
    report = import_paper(OUTPUT_DOCUMENT.slug, "en", document, enabled_locales=enabled_locales)
    consultation = report.consultation
    consultation.timezone = OUTPUT_DOCUMENT_ZONE
    _describe(consultation, OUTPUT_DOCUMENT, now)
