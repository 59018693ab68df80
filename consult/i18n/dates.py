"""Dates and times shown in a consultation's own time zone, named, in the reader's locale."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_gmt, get_timezone_name
from flask_babel import get_locale
from flask_babel import gettext as _


def format_in_zone(moment: datetime, zone: str, locale: str | None = None) -> str:
    """E.g. "19 September 2024 at 23:59 (Central European Summer Time, GMT+02:00)".

    The zone's name and offset are part of the text: a deadline without them
    means a different hour in Lima and in Geneva.
    """
    loc = Locale.parse(locale or str(get_locale()))
    local = moment.astimezone(ZoneInfo(zone))
    date_text = format_date(local, "long", locale=loc)
    time_text = format_time(local, "short", locale=loc)
    pattern = str(loc.datetime_formats["long"]).replace("'", "")
    stamp = pattern.replace("{1}", date_text).replace("{0}", time_text)
    zone_name = get_timezone_name(local, "long", locale=loc)
    offset = get_timezone_gmt(local, locale=loc)
    # i18n: a date and time followed by the time zone's name and its offset from UTC
    return str(_("%(moment)s (%(zone)s, %(offset)s)", moment=stamp, zone=zone_name, offset=offset))


def format_date_in_zone(moment: datetime, zone: str) -> str:
    """The day `moment` falls on in `zone`, e.g. "19 September 2024".

    For dated notices ("corrected on ..."), where the hour would be noise; the day
    is the consultation's, not the server's (late evening in Lima is tomorrow in UTC).
    """
    return format_date(moment.astimezone(ZoneInfo(zone)), "long", locale=get_locale())
