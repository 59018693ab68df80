"""Answering a questionnaire: the form, drafts, submitting, editing, the window, the preview."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from consult.accounts.models import Role, User
from consult.audit.models import AuditEntry
from consult.comments.models import Identity
from consult.core.models import utcnow
from consult.extensions import db
from consult.mail.models import OutboxMessage
from consult.questionnaires.models import Question, ResponseStatus
from consult.questionnaires.operations import RefusalReason, ResponseRefused, save_response
from consult.questionnaires.queries import questions_of
from tests.accounts.helpers import (
    complete_profile,
    csrf_token_of,
    last_mail_to,
    link_path_in,
    press_continue,
    sign_in_participant,
)
from tests.accounts.staff_helpers import staff_client
from tests.accounts.test_rate_limits import limited_app
from tests.comments.test_languages_and_drafts import hidden_value
from tests.factories import make_consultation, make_participant
from tests.questionnaires.factories import make_question, make_response
from tests.questionnaires.helpers import (
    FORM,
    checked_values,
    full_answers,
    name_of,
    option_of,
    responses,
    send_answers,
    survey,
    unescaped,
)

PREVIEW = "/{lang}/manage/consultations/survey/preview/questionnaire/"


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def mail_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def test_the_form_asks_each_kind_of_question_with_its_proper_control(client: FlaskClient) -> None:
    _, q = survey()
    page = client.get(FORM).get_data(as_text=True)
    assert "You will be asked to sign in when you save or submit your answers." in page
    assert "7 questions." in page
    # Required in words, help through Markdown, limits said.
    assert page.count("(required)</span>") == 2
    assert "<em>the constitution</em>" in page
    assert "At most 500 characters." in page and "At most 10,000 characters." in page
    assert f'<input type="text" id="{name_of(q["name"])}"' in page
    assert f'<textarea id="{name_of(q["story"])}"' in page
    assert page.count(f'type="radio" id="{name_of(q["one"])}-') == 2
    many = q["many"]
    assert page.count(f'type="checkbox" id="q-{many.id}-') == 3
    assert "Choose at most 2 options." in page
    assert page.count(f'type="radio" id="{name_of(q["scale"])}-') == 5
    assert "Not at all" in page and "Very" in page
    assert f'name="{name_of(q["yes"])}" value="yes"' in page
    assert '<option value="SN">Senegal</option>' in page
    assert '<button type="submit" name="action" value="draft">Save draft</button>' in page


def test_the_form_is_in_the_pages_language_with_fallbacks_marked(client: FlaskClient) -> None:
    survey()
    page = client.get("/fr/consultations/survey/questionnaire/").get_data(as_text=True)
    assert "Votre chambre ?" in page and "Quels outils ?" in page and "Pas du tout" in page
    # Written in English only: shown in English, marked as such.
    assert '<span lang="en" dir="ltr">Tell us more.</span> <small class="fallback-tag">' in page
    assert '<option value="SN">Sénégal</option>' in page
    arabic = client.get("/ar/consultations/survey/questionnaire/").get_data(as_text=True)
    assert "مجلسكم؟" in arabic and "استطلاعات" in arabic and 'dir="rtl"' in arabic


def test_no_questionnaire_or_no_publication_is_not_found(client: FlaskClient) -> None:
    make_consultation("paper-only", sections={"1": {"en": "Principles."}})
    assert client.get("/en/consultations/paper-only/questionnaire/").status_code == 404
    hidden = make_consultation("hidden", published=False)
    make_question(hidden)
    assert client.get("/en/consultations/hidden/questionnaire/").status_code == 404


@pytest.mark.db
def test_a_draft_saves_without_the_required_answers(client: FlaskClient) -> None:
    _, q = survey()
    sign_in_participant(client)
    before = mail_count()
    response = send_answers(client, {name_of(q["story"]): "Half done."}, action="draft")
    assert response.status_code == 302
    [saved] = responses()
    assert saved.status is ResponseStatus.DRAFT and saved.submitted_at is None
    assert [a.text for a in saved.answers.values()] == ["Half done."]
    assert saved.author_name is None
    # Drafts are neither audited nor mailed.
    assert "response.submitted" not in audit_actions()
    assert mail_count() == before
    page = client.get(FORM).get_data(as_text=True)
    assert "Your draft is saved." in page and "Draft, not sent" in page
    assert "Half done.</textarea>" in page


@pytest.mark.db
def test_a_draft_with_an_invalid_answer_saves_nothing(client: FlaskClient) -> None:
    _, q = survey()
    sign_in_participant(client)
    typed = {name_of(q["story"]): "Kept.", name_of(q["scale"]): "9"}
    response = send_answers(client, typed, action="draft")
    assert response.status_code == 200
    assert responses() == []
    page = unescaped(response)
    assert "Please choose a point from 1 to 5." in page
    assert "Kept.</textarea>" in page


@pytest.mark.db
def test_a_submission_needs_the_required_answers_and_gives_everything_back(
    client: FlaskClient,
) -> None:
    _, q = survey()
    sign_in_participant(client)
    typed = full_answers(q)
    del typed[name_of(q["name"])]
    del typed[name_of(q["one"])]
    response = send_answers(client, typed)
    assert response.status_code == 200
    assert responses() == []
    page = response.get_data(as_text=True)
    assert page.count('class="error-message"') == 2
    assert 'class="error-summary"' in page
    assert f'href="#{name_of(q["name"])}"' in page
    assert f'href="#{name_of(q["one"])}-{option_of(q["one"], 0)}"' in page
    assert "Please answer this question." in page
    assert "We hold hearings.\n\nEvery month.</textarea>" in html.unescape(page).replace("\r", "")
    many = q["many"]
    assert {
        f"q-{many.id}-{option_of(many, 0)}",
        f"q-{many.id}-{option_of(many, 2)}",
        f"{name_of(q['scale'])}=4",
        f"{name_of(q['yes'])}=yes",
    } <= checked_values(page)
    assert '<option value="SN" selected>' in page


@pytest.mark.db
def test_submit_then_edit_until_the_close(client: FlaskClient) -> None:
    _, q = survey()
    sign_in_participant(client)
    response = send_answers(client, full_answers(q), path="/fr/consultations/survey/questionnaire/")
    assert response.status_code == 302
    [saved] = responses()
    assert saved.status is ResponseStatus.SUBMITTED and saved.language == "fr"
    assert saved.author_name == "Amina Diallo" and saved.author_country == "SN"
    answers = {a.question_id: a for a in saved.answers.values()}
    assert answers[q["many"].id].option_ids == [option_of(q["many"], 0), option_of(q["many"], 2)]
    assert answers[q["scale"].id].number == 4 and answers[q["yes"].id].flag is True
    assert answers[q["country"].id].text == "SN"
    assert audit_actions()[-1] == "response.submitted"
    first_submission, first_update = saved.submitted_at, saved.updated_at

    page = client.get(FORM).get_data(as_text=True)
    assert "Submitted on" in page
    assert ">Save changes</button>" in page and ">Save draft<" not in page

    # The profile changes; the next submission copies it again.
    author = db.session.scalars(select(User)).one()
    author.display_name = "Amina D."
    db.session.commit()
    changed = full_answers(q)
    del changed[name_of(q["story"])]
    changed[name_of(q["scale"])] = "2"
    assert send_answers(client, changed).status_code == 302
    [edited] = responses()
    assert edited.status is ResponseStatus.SUBMITTED
    assert edited.submitted_at == first_submission and edited.updated_at > first_update
    assert edited.language == "en" and edited.author_name == "Amina D."
    assert q["story"].id not in edited.answers
    assert edited.answers[q["scale"].id].number == 2
    assert audit_actions()[-1] == "response.updated"
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.details == {"consultation": "survey"}
    assert "last changed on" in client.get(FORM).get_data(as_text=True)


@pytest.mark.db
def test_a_submitted_response_never_goes_back_to_draft(client: FlaskClient) -> None:
    _, q = survey()
    sign_in_participant(client)
    send_answers(client, full_answers(q))
    typed = full_answers(q)
    del typed[name_of(q["name"])]
    # A "Save draft" kept from an old page: still an edit, which needs the required answers.
    response = send_answers(client, typed, action="draft")
    assert response.status_code == 200 and "Please answer this question." in unescaped(response)
    [saved] = responses()
    assert saved.status is ResponseStatus.SUBMITTED
    assert saved.answers[q["name"].id].text == "Assemblée nationale"


@pytest.mark.db
@pytest.mark.parametrize("offset", [timedelta(0), timedelta(minutes=1)])
def test_answers_sent_after_the_close_are_refused_and_given_back(
    client: FlaskClient, offset: timedelta
) -> None:
    closes_at = (utcnow() + timedelta(hours=2)).replace(microsecond=0)
    _, q = survey(closes_at=closes_at, timezone="America/Lima")
    sign_in_participant(client)
    send_answers(client, full_answers(q))
    [before] = responses()
    stamp = before.updated_at
    page = client.get(FORM).get_data(as_text=True)
    changed = {**full_answers(q), name_of(q["name"]): "Changed too late"}
    with time_machine.travel(closes_at + offset, tick=False):
        response = client.post(
            FORM, data={"csrf_token": csrf_token_of(page), "action": "submit", **changed}
        )
    assert response.status_code == 200
    text = unescaped(response)
    assert "This consultation closed on" in text and "your answers were not saved" in text
    assert "(Peru Standard Time, GMT-05:00)" in text
    # Given back read-only, as typed.
    assert re.search(r'<input[^>]* value="Changed too late"[^>]* readonly>', text)
    assert "Save changes</button>" not in text
    [after] = responses()
    assert after.updated_at == stamp
    assert after.answers[q["name"].id].text == "Assemblée nationale"


@pytest.mark.db
def test_after_the_close_the_response_is_read_only(client: FlaskClient) -> None:
    now = utcnow()
    _, q = survey(opens_at=now - timedelta(days=9), closes_at=now - timedelta(minutes=1))
    author = make_participant("amina@example.org")
    make_response(_, author, {q["name"].question(): "Senado", q["yes"].question(): False})
    sign_in_participant(client)
    page = client.get(FORM).get_data(as_text=True)
    assert "This consultation is closed: answers can no longer be sent or changed." in page
    assert re.search(r'<input[^>]* value="Senado"[^>]* readonly>', page)
    assert f'name="{name_of(q["yes"])}" value="no" checked disabled' in page
    assert "<button" not in page.split('class="questionnaire-form"')[1]


@pytest.mark.db
def test_answers_before_the_opening_are_refused(client: FlaskClient) -> None:
    _, q = survey(opens_at=utcnow() + timedelta(days=1), closes_at=utcnow() + timedelta(days=9))
    sign_in_participant(client)
    page = client.get(FORM).get_data(as_text=True)
    assert "Answers can be sent once the consultation opens." in page
    response = client.post(
        FORM,
        data={
            "csrf_token": csrf_token_of(page),
            "action": "draft",
            name_of(q["name"]): "Early",
            name_of(q["scale"]): "9",
        },
    )
    assert response.status_code == 200
    # The window is the reason, not the answers.
    assert "This consultation opens on" in unescaped(response)
    assert "Please choose a point" not in unescaped(response)
    assert 'value="Early"' in response.get_data(as_text=True)
    assert responses() == []


def test_a_visitors_answers_come_back_unsent_after_signing_in(client: FlaskClient) -> None:
    _, q = survey()
    typed = full_answers(q)
    page = client.get(FORM).get_data(as_text=True)
    asked = client.post(FORM, data={"csrf_token": csrf_token_of(page), "action": "submit", **typed})
    sign_in = asked.get_data(as_text=True)
    client.post(
        "/en/account/sign-in",
        data={
            "email": "lima@example.org",
            "next": hidden_value(sign_in, "next"),
            "draft": hidden_value(sign_in, "draft"),
            "csrf_token": csrf_token_of(sign_in),
        },
    )
    phone = client.application.test_client()
    after_continue = press_continue(phone, link_path_in(last_mail_to("lima@example.org")))
    after_profile = complete_profile(phone, path=after_continue.headers["Location"])
    assert after_profile.headers["Location"] == FORM
    restored = phone.get(FORM).get_data(as_text=True)
    assert "Your answers are back, not yet saved" in restored
    assert 'value="Assemblée nationale"' in html.unescape(restored)
    many = q["many"]
    assert {
        f"q-{many.id}-{option_of(many, 0)}",
        f"q-{many.id}-{option_of(many, 2)}",
        f"{name_of(q['scale'])}=4",
    } <= checked_values(restored)
    assert responses() == []


@pytest.mark.db
def test_an_expired_form_token_saves_nothing_and_gives_the_answers_back(
    client: FlaskClient,
) -> None:
    _, q = survey()
    sign_in_participant(client)
    response = client.post(
        FORM, data={"csrf_token": "expired", "action": "submit", **full_answers(q)}
    )
    assert response.status_code == 400
    text = unescaped(response)
    assert "nothing was saved" in text
    assert 'value="Assemblée nationale"' in text
    assert responses() == []


def test_the_consultation_page_leads_to_the_questionnaire(client: FlaskClient) -> None:
    survey()
    page = client.get("/en/consultations/survey/").get_data(as_text=True)
    assert "Call for input" in page and "A questionnaire of 7 questions." in page
    assert f'href="{FORM}"><strong>Answer the questionnaire</strong>' in page
    # No paper: none of its parts.
    assert "The paper" not in page and "General comments" not in page


@pytest.mark.db
def test_the_consultation_page_says_where_my_response_stands(client: FlaskClient) -> None:
    _, q = survey()
    sign_in_participant(client)
    send_answers(client, {name_of(q["story"]): "Later."}, action="draft")
    page = client.get("/en/consultations/survey/").get_data(as_text=True)
    assert "Draft, not sent" in page and "Continue your draft" in page
    send_answers(client, full_answers(q))
    page = client.get("/en/consultations/survey/").get_data(as_text=True)
    assert "Submitted on" in page and "See or change your response" in page


@pytest.mark.parametrize(("who", "status"), [("editor", 200), ("admin", 200), ("moderator", 403)])
def test_the_preview_is_for_editors(client: FlaskClient, who: str, status: int) -> None:
    survey(published=False)
    staff_client(client, f"{who}@example.org", Role(who))
    response = client.get(PREVIEW.format(lang="fr"))
    assert response.status_code == status
    if status == 200:
        page = response.get_data(as_text=True)
        assert 'class="preview-banner"' in page and "Votre chambre ?" in page
        assert (
            'value="submit" disabled>' in page
            and 'method="post"' not in page.split('class="questionnaire-form"')[1][:20]
        )
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
        overview = client.get("/en/manage/consultations/survey/preview/").get_data(as_text=True)
        assert 'href="/en/manage/consultations/survey/preview/questionnaire/"' in overview


def test_a_visitor_is_sent_to_sign_in_from_the_preview(client: FlaskClient) -> None:
    survey(published=False)
    assert client.get(PREVIEW.format(lang="en")).status_code == 302


@pytest.mark.db
def test_the_participant_chooses_how_they_appear_and_the_copy_says_it(
    client: FlaskClient,
) -> None:
    _, q = survey()
    sign_in_participant(client)
    page = client.get(FORM).get_data(as_text=True)
    # As on the comment form: the first way checked, each one previewed from the profile.
    assert "identity=name" in checked_values(page)
    assert "Appears as: <bdi>Amina Diallo</bdi>, <bdi>Assemblée nationale</bdi>" in page
    response = send_answers(client, {**full_answers(q), "identity": "anonymous"})
    assert response.status_code == 302
    [saved] = responses()
    assert saved.identity is Identity.ANONYMOUS
    assert "How you chose to appear: Anonymously" in last_mail_to("amina@example.org").text_body
    assert "identity=anonymous" in checked_values(client.get(FORM).get_data(as_text=True))


@pytest.mark.db
def test_a_submission_needs_a_way_to_appear_a_draft_does_not(client: FlaskClient) -> None:
    _, q = survey()
    sign_in_participant(client)
    typed = {k: v for k, v in full_answers(q).items() if k != "identity"}
    assert send_answers(client, typed, action="draft", identity=None).status_code == 302
    [draft] = responses()
    assert draft.identity is None
    response = send_answers(client, typed, identity=None)
    assert response.status_code == 200
    text = unescaped(response)
    assert "Attribute my response: Please choose how your response appears." in text
    assert 'value="Assemblée nationale"' in text
    [still] = responses()
    assert still.status is ResponseStatus.DRAFT
    # A draft keeps the way chosen, and the form shows it again.
    send_answers(client, typed, action="draft", identity="organisation")
    [kept] = responses()
    assert kept.identity is Identity.ORGANISATION_ONLY and kept.status is ResponseStatus.DRAFT
    assert "identity=organisation" in checked_values(client.get(FORM).get_data(as_text=True))


@pytest.mark.db
def test_appearing_by_an_organisation_needs_one_in_the_profile(client: FlaskClient) -> None:
    _, q = survey()
    sign_in_participant(client)
    author = db.session.scalars(select(User)).one()
    author.organisation = None
    db.session.commit()
    response = send_answers(client, {**full_answers(q), "identity": "organisation"})
    assert response.status_code == 200
    assert "Your profile names no organisation: please choose another way to appear." in (
        unescaped(response)
    )
    assert "identity=organisation" in checked_values(response.get_data(as_text=True))
    assert responses() == []


@pytest.mark.db
def test_sending_a_submitted_response_unchanged_writes_and_mails_nothing(
    client: FlaskClient,
) -> None:
    _, q = survey()
    sign_in_participant(client)
    send_answers(client, full_answers(q))
    [saved] = responses()
    stamp, actions, mails = saved.updated_at, audit_actions(), mail_count()
    response = send_answers(client, full_answers(q))
    assert response.status_code == 302
    page = client.get(FORM).get_data(as_text=True)
    assert "nothing changed, so no new copy is sent." in page
    [after] = responses()
    assert after.updated_at == stamp and audit_actions() == actions and mail_count() == mails
    # Another way to appear is a change.
    send_answers(client, {**full_answers(q), "identity": "anonymous"})
    assert audit_actions()[-1] == "response.updated" and mail_count() == mails + 1


@pytest.mark.db
def test_a_questionnaire_changed_while_answering_gives_the_answers_back(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, q = survey()
    sign_in_participant(client)

    def questionnaire_changed(*args: object, **kwargs: object) -> None:
        # As the database says when an answered question was removed meanwhile.
        raise IntegrityError("INSERT INTO answers", {}, Exception("FOREIGN KEY constraint failed"))

    monkeypatch.setattr("consult.questionnaires.views.save_response", questionnaire_changed)
    response = send_answers(client, full_answers(q))
    assert response.status_code == 200
    text = unescaped(response)
    assert (
        "The questionnaire changed while you were answering; please check your answers "
        "and send them again." in text
    )
    assert 'value="Assemblée nationale"' in text and ">Submit</button>" in text
    assert f"{name_of(q['scale'])}=4" in checked_values(text)
    assert responses() == []


@pytest.mark.db
def test_the_questions_are_read_again_once_the_consultation_is_locked(
    app_context: None,
) -> None:
    consultation, q = survey()
    author = make_participant("amina@example.org")
    [story] = [question for question in questions_of(consultation) if question.id == q["story"].id]
    assert not story.required
    # An editor makes the question required between the page and the sending; the
    # session still holds it as it was.
    db.session.execute(
        update(Question)
        .where(Question.id == story.id)
        .values(required=True)
        .execution_options(synchronize_session=False)
    )
    left_out = name_of(q["story"])
    typed = {name: [value] for name, value in full_answers(q).items() if name != left_out}
    with pytest.raises(ResponseRefused) as refused:
        save_response(
            consultation,
            author,
            typed,
            identity=Identity.NAME_AND_ORGANISATION,
            submit=True,
            locale="en",
        )
    assert refused.value.reason is RefusalReason.INVALID
    assert set(refused.value.errors) == {story.id}


def test_answers_are_rate_limited_per_person(tmp_path: Path) -> None:
    app = limited_app(tmp_path)
    with app.app_context():
        survey()
    client = app.test_client()
    page = client.get("/en/account/sign-in").get_data(as_text=True)
    client.post(
        "/en/account/sign-in",
        data={"email": "amina@example.org", "csrf_token": csrf_token_of(page)},
    )
    with app.app_context():
        path = link_path_in(last_mail_to("amina@example.org"))
    complete_profile(client, path=press_continue(client, path).headers["Location"])
    page = client.get(FORM).get_data(as_text=True)
    data = {"csrf_token": csrf_token_of(page), "action": "draft", "identity": "name"}
    statuses = [client.post(FORM, data=data).status_code for _ in range(31)]
    assert statuses == [302] * 30 + [429]
    # Reading the questionnaire is not limited.
    assert client.get(FORM).status_code == 200


def test_the_deadline_is_for_answers_where_there_is_no_paper(client: FlaskClient) -> None:
    survey()
    for path in ("/en/consultations/survey/", FORM):
        page = client.get(path).get_data(as_text=True)
        assert "Open for answers until" in page and "Open for comment until" not in page, path
    both = make_consultation("both", sections={"1": {"en": "Principles."}})
    make_question(both)
    page = client.get("/en/consultations/both/").get_data(as_text=True)
    assert "Open for comment until" in page
    answering = client.get("/en/consultations/both/questionnaire/").get_data(as_text=True)
    assert "Open for answers until" in answering
