"""Forms that lose nothing: an expired session or form token shows the form again.

People draft for hours. When the CSRF token no longer matches (the session
expired, the server restarted with a new key), the request is refused with 400
and nothing is saved, but the same page is rendered again with everything typed
and a request to send it again, instead of a bare error.
"""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError

from consult.core.errors import error_page


def form_submitted(form: FlaskForm) -> bool:
    """The form was sent, with a valid token, and its data validates."""
    return not form_expired() and bool(form.validate_on_submit())


def form_expired() -> bool:
    """This request re-renders a form whose token had expired (templates show a note)."""
    return bool(g.get("form_expired", False))


def register_form_expiry(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def show_the_form_again(error: CSRFError) -> Response | tuple[str, int]:
        view = app.view_functions.get(request.endpoint or "")
        if view is None or request.method != "POST":
            return error_page(400)
        g.form_expired = True
        # The view renders its page from request.form; form_submitted() is False,
        # so nothing is written.
        response = app.make_response(view(**(request.view_args or {})))  # type: ignore[arg-type]
        if response.status_code in (301, 302, 303, 307, 308):
            # A button without fields (sign out, enable an account): nothing typed
            # to show again, so say what happened and where to try again.
            return error_page(400, back=response.headers.get("Location"))
        response.status_code = 400
        return response
