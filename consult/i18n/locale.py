"""Which language a request is in: the URL, else a saved choice, else Accept-Language.

Every page lives under `/<lang>/`; `lang` is matched by a URL converter that knows
only the enabled locales, so an unknown code is an ordinary 404, never a 500.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from babel import Locale
from flask import (
    Flask,
    Response,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask_babel import get_locale
from werkzeug.routing import BaseConverter
from werkzeug.wrappers import Response as BaseResponse

from consult.config import Config, ConfigError

# The language the interface is written in, which needs no catalog.
SOURCE_LOCALE = "en"
LANG_COOKIE = "consult_lang"
ONE_YEAR = 365 * 24 * 3600


def enabled_locales() -> tuple[str, ...]:
    config: Config = current_app.extensions["consult_config"]
    return config.locales


def negotiate_locale() -> str:
    """The best language when the URL names none: saved choice, Accept-Language, default."""
    config: Config = current_app.extensions["consult_config"]
    saved = request.cookies.get(LANG_COOKIE)
    if saved in config.locales:
        return saved
    # The default goes first: a wildcard ("*") or a tie then chooses it.
    preference = [config.default_locale, *(c for c in config.locales if c != config.default_locale)]
    return request.accept_languages.best_match(preference) or config.default_locale


def select_locale() -> str:
    """Flask-Babel's locale selector: the URL's language wins, then negotiation."""
    if not has_request_context():
        # The command line and background work speak the default language.
        config: Config = current_app.extensions["consult_config"]
        return config.default_locale
    lang = g.get("lang")
    if isinstance(lang, str):
        return lang
    return negotiate_locale()


def text_direction(locale: str | None = None) -> str:
    """`rtl` or `ltr` from CLDR data, for `<html dir>`."""
    return Locale.parse(locale or str(get_locale())).text_direction


def isolate_ltr(text: str) -> str:
    """Keep a left-to-right token such as "1.a" in order inside right-to-left text.

    Unicode isolates (LRI ... PDI) rather than markup, so it also holds in titles
    and plain-text output.
    """
    return f"\u2066{text}\u2069"


def native_language_name(code: str) -> str:
    """A language's name in that language ("العربية", "Français"), for the switcher."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def language_name(code: str, in_locale: str | None = None) -> str:
    """A language's name in the reader's language, from CLDR data."""
    display = in_locale or str(get_locale())
    try:
        return Locale.parse(code).get_display_name(display) or code
    except (ValueError, TypeError):
        return code


def switcher_links() -> list[tuple[str, str, str, bool]]:
    """(code, native name, URL of this page in that language, is current) for each locale."""
    current = str(get_locale())
    endpoint = request.endpoint
    view_args = dict(request.view_args or {})
    links = []
    # The query string is carried over as it came, never fed to url_for, where
    # names like `_external` or `_anchor` would change the link itself.
    query = quote(request.query_string, safe="=&%+;/:,@!$'()*~")
    for code in enabled_locales():
        if endpoint and _expects_lang(endpoint):
            url = url_for(endpoint, **{**view_args, "lang": code})
            if query:
                url = f"{url}?{query}"
        else:
            url = url_for("consultations.index", lang=code)
        links.append((code, native_language_name(code), url, code == current))
    return links


def _expects_lang(endpoint: str) -> bool:
    return bool(current_app.url_map.is_endpoint_expecting(endpoint, "lang"))


def init_locale_routing(app: Flask, config: Config, translations: Path) -> None:
    """Check the configured languages, then register the `lang` converter and the
    hooks that move it in and out of URLs."""
    for code in config.locales:
        try:
            Locale.parse(code)
        except (ValueError, TypeError) as error:
            raise ConfigError(f"CONSULT_LOCALES names an unknown locale: {code!r}") from error
        if code != SOURCE_LOCALE and not (translations / code / "LC_MESSAGES").is_dir():
            raise ConfigError(
                f"CONSULT_LOCALES names {code!r}, which has no catalog in {translations}"
            )

    pattern = "|".join(sorted(config.locales, key=len, reverse=True))

    class LanguageConverter(BaseConverter):
        regex = f"(?:{pattern})"

    app.url_map.converters["lang"] = LanguageConverter

    def root() -> BaseResponse:
        response = redirect(url_for("consultations.index", lang=negotiate_locale()))
        response.headers["Vary"] = "Cookie, Accept-Language"
        return response

    app.add_url_rule("/", "root", root)

    @app.url_value_preprocessor
    def pull_lang(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values and "lang" in values:
            g.lang = values.pop("lang")

    @app.url_defaults
    def add_lang(endpoint: str, values: dict[str, Any]) -> None:
        if "lang" not in values and _expects_lang(endpoint):
            values["lang"] = str(get_locale())

    @app.after_request
    def remember_lang(response: Response) -> Response:
        # The last language a reader chose in a URL is their saved choice for `/`.
        lang = g.get("lang")
        if isinstance(lang, str) and request.cookies.get(LANG_COOKIE) != lang:
            response.set_cookie(
                LANG_COOKIE,
                lang,
                max_age=ONE_YEAR,
                samesite="Lax",
                httponly=True,
                secure=config.production,
            )
        return response
