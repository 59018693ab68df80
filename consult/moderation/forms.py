"""Forms of the moderation queue: its filters, one comment's decision, bulk decisions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from consult.comments.models import RejectionReason
from consult.moderation.models import DecisionKind
from consult.moderation.operations import MAX_NOTE_LENGTH
from consult.moderation.queries import QueueState


def reason_choices() -> list[tuple[str, str]]:
    # i18n: the empty choice of the rejection reason list
    return [("", str(_l("Choose a reason")))] + [
        (reason.value, reason.label) for reason in RejectionReason
    ]


class QueueFilterForm(FlaskForm):
    """The queue's filters, sent in the address (GET): no form token."""

    class Meta:
        csrf = False

    state = SelectField(_l("Show"), default=QueueState.WAITING.value)
    section = SelectField(_l("Section"), default="*")
    language = SelectField(_l("Language"), default="")

    def __init__(
        self,
        *args: object,
        sections: list[tuple[str, str]] | None = None,
        languages: list[tuple[str, str]] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.state.choices = [(state.value, state.label) for state in QueueState]
        # "*": every section; "": general comments on the paper as a whole.
        self.section.choices = [("*", str(_l("All sections")))] + (sections or [])
        self.language.choices = [("", str(_l("All languages")))] + (languages or [])

    def chosen_state(self) -> QueueState:
        try:
            return QueueState(self.state.data)
        except ValueError:
            return QueueState.WAITING

    def chosen_section(self) -> str | None:
        """The section filter; one not offered (a hand-made address) filters nothing."""
        if self.section.data in (None, "*") or not _offered(self.section):
            return None
        return str(self.section.data)

    def chosen_language(self) -> str | None:
        """The language filter; one not offered (a hand-made address) filters nothing."""
        return str(self.language.data) if _offered(self.language) and self.language.data else None


def _offered(field: SelectField) -> bool:
    return field.data in {value for value, _ in field.choices or []}


class _DecisionFields(FlaskForm):
    decision = HiddenField()
    reason = SelectField(_l("Reason, if you reject"), validators=[Optional()])
    note = TextAreaField(
        _l("Note to the author (optional)"),
        validators=[
            Length(
                max=MAX_NOTE_LENGTH,
                # i18n: %(max)d is the longest note allowed, in characters
                message=_l("The note can be at most %(max)d characters long."),
            )
        ],
    )
    next = HiddenField()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.reason.choices = reason_choices()

    def chosen_kind(self) -> DecisionKind | None:
        try:
            return DecisionKind(self.decision.data)
        except ValueError:
            return None

    def chosen_reason(self) -> RejectionReason | None:
        return RejectionReason(self.reason.data) if self.reason.data else None

    def validate(self, extra_validators: object = None) -> bool:
        valid = bool(super().validate(extra_validators))
        kind = self.chosen_kind()
        if kind not in self.allowed_kinds:
            self.decision.errors = [str(_l("Please choose a decision."))]
            valid = False
        if kind is DecisionKind.REJECT and not self.reason.data:
            self.reason.errors = [str(_l("Please choose a reason for the rejection."))]
            valid = False
        return valid

    allowed_kinds: frozenset[DecisionKind] = frozenset()


class CommentDecisionForm(_DecisionFields):
    """One comment: approve, reject (a reason and a note), hide, restore or undo."""

    allowed_kinds = frozenset(DecisionKind)


class BulkDecisionForm(_DecisionFields):
    """Several comments chosen with check boxes: approve them all, or reject them
    all with one reason."""

    allowed_kinds = frozenset({DecisionKind.APPROVE, DecisionKind.REJECT})


class CommentEraseForm(FlaskForm):
    """An administrator erases a deleted participant's comment: confirmed, as it is for good."""

    confirm = BooleanField(_l("Erase the text for good"), validators=[DataRequired()])
    next = HiddenField()
