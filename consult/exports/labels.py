"""The words people-facing exports share: the XLSX workbook and the DOCX digest.

Both are read by people, so both name what rows carry as codes (languages,
countries, groups, statuses) in the export's language, and say in the same
words what an export holds. Nothing here depends on a file format; call these
while the export's locale is in force (`flask_babel.force_locale`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache, partial

from babel.lists import format_list
from flask_babel import gettext as _
from flask_babel import pgettext

from consult.accounts.countries import country_name
from consult.accounts.stakeholders import group_choices, group_label
from consult.comments.attribution import Audience, ShownAuthor
from consult.comments.models import Identity
from consult.exports.queries import CommentCounts
from consult.exports.spec import EXPORTABLE_STATUSES, ExportSpec
from consult.i18n.dates import format_in_zone
from consult.i18n.locale import language_name
from consult.papers.forms import section_label_text
from consult.papers.models import Section


def section_caption(section: Section, locale: str) -> str:
    """ "Paragraph 1.a — Principles": the section's label, then its heading in `locale`
    (or the default language) if it has one; marked when the section left the paper."""
    label = section_label_text(section)
    heading = section.heading_in(locale)
    if heading is not None:
        # i18n: a section's label ("Paragraph 1.a") and its heading, in exports and their form
        label = _("%(section)s — %(heading)s", section=label, heading=heading.value)
    if section.is_archived:
        # i18n: a section taken out of the paper, whose comments can still be exported
        label = _("%(section)s (withdrawn from the paper)", section=label)
    return str(label)


def general_caption() -> str:
    """What comments on the paper as a whole are filed under."""
    return str(_("General comments"))


def shown_as(identity: Identity) -> str:
    """How the author chose to appear, said about them (not in their own words)."""
    labels = {
        Identity.NAME_AND_ORGANISATION: _("Name and organisation"),
        Identity.ORGANISATION_ONLY: _("Organisation only"),
        Identity.ANONYMOUS: _("Anonymous"),
    }
    return str(labels[identity])


def no_country_label(audience: Audience) -> str:
    """The row that counts comments without a country in a summary."""
    if audience is Audience.OPEN_DATA:
        # i18n: comments counted without a country: none was given, or the author is anonymous
        return str(_("None, or not shown for anonymous comments"))
    return str(_("None / international organisation"))


def yes_no(flag: bool) -> str:
    """A yes/no answer, in the words the questionnaire pages use for it."""
    return str(pgettext("answer", "Yes")) if flag else str(pgettext("answer", "No"))


class Names:
    """Names for the codes rows carry, each looked up once per export: through Babel
    and gettext, a lookup costs more than writing the value it names. Made while
    the export's locale is in force."""

    def __init__(self, locale: str) -> None:
        self.language = cache(partial(language_name, in_locale=locale))
        self.country = cache(partial(country_name, locale=locale))
        self.group = cache(group_label)
        self.shown_as = cache(shown_as)
        self.status = cache(lambda status: status.label)
        self.reason = cache(lambda reason: reason.label)
        self.anonymous = str(_("Anonymous"))
        self.general = general_caption()
        # Translated once, filled row after row: gettext without values gives the
        # pattern itself.
        # i18n: a comment's author, then their organisation, separated as lists are in the language
        self._name_and_organisation = str(_("%(name)s, %(organisation)s"))
        # What goes between the parts of an attribution line, as the language writes it.
        # i18n: two parts of who wrote a comment, as in "Anonymous · Civil society · Tuvalu"
        self.separator = str(_("%(before)s · %(after)s")) % {"before": "", "after": ""}

    def author(self, author: ShownAuthor) -> str:
        """The name as the export's audience may see it: "Anonymous" unless it may name them."""
        return self.anonymous if author.anonymous else author.name

    def who(self, author: ShownAuthor) -> str:
        """The name and organisation the audience may see, joined as on the site's pages."""
        name = self.author(author)
        if name and author.organisation:
            return self._name_and_organisation % {"name": name, "organisation": author.organisation}
        return name or author.organisation

    def author_group(self, author: ShownAuthor) -> str:
        return self.group(author.group) if author.group else ""

    def author_country(self, author: ShownAuthor) -> str:
        return self.country(author.country) if author.country else ""


