"""The filters of the response list, read from the query string."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField

from consult.questionnaires.reports import ResponseFilters


class ResponseFilterForm(FlaskForm):
    """Stakeholder group, country and language of the submitted responses; sent in the
    address, no token. (Drafts are their authors' own: there is no status to choose.)"""

    class Meta:
        csrf = False

    group = SelectField(_l("Stakeholder group"), default="")
    country = SelectField(_l("Country"), default="")
    language = SelectField(_l("Language"), default="")

    def __init__(
        self,
        *args: object,
        groups: list[tuple[str, str]],
        countries: list[tuple[str, str]],
        languages: list[tuple[str, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.group.choices = [("", str(_l("All groups"))), *groups]
        self.country.choices = [("", str(_l("All countries"))), *countries]
        self.language.choices = [("", str(_l("All languages"))), *languages]

    def chosen(self) -> ResponseFilters:
        """The filters as valid values: anything not offered counts as no filter."""
        self.validate()
        return ResponseFilters(
            group=None if self.group.errors else self.group.data or None,
            country=None if self.country.errors else self.country.data or None,
            language=None if self.language.errors else self.language.data or None,
        )

    def query_args(self) -> dict[str, str | None]:
        """The filters to keep in the pager's and the tallies' links."""
        return {
            name: (self[name].data or None) if not self[name].errors else None
            for name in ("group", "country", "language")
        }
