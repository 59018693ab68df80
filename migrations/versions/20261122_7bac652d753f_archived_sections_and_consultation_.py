"""Archived sections, the dated notices of changes made after publication, and the
time of a consultation's first publication.

Revision ID: 7bac652d753f
Revises: e4bda9a95254
Create Date: 2026-11-22 12:26:25.489584

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7bac652d753f'
down_revision = 'e4bda9a95254'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultation_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('deadline_changed', 'opening_changed', 'introduction_corrected', 'section_corrected', 'section_added', 'section_archived', 'section_restored', name='notice_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('section_key', sa.String(length=32), nullable=True),
    sa.Column('locale', sa.String(length=35), nullable=True),
    sa.Column('moment', sa.DateTime(timezone=True), nullable=True),
    sa.Column('previous_moment', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind NOT IN ('deadline_changed', 'opening_changed') OR moment IS NOT NULL", name=op.f('ck_consultation_notices_window_notice_has_moment')),
    sa.CheckConstraint("kind NOT IN ('section_corrected', 'section_added', 'section_archived', 'section_restored') OR section_key IS NOT NULL", name=op.f('ck_consultation_notices_section_notice_has_key')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_notices_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_notices'))
    )
    with op.batch_alter_table('consultation_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_notices_consultation_id'), ['consultation_id'], unique=False)

    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_published_at', sa.DateTime(timezone=True), nullable=True))

    # A consultation published before this revision has had readers: its changes get notices.
    op.execute('UPDATE consultations SET first_published_at = published_at WHERE published_at IS NOT NULL')

    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.drop_column('archived_at')

    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_column('first_published_at')

    with op.batch_alter_table('consultation_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_notices_consultation_id'))

    op.drop_table('consultation_notices')
