"""Flask extensions, created unbound and initialised in `create_app`."""

from __future__ import annotations

from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from consult.core.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
# Storage comes from RATELIMIT_STORAGE_URI (memory by default, Redis for several servers).
limiter = Limiter(key_func=get_remote_address)


@limiter.request_filter
def _limits_off_for_this_app() -> bool:
    """Whether this application counts requests at all.

    The limiter is one object for every application in the process, so its own
    on/off switch would leak from one test application to the next; the setting
    is read from the application that serves the request instead.
    """
    return not current_app.config.get("CONSULT_RATE_LIMITS", True)
