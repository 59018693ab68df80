"""Countries for profiles: ISO 3166-1 codes, named in the reader's language.

The codes come from pycountry (the ISO 3166-1 list, so no `EU`, `UN`, `ZZ` or
`XK`); the names from CLDR through Babel, with a few per-locale overrides where
United Nations usage differs from CLDR's short names.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import pycountry
from babel import Locale

# UN usage where CLDR's everyday name differs (e.g. CLDR says "Palestinian Territories").
UN_NAME_OVERRIDES: dict[str, dict[str, str]] = {
    "PS": {
        "ar": "دولة فلسطين",
        "en": "State of Palestine",
        "es": "Estado de Palestina",
        "fr": "État de Palestine",
    },
    "VA": {"ar": "الكرسي الرسولي", "en": "Holy See", "es": "Santa Sede", "fr": "Saint-Siège"},
}

ISO_CODES: frozenset[str] = frozenset(country.alpha_2 for country in pycountry.countries)


def country_name(code: str, locale: str) -> str:
    """The country's name in `locale`; the code itself if neither source knows it."""
    override = UN_NAME_OVERRIDES.get(code, {})
    if locale in override:
        return override[locale]
    name = Locale.parse(locale).territories.get(code)
    if name:
        return str(name)
    fallback = pycountry.countries.get(alpha_2=code)
    return str(fallback.name) if fallback else code


@cache
def country_choices(locale: str) -> tuple[tuple[str, str], ...]:
    """(code, name) for every ISO 3166-1 country, sorted by its name in `locale`."""
    return tuple(
        sorted(
            ((code, country_name(code, locale)) for code in ISO_CODES),
            key=lambda choice: _sort_key(choice[1]),
        )
    )


def _sort_key(name: str) -> tuple[str, str]:
    """Accented letters sort with their base letter ("Équateur" among the E's).

    The standard library has no locale-aware collation; this is close enough for
    a list people scan by first letter, in Latin and Arabic script alike.
    """
    stripped = "".join(
        char for char in unicodedata.normalize("NFD", name) if not unicodedata.combining(char)
    )
    return stripped.casefold(), name
