"""The catalogs are complete, match the code, and keep placeholders and tags."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from consult.i18n.catalogs import check_catalogs, translation_problems

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_catalogs_are_current_complete_and_faithful() -> None:
    problems = check_catalogs(PROJECT_ROOT)
    assert problems == [], "\n".join(problems)


def test_every_interface_language_but_the_source_has_a_catalog() -> None:
    catalogs = {p.parent.parent.name for p in PROJECT_ROOT.glob("translations/*/LC_MESSAGES/*.po")}
    assert catalogs == {"ar", "es", "fr"}


def catalog_with(msgid: str, msgstr: str, *, fuzzy: bool = False) -> Catalog:
    catalog = Catalog(locale="fr")
    catalog.add(msgid, msgstr, flags=["fuzzy"] if fuzzy else [])
    return catalog


def test_a_missing_translation_is_reported() -> None:
    assert translation_problems(catalog_with("Closed", ""), "fr") == [
        "fr: 'Closed' is not translated"
    ]


def test_a_fuzzy_translation_is_reported() -> None:
    problems = translation_problems(catalog_with("Closed", "Fermé", fuzzy=True), "fr")
    assert problems == ["fr: 'Closed' is marked fuzzy"]


def test_a_renamed_or_dropped_placeholder_is_reported() -> None:
    problems = translation_problems(catalog_with("Closes on %(date)s", "Ferme le %(datum)s"), "fr")
    assert problems == ["fr: 'Closes on %(date)s': placeholders differ in 'Ferme le %(datum)s'"]


def test_a_changed_html_tag_is_reported() -> None:
    problems = translation_problems(catalog_with("Read <a>this</a>", "Lisez <b>ceci</b>"), "fr")
    assert problems == ["fr: 'Read <a>this</a>': HTML tags differ in 'Lisez <b>ceci</b>'"]


def test_a_faithful_translation_passes() -> None:
    catalog = catalog_with(
        "Closes on %(date)s, see <a>here</a>", "Ferme le %(date)s, voir <a>ici</a>"
    )
    assert translation_problems(catalog, "fr") == []


def test_english_copied_as_the_translation_is_reported() -> None:
    problems = translation_problems(catalog_with("Closed", "Closed"), "fr")
    assert problems == [
        "fr: 'Closed' is the English copied; if that is right, add the translator "
        "comment '# same as source'"
    ]


def test_a_word_kept_on_purpose_and_a_pattern_without_words_pass() -> None:
    catalog = Catalog(locale="fr")
    catalog.add("Consultations", "Consultations", user_comments=["same as source: same word"])
    catalog.add("%(moment)s (%(zone)s, %(offset)s)", "%(moment)s (%(zone)s, %(offset)s)")
    assert translation_problems(catalog, "fr") == []
