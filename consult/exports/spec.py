"""What one export is: its format, its content, its filters and who it is for."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from consult.comments.attribution import Audience
from consult.comments.models import CommentStatus
from consult.consultations.models import Consultation
from consult.exports.cells import utc_text

# Comment states staff may ask for; published alone is the default. Withdrawn
# comments are their authors' own and never leave: they were never public.
EXPORTABLE_STATUSES = (
    CommentStatus.PUBLISHED,
    CommentStatus.PENDING,
    CommentStatus.REJECTED,
    CommentStatus.HIDDEN,
)


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant a calendar day begins in `zone`.

    Where the clocks jump forward at midnight, the day begins at the jump:
    a midnight that does not exist is read with the offset before it, which is
    that very instant.
    """
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def day_range(
    first: date | None, last: date | None, zone: ZoneInfo
) -> tuple[datetime | None, datetime | None]:
    """The instants from the start of `first` to the end of `last` (excluded) in `zone`,
    as `ExportFilters.since` and `until` take them; None where a day is not given."""
    # The calendar's first day has no day before it, nor its last one a day after:
    # from the first, or up to the last, is no bound at all (and no overflow).
    since = day_start(first, zone) if first is not None and first > date.min else None
    until = (
        day_start(last + timedelta(days=1), zone) if last is not None and last < date.max else None
    )
    return since, until


class ExportFormat(enum.Enum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"
    DOCX = "docx"

    @property
    def media_type(self) -> str:
        return {
            ExportFormat.CSV: "text/csv; charset=utf-8",
            ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ExportFormat.JSON: "application/json",
            ExportFormat.DOCX: (
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            ),
        }[self]

    @property
    def holds_both(self) -> bool:
        """XLSX, JSON and DOCX hold comments and responses; a CSV file holds one kind."""
        return self is not ExportFormat.CSV


class ExportContent(enum.Enum):
    """What a CSV file holds (the other formats hold both)."""

    COMMENTS = "comments"
    RESPONSES = "responses"


@dataclass(frozen=True)
class ExportFilters:
    """What an export is narrowed to; None means any.

    Status and section apply to comments only; the others to responses too.
    `since` and `until` are UTC instants, `until` excluded, compared with the time
    a comment was sent or a response first submitted.
    """

    statuses: frozenset[CommentStatus] = frozenset({CommentStatus.PUBLISHED})
    section_key: str | None = None
    # Only general comments (on the paper as a whole); excludes `section_key`.
    general_only: bool = False
    language: str | None = None
    group: str | None = None
    country: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        if CommentStatus.WITHDRAWN in self.statuses:
            raise ValueError("withdrawn comments are never exported")
        if not self.statuses:
            raise ValueError("an export needs at least one comment status")

    @classmethod
    def chosen(
        cls,
        *,
        statuses: Iterable[str],
        section: str | None,
        general: str,
        language: str | None,
        group: str | None,
        country: str | None,
        first_day: date | None,
        last_day: date | None,
        zone: ZoneInfo,
    ) -> ExportFilters:
        """The filters as the staff form and the command line take them, already checked:
        status values (none: published only), a section key or `general` (the choice
        that stands for general comments), codes, and days in the consultation's `zone`,
        both included. Empty values mean any."""
        since, until = day_range(first_day, last_day, zone)
        return cls(
            statuses=frozenset(CommentStatus(value) for value in statuses) or cls().statuses,
            section_key=section if section and section != general else None,
            general_only=section == general,
            language=language or None,
            group=group or None,
            country=country or None,
            since=since,
            until=until,
        )

    @property
    def only_published(self) -> bool:
        return self.statuses == frozenset({CommentStatus.PUBLISHED})

    def as_details(self) -> dict[str, object]:
        """The filters as the audit log records them: only those set, in plain values."""
        details: dict[str, object] = {"statuses": sorted(status.value for status in self.statuses)}
        if self.general_only:
            details["section"] = "general"
        elif self.section_key:
            details["section"] = self.section_key
        for name in ("language", "group", "country"):
            if value := getattr(self, name):
                details[name] = value
        for name in ("since", "until"):
            if moment := getattr(self, name):
                details[name] = utc_text(moment)
        return details


@dataclass(frozen=True)
class ExportSpec:
    """One export: `locale` is the language of its labels and of the texts it quotes
    (sections, questions, options), each falling back to the consultation's default."""

    consultation: Consultation
    format: ExportFormat
    audience: Audience
    locale: str
    content: ExportContent = ExportContent.COMMENTS
    filters: ExportFilters = field(default_factory=ExportFilters)

    def __post_init__(self) -> None:
        # Open data is what public pages show: nothing a moderator has not published.
        if self.audience is Audience.OPEN_DATA and not self.filters.only_published:
            raise ValueError("open data holds published comments only")

    @property
    def with_email(self) -> bool:
        return self.audience is Audience.CONTACT

    @property
    def includes_responses(self) -> bool:
        """Responses are private: never in open data."""
        return self.audience is not Audience.OPEN_DATA and (
            self.format.holds_both or self.content is ExportContent.RESPONSES
        )

    @property
    def includes_comments(self) -> bool:
        return self.format.holds_both or self.content is ExportContent.COMMENTS
