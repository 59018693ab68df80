"""Writing the audit log."""

from __future__ import annotations

from flask import has_request_context, request

from consult.audit.models import AuditEntry
from consult.extensions import db


def record(
    action: str,
    *,
    actor_id: int | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    reason: str | None = None,
    **details: object,
) -> AuditEntry:
    """Add an entry to the audit log, in the caller's transaction (flushed, not committed).

    Written with the change it describes, so the log never claims what did not
    happen nor misses what did.
    """
    entry = AuditEntry(
        action=action,
        actor_id=actor_id,
        subject_type=subject_type,
        subject_id=subject_id,
        reason=reason,
        details=details,
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
