"""Content translation lookup: the reader's language, else the consultation's default."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Localised(Generic[T]):
    """A piece of content together with the language it is actually in.

    Templates mark a fallback (`is_fallback`) and put `locale` in a `lang`
    attribute, so a screen reader pronounces English text as English on an
    Arabic page.
    """

    value: T
    locale: str
    is_fallback: bool

    def __str__(self) -> str:
        return str(self.value)


def pick_translation(values: Mapping[str, str], wanted: str, default: str) -> Localised[str]:
    """The text in `wanted`, else in `default`, else in any language that has one."""
    if wanted in values:
        return Localised(values[wanted], wanted, is_fallback=False)
    if default in values:
        return Localised(values[default], default, is_fallback=True)
    for locale in sorted(values):
        return Localised(values[locale], locale, is_fallback=True)
    return Localised("", wanted, is_fallback=False)
