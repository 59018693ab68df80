"""What every template can use: text rendering, dates, languages."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale

from consult.core.forms import form_expired
from consult.core.text import render_markdown, render_plain
from consult.core.urls import current_path
from consult.i18n.dates import format_date_in_zone, format_in_zone
from consult.i18n.locale import isolate_ltr, language_name, switcher_links, text_direction


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters.update(
        markdown=render_markdown,
        plain=render_plain,
        in_zone=format_in_zone,
        date_in_zone=format_date_in_zone,
        ltr=isolate_ltr,
    )
    app.jinja_env.globals.update(
        get_locale=get_locale,
        form_expired=form_expired,
        current_path=current_path,
        language_switcher=switcher_links,
        text_direction=text_direction,
        language_name=language_name,
    )
