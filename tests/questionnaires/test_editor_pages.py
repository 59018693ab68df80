"""The questionnaire editor's pages: who may reach them, adding, editing, ordering, removing."""

from __future__ import annotations

import html

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.consultations.models import Consultation
from consult.extensions import db
from consult.questionnaires.models import Answer, Question, QuestionKind, ResponseStatus
from tests.accounts.helpers import csrf_token_of
from tests.accounts.staff_helpers import (
    PARTICIPANT,
    ROLES,
    STAFF_SIGN_IN,
    VISITOR,
    as_role,
    error_messages,
    post_form,
    sent_to_staff_sign_in,
)
from tests.factories import make_consultation, make_participant
from tests.questionnaires.factories import make_question, make_response

BASE = "/en/manage/consultations/call/questionnaire"
LOCKED_NOTICE = (
    "1 response has been submitted: questions can no longer be removed or change type, "
    "and options can no longer be removed; wording and translations can still be edited."
)


@pytest.fixture
def editor(client: FlaskClient) -> FlaskClient:
    return as_role(client, "editor")


def make_call(*, published: bool = False) -> Consultation:
    consultation = make_consultation(
        "call", titles={"en": "Call", "fr": "Appel"}, published=published
    )
    make_question(
        consultation,
        QuestionKind.SINGLE_CHOICE,
        texts={"en": "Which theme?", "fr": "Quel thème ?"},
        options=[{"en": "AI", "fr": "IA"}, {"en": "Data"}],
    )
    make_question(consultation, QuestionKind.LONG_TEXT, texts={"en": "Why?"})
    return consultation


def questions() -> list[Question]:
    return list(db.session.scalars(select(Question).order_by(Question.position)))


def wording() -> list[str]:
    db.session.expire_all()
    return [q.translations["en"].text for q in questions()]


def errors_on(page: str) -> list[str]:
    return [html.unescape(message) for message in error_messages(page)]


def lock(consultation: Consultation) -> None:
    """A response to the first question, submitted (the consultation may have left the session)."""
    consultation = db.session.merge(consultation)
    first = consultation.questions[0]
    make_response(consultation, make_participant(), {first: [first.options[0].id]})


@pytest.mark.db
@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("page", ["/", "/new", "/{id}/en", "/{id}/fr"])
def test_each_questionnaire_page_for_each_role(client: FlaskClient, who: str, page: str) -> None:
    make_call()
    path = BASE + page.format(id=questions()[0].id)
    response = as_role(client, who).get(path)
    if who in (VISITOR, PARTICIPANT):
        assert response.status_code == 302
        assert response.headers["Location"].startswith(f"{STAFF_SIGN_IN}?next=")
    elif who == "moderator":
        assert response.status_code == 403
    else:
        assert response.status_code == 200


@pytest.mark.db
@pytest.mark.parametrize("who", [PARTICIPANT, "moderator"])
@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("/new", {"kind": "yes_no", "text": "New?", "save": "y"}),
        ("/{id}/en", {"kind": "yes_no", "text": "Changed?", "save": "y"}),
        ("/{id}/move", {"direction": "down"}),
        ("/{id}/remove", {"confirm": "y"}),
    ],
)
def test_only_editors_may_change_a_questionnaire(
    client: FlaskClient, who: str, action: str, data: dict[str, str]
) -> None:
    make_call()
    as_role(client, who)
    token = csrf_token_of(client.get("/en/account/profile").get_data(as_text=True))
    path = BASE + action.format(id=questions()[0].id)
    response = client.post(path, data={"csrf_token": token, **data})
    if who == PARTICIPANT:
        assert sent_to_staff_sign_in(response)
    else:
        assert response.status_code == 403
    assert wording() == ["Which theme?", "Why?"]


@pytest.mark.db
@pytest.mark.parametrize(
    "path",
    [
        "/en/manage/consultations/no-such/questionnaire/",
        "/en/manage/consultations/no-such/questionnaire/new",
        f"{BASE}/999999/en",
        f"{BASE}/{{id}}/es",  # a language the consultation does not offer
    ],
)
def test_an_unknown_consultation_question_or_language_is_404(
    editor: FlaskClient, path: str
) -> None:
    make_call()
    assert editor.get(path.format(id=questions()[0].id)).status_code == 404


@pytest.mark.db
def test_a_question_of_another_consultation_is_404(editor: FlaskClient) -> None:
    make_call()
    other = make_question(make_consultation("other"))
    assert editor.get(f"{BASE}/{other.id}/en").status_code == 404
    token = csrf_token_of(editor.get(f"{BASE}/").get_data(as_text=True))
    response = editor.post(f"{BASE}/{other.id}/remove", data={"csrf_token": token, "confirm": "y"})
    assert response.status_code == 404


