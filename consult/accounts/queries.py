"""Reading accounts: the list administrators manage."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, select

from consult.accounts.models import Role, User
from consult.extensions import db


def list_users(
    *, staff_only: bool = True, search: str = "", page: int = 1, per_page: int = 50
) -> Pagination:
    """Accounts by e-mail address: staff only unless told otherwise, optionally searched."""
    query: Select[tuple[User]] = select(User)
    if staff_only:
        query = query.where(User.role != Role.PARTICIPANT)
    search = search.strip().lower()
    if search:
        query = query.where(User.email.contains(search, autoescape=True))
    query = query.order_by(User.email)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
