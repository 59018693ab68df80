"""Simple bots stopped without a CAPTCHA: a field people never fill, and a time to fill.

Every public form a bot would post (the sign-in link request, comments,
reports, questionnaire answers) is a `BotCheckedForm` and renders the
`bot_fields` macro, which adds two fields:

- `website`, a text field hidden by the stylesheet (and from screen readers by
  `aria-hidden`, with a label asking to leave it empty should the stylesheet
  not load). A bot that fills in every field fills it too.
- `form_shown`, the earliest moment the form may be sent, signed with the
  application's secret: it can be neither forged nor moved back. It is bound to
  the form (a sign-in form's time does not let a comment through) and to the
  browser's session (by a digest of its CSRF secret: one fetched elsewhere does
  not work here), and lasts `MAX_STAMP_AGE`, a day of drafting. A form sent
  sooner, later, or without a valid one, is taken for a bot's.

A form taken for a bot's saves nothing; its page comes back with everything
typed, a new time and a request to check and send it again (status 422), so a
person refused by mistake gets through the second time.

Forms given back rather than typed may be sent at once: the draft restored
after signing in by e-mail link and the answers already saved carry a time
that is already reached (`given_back`), made for the session that shows them
(the device the link was opened on). A form shown again after it was sent (an
expired token, a mistake to correct) keeps the time it was first shown.
"""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta
from typing import Any

from flask import current_app, request, session
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import HiddenField, StringField

from consult.config import Config

# The answer to a form taken for a bot's: understood, not accepted as sent.
REFUSED_STATUS = 422

# How long a form's time lasts: people draft for hours, a harvested time stops working.
MAX_STAMP_AGE = timedelta(hours=24)

_SALT = "consult.form-fill-time"


class BotCheckedForm(FlaskForm):
    """A public form: refused when the hidden field is filled or it is sent too soon."""

    # A name that bots fill in.
    # i18n: the label of a field hidden from people, seen only by a reader whose
    # browser did not load the stylesheet: a person must leave it empty.
    website = StringField(_l("Leave this field empty"))
    form_shown = HiddenField()

    # Set by the view on a form whose content is given back, not typed: it may be
    # sent at once.
    given_back = False
    # Set by validate(): this sending was taken for a bot's.
    bot_suspected = False

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        reason = _bot_sign(self.website.data, self.form_shown.data, self._kind())
        if reason is not None:
            self.bot_suspected = True
            # Bots are many and their refusals mean nothing to anyone: no audit entry.
            current_app.logger.info("form taken for a bot's (%s) at %s", reason, request.endpoint)
        return valid and not self.bot_suspected

    def fill_stamp(self) -> str:
        """The signed time this form may be sent from, for the `form_shown` field."""
        kind = self._kind()
        if self.given_back:
            return _stamp(kind, time.time())
        posted = request.form.get(self.form_shown.name) if request.method == "POST" else None
        if not self.bot_suspected and _ready_at(posted, kind) is not None:
            assert posted is not None
            return posted
        return _stamp(kind, time.time() + _config().min_fill_seconds)

    def _kind(self) -> str:
        """What a stamp is bound to: this form, whichever page shows it (a report
        form is shown on the section page and sent to the report's own address)."""
        return type(self).__name__


def page_status(form: BotCheckedForm) -> int:
    """The status of a page that shows `form` again: 422 when it was taken for a bot's."""
    return REFUSED_STATUS if form.bot_suspected else 200


def _bot_sign(honeypot: str | None, stamp: str | None, kind: str) -> str | None:
    """Why a sending looks like a bot's ("honeypot", "no valid time", "too quick",
    "too old"), or None."""
    if honeypot and honeypot.strip():
        return "honeypot"
    if not current_app.config["CONSULT_FILL_TIME"]:
        return None
    ready_at = _ready_at(stamp, kind, fresh_only=False)
    if ready_at is None:
        return "no valid time"
    now = time.time()
    if now < ready_at:
        return "too quick"
    if now > ready_at + MAX_STAMP_AGE.total_seconds():
        return "too old"
    return None


def _config() -> Config:
    config: Config = current_app.extensions["consult_config"]
    return config


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _visitor() -> str:
    """This browser's session, as a digest of its CSRF secret (made if it has none
    yet; the secret itself never goes in a page)."""
    generate_csrf()
    secret = str(session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), ""))
    return hashlib.sha256(f"{_SALT}:{secret}".encode()).hexdigest()[:32]


def _stamp(kind: str, ready_at: float) -> str:
    return _serializer().dumps({"ready_at": ready_at, "form": kind, "visitor": _visitor()})


def _ready_at(stamp: str | None, kind: str, *, fresh_only: bool = True) -> float | None:
    """The time a stamp allows sending from; None if it is missing, not ours, made
    for another form or session, or (`fresh_only`) older than `MAX_STAMP_AGE`."""
    if not stamp:
        return None
    try:
        value = _serializer().loads(stamp)
    except BadSignature:
        return None
    if not isinstance(value, dict) or (value.get("form"), value.get("visitor")) != (
        kind,
        _visitor(),
    ):
        return None
    ready_at = value.get("ready_at")
    if isinstance(ready_at, bool) or not isinstance(ready_at, int | float):
        return None
    if fresh_only and time.time() > ready_at + MAX_STAMP_AGE.total_seconds():
        return None
    return float(ready_at)
