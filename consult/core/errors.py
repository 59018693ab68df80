"""Error pages: translated, in the reader's language, never a bare stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from consult.core.urls import safe_next


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        return error_page(error.code or 500)


def error_page(code: int, back: str | None = None) -> tuple[str, int]:
    """The translated page for an HTTP error `code`, with a way `back` if there is one."""
    return render_template(
        "errors/error.html",
        code=code,
        title=_error_title(code),
        message=_error_message(code),
        back=safe_next(back),
    ), code


def _error_title(code: int) -> str:
    titles = {
        400: _("The request could not be understood"),
        403: _("You may not see this page"),
        404: _("Page not found"),
        405: _("This action is not allowed here"),
        413: _("What you sent is too large"),
        429: _("Too many requests"),
    }
    return str(titles.get(code, _("Something went wrong")))


def _error_message(code: int) -> str:
    messages = {
        400: _(
            "Your session or this form had expired, or the request was incomplete, so "
            "nothing was saved. Please try again."
        ),
        403: _("Your account does not have the rights this page needs."),
        404: _(
            "There is no page at this address. It may have moved, or the consultation "
            "may not be published yet."
        ),
        429: _("Please wait a moment before trying again."),
    }
    return str(messages.get(code, _("Please go back and try again.")))
