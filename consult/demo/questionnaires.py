"""The demo's two calls for input: their questions, and a few responses to read.

Responses are loaded once (when a call has none yet), from demo participants in
several languages, groups and countries, appearing in each way one may choose
(some anonymously, some by organisation only), with one draft among them; their times
fall in the days before loading, inside the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from consult.comments.models import Identity
from consult.consultations.models import Consultation
from consult.consultations.queries import get_by_slug
from consult.demo.comments import PARTICIPANTS, DemoParticipant, demo_participant
from consult.demo.content import DemoConsultation
from consult.demo.questionnaire_content import (
    PROGRESS_REPORT,
    PROGRESS_REPORT_QUESTIONS,
    THEMATIC_CALL,
    THEMATIC_CALL_QUESTIONS,
    DemoQuestion,
)
from consult.extensions import db
from consult.questionnaires.models import (
    Answer,
    OptionTranslation,
    Question,
    QuestionKind,
    QuestionOption,
    QuestionTranslation,
    Response,
    ResponseStatus,
)

# The demo calls with their questions, in the order the loader creates them.
QUESTIONNAIRES: tuple[tuple[DemoConsultation, tuple[DemoQuestion, ...]], ...] = (
    (THEMATIC_CALL, THEMATIC_CALL_QUESTIONS),
    (PROGRESS_REPORT, PROGRESS_REPORT_QUESTIONS),
)

# Parliamentarians who answer the calls, besides those who comment on the papers.
RESPONDENTS = (
    DemoParticipant("karim.mansour@example.org", "كريم منصور", "مجلس النواب", "parliament",
                    "EG", "ar"),
    DemoParticipant("ingrid.solberg@example.org", "Ingrid Solberg", "Stortinget", "parliament",
                    "NO", "en"),
    DemoParticipant("chinedu.okafor@example.org", "Chinedu Okafor", "House of Representatives",
                    "parliament", "NG", "en"),
)  # fmt: skip

# An answer: text or country code (str), options by their index (tuple), scale (int),
# yes/no (bool).
AnswerSpec = str | tuple[int, ...] | int | bool


@dataclass(frozen=True)
class DemoResponse:
    author: str  # a demo participant's e-mail
    slug: str
    language: str
    days_ago: int
    answers: dict[int, AnswerSpec]  # question index -> answer
    submitted: bool = True
    # How the respondent chose to appear (drafts have not chosen yet).
    identity: Identity = Identity.NAME_AND_ORGANISATION


RESPONSES = (
    DemoResponse("ana.lopez@example.org", THEMATIC_CALL.slug, "es", 6, {
        0: (0, 4, 7),
        1: "Congreso de la República del Perú",
        2: "Comisión de Ciencia, Innovación y Tecnología",
        3: True,
        4: (5,),
        5: 3,
        6: "Proponemos una sesión sobre la regulación de la inteligencia artificial en "
           "América Latina, a partir de las cumbres de Buenos Aires y Santiago.\n\n"
           "Nuestra comisión ha celebrado audiencias públicas con universidades y empresas; "
           "podemos compartir esa experiencia.",
    }),
    DemoResponse("amina.diallo@example.org", THEMATIC_CALL.slug, "fr", 5, {
        0: (2, 5, 1),
        1: "Assemblée nationale du Sénégal",
        2: "Commission de la communication et de l’économie numérique",
        3: True,
        4: (0,),
        5: 2,
        6: "Nous souhaitons un programme de formation en français pour le personnel des "
           "commissions, et un échange avec les parlements qui ont adopté une loi sur la "
           "protection des données personnelles.",
    }),
    DemoResponse("karim.mansour@example.org", THEMATIC_CALL.slug, "ar", 4, {
        0: (0, 1, 3),
        1: "مجلس النواب المصري",
        2: "لجنة الاتصالات وتكنولوجيا المعلومات",
        3: True,
        4: (1,),
        5: 4,
        6: "نقترح تخصيص جلسة لحماية الأطفال على الإنترنت، وتبادل الخبرات بين البرلمانات "
           "العربية في صياغة تشريعات الذكاء الاصطناعي.",
    }, identity=Identity.ANONYMOUS),
    DemoResponse("sarah.chen@example.org", THEMATIC_CALL.slug, "en", 3, {
        0: (4, 1, 6),
        1: "None: I work for Digital Rights Lab, a civil society organisation.",
        3: False,
        5: 3,
        6: "Please keep the sessions open to civil society observers, and publish the "
           "recordings with captions.",
    }, identity=Identity.ORGANISATION_ONLY),
    DemoResponse("ingrid.solberg@example.org", THEMATIC_CALL.slug, "en", 2, {
        0: (3, 7, 0),
        1: "Stortinget (Parliament of Norway)",
        2: "Standing Committee on Transport and Communications",
        3: True,
        4: (4,),
        5: 5,
    }),
    DemoResponse("chinedu.okafor@example.org", THEMATIC_CALL.slug, "en", 1, {
        0: (5,),
        1: "House of Representatives of Nigeria",
    }, submitted=False),
    DemoResponse("amina.diallo@example.org", PROGRESS_REPORT.slug, "fr", 4, {
        0: "Assemblée nationale du Sénégal",
        1: "SN",
        2: True,
        3: "La commission compétente a tenu deux auditions sur la protection des données "
           "personnelles et organisé, avec l’appui de l’UIP, un atelier de formation pour une "
           "vingtaine de parlementaires.",
        4: "Le manque d’experts disponibles pour appuyer le personnel des commissions, et le "
           "calendrier budgétaire.",
    }, identity=Identity.ORGANISATION_ONLY),
    DemoResponse("karim.mansour@example.org", PROGRESS_REPORT.slug, "ar", 3, {
        0: "مجلس النواب المصري",
        1: "EG",
        2: True,
        3: "ناقشت اللجنة مشروع قانون بشأن حماية البيانات الشخصية، وعقدت جلسة استماع مع "
           "الجهات التنظيمية المعنية.",
        4: "تزاحم الأولويات التشريعية، وقلة الخبرات المتخصصة في مجال الذكاء الاصطناعي.",
    }, identity=Identity.ANONYMOUS),
    DemoResponse("ingrid.solberg@example.org", PROGRESS_REPORT.slug, "en", 2, {
        0: "Stortinget (Parliament of Norway)",
        1: "NO",
        2: False,
        4: "An election year left little room on the committee's agenda. A hearing on AI in "
           "public services is planned for the next session.",
    }),
)  # fmt: skip


def add_questions(consultation: Consultation, specs: tuple[DemoQuestion, ...]) -> None:
    """Append the demo questions, with every translation, to a new consultation."""
    for position, spec in enumerate(specs):
        question = Question(
            position=position,
            kind=spec.kind,
            required=spec.required,
            max_choices=spec.max_choices,
            scale_max=spec.scale_max,
        )
        for locale, text in spec.text.items():
            question.translations[locale] = QuestionTranslation(
                locale=locale,
                text=text,
                help=spec.help.get(locale, ""),
                scale_min_label=spec.scale_min_label.get(locale),
                scale_max_label=spec.scale_max_label.get(locale),
            )
        for index, labels in enumerate(spec.options):
            option = QuestionOption(position=index)
            for locale, label in labels.items():
                option.translations[locale] = OptionTranslation(locale=locale, label=label)
            question.options.append(option)
        consultation.questions.append(question)


def load_demo_responses(now: datetime) -> list[str]:
    """Create the demo responses of each call that has none yet."""
    done = []
    for demo, _ in QUESTIONNAIRES:
        consultation = get_by_slug(demo.slug)
        if consultation is None:
            continue
        existing = db.session.scalar(
            select(func.count())
            .select_from(Response)
            .where(Response.consultation_id == consultation.id)
        )
        if existing:
            done.append(f"{demo.slug} responses: already present, left as they are")
            continue
        specs = [spec for spec in RESPONSES if spec.slug == demo.slug]
        for spec in specs:
            _response(consultation, spec, now)
        submitted = sum(1 for spec in specs if spec.submitted)
        done.append(f"{demo.slug} responses: {submitted} submitted, {len(specs) - submitted} draft")
    db.session.flush()
    return done


def _response(consultation: Consultation, spec: DemoResponse, now: datetime) -> None:
    people = {p.email: p for p in (*PARTICIPANTS, *RESPONDENTS)}
    author = demo_participant(people[spec.author], now)
    sent = now - timedelta(days=spec.days_ago, hours=3)
    response = Response(
        consultation_id=consultation.id,
        author_id=author.id,
        status=ResponseStatus.SUBMITTED if spec.submitted else ResponseStatus.DRAFT,
        language=spec.language,
        created_at=sent - timedelta(days=1),
        updated_at=sent,
        submitted_at=sent if spec.submitted else None,
    )
    if spec.submitted:
        # The profile as it was when sent, as submitting does.
        response.author_name = author.display_name
        response.author_organisation = author.organisation
        response.author_group = author.stakeholder_group
        response.author_country = author.country
        response.identity = spec.identity
    for index, value in spec.answers.items():
        question = consultation.questions[index]
        response.answers[question.id] = _answer(question, value)
    db.session.add(response)


def _answer(question: Question, value: AnswerSpec) -> Answer:
    answer = Answer(question_id=question.id)
    if question.kind.has_options:
        assert isinstance(value, tuple)
        answer.option_ids = [question.options[index].id for index in value]
    elif question.kind is QuestionKind.SCALE:
        assert isinstance(value, int) and not isinstance(value, bool)
        answer.number = value
    elif question.kind is QuestionKind.YES_NO:
        assert isinstance(value, bool)
        answer.flag = value
    else:
        assert isinstance(value, str)
        answer.text = value
    return answer
