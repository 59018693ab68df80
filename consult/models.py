"""Every domain's models, imported in one place so the metadata knows all tables.

Alembic's autogenerate and `create_all` see only imported models.
"""

from consult.accounts.models import EmailLink, User, UserSession
from consult.audit.models import AuditEntry
from consult.comments.models import Comment, CommentReport
from consult.consultations.models import (
    Consultation,
    ConsultationNotice,
    ConsultationTranslation,
)
from consult.mail.models import OutboxMessage
from consult.moderation.models import ModerationDecision
from consult.papers.models import Section, SectionTranslation
from consult.questionnaires.models import (
    Answer,
    OptionTranslation,
    Question,
    QuestionOption,
    QuestionTranslation,
    Response,
)

__all__ = [
    "Answer",
    "AuditEntry",
    "Comment",
    "CommentReport",
    "Consultation",
    "ConsultationNotice",
    "ConsultationTranslation",
    "EmailLink",
    "ModerationDecision",
    "OptionTranslation",
    "OutboxMessage",
    "Question",
    "QuestionOption",
    "QuestionTranslation",
    "Response",
    "Section",
    "SectionTranslation",
    "User",
    "UserSession",
]
