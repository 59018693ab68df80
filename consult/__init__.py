"""Consult: a multilingual consultation and feedback platform."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from consult.config import Config
from consult.extensions import babel, csrf, db, limiter, migrate

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """A top-level project folder (templates, translations, migrations).

    In a checkout they sit beside the package; an installed wheel carries them
    inside it.
    """
    packaged = PACKAGE_DIR / "_resources" / name
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / name


def create_app(config: Config | None = None) -> Flask:
    """Build the application; `config` defaults to the environment's."""
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        instance_relative_config=True,
    )
    if config is None:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        config = Config.from_env(Path(app.instance_path))
    app.extensions["consult_config"] = config
    app.config.update(
        SECRET_KEY=config.secret_key,
        TESTING=config.testing,
        SQLALCHEMY_DATABASE_URI=config.database_url,
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(config.database_url),
        BABEL_DEFAULT_LOCALE=config.default_locale,
        BABEL_TRANSLATION_DIRECTORIES=str(resource_dir("translations")),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.production,
        # People draft for hours: the form token lives as long as the session.
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=4 * 1024 * 1024,
        RATELIMIT_STORAGE_URI=config.ratelimit_storage_uri,
        RATELIMIT_HEADERS_ENABLED=True,
        # Tests that are not about limits must not trip them.
        CONSULT_RATE_LIMITS=not config.testing or config.rate_limits_in_tests,
        # Tests send forms at once; only the tests of the fill time turn it on.
        CONSULT_FILL_TIME=not config.testing or config.fill_time_in_tests,
    )

    import consult.models  # noqa: F401 - every table, before anything uses the metadata
    from consult.core.database import configure_sqlite, init_write_tracking
    from consult.i18n.catalogs import compile_catalogs
    from consult.i18n.locale import init_locale_routing, select_locale

    configure_sqlite()
    init_write_tracking(app)
    try:
        compile_catalogs(resource_dir("translations"))
    except OSError as error:
        # A read-only install ships compiled catalogs; say so rather than fail to start.
        app.logger.warning("could not compile message catalogs: %s", error)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    init_locale_routing(app, config, resource_dir("translations"))

    if config.trusted_proxies:
        # Behind a load balancer: rate limits and the audit log need the visitor's
        # address, not the balancer's; links need the public scheme and host.
        n = config.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    _register_domains(app)
    return app


def _engine_options(database_url: str) -> dict[str, object]:
    if database_url.startswith("sqlite"):
        # Writers wait for each other instead of failing with "database is locked".
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


def _register_domains(app: Flask) -> None:
    from consult.accounts.sessions import init_sessions
    from consult.accounts.views import blueprint as accounts
    from consult.cli import consult_cli
    from consult.comments.views import blueprint as comments
    from consult.consultations.editor_views import blueprint as consultation_editor
    from consult.consultations.preview_views import blueprint as preview
    from consult.consultations.views import blueprint as consultations
    from consult.core.errors import register_error_handlers
    from consult.core.forms import register_form_expiry
    from consult.core.health import blueprint as health
    from consult.core.security import register_security_headers
    from consult.core.templating import register_template_helpers
    from consult.exports.views import blueprint as exports
    from consult.exports.views import open_data
    from consult.i18n.cli import translate_cli
    from consult.mail.console import init_app as init_mail_console
    from consult.manage.views import blueprint as manage
    from consult.moderation.views import blueprint as moderation
    from consult.papers.editor_views import blueprint as paper_editor
    from consult.papers.views import blueprint as papers
    from consult.questionnaires.editor_views import blueprint as questionnaire_editor
    from consult.questionnaires.response_views import blueprint as responses
    from consult.questionnaires.views import blueprint as questionnaires

    app.register_blueprint(health)
    app.register_blueprint(consultations)
    app.register_blueprint(papers)
    app.register_blueprint(comments)
    app.register_blueprint(accounts)
    app.register_blueprint(manage)
    app.register_blueprint(moderation)
    app.register_blueprint(consultation_editor)
    app.register_blueprint(paper_editor)
    app.register_blueprint(preview)
    app.register_blueprint(questionnaires)
    app.register_blueprint(questionnaire_editor)
    app.register_blueprint(responses)
    app.register_blueprint(exports)
    app.register_blueprint(open_data)
    init_sessions(app)
    register_error_handlers(app)
    register_form_expiry(app)
    register_security_headers(app)
    register_template_helpers(app)
    init_mail_console(app)

    app.cli.add_command(consult_cli)
    app.cli.add_command(translate_cli)