@pytest.mark.db
def test_the_questions_page_lists_questions_languages_and_actions(editor: FlaskClient) -> None:
    make_call()
    first, second = questions()
    page = editor.get(f"{BASE}/").get_data(as_text=True)
    row = page.split(f'id="question-{first.id}"', 1)[1].split("</tr>", 1)[0]
    assert "Question 1" in row and "Which theme?" in row
    assert "One choice among options" in row and "2 options" in row
    assert "Optional" in row
    # The French option "Data" is missing.
    assert 'badge-present">English' in row and "French: incomplete" in row
    assert f'href="{BASE}/{first.id}/fr"' in row
    assert "Move up" not in row and "Move down" in row and "Remove" in row
    last = page.split(f'id="question-{second.id}"', 1)[1].split("</tr>", 1)[0]
    assert "Move up" in last and "Move down" not in last
    assert f'href="{BASE}/new"' in page
    assert 'href="/en/manage/consultations/call/preview/questionnaire/"' in page
    assert "have been submitted" not in page


@pytest.mark.db
def test_an_empty_questionnaire_says_how_to_start(editor: FlaskClient) -> None:
    make_consultation("call", published=False)
    page = editor.get(f"{BASE}/").get_data(as_text=True)
    assert "This questionnaire has no questions yet" in page


@pytest.mark.db
@pytest.mark.parametrize(
    ("fields", "check"),
    [
        ({"kind": "short_text", "text": "Your committee?"}, lambda q: q.kind.value == "short_text"),
        ({"kind": "long_text", "text": "Anything else?"}, lambda q: q.kind.value == "long_text"),
        ({"kind": "yes_no", "text": "Regional?", "required": "y"}, lambda q: q.required),
        ({"kind": "country", "text": "Which country?"}, lambda q: q.kind.value == "country"),
        (
            {"kind": "single_choice", "text": "One?", "options": "A\r\n\r\n B \r\nC"},
            lambda q: [o.translations["en"].label for o in q.options] == ["A", "B", "C"],
        ),
        (
            {"kind": "multiple_choice", "text": "Some?", "options": "A\nB\nC", "max_choices": "2"},
            lambda q: q.max_choices == 2 and len(q.options) == 3,
        ),
        (
            {"kind": "multiple_choice", "text": "Any?", "options": "A\nB", "max_choices": ""},
            lambda q: q.max_choices is None,
        ),
        (
            {
                "kind": "scale",
                "text": "How much?",
                "scale_max": "7",
                "scale_min_label": "Not at all",
                "scale_max_label": "Very much",
            },
            lambda q: q.scale_max == 7 and q.translations["en"].scale_max_label == "Very much",
        ),
    ],
)
def test_adding_each_kind_puts_it_at_the_end(
    editor: FlaskClient, fields: dict[str, str], check: object
) -> None:
    make_call()
    response = post_form(editor, f"{BASE}/new", f"{BASE}/new", save="y", **fields)
    assert response.status_code == 302, errors_on(response.get_data(as_text=True))
    added = questions()[-1]
    assert response.headers["Location"] == f"{BASE}/#question-{added.id}"
    assert added.position == 2
    assert added.translations["en"].text == fields["text"]
    assert callable(check) and check(added)
    if added.kind is not QuestionKind.SCALE:
        assert added.scale_max is None