def holdings(
    spec: ExportSpec, sections: Sequence[Section], zone: str, *, comments: bool = True
) -> list[tuple[str, str]]:
    """What the export holds, in words: the comment states (unless `comments` is false:
    there are no comments to speak of), then each filter that is set.

    (label, value) pairs; times are given in `zone` ("UTC" in a spreadsheet, the
    consultation's own zone in the digest).
    """
    filters = spec.filters
    # Joined as the language joins a list ("Published and Rejected", "منشور ومرفوض").
    statuses = format_list(
        [s.label for s in EXPORTABLE_STATUSES if s in filters.statuses], locale=spec.locale
    )
    lines = [(str(_("Comments included")), statuses)] if comments else []
    narrowed = []
    if filters.general_only:
        narrowed.append((str(_("Section")), general_caption()))
    elif filters.section_key:
        section = next((s for s in sections if s.key == filters.section_key), None)
        caption = section_caption(section, spec.locale) if section else filters.section_key
        narrowed.append((str(_("Section")), caption))
    if filters.language:
        narrowed.append((str(_("Language")), language_name(filters.language, spec.locale)))
    if filters.group:
        narrowed.append((str(_("Stakeholder group")), group_label(filters.group)))
    if filters.country:
        narrowed.append((str(_("Country")), country_name(filters.country, spec.locale)))
    if filters.since:
        # i18n: a filter of an export: only what was sent at or after this time
        narrowed.append((str(_("Sent from")), format_in_zone(filters.since, zone, spec.locale)))
    if filters.until:
        # i18n: a filter of an export: only what was sent before this time
        narrowed.append((str(_("Sent before")), format_in_zone(filters.until, zone, spec.locale)))
    return lines + (narrowed or [(str(_("Filters")), str(_("None")))])


def groups_in_order(counts: CommentCounts) -> list[str]:
    """The stakeholder groups that occur, in the configured order; any others after."""
    configured = [code for code, _label in group_choices()]
    present = [code for code in configured if counts.by_group[code]]
    others = sorted(code for code in counts.by_group if code not in configured)
    return present + others


def most_first(counter: dict[str, int], name: Callable[[str], str]) -> list[tuple[str, int]]:
    """(name, count) pairs, most frequent first, then by name."""
    named = [(name(code), count) for code, count in counter.items() if count]
    return sorted(named, key=lambda item: (-item[1], item[0]))


def country_counts(spec: ExportSpec, counts: CommentCounts) -> list[tuple[str, int]]:
    """(country, comments) most first, then the comments counted without a country
    (in open data, those of anonymous authors too, whose country is not shown)."""
    rows = most_first(counts.by_country, lambda code: country_name(code, spec.locale))
    without_country = counts.total - sum(counts.by_country.values())
    if without_country:
        rows.append((no_country_label(spec.audience), without_country))
    return rows


# Titles of the count tables. They count the comments the export holds, which are
# of the states "Comments included" names (published only, unless staff asked for more).
def counts_by_section_title() -> str:
    # i18n: a table's title: the comments this export file holds, counted per section and group
    return str(_("Comments in this file, by section and stakeholder group"))


def counts_by_group_title() -> str:
    # i18n: a table's title: the comments this export file holds, counted per stakeholder group
    return str(_("Comments in this file, by stakeholder group"))


def counts_by_language_title() -> str:
    # i18n: a table's title: the comments this export file holds, counted per language
    return str(_("Comments in this file, by language"))


def counts_by_country_title() -> str:
    # i18n: a table's title: the comments this export file holds, counted per author's country
    return str(_("Comments in this file, by country"))
