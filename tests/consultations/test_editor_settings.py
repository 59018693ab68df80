"""A consultation's settings: address, languages, time zone, window typed as local time,
moderation mode; and what a change after publication tells readers."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.consultations.forms import (
    ConsultationSettingsForm,
    NonexistentLocalTime,
    utc_from_local,
)
from consult.consultations.models import Consultation, ModerationMode, NoticeKind
from consult.consultations.operations import (
    ConsultationChangeRefused,
    change_window,
    update_settings,
)
from consult.extensions import db
from tests.accounts.helpers import csrf_token_of
from tests.accounts.staff_helpers import error_messages, make_staff, staff_client
from tests.factories import make_consultation

BASE = "/en/manage/consultations"
ZURICH = ZoneInfo("Europe/Zurich")
# A window well in the future, in winter (UTC+1) and summer (UTC+2) in Zurich.
OPENS = datetime(2030, 1, 10, 8, 0, tzinfo=UTC)
CLOSES = datetime(2030, 2, 10, 22, 59, tzinfo=UTC)


def reload(slug: str) -> Consultation:
    return db.session.scalars(select(Consultation).where(Consultation.slug == slug)).one()


def entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def settings_of(slug: str) -> dict[str, str | list[str]]:
    """What the settings form sends when nothing is changed."""
    consultation = reload(slug)
    zone = consultation.zone

    def local(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if moment else ""

    sent: dict[str, str | list[str]] = {
        "slug": consultation.slug,
        "default_locale": consultation.default_locale,
        "offered_locales": list(consultation.offered_locales),
        "timezone": consultation.timezone,
        "opens_at": local(consultation.opens_at),
        "closes_at": local(consultation.closes_at),
        "moderation_mode": consultation.moderation_mode.value,
    }
    if consultation.open_data_before_close:
        # An unticked box is not sent at all.
        sent["open_data_before_close"] = "y"
    return sent


def post_settings(client: FlaskClient, current: str, **changes: str | list[str]) -> TestResponse:
    path = f"{BASE}/{current}/settings"
    data = {**settings_of(current), **changes}
    token = csrf_token_of(client.get(path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


@pytest.fixture
def editor(client: FlaskClient) -> FlaskClient:
    return staff_client(client, "editor@example.org", Role.EDITOR)


def test_a_local_time_becomes_utc_in_winter_and_summer() -> None:
    assert utc_from_local(datetime(2026, 1, 15, 23, 59), ZURICH) == datetime(
        2026, 1, 15, 22, 59, tzinfo=UTC
    )
    assert utc_from_local(datetime(2026, 7, 15, 23, 59), ZURICH) == datetime(
        2026, 7, 15, 21, 59, tzinfo=UTC
    )


def test_a_time_skipped_by_the_spring_jump_is_refused() -> None:
    with pytest.raises(NonexistentLocalTime):
        utc_from_local(datetime(2026, 3, 29, 2, 30), ZURICH)


def test_a_time_repeated_in_autumn_takes_the_earlier_instant() -> None:
    # 02:30 happens twice on 25 October 2026: first in summer time (UTC+2).
    assert utc_from_local(datetime(2026, 10, 25, 2, 30), ZURICH) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


@pytest.mark.db
def test_the_window_is_typed_in_the_zone_and_stored_in_utc(editor: FlaskClient) -> None:
    make_consultation("paper", published=False, opens_at=OPENS, closes_at=CLOSES)
    response = post_settings(
        editor, "paper", opens_at="2026-01-05T09:00", closes_at="2026-01-15T23:59"
    )
    assert response.status_code == 302, error_messages(response.get_data(as_text=True))
    consultation = reload("paper")
    assert consultation.opens_at == datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    assert consultation.closes_at == datetime(2026, 1, 15, 22, 59, tzinfo=UTC)
    page = editor.get(f"{BASE}/paper/settings").get_data(as_text=True)
    assert 'value="2026-01-15T23:59"' in page
    # Under the field: the time with its zone's name and offset.
    assert "January 15, 2026" in page and "GMT+01:00" in page


@pytest.mark.db
def test_the_same_local_times_in_another_zone_are_other_instants(editor: FlaskClient) -> None:
    make_consultation("paper", published=False, opens_at=OPENS, closes_at=CLOSES)
    post_settings(
        editor,
        "paper",
        timezone="America/Lima",
        opens_at="2026-01-05T09:00",
        closes_at="2026-01-15T23:59",
    )
    consultation = reload("paper")
    assert consultation.timezone == "America/Lima"
    assert consultation.closes_at == datetime(2026, 1, 16, 4, 59, tzinfo=UTC)


@pytest.mark.db
def test_a_nonexistent_local_time_is_refused_and_everything_typed_kept(
    editor: FlaskClient,
) -> None:
    make_consultation("paper", published=False, opens_at=OPENS, closes_at=CLOSES)
    response = post_settings(
        editor,
        "paper",
        opens_at="2026-03-20T09:00",
        closes_at="2026-03-29T02:30",
        moderation_mode="post",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert error_messages(page) == [
        "2026-03-29 02:30 does not exist in Europe/Zurich: the clocks jump forward that "
        "night. Please choose a time outside the jump."
    ]
    assert 'value="2026-03-29T02:30"' in page and 'value="2026-03-20T09:00"' in page
    assert 'checked id="moderation_mode-1" name="moderation_mode" type="radio" value="post"' in (
        page
    )
    consultation = reload("paper")
    assert (consultation.opens_at, consultation.closes_at) == (OPENS, CLOSES)
    assert consultation.moderation_mode is ModerationMode.PRE
    assert entries("consultation.window_changed") == []


@pytest.mark.db
@pytest.mark.parametrize(
    ("opens_at", "closes_at", "message"),
    [
        ("2026-01-05T09:00", "", "Please give both the opening and the closing time."),
        ("", "2026-01-05T09:00", "Please give both the opening and the closing time."),
        (
            "2026-01-05T09:00",
            "2026-01-05T09:00",
            "The closing time must be after the opening time.",
        ),
        ("tomorrow", "2026-01-05T09:00", "Please give a date and a time."),
    ],
)
def test_a_draft_window_needs_both_times_in_order(
    editor: FlaskClient, opens_at: str, closes_at: str, message: str
) -> None:
    make_consultation("paper", published=False, opens_at=OPENS, closes_at=CLOSES)
    response = post_settings(editor, "paper", opens_at=opens_at, closes_at=closes_at)
    assert response.status_code == 200
    assert error_messages(response.get_data(as_text=True)) == [message]


@pytest.mark.db
def test_a_draft_may_drop_its_window_but_a_published_one_may_not(editor: FlaskClient) -> None:
    make_consultation("draft", published=False, opens_at=OPENS, closes_at=CLOSES)
    make_consultation("live", opens_at=OPENS, closes_at=CLOSES)
    assert post_settings(editor, "draft", opens_at="", closes_at="").status_code == 302
    assert reload("draft").window.is_set is False
    response = post_settings(editor, "live", opens_at="", closes_at="")
    assert response.status_code == 200
    assert "unpublish it first" in error_messages(response.get_data(as_text=True))[0]
    assert reload("live").closes_at == CLOSES


@pytest.mark.db
def test_sending_the_form_unchanged_changes_nothing(editor: FlaskClient) -> None:
    # Stored times with seconds: the form shows minutes, and that is no change.
    make_consultation(
        "paper",
        published=True,
        opens_at=OPENS.replace(second=12, microsecond=5),
        closes_at=CLOSES.replace(second=59, microsecond=999),
    )
    response = post_settings(editor, "paper")
    assert response.status_code == 302
    assert "Nothing was changed." in editor.get(response.headers["Location"]).get_data(as_text=True)
    assert entries("consultation.window_changed") == []
    assert entries("consultation.settings_changed") == []
    assert reload("paper").notices == []


@pytest.mark.db
def test_a_deadline_in_the_repeated_autumn_hour_survives_an_unchanged_save(
    editor: FlaskClient,
) -> None:
    # 01:30 UTC on 27 October 2030 is 02:30 in Zurich for the second time that night
    # (winter time): read back as typed, 02:30 would be the first run, an hour earlier.
    deadline = datetime(2030, 10, 27, 1, 30, tzinfo=UTC)
    make_consultation("live", opens_at=OPENS, closes_at=deadline)
    assert settings_of("live")["closes_at"] == "2030-10-27T02:30"
    assert post_settings(editor, "live").status_code == 302
    assert reload("live").closes_at == deadline
    assert entries("consultation.window_changed") == []
    assert reload("live").notices == []


@pytest.mark.db
def test_changing_only_the_zone_of_a_published_consultation_keeps_its_window(
    editor: FlaskClient,
) -> None:
    make_consultation("live", opens_at=OPENS, closes_at=CLOSES)
    page = editor.get(f"{BASE}/live/settings").get_data(as_text=True)
    assert "Changing only the zone does not move them" in page
    # The times as the page showed them, in Zurich; only the zone is new.
    response = post_settings(editor, "live", timezone="America/Lima")
    assert response.status_code == 302, error_messages(response.get_data(as_text=True))
    consultation = reload("live")
    assert consultation.timezone == "America/Lima"
    assert (consultation.opens_at, consultation.closes_at) == (OPENS, CLOSES)
    assert entries("consultation.window_changed") == []
    assert consultation.notices == []
    # Shown in Lima now: 22:59 UTC is 17:59 there.
    page = editor.get(f"{BASE}/live/settings").get_data(as_text=True)
    assert 'value="2030-02-10T17:59"' in page


@pytest.mark.db
def test_a_time_edited_with_a_new_zone_is_read_in_that_zone(editor: FlaskClient) -> None:
    make_consultation("live", opens_at=OPENS, closes_at=CLOSES)
    post_settings(editor, "live", timezone="America/Lima", closes_at="2030-02-20T23:59")
    consultation = reload("live")
    assert consultation.opens_at == OPENS
    assert consultation.closes_at == datetime(2030, 2, 21, 4, 59, tzinfo=UTC)
    (notice,) = consultation.notices
    assert notice.kind is NoticeKind.DEADLINE_CHANGED


@pytest.mark.db
def test_a_draft_keeps_its_local_times_in_a_new_zone(editor: FlaskClient) -> None:
    make_consultation("paper", published=False, opens_at=OPENS, closes_at=CLOSES)
    page = editor.get(f"{BASE}/paper/settings").get_data(as_text=True)
    assert "Changing only the zone does not move them" not in page
    # 10 February 2030 23:59 was typed for Zurich; it now means 23:59 in Lima.
    post_settings(editor, "paper", timezone="America/Lima")
    assert reload("paper").closes_at == datetime(2030, 2, 11, 4, 59, tzinfo=UTC)


@pytest.mark.db
def test_a_change_the_operation_refuses_is_shown_and_everything_typed_kept(
    editor: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The operation is the last guard: were the form to let an empty deadline through,
    # its refusal would still reach the editor, not an error page.
    monkeypatch.setattr(ConsultationSettingsForm, "_check_window", lambda form: True)
    make_consultation("live", opens_at=OPENS, closes_at=CLOSES)
    response = post_settings(editor, "live", closes_at="", moderation_mode="post")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert error_messages(page) == [
        "A published consultation keeps its opening and closing time: "
        "unpublish it first to remove them."
    ]
    assert 'checked id="moderation_mode-1" name="moderation_mode" type="radio" value="post"' in (
        page
    )
    consultation = reload("live")
    assert (consultation.closes_at, consultation.moderation_mode) == (CLOSES, ModerationMode.PRE)


@pytest.mark.db
def test_extending_a_published_deadline_is_audited_and_noticed(editor: FlaskClient) -> None:
    make_consultation("live", opens_at=OPENS, closes_at=CLOSES)
    # 10 February 2030 23:59 in Zurich was the deadline; now 20 February.
    response = post_settings(editor, "live", closes_at="2030-02-20T23:59")
    assert response.status_code == 302
    new_close = datetime(2030, 2, 20, 22, 59, tzinfo=UTC)
    (entry,) = entries("consultation.window_changed")
    assert entry.details == {
        "previous_opens_at": OPENS.isoformat(),
        "opens_at": OPENS.isoformat(),
        "previous_closes_at": CLOSES.isoformat(),
        "closes_at": new_close.isoformat(),
    }
    (notice,) = reload("live").notices
    assert notice.kind is NoticeKind.DEADLINE_CHANGED
    assert (notice.moment, notice.previous_moment) == (new_close, CLOSES)
    assert notice.is_extension


@pytest.mark.db
def test_shortening_a_published_deadline_and_moving_its_opening(editor: FlaskClient) -> None:
    make_consultation("live", opens_at=OPENS, closes_at=CLOSES)
    post_settings(editor, "live", opens_at="2030-01-12T09:00", closes_at="2030-02-01T23:59")
    notices = {notice.kind: notice for notice in reload("live").notices}
    assert set(notices) == {NoticeKind.DEADLINE_CHANGED, NoticeKind.OPENING_CHANGED}
    assert not notices[NoticeKind.DEADLINE_CHANGED].is_extension
    assert notices[NoticeKind.DEADLINE_CHANGED].moment == datetime(2030, 2, 1, 22, 59, tzinfo=UTC)
    assert notices[NoticeKind.OPENING_CHANGED].moment == datetime(2030, 1, 12, 8, 0, tzinfo=UTC)


@pytest.mark.db
def test_a_draft_window_change_is_audited_without_a_notice(editor: FlaskClient) -> None:
    make_consultation("draft", published=False, opens_at=OPENS, closes_at=CLOSES)
    post_settings(editor, "draft", closes_at="2030-02-20T23:59")
    assert len(entries("consultation.window_changed")) == 1
    assert reload("draft").notices == []


@pytest.mark.db
def test_the_slug_of_a_draft_can_change_but_not_to_a_taken_one(editor: FlaskClient) -> None:
    make_consultation("draft", published=False)
    make_consultation("taken")
    response = post_settings(editor, "draft", slug="taken")
    assert error_messages(response.get_data(as_text=True)) == [
        "Another consultation already uses the address name “taken”: please choose another."
    ]
    response = post_settings(editor, "draft", slug="better-name")
    assert response.headers["Location"] == f"{BASE}/better-name/settings"
    (entry,) = entries("consultation.settings_changed")
    assert entry.details == {"changes": {"slug": {"old": "draft", "new": "better-name"}}}


@pytest.mark.db
def test_the_slug_is_read_only_after_publication(editor: FlaskClient) -> None:
    make_consultation("live")
    page = editor.get(f"{BASE}/live/settings").get_data(as_text=True)
    assert 'name="slug"' not in page
    assert "cannot change after publication" in page
    # A slug sent anyway is not taken into account.
    assert post_settings(editor, "live", slug="renamed").status_code == 302
    assert reload("live").slug == "live"


@pytest.mark.db
@pytest.mark.parametrize("unpublished_since", [False, True])
def test_the_operation_refuses_a_new_slug_after_publication(
    app_context: None, unpublished_since: bool
) -> None:
    # Links and e-mails may point at the address even once it is unpublished.
    consultation = make_consultation("live")
    if unpublished_since:
        consultation.published_at = None
        db.session.flush()
    with pytest.raises(ConsultationChangeRefused):
        update_settings(
            consultation,
            make_staff("editor@example.org", Role.EDITOR),
            slug="renamed",
            default_locale="en",
            offered_locales=["en"],
            timezone=consultation.timezone,
            moderation_mode=ModerationMode.PRE,
            open_data_before_close=False,
            opens_at=consultation.opens_at,
            closes_at=consultation.closes_at,
        )


@pytest.mark.db
def test_the_operation_keeps_a_published_window(app_context: None) -> None:
    consultation = make_consultation("live")
    editor = make_staff("editor@example.org", Role.EDITOR)
    with pytest.raises(ConsultationChangeRefused):
        change_window(consultation, None, None, editor)
    with pytest.raises(ConsultationChangeRefused):
        change_window(consultation, CLOSES, OPENS, editor)


@pytest.mark.db
def test_languages_time_zone_and_moderation_are_saved_and_audited(editor: FlaskClient) -> None:
    make_consultation(
        "paper",
        published=False,
        titles={"en": "Paper", "fr": "Papier", "es": "Papel"},
        offered=["en", "fr", "es"],
    )
    response = post_settings(
        editor,
        "paper",
        default_locale="fr",
        offered_locales=["fr", "ar", "en"],
        timezone="Africa/Cairo",
        moderation_mode="post",
    )
    assert response.status_code == 302
    consultation = reload("paper")
    assert consultation.default_locale == "fr"
    # In the configured order; Spanish is no longer offered but its text is kept.
    assert consultation.offered_locales == ["ar", "en", "fr"]
    assert consultation.translations["es"].title == "Papel"
    assert consultation.timezone == "Africa/Cairo"
    assert consultation.moderation_mode is ModerationMode.POST
    (entry,) = entries("consultation.settings_changed")
    assert entry.details["changes"]["default_locale"]["new"] == "fr"
    assert entry.details["changes"]["offered_locales"]["old"] == "en, fr, es"
    assert entry.details["changes"]["moderation_mode"]["new"] == "post"


@pytest.mark.db
def test_the_default_language_must_be_offered(editor: FlaskClient) -> None:
    make_consultation("paper", published=False, titles={"en": "Paper", "fr": "Papier"})
    response = post_settings(editor, "paper", default_locale="fr", offered_locales=["en"])
    assert error_messages(response.get_data(as_text=True)) == [
        "The default language must be one of the offered languages."
    ]
    response = post_settings(editor, "paper", offered_locales=[])
    assert "Please offer at least one language." in error_messages(response.get_data(as_text=True))


@pytest.mark.db
def test_a_published_default_language_needs_a_title(editor: FlaskClient) -> None:
    make_consultation("live", titles={"en": "Paper"}, offered=["en", "fr"])
    response = post_settings(editor, "live", default_locale="fr")
    assert error_messages(response.get_data(as_text=True)) == [
        "Please write the title in French first: readers see the default language "
        "where a translation is missing."
    ]


@pytest.mark.db
def test_the_time_zone_is_a_sorted_list_of_iana_zones(editor: FlaskClient) -> None:
    make_consultation("paper", published=False)
    page = editor.get(f"{BASE}/paper/settings").get_data(as_text=True)
    assert page.index('value="Africa/Abidjan"') < page.index('value="Europe/Zurich"')
    assert '<option selected value="Europe/Zurich">' in page
    assert 'type="datetime-local"' in page
    assert "Pre-moderation" in page and "Post-moderation" in page


@pytest.mark.db
def test_open_data_before_the_close_is_off_until_ticked_and_audited(editor: FlaskClient) -> None:
    make_consultation("live", opens_at=OPENS, closes_at=CLOSES)
    page = editor.get(f"{BASE}/live/settings").get_data(as_text=True)
    assert "Let anyone download the published comments as open data before the close" in page
    assert 'id="open_data_before_close" name="open_data_before_close" type="checkbox"' in page
    assert "checked" not in page.split('id="open_data_before_close"')[0].rsplit("<input", 1)[1]
    response = post_settings(editor, "live", open_data_before_close="y")
    assert response.status_code == 302
    assert reload("live").open_data_before_close is True
    (entry,) = entries("consultation.settings_changed")
    assert entry.details == {"changes": {"open_data_before_close": {"old": False, "new": True}}}
    log = editor.get("/en/manage/audit/").get_data(as_text=True)
    assert "Open data before the close: no → yes" in log
    # Sent again as the page now shows it: nothing changes.
    assert post_settings(editor, "live").status_code == 302
    assert len(entries("consultation.settings_changed")) == 1


@pytest.mark.db
def test_unticking_open_data_before_the_close_withdraws_it(editor: FlaskClient) -> None:
    consultation = make_consultation("live", opens_at=OPENS, closes_at=CLOSES)
    consultation.open_data_before_close = True
    db.session.commit()
    page = editor.get(f"{BASE}/live/settings").get_data(as_text=True)
    assert 'checked id="open_data_before_close"' in page
    data = {**settings_of("live")}
    del data["open_data_before_close"]
    token = csrf_token_of(page)
    response = editor.post(f"{BASE}/live/settings", data={**data, "csrf_token": token})
    assert response.status_code == 302
    assert reload("live").open_data_before_close is False
