"""Editors and admins read responses: who may, the filters, one response, privacy
(drafts are their authors' own; names as respondents chose to appear)."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from consult.comments.models import Identity
from consult.consultations.models import Consultation
from consult.questionnaires.models import Question, QuestionKind, ResponseStatus
from tests.accounts.staff_helpers import (
    PARTICIPANT,
    ROLES,
    STAFF_SIGN_IN,
    VISITOR,
    as_role,
)
from tests.factories import make_consultation, make_participant
from tests.questionnaires.factories import make_question, make_response

BASE = "/en/manage/consultations/call-x/responses"


def a_call() -> tuple[Consultation, Question, Question]:
    consultation = make_consultation(
        "call-x", titles={"en": "Call for input", "fr": "Appel à contributions"}
    )
    text = make_question(consultation, texts={"en": "Your parliament?", "fr": "Votre parlement ?"})
    choice = make_question(
        consultation,
        QuestionKind.SINGLE_CHOICE,
        texts={"en": "Main theme?", "fr": "Thème principal ?"},
        options=[{"en": "Privacy", "fr": "Vie privée"}, {"en": "Access", "fr": "Accès"}],
    )
    return consultation, text, choice


def four_responses() -> tuple[Consultation, list[int]]:
    """Submitted: a Peruvian parliamentarian in Spanish, a Senegalese one in French,
    a Jordanian academic in Arabic (anonymously, from the Jordan Institute); a Kenyan
    civil-society draft in English."""
    consultation, text, choice = a_call()
    people = [
        make_participant("ana@example.org", display_name="Ana López", country="PE"),
        make_participant(
            "amina@example.org", display_name="Amina Diallo", country="SN", preferred_locale="fr"
        ),
        make_participant(
            "omar@example.org",
            display_name="Omar Haddad",
            organisation="Jordan Institute",
            stakeholder_group="academia",
            country="JO",
        ),
        make_participant(
            "wanjiru@example.org",
            display_name="Wanjiru Kamau",
            stakeholder_group="civil_society",
            country="KE",
        ),
    ]
    first = choice.options[0].id
    ids = [
        make_response(consultation, people[0], {text: "Congreso", choice: [first]},
                      language="es").id,
        make_response(consultation, people[1], {text: "Assemblée", choice: [first]},
                      language="fr").id,
        make_response(consultation, people[2], {text: "Jamiat", choice: []}, language="ar",
                      identity=Identity.ANONYMOUS).id,
        make_response(
            consultation, people[3], {text: "Draft text"}, status=ResponseStatus.DRAFT
        ).id,
    ]  # fmt: skip
    return consultation, ids


def listed_names(page: str) -> list[str]:
    """The respondents listed, as shown: a name, an organisation, or "Anonymous"."""
    table = page.split('<section aria-labelledby="tallies-heading">')[0]
    return re.findall(r"/responses/\d+/\">Response \d+</a><br>\s*<bdi>([^<]+)</bdi>", table)


@pytest.mark.db
@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("page", ["/", "/{id}/"])
def test_responses_pages_are_for_editors_and_admins(
    client: FlaskClient, who: str, page: str
) -> None:
    _, ids = four_responses()
    response = as_role(client, who).get(BASE + page.format(id=ids[0]))
    if who in (VISITOR, PARTICIPANT):
        assert response.status_code == 302
        assert response.headers["Location"].startswith(f"{STAFF_SIGN_IN}?next=")
    elif who == "moderator":
        assert response.status_code == 403
    else:
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.db
def test_list_shows_submitted_responses_and_only_the_number_of_drafts(
    client: FlaskClient,
) -> None:
    four_responses()
    page = as_role(client, "editor").get(BASE + "/").get_data(as_text=True)
    assert "3 submitted responses" in page
    assert "1 draft, not sent" in page
    assert sorted(listed_names(page)) == ["Amina Diallo", "Ana López", "Anonymous"]
    assert "Wanjiru" not in page and "Kenya" not in page and "Draft text" not in page
    assert "Peru" in page and "Senegal" in page and "Jordan" in page
    assert "Spanish" in page and "Arabic" in page


@pytest.mark.db
@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("group=academia", ["Anonymous"]),
        ("group=civil_society", []),
        ("country=SN", ["Amina Diallo"]),
        # Only a draft is from Kenya: not offered, so no filter.
        ("country=KE", ["Amina Diallo", "Ana López", "Anonymous"]),
        ("language=es", ["Ana López"]),
        ("group=parliament&language=ar", []),
        ("status=draft&group=nonsense", ["Amina Diallo", "Ana López", "Anonymous"]),
    ],
)
def test_filters_narrow_the_list(client: FlaskClient, query: str, names: list[str]) -> None:
    four_responses()
    page = as_role(client, "editor").get(f"{BASE}/?{query}").get_data(as_text=True)
    assert sorted(listed_names(page)) == names
    assert "Kenya" not in page
    if not names:
        assert "No response matches." in page


@pytest.mark.db
def test_list_is_paginated_by_fifty(client: FlaskClient) -> None:
    consultation, text, _ = a_call()
    for n in range(51):
        person = make_participant(f"p{n}@example.org", display_name=f"Person {n}")
        make_response(consultation, person, {text: f"Answer {n}"})
    editor = as_role(client, "editor")
    first = editor.get(BASE + "/").get_data(as_text=True)
    assert len(listed_names(first)) == 50
    assert "Page 1 of 2" in first
    assert f'href="{BASE}/?page=2"' in first
    second = editor.get(BASE + "/?page=2").get_data(as_text=True)
    assert len(listed_names(second)) == 1


@pytest.mark.db
@pytest.mark.parametrize(("who", "shown"), [("editor", False), ("admin", True)])
def test_email_address_only_for_admins(client: FlaskClient, who: str, shown: bool) -> None:
    _, ids = four_responses()
    page = as_role(client, who).get(f"{BASE}/{ids[0]}/").get_data(as_text=True)
    assert "Ana López" in page
    assert ("ana@example.org" in page) is shown
    listing = client.get(BASE + "/").get_data(as_text=True)
    assert ("ana@example.org" in listing) is shown


def plain_text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


@pytest.mark.db
def test_editors_see_an_anonymous_respondent_as_anonymous_with_group_and_country(
    client: FlaskClient,
) -> None:
    _, ids = four_responses()
    editor = as_role(client, "editor")
    for path in (f"{BASE}/{ids[2]}/", BASE + "/"):
        page = editor.get(path).get_data(as_text=True)
        assert "Omar" not in page and "Haddad" not in page and "Jordan Institute" not in page
        assert "omar@example.org" not in page
        assert "Jordan" in page and "Academia" in page
    text = plain_text(editor.get(f"{BASE}/{ids[2]}/").get_data(as_text=True))
    assert "Respondent Anonymous" in text
    assert "Chose to appear Anonymously" in text
    # The free-text answers under the tallies name the respondent alike.
    tallies = plain_text(editor.get(BASE + "/").get_data(as_text=True)).split(
        "question by question"
    )[1]
    assert f"Response {ids[2]} · Anonymous · Academia · Jordan" in tallies


@pytest.mark.db
def test_admins_see_an_anonymous_respondents_name_organisation_and_email(
    client: FlaskClient,
) -> None:
    _, ids = four_responses()
    admin = as_role(client, "admin")
    text = plain_text(admin.get(f"{BASE}/{ids[2]}/").get_data(as_text=True))
    assert "Respondent Omar Haddad, Jordan Institute" in text
    assert "Chose to appear Anonymously" in text
    assert "omar@example.org" in text and "Jordan" in text
    listing = plain_text(admin.get(BASE + "/").get_data(as_text=True))
    assert "Omar Haddad, Jordan Institute" in listing and "omar@example.org" in listing
    assert f"Response {ids[2]} · Omar Haddad, Jordan Institute · Academia · Jordan" in listing


@pytest.mark.db
def test_editors_see_the_organisation_only_when_that_was_the_choice(client: FlaskClient) -> None:
    consultation, text, _ = a_call()
    person = make_participant(
        "lena@example.org", display_name="Lena Berg", organisation="Riksdag Office"
    )
    response_id = make_response(
        consultation, person, {text: "Riksdag"}, identity=Identity.ORGANISATION_ONLY
    ).id
    page = plain_text(
        as_role(client, "editor").get(f"{BASE}/{response_id}/").get_data(as_text=True)
    )
    assert "Respondent Riksdag Office" in page
    assert "Lena" not in page and "lena@example.org" not in page


@pytest.mark.db
@pytest.mark.parametrize("who", ["editor", "admin"])
def test_a_draft_is_its_authors_own(client: FlaskClient, who: str) -> None:
    _, ids = four_responses()
    assert as_role(client, who).get(f"{BASE}/{ids[3]}/").status_code == 404


@pytest.mark.db
def test_response_of_another_consultation_is_not_found_here(client: FlaskClient) -> None:
    _, ids = four_responses()
    other = make_consultation("other-call")
    question = make_question(other)
    theirs = make_response(other, make_participant("zoe@example.org"), {question: "Hello"}).id
    editor = as_role(client, "editor")
    assert editor.get(f"{BASE}/{theirs}/").status_code == 404
    assert editor.get(f"/en/manage/consultations/other-call/responses/{theirs}/").status_code == 200
    assert editor.get(f"/en/manage/consultations/other-call/responses/{ids[0]}/").status_code == 404
    assert editor.get("/en/manage/consultations/nowhere/responses/").status_code == 404


@pytest.mark.db
def test_responses_appear_on_no_public_page(client: FlaskClient) -> None:
    four_responses()
    for path in ("/en/consultations/call-x/", "/en/"):
        assert "Congreso" not in client.get(path).get_data(as_text=True)
