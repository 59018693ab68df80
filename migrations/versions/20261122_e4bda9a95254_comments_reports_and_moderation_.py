"""Section comments with their authors' snapshot, readers' reports, moderation decisions.

Revision ID: e4bda9a95254
Revises: 794ab8277666
Create Date: 2026-11-22 11:59:40.266141

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4bda9a95254'
down_revision = '794ab8277666'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('form_key', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('identity', sa.Enum('name', 'organisation', 'anonymous', name='identity', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('author_name', sa.String(length=120), nullable=False),
    sa.Column('author_organisation', sa.String(length=200), nullable=True),
    sa.Column('author_group', sa.String(length=40), nullable=False),
    sa.Column('author_country', sa.String(length=2), nullable=True),
    sa.Column('status', sa.Enum('pending', 'published', 'rejected', 'hidden', 'withdrawn', name='comment_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rejection_reason', sa.Enum('off_topic', 'abusive', 'spam', 'personal_data', 'duplicate', 'other', name='rejection_reason', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('moderator_note', sa.Text(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(status = 'rejected') = (rejection_reason IS NOT NULL)", name=op.f('ck_comments_rejected_has_reason')),
    sa.CheckConstraint("status != 'hidden' OR hidden_at IS NOT NULL", name=op.f('ck_comments_hidden_has_time')),
    sa.CheckConstraint("status != 'published' OR published_at IS NOT NULL", name=op.f('ck_comments_published_has_time')),
    sa.CheckConstraint("status != 'withdrawn' OR withdrawn_at IS NOT NULL", name=op.f('ck_comments_withdrawn_has_time')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_comments_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], name=op.f('fk_comments_section_id_sections'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments')),
    sa.UniqueConstraint('author_id', 'form_key', name=op.f('uq_comments_author_id_form_key'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index('ix_comments_section_status_created', ['section_id', 'status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_status'), ['status'], unique=False)

    op.create_table('comment_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_reports_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_comment_reports_reporter_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_reports')),
    sa.UniqueConstraint('comment_id', 'reporter_id', name=op.f('uq_comment_reports_comment_id_reporter_id'))
    )
    with op.batch_alter_table('comment_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_reports_comment_id'), ['comment_id'], unique=False)

    op.create_table('moderation_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('approve', 'reject', 'hide', 'restore', 'undo', name='decision_kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('previous_status', sa.Enum('pending', 'published', 'rejected', 'hidden', 'withdrawn', name='previous_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('new_status', sa.Enum('pending', 'published', 'rejected', 'hidden', 'withdrawn', name='new_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('reason', sa.Enum('off_topic', 'abusive', 'spam', 'personal_data', 'duplicate', 'other', name='decision_reason', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_moderation_decisions_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['moderator_id'], ['users.id'], name=op.f('fk_moderation_decisions_moderator_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_decisions'))
    )
    with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_decisions_comment_id'), ['comment_id'], unique=False)



def downgrade():
    with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_decisions_comment_id'))

    op.drop_table('moderation_decisions')
    with op.batch_alter_table('comment_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_reports_comment_id'))

    op.drop_table('comment_reports')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_status'))
        batch_op.drop_index('ix_comments_section_status_created')
        batch_op.drop_index(batch_op.f('ix_comments_consultation_id'))
        batch_op.drop_index(batch_op.f('ix_comments_author_id'))

    op.drop_table('comments')
