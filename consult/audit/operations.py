"""Writing the audit log."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from flask import current_app, has_request_context, request
from sqlalchemy import update

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
        network_hash=network_hash(request.remote_addr) if has_request_context() else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def network_hash(address: str | None) -> str | None:
    """A network address as the audit log keeps it: an HMAC keyed with the site's secret.

    The same address gives the same value, so a run of failed sign-ins from one
    place shows as such, but the address itself is not stored and cannot be
    recovered from the log without the key.
    """
    if not address:
        return None
    key = b"consult network address\0" + current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def purge_network_hashes(before: datetime) -> int:
    """Clear the network hashes of entries written before `before`; how many were cleared.

    The entries themselves stay: who did what, and when, is the log's purpose.
    """
    result = db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.created_at < before, AuditEntry.network_hash.is_not(None))
        .values(network_hash=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