@pytest.mark.db
@pytest.mark.parametrize(
    ("fields", "error", "kept"),
    [
        (
            {"kind": "short_text", "text": " "},
            "Write the question: the default language needs it.",
            None,
        ),
        (
            {"kind": "single_choice", "text": "Which?", "options": "Only one\n"},
            "Give at least 2 options, one per line.",
            "Only one",
        ),
        (
            {"kind": "single_choice", "text": "Which?", "options": "Same\nsame"},
            "The option “same” is listed twice.",
            "Same\nsame",
        ),
        (
            {"kind": "single_choice", "text": "Which?", "options": "A\n" + "b" * 301},
            "Option 2 is longer than 300 characters.",
            "b" * 301,
        ),
        (
            {"kind": "multiple_choice", "text": "Which?", "options": "A\nB", "max_choices": "3"},
            "Give a whole number from 1 to 2, the number of options.",
            'value="3"',
        ),
        (
            {"kind": "multiple_choice", "text": "Which?", "options": "A\nB", "max_choices": "two"},
            "Give a whole number from 1 to 2, the number of options.",
            'value="two"',
        ),
        (
            {"kind": "scale", "text": "How much?", "scale_max": "11"},
            "Give a whole number of points from 2 to 10.",
            'value="11"',
        ),
        (
            {"kind": "scale", "text": "How much?", "scale_min_label": "x" * 201},
            "At most 200 characters, please.",
            "x" * 201,
        ),
        (
            {"kind": "short_text", "text": "q" * 1001},
            "At most 1000 characters, please.",
            "q" * 1001,
        ),
    ],
)
def test_adding_a_question_explains_errors_and_keeps_what_was_typed(
    editor: FlaskClient, fields: dict[str, str], error: str, kept: str | None
) -> None:
    make_call()
    response = post_form(editor, f"{BASE}/new", f"{BASE}/new", save="y", **fields)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert error in errors_on(page)
    if kept is not None:
        assert kept in html.unescape(page)
    assert f'selected value="{fields["kind"]}"' in page
    assert len(questions()) == 2


@pytest.mark.db
def test_options_typed_for_a_text_question_are_ignored(editor: FlaskClient) -> None:
    make_call()
    response = post_form(
        editor,
        f"{BASE}/new",
        f"{BASE}/new",
        kind="short_text",
        text="Name?",
        options="Only one",
        max_choices="x",
        scale_max="99",
        save="y",
    )
    assert response.status_code == 302
    added = questions()[-1]
    assert (added.options, added.max_choices, added.scale_max) == ([], None, None)


