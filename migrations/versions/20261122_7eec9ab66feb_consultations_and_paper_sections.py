"""Consultations (languages, window, time zone, publication) and their paper sections.

Revision ID: 7eec9ab66feb
Revises: 
Create Date: 2026-11-22 10:08:30.297656

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7eec9ab66feb'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('default_locale', sa.String(length=35), nullable=False),
    sa.Column('offered_locales', sa.JSON(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('moderation_mode', sa.Enum('pre', 'post', name='moderation_mode', native_enum=False, create_constraint=True, length=8), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('opens_at < closes_at', name=op.f('ck_consultations_window_order')),
    sa.CheckConstraint('published_at IS NULL OR (opens_at IS NOT NULL AND closes_at IS NOT NULL)', name=op.f('ck_consultations_published_has_window')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations')),
    sa.UniqueConstraint('slug', name=op.f('uq_consultations_slug'))
    )
    op.create_table('consultation_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=35), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_translations_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_translations')),
    sa.UniqueConstraint('consultation_id', 'locale', name=op.f('uq_consultation_translations_consultation_id_locale'))
    )
    with op.batch_alter_table('consultation_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_translations_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_sections_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sections')),
    sa.UniqueConstraint('consultation_id', 'key', name=op.f('uq_sections_consultation_id_key'))
    )
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sections_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('section_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=35), nullable=False),
    sa.Column('heading', sa.String(length=300), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], name=op.f('fk_section_translations_section_id_sections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section_translations')),
    sa.UniqueConstraint('section_id', 'locale', name=op.f('uq_section_translations_section_id_locale'))
    )
    with op.batch_alter_table('section_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_section_translations_section_id'), ['section_id'], unique=False)



def downgrade():
    with op.batch_alter_table('section_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_section_translations_section_id'))

    op.drop_table('section_translations')
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sections_consultation_id'))

    op.drop_table('sections')
    with op.batch_alter_table('consultation_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_translations_consultation_id'))

    op.drop_table('consultation_translations')
    op.drop_table('consultations')
