"""The editor workspace's audit entries: labelled in the reader's language, read by editors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import select

from consult.accounts.models import Role
from consult.audit.labels import (
    ACTION_LABELS,
    DETAIL_LABELS,
    SUBJECT_LABELS,
    action_label,
    detail_lines,
    subject_label,
)
from consult.audit.models import AuditEntry
from consult.audit.operations import record
from consult.audit.queries import audit_scope, readable_entries
from consult.consultations.models import ModerationMode
from consult.consultations.operations import (
    create_consultation,
    publish_consultation,
    unpublish_consultation,
    update_settings,
    update_texts,
)
from consult.extensions import db
from consult.papers.importing import parse_document
from consult.papers.operations import (
    add_section,
    archive_section,
    edit_section,
    import_paper,
    move_section,
    restore_section,
)
from tests.accounts.staff_helpers import make_staff, staff_client

ENABLED = ("ar", "en", "es", "fr")
EDITOR_ACTIONS = [
    "consultation.created",
    "consultation.settings_changed",
    "consultation.text_changed",
    "consultation.window_changed",
    "consultation.published",
    "consultation.unpublished",
    "paper.imported",
    "section.added",
    "section.edited",
    "section.moved",
    "section.archived",
    "section.restored",
]


def lines_of(action: str, role: Role = Role.EDITOR, **details: object) -> dict[str, str]:
    """The details of one new entry as `role` reads them: label (or key) to value."""
    [entry] = readable_entries([record(action, **details)], role)
    return {line.label or line.key: line.value for line in detail_lines(entry)}


@pytest.mark.parametrize("action", EDITOR_ACTIONS)
def test_every_editor_action_has_a_label(app_context: None, action: str) -> None:
    assert action in ACTION_LABELS
    assert action_label(action) != action


def test_consultations_and_sections_are_named_subjects(app_context: None) -> None:
    assert set(SUBJECT_LABELS) >= {"consultation", "section"}
    assert subject_label("consultation", 7) == "Consultation 7"
    assert subject_label("section", 12) == "Section 12"


def run_the_editor_operations() -> None:
    """Every editor operation, as the workspace calls them, each leaving its entry."""
    editor = make_staff("editor@example.org", Role.EDITOR)
    consultation = create_consultation(
        "paper-x", default_locale="en", title="A paper", timezone="UTC", editor=editor
    )
    update_settings(
        consultation,
        editor,
        slug="paper-x",
        default_locale="en",
        offered_locales=["en"],
        timezone="Europe/Zurich",
        moderation_mode=ModerationMode.POST,
        open_data_before_close=False,
        opens_at=datetime(2030, 1, 10, 8, 0, tzinfo=UTC),
        closes_at=datetime(2030, 2, 10, 22, 59, tzinfo=UTC),
    )
    update_texts(consultation, "en", title="A paper", summary="Why.", editor=editor)
    import_paper(
        "paper-x", "en", parse_document("A paper\n\n1. One.\n2. Two.\n"), enabled_locales=ENABLED
    )
    # A translation into a language not yet offered adds it.
    import_paper(
        "paper-x",
        "fr",
        parse_document("Un document\n\n1. Un.\n2. Deux.\n"),
        enabled_locales=ENABLED,
        editor=editor,
    )
    publish_consultation(consultation, editor)
    first, second = consultation.sections
    edit_section(first, "en", None, "One, corrected.", editor)
    add_section(consultation, "3", after=second, heading=None, body="Three.", editor=editor)
    move_section(second, "down", editor)
    archive_section(second, editor)
    restore_section(second, editor)
    unpublish_consultation(consultation, editor)


@pytest.mark.db
def test_every_detail_the_editor_operations_write_has_a_label(app_context: None) -> None:
    run_the_editor_operations()
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert {entry.action for entry in entries} >= set(EDITOR_ACTIONS)
    written = set()
    for entry in readable_entries(entries, Role.EDITOR):
        for line in detail_lines(entry):
            written.add(line.key)
            assert line.label is not None, f"{entry.action}: {line.key} has no label"
    # The run reached the details most easily forgotten.
    assert written >= {"slug", "changes", "closes_at", "direction", "added_locale"}


@pytest.mark.db
def test_a_move_and_an_added_language_read_in_words(app_context: None) -> None:
    assert lines_of("section.moved", direction="down") == {"Direction": "Down"}
    assert lines_of("paper.imported", added_locale="fr", locale="fr") == {
        "Language": "French",
        "Language added": "French",
    }


@pytest.mark.db
def test_an_import_shows_its_language_by_name_and_its_counts(app_context: None) -> None:
    shown = lines_of(
        "paper.imported", locale="fr", added=3, updated=1, unchanged=0, kept=2, unmatched=0
    )
    assert shown == {
        "Language": "French",
        "Sections added": "3",
        "Sections updated": "1",
        "Sections unchanged": "0",
        "Sections kept, not in the file": "2",
        "Sections not matched": "0",
    }
    # Lists of keys read as lists, not as Python.
    assert lines_of("paper.imported", kept=["3.a", "3.b"])["Sections kept, not in the file"] == (
        "3.a, 3.b"
    )


@pytest.mark.db
def test_a_window_change_shows_both_times_in_utc_in_order(app_context: None) -> None:
    [entry] = readable_entries(
        [
            record(
                "consultation.window_changed",
                subject_type="consultation",
                subject_id=1,
                closes_at="2030-09-26T21:59:00+00:00",
                previous_closes_at="2030-09-19T21:59:00+00:00",
            )
        ],
        Role.EDITOR,
    )
    lines = detail_lines(entry)
    assert [line.label for line in lines] == ["Deadline before", "Deadline"]
    assert [line.value for line in lines] == [
        "9/19/30, 9:59\u202fPM UTC",
        "9/26/30, 9:59\u202fPM UTC",
    ]


@pytest.mark.db
def test_setting_changes_are_named_and_odd_values_shown_as_recorded(app_context: None) -> None:
    changed = lines_of(
        "consultation.settings_changed",
        changes={"timezone": {"old": "UTC", "new": "Asia/Tokyo"}, "colour": "blue"},
    )
    assert changed == {"Changes": "Time zone: UTC → Asia/Tokyo; colour: blue"}
    # A time that is not one, and a detail nobody labelled, are shown as stored.
    odd = lines_of("consultation.window_changed", opens_at="soon", flavour=None)
    assert odd == {"Opening": "soon", "flavour": ""}


@pytest.mark.db
def test_editors_read_the_workspace_entries_and_moderators_do_not(client: FlaskClient) -> None:
    for action in EDITOR_ACTIONS:
        record(action, subject_type="consultation", subject_id=1)
    db.session.commit()
    editor_scope, moderator_scope = audit_scope(Role.EDITOR), audit_scope(Role.MODERATOR)
    for action in EDITOR_ACTIONS:
        assert not action.startswith(editor_scope.excluded)
        assert moderator_scope.only is not None and not action.startswith(moderator_scope.only)
    page = staff_client(client, "editor@example.org", Role.EDITOR).get("/en/manage/audit/")
    main = page.get_data(as_text=True).split("<main", 1)[1]
    for action in EDITOR_ACTIONS:
        assert f'<code dir="ltr">{action}</code>' in main
    assert "Consultation 1" in main

    moderator = staff_client(
        client.application.test_client(), "moderator@example.org", Role.MODERATOR
    )
    main = moderator.get("/en/manage/audit/").get_data(as_text=True).split("<main", 1)[1]
    for action in EDITOR_ACTIONS:
        assert action not in main
    for prefix in ("consultation.", "paper.", "section."):
        filtered = moderator.get(f"/en/manage/audit/?action={prefix}").get_data(as_text=True)
        assert "No entry matches." in filtered


@pytest.mark.db
def test_the_workspace_entries_speak_arabic(client: FlaskClient) -> None:
    record("section.archived", subject_type="section", subject_id=4, locale="fr")
    db.session.commit()
    page = staff_client(client, "admin@example.org", Role.ADMIN).get("/ar/manage/audit/")
    main = page.get_data(as_text=True).split("<main", 1)[1]
    with client.application.test_request_context("/ar/"), force_locale("ar"):
        expected = [
            action_label("section.archived"),
            str(subject_label("section", 4)),
            str(DETAIL_LABELS["locale"]),
        ]
    for label in expected:
        assert label in main
    assert "الفرنسية" in main