@pytest.mark.db
def test_the_help_preview_renders_markdown_and_saves_nothing(editor: FlaskClient) -> None:
    make_call()
    first = questions()[0]
    path = f"{BASE}/{first.id}/en"
    response = post_form(
        editor,
        path,
        path,
        text="Which theme, really?",
        help="Pick **one**.",
        **{f"option_{o.id}": o.translations["en"].label for o in first.options},
        kind="single_choice",
        preview="y",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    preview = page.split('id="preview"', 1)[1].split("</section>", 1)[0]
    assert "<strong>one</strong>" in preview
    assert "Which theme, really?" in page
    assert wording() == ["Which theme?", "Why?"]
    add_page = post_form(editor, f"{BASE}/new", f"{BASE}/new", help="*Hi*", preview="y")
    assert "<em>Hi</em>" in add_page.get_data(as_text=True)
    assert len(questions()) == 2


@pytest.mark.db
def test_editing_in_the_default_language_rewords_adds_and_removes_options(
    editor: FlaskClient,
) -> None:
    make_call()
    first = questions()[0]
    ai, data = first.options
    path = f"{BASE}/{first.id}/en"
    response = post_form(
        editor,
        path,
        path,
        kind="multiple_choice",
        required="y",
        text="Which themes?",
        help="",
        max_choices="2",
        **{f"option_{ai.id}": "Artificial intelligence", f"option_{data.id}": "Data"},
        **{f"remove_{data.id}": "y"},
        new_options="Access\nSkills",
        save="y",
    )
    assert response.status_code == 302, errors_on(response.get_data(as_text=True))
    assert response.headers["Location"] == f"{BASE}/#question-{first.id}"
    db.session.expire_all()
    question = questions()[0]
    assert (question.kind, question.required, question.max_choices) == (
        QuestionKind.MULTIPLE_CHOICE,
        True,
        2,
    )
    assert [(o.id == ai.id, o.translations["en"].label) for o in question.options] == [
        (True, "Artificial intelligence"),
        (False, "Access"),
        (False, "Skills"),
    ]
    # The French label of the reworded option stays.
    assert question.options[0].translations["fr"].label == "IA"


@pytest.mark.db
def test_an_existing_option_needs_a_label_unless_removed(editor: FlaskClient) -> None:
    make_call()
    first = questions()[0]
    ai, data = first.options
    path = f"{BASE}/{first.id}/en"
    response = post_form(
        editor,
        path,
        path,
        kind="single_choice",
        text="Which?",
        **{f"option_{ai.id}": " ", f"option_{data.id}": "Data"},
        new_options="Typed option",
        save="y",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "An option needs a label." in errors_on(page)
    assert "Typed option" in page
    assert wording() == ["Which theme?", "Why?"]


@pytest.mark.db
def test_a_translation_shows_the_reference_and_empty_fields_remove_it(
    editor: FlaskClient,
) -> None:
    make_call()
    first = questions()[0]
    ai, data = first.options
    path = f"{BASE}/{first.id}/fr"
    page = editor.get(path).get_data(as_text=True)
    assert "For reference: the English text" in page
    assert "In English: Data" in page
    assert 'lang="fr"' in page.split('name="text"', 1)[0].rsplit("<textarea", 1)[1]
    assert 'name="kind"' not in page and f'name="remove_{ai.id}"' not in page
    response = post_form(
        editor,
        path,
        path,
        text="Quel thème ?",
        **{f"option_{ai.id}": "IA", f"option_{data.id}": "Données"},
        save="y",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert questions()[0].options[1].translations["fr"].label == "Données"
    page = editor.get(f"{BASE}/").get_data(as_text=True)
    assert (
        "French: incomplete" not in page.split(f'id="question-{first.id}"', 1)[1].split("</tr>")[0]
    )
    emptied = {f"option_{ai.id}": "", f"option_{data.id}": ""}
    post_form(editor, path, path, text="", help="", **emptied, save="y")
    db.session.expire_all()
    question = questions()[0]
    assert "fr" not in question.translations
    assert "fr" not in question.options[0].translations


@pytest.mark.db
def test_moving_a_question_says_where_it_went(editor: FlaskClient) -> None:
    make_call()
    second = questions()[1]
    response = post_form(editor, f"{BASE}/", f"{BASE}/{second.id}/move", direction="up")
    assert response.headers["Location"] == f"{BASE}/#question-{second.id}"
    assert wording() == ["Why?", "Which theme?"]
    page = editor.get(f"{BASE}/").get_data(as_text=True)
    assert "Question 2 is now question 1." in html.unescape(page)
    post_form(editor, f"{BASE}/", f"{BASE}/{second.id}/move", direction="up")
    assert "Question 1 is already first." in html.unescape(
        editor.get(f"{BASE}/").get_data(as_text=True)
    )


@pytest.mark.db
def test_removing_asks_first_and_mentions_drafts(editor: FlaskClient) -> None:
    consultation = make_call()
    first = questions()[0]
    make_response(
        consultation,
        make_participant(),
        {first: [first.options[0].id]},
        status=ResponseStatus.DRAFT,
    )
    response = post_form(editor, f"{BASE}/", f"{BASE}/{first.id}/remove")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert "Remove question 1?" in page
    assert "1 participant has answered it in a draft not yet sent" in page
    assert len(questions()) == 2
    response = post_form(editor, f"{BASE}/", f"{BASE}/{first.id}/remove", confirm="y")
    assert response.headers["Location"] == f"{BASE}/"
    assert wording() == ["Why?"]
    assert db.session.scalars(select(Answer)).all() == []


@pytest.mark.db
def test_a_locked_questionnaire_says_why_and_refuses_removal(editor: FlaskClient) -> None:
    consultation = make_call(published=True)
    lock(consultation)
    first = questions()[0]
    page = html.unescape(editor.get(f"{BASE}/").get_data(as_text=True))
    assert LOCKED_NOTICE in page
    assert "Cannot be removed: responses are submitted" in page
    response = post_form(editor, f"{BASE}/", f"{BASE}/{first.id}/remove", confirm="y")
    assert response.status_code == 302
    assert len(questions()) == 2
    assert LOCKED_NOTICE in html.unescape(editor.get(f"{BASE}/").get_data(as_text=True))
    edit_page = html.unescape(editor.get(f"{BASE}/{first.id}/en").get_data(as_text=True))
    assert LOCKED_NOTICE in edit_page
    assert (
        'name="kind"' not in edit_page and f'name="remove_{first.options[0].id}"' not in edit_page
    )


@pytest.mark.db
def test_a_locked_question_is_reworded_but_a_type_change_is_refused(editor: FlaskClient) -> None:
    consultation = make_call(published=True)
    first = questions()[0]
    ai, data = first.options
    path = f"{BASE}/{first.id}/en"
    # The page was opened before the first response was submitted.
    page = editor.get(path).get_data(as_text=True)
    lock(consultation)
    labels = {f"option_{ai.id}": "AI", f"option_{data.id}": "Data"}
    response = editor.post(
        path,
        data={
            "csrf_token": csrf_token_of(page),
            "kind": "multiple_choice",
            "text": "Which theme, in a word?",
            **labels,
            "save": "y",
        },
    )
    assert response.status_code == 200
    refused = html.unescape(response.get_data(as_text=True))
    assert "the question can no longer change type" in refused
    assert "Which theme, in a word?" in refused
    response = post_form(
        editor, path, path, text="Which theme, in a word?", new_options="Skills", **labels, save="y"
    )
    assert response.status_code == 302
    db.session.expire_all()
    question = questions()[0]
    assert question.translations["en"].text == "Which theme, in a word?"
    assert question.kind is QuestionKind.SINGLE_CHOICE
    assert [o.translations["en"].label for o in question.options] == ["AI", "Data", "Skills"]
    response = post_form(
        editor, f"{BASE}/{first.id}/fr", f"{BASE}/{first.id}/fr", text="Thème ?", save="y"
    )
    assert response.status_code == 302


@pytest.mark.db
def test_a_locked_maximum_of_choices_may_rise_but_not_fall(editor: FlaskClient) -> None:
    consultation = make_call(published=True)
    themes = make_question(
        consultation,
        QuestionKind.MULTIPLE_CHOICE,
        texts={"en": "Themes?"},
        options=[{"en": "AI"}, {"en": "Data"}, {"en": "Skills"}],
        max_choices=2,
    )
    labels = {
        f"option_{option.id}": label
        for option, label in zip(themes.options, ["AI", "Data", "Skills"], strict=True)
    }
    lock(consultation)
    path = f"{BASE}/{themes.id}/en"
    page = html.unescape(editor.get(path).get_data(as_text=True))
    assert "It can be raised or emptied (no limit), but not set or lowered" in page
    response = post_form(
        editor,
        path,
        path,
        kind="multiple_choice",
        text="Themes?",
        max_choices="1",
        **labels,
        save="y",
    )
    assert response.status_code == 200
    assert "can be raised or removed, not set or lowered" in html.unescape(
        response.get_data(as_text=True)
    )
    response = post_form(
        editor,
        path,
        path,
        kind="multiple_choice",
        text="Themes?",
        max_choices="3",
        **labels,
        save="y",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Question, themes.id).max_choices == 3


@pytest.mark.db
def test_a_draft_response_does_not_lock(editor: FlaskClient) -> None:
    consultation = make_call()
    first = questions()[0]
    make_response(consultation, make_participant(), {}, status=ResponseStatus.DRAFT)
    page = html.unescape(editor.get(f"{BASE}/").get_data(as_text=True))
    assert "have been submitted" not in page and "has been submitted" not in page
    post_form(editor, f"{BASE}/", f"{BASE}/{first.id}/remove", confirm="y")
    assert wording() == ["Why?"]


@pytest.mark.db
@pytest.mark.parametrize("page", ["/new", "/{id}/en", "/{id}/fr"])
def test_an_expired_form_token_saves_nothing_and_shows_the_typed_question(
    editor: FlaskClient, page: str
) -> None:
    make_call()
    path = BASE + page.format(id=questions()[0].id)
    response = editor.post(
        path,
        data={"csrf_token": "expired", "kind": "yes_no", "text": "Typed question", "save": "y"},
    )
    assert response.status_code == 400
    assert "Typed question" in response.get_data(as_text=True)
    assert wording() == ["Which theme?", "Why?"]
    assert len(questions()) == 2


@pytest.mark.db
@pytest.mark.parametrize(("action", "data"), [("move", {"direction": "up"}), ("remove", {})])
def test_an_expired_token_moves_and_removes_nothing(
    editor: FlaskClient, action: str, data: dict[str, str]
) -> None:
    make_call()
    second = questions()[1]
    response = editor.post(
        f"{BASE}/{second.id}/{action}", data={"csrf_token": "expired", "confirm": "y", **data}
    )
    assert response.status_code == 400
    assert wording() == ["Which theme?", "Why?"]


@pytest.mark.db
def test_the_pages_work_in_arabic(client: FlaskClient) -> None:
    consultation = make_consultation(
        "call", titles={"ar": "دعوة", "en": "Call"}, default_locale="ar", published=False
    )
    question_id = make_question(
        consultation,
        QuestionKind.SINGLE_CHOICE,
        texts={"ar": "أي موضوع؟"},
        options=[{"ar": "الذكاء الاصطناعي"}, {"ar": "البيانات"}],
    ).id
    as_role(client, "editor")
    base = "/ar/manage/consultations/call/questionnaire"
    page = client.get(f"{base}/").get_data(as_text=True)
    assert 'dir="rtl"' in page and "أي موضوع؟" in page
    edit = client.get(f"{base}/{question_id}/en").get_data(as_text=True)
    assert "الذكاء الاصطناعي" in edit
    text_box = edit.split('name="text"', 1)[0].rsplit("<textarea", 1)[1]
    assert 'dir="ltr"' in text_box and 'lang="en"' in text_box
