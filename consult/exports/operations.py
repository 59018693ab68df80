"""The one write an export makes: its entry in the audit log."""

from __future__ import annotations

from typing import Any

from consult.accounts.models import User
from consult.audit.models import AuditEntry
from consult.audit.operations import record
from consult.exports.spec import ExportFormat, ExportSpec

# How an export was asked for, as the audit log records it.
VIA_WEB = "web"
VIA_COMMAND_LINE = "cli"


def record_export(spec: ExportSpec, actor: User | None, *, via: str) -> AuditEntry:
    """Audit a staff export: what it held, for whom, narrowed how (PRODUCT.md C6).

    Flushed with the caller's transaction, never committed. `actor` is None on the
    command line, which has no account. Only the export's description is stored,
    never what it contained.
    """
    # Any: detail names are never record()'s own parameters (such as `reason`).
    details: dict[str, Any] = {
        "format": spec.format.value,
        "audience": spec.audience.value,
        "locale": spec.locale,
        "filters": spec.filters.as_details(),
        "via": via,
    }
    if spec.format is ExportFormat.CSV:
        # The other formats hold comments and responses alike.
        details["content"] = spec.content.value
    return record(
        "consultation.exported",
        actor_id=actor.id if actor is not None else None,
        subject_type="consultation",
        subject_id=spec.consultation.id,
        **details,
    )
