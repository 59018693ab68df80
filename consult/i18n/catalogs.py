"""Message catalogs: extraction, compilation and the checks `make test` runs.

English is the source language, so there is no `en` catalog. Compiled `.mo` files
are build output: `make` builds them, and the application builds any that are
missing or older than their `.po` at start-up, so a plain install still shows
translated pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

DOMAIN = "messages"
# Extraction rules for the whole project, here rather than in a babel.cfg so the
# check and the Makefile cannot disagree.
METHOD_MAP = [
    ("consult/**.py", "python"),
    ("templates/**.html", "jinja2.ext:babel_extract"),
    ("templates/**.txt", "jinja2.ext:babel_extract"),
]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "_l": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "lazy_pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}

_PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sd]|\{[A-Za-z_][A-Za-z0-9_]*\}|%[sd]")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*")
# A translator who keeps the English on purpose (French "Consultations") says so
# in a comment on the entry, so that copied English is told apart from a choice.
SAME_AS_SOURCE_NOTE = "same as source"


def po_paths(translations: Path) -> list[Path]:
    return sorted(translations.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compile_catalogs(translations: Path, *, force: bool = False) -> list[Path]:
    """Write each `.mo` that is missing or older than its `.po`; return those written."""
    written = []
    for po_path in po_paths(translations):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


def extract_catalog(project_root: Path) -> Catalog:
    """Every translatable string in the code and templates, as a fresh template catalog."""
    catalog = Catalog(project="Consult", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(project_root),
        method_map=METHOD_MAP,
        keywords=KEYWORDS,
        comment_tags=("i18n:",),
        strip_comment_tags=True,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        # Babel skips folders starting with "_" by default; templates/_macros holds strings.
        directory_filter=lambda path: not Path(path).name.startswith("."),
    ):
        catalog.add(
            message,
            None,
            [(filename, lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def write_template(catalog: Catalog, pot_path: Path) -> None:
    with pot_path.open("wb") as pot_file:
        write_po(pot_file, catalog, width=100, sort_output=False, omit_header=False)


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as po_file:
        return read_po(po_file, locale=locale)


def message_keys(catalog: Iterable[Message]) -> set[tuple[str, str | None]]:
    """(msgid, context) of every real entry, plural forms by their singular."""
    keys = set()
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
        keys.add((str(msgid), message.context))
    return keys


def _strings(value: object) -> list[str]:
    if isinstance(value, tuple | list):
        return [str(v) for v in value]
    return [str(value)] if value else []


def _has_words(text: str) -> bool:
    """Whether anything but placeholders and punctuation is there to translate."""
    return any(char.isalpha() for char in _PLACEHOLDER.sub("", text))


def _kept_on_purpose(message: Message) -> bool:
    return any(SAME_AS_SOURCE_NOTE in comment for comment in message.user_comments)


def translation_problems(catalog: Catalog, name: str) -> list[str]:
    """Untranslated, fuzzy or copied entries, and translations whose placeholders or
    tags differ from the source."""
    problems = []
    for message in catalog:
        if not message.id:
            continue
        source = _strings(message.id)
        where = f"{name}: {source[0]!r}"
        if message.fuzzy:
            problems.append(f"{where} is marked fuzzy")
        translated = _strings(message.string)
        if not translated or not all(t.strip() for t in translated):
            problems.append(f"{where} is not translated")
            continue
        if translated == source and _has_words(source[0]) and not _kept_on_purpose(message):
            problems.append(
                f"{where} is the English copied; if that is right, add the translator "
                f"comment '# {SAME_AS_SOURCE_NOTE}'"
            )
        wanted_placeholders = set(_PLACEHOLDER.findall(" ".join(source)))
        wanted_tags = sorted(_TAG.findall(source[0]))
        for text in translated:
            if set(_PLACEHOLDER.findall(text)) != wanted_placeholders:
                problems.append(f"{where}: placeholders differ in {text!r}")
            if sorted(_TAG.findall(text)) != wanted_tags:
                problems.append(f"{where}: HTML tags differ in {text!r}")
    return problems


def check_catalogs(project_root: Path) -> list[str]:
    """Everything wrong with the catalogs, as sentences; an empty list when all is well.

    The template must match a fresh extraction, each catalog must hold exactly the
    template's messages, and each must be fully and faithfully translated.
    """
    translations = project_root / "translations"
    pot_path = translations / f"{DOMAIN}.pot"
    if not pot_path.exists():
        return [f"{pot_path} is missing: run `make translations-update`"]
    template = read_catalog(pot_path)
    fresh = message_keys(extract_catalog(project_root))
    committed = message_keys(template)
    problems = []
    if fresh != committed:
        new = sorted(fresh - committed)
        gone = sorted(committed - fresh)
        problems.append(
            "translations/messages.pot is stale (run `make translations-update`): "
            f"{len(new)} new message(s) {new[:5]}, {len(gone)} removed {gone[:5]}"
        )
    for po_path in po_paths(translations):
        locale = po_path.parent.parent.name
        catalog = read_catalog(po_path, locale)
        keys = message_keys(catalog)
        if keys != committed:
            problems.append(
                f"{locale}: catalog does not match the template "
                f"(missing {sorted(committed - keys)[:5]}, obsolete {sorted(keys - committed)[:5]})"
            )
        problems.extend(translation_problems(catalog, locale))
    return problems
