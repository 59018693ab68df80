"""Per-question tallies over the submitted responses, and one response read in full."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale

from consult.accounts.models import Role
from consult.comments.models import Identity
from consult.consultations.models import Consultation
from consult.questionnaires.models import Question, QuestionKind, ResponseStatus
from consult.questionnaires.reports import (
    TEXT_ANSWERS_SHOWN,
    ResponseFilters,
    submitted_count,
    tallies,
)
from tests.accounts.staff_helpers import staff_client
from tests.factories import make_consultation, make_participant
from tests.questionnaires.factories import make_question, make_response

BASE = "/en/manage/consultations/survey/responses"


def every_kind() -> tuple[Consultation, dict[str, Question]]:
    consultation = make_consultation(
        "survey", titles={"en": "Survey", "fr": "Enquête"}, offered=["en", "fr"]
    )
    q = {
        "short": make_question(consultation, texts={"en": "Parliament?", "fr": "Parlement ?"}),
        "long": make_question(
            consultation, QuestionKind.LONG_TEXT, texts={"en": "Comments?", "fr": "Remarques ?"}
        ),
        "single": make_question(
            consultation,
            QuestionKind.SINGLE_CHOICE,
            texts={"en": "Region?", "fr": "Région ?"},
            options=[{"en": "Africa", "fr": "Afrique"}, {"en": "Europe", "fr": "Europe"}],
        ),
        "multiple": make_question(
            consultation,
            QuestionKind.MULTIPLE_CHOICE,
            texts={"en": "Themes?", "fr": "Thèmes ?"},
            max_choices=2,
            options=[
                {"en": "Privacy", "fr": "Vie privée"},
                {"en": "Access", "fr": "Accès"},
                {"en": "AI", "fr": "IA"},
            ],
        ),
        "scale": make_question(
            consultation,
            QuestionKind.SCALE,
            texts={"en": "Engagement?", "fr": "Engagement ?"},
            scale_labels={"en": ("Not at all", "Very much"), "fr": ("Pas du tout", "Beaucoup")},
        ),
        "yes_no": make_question(
            consultation, QuestionKind.YES_NO, texts={"en": "Acted?", "fr": "Agi ?"}
        ),
        "country": make_question(
            consultation, QuestionKind.COUNTRY, texts={"en": "Country?", "fr": "Pays ?"}
        ),
    }
    return consultation, q


def known_responses() -> tuple[Consultation, dict[str, Question], list[int]]:
    """Three submitted responses (two parliaments, one academic) and a draft that must
    not count."""
    consultation, q = every_kind()
    africa, europe = (o.id for o in q["single"].options)
    privacy, access, ai = (o.id for o in q["multiple"].options)
    ana = make_participant("ana@example.org", display_name="Ana", country="PE")
    amina = make_participant("amina@example.org", display_name="Amina", country="SN")
    omar = make_participant(
        "omar@example.org", display_name="Omar", stakeholder_group="academia", country="JO"
    )
    drafter = make_participant("draft@example.org", display_name="Drafter")
    ids = [
        make_response(consultation, ana, {
            q["short"]: "Congreso", q["long"]: "<b>Bold</b> claim", q["single"]: [europe],
            q["multiple"]: [privacy, access], q["scale"]: 4, q["yes_no"]: True,
            q["country"]: "PE",
        }).id,
        make_response(consultation, amina, {
            q["short"]: "Assemblée", q["single"]: [africa], q["multiple"]: [privacy],
            q["scale"]: 2, q["yes_no"]: False, q["country"]: "SN",
        }).id,
        make_response(consultation, omar, {
            q["short"]: "  ", q["single"]: [africa], q["multiple"]: [ai, privacy],
            q["scale"]: 5, q["yes_no"]: True, q["country"]: "SN",
        }).id,
        make_response(consultation, drafter, {
            q["short"]: "Draft", q["single"]: [europe], q["multiple"]: [ai], q["scale"]: 1,
            q["yes_no"]: False, q["country"]: "FR",
        }, status=ResponseStatus.DRAFT).id,
    ]  # fmt: skip
    return consultation, q, ids


@pytest.mark.db
def test_tallies_count_each_kind_over_submitted_responses(app_context: None) -> None:
    consultation, q, ids = known_responses()
    with force_locale("fr"):
        result = {
            t.question.id: t for t in tallies(consultation, ResponseFilters(), "fr", full=False)
        }
    assert submitted_count(consultation, ResponseFilters()) == 3

    single = result[q["single"].id]
    assert single.answered == 3
    assert [(o.label.value, o.count) for o in single.options] == [("Afrique", 2), ("Europe", 1)]
    assert [round(o.share, 3) for o in single.options] == [0.667, 0.333]

    multiple = result[q["multiple"].id]
    assert [(o.label.value, o.count, o.share) for o in multiple.options] == [
        ("Vie privée", 3, 1.0),
        ("Accès", 1, pytest.approx(1 / 3)),
        ("IA", 1, pytest.approx(1 / 3)),
    ]

    scale = result[q["scale"].id]
    assert scale.distribution == [(1, 0), (2, 1), (3, 0), (4, 1), (5, 1)]
    assert scale.mean == pytest.approx(11 / 3)

    yes_no = result[q["yes_no"].id]
    assert (yes_no.yes, yes_no.no, yes_no.answered) == (2, 1, 3)

    assert result[q["country"].id].countries == [("SN", 2), ("PE", 1)]

    short = result[q["short"].id]
    # A blank answer is no answer.
    assert short.answered == 2
    assert [(t.text, t.shown.name, t.response_id) for t in short.texts] == [
        ("Congreso", "Ana", ids[0]),
        ("Assemblée", "Amina", ids[1]),
    ]
    assert short.texts[1].shown.where == ("Parlement", "Sénégal")
    assert result[q["long"].id].answered == 1


@pytest.mark.db
@pytest.mark.parametrize(("full", "name"), [(False, ""), (True, "Omar")])
def test_free_text_answers_name_an_anonymous_respondent_to_admins_only(
    app_context: None, full: bool, name: str
) -> None:
    consultation, q = every_kind()
    omar = make_participant(
        "omar@example.org", display_name="Omar", stakeholder_group="academia", country="JO"
    )
    make_response(consultation, omar, {q["short"]: "Jamiat"}, identity=Identity.ANONYMOUS)
    result = tallies(consultation, ResponseFilters(), "en", full=full)
    shown = next(t for t in result if t.question.id == q["short"].id).texts[0].shown
    assert (shown.anonymous, shown.name) == (not full, name)
    assert shown.where == ("Academia", "Jordan")


@pytest.mark.db
def test_tallies_follow_the_group_country_and_language_filters(app_context: None) -> None:
    consultation, q, _ = known_responses()
    academia = tallies(consultation, ResponseFilters(group="academia"), "en", full=False)
    yes_no = next(t for t in academia if t.question.id == q["yes_no"].id)
    assert (yes_no.yes, yes_no.no) == (1, 0)
    senegal = tallies(consultation, ResponseFilters(country="SN"), "en", full=False)
    assert next(t for t in senegal if t.question.id == q["scale"].id).mean == 2
    nobody = tallies(consultation, ResponseFilters(language="fr"), "en", full=False)
    assert all(t.answered == 0 for t in nobody)


@pytest.mark.db
def test_free_text_answers_are_capped_with_a_show_all_link(client: FlaskClient) -> None:
    consultation, q = every_kind()
    for n in range(TEXT_ANSWERS_SHOWN + 2):
        person = make_participant(f"p{n}@example.org", display_name=f"Person {n}")
        make_response(consultation, person, {q["long"]: f"Idea number {n}"})
    long_id = q["long"].id
    editor = staff_client(client, "editor@example.org", Role.EDITOR)
    page = editor.get(BASE + "/").get_data(as_text=True)
    assert len(re.findall(r"Idea number \d+", page)) == TEXT_ANSWERS_SHOWN
    show_all = f"{BASE}/?all_texts={long_id}#question-{long_id}"
    assert show_all in page
    assert "Show all 12 answers" in page
    everything = editor.get(show_all.replace("&amp;", "&")).get_data(as_text=True)
    assert len(re.findall(r"Idea number \d+", everything)) == TEXT_ANSWERS_SHOWN + 2


@pytest.mark.db
def test_tallies_page_in_french_escapes_answers(client: FlaskClient) -> None:
    known_responses()
    editor = staff_client(client, "editor@example.org", Role.EDITOR)
    page = editor.get(BASE.replace("/en/", "/fr/") + "/").get_data(as_text=True)
    assert "Afrique" in page and "Vie privée" in page
    assert "&lt;b&gt;Bold&lt;/b&gt; claim" in page
    assert "<b>Bold</b>" not in page
    assert "Sénégal" in page
    # The draft's answers ("Draft", France) are counted and listed nowhere.
    counted = page.split('<section aria-labelledby="tallies-heading">')[1]
    assert "Draft" not in counted and "France" not in counted


@pytest.mark.db
def test_one_response_reads_each_answer_in_the_readers_language(client: FlaskClient) -> None:
    _, _q, ids = known_responses()
    editor = staff_client(client, "editor@example.org", Role.EDITOR)
    page = editor.get(f"/fr/manage/consultations/survey/responses/{ids[1]}/").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    assert "Région ? Afrique" in text
    assert "Thèmes ? Vie privée" in text
    assert "Engagement ? 2 sur 5" in text
    assert "Sénégal" in text
    assert "Remarques ?" in text
    assert "Remarques ? Sans réponse" in text
    english = editor.get(f"{BASE}/{ids[0]}/").get_data(as_text=True)
    plain = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", english))
    assert "Engagement? 4 of 5" in plain
    assert "Acted? Yes" in plain
    assert "Country? Peru" in plain
    assert "Themes? Privacy Access" in plain
