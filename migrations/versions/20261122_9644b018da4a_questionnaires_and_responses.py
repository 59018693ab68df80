"""Calls for input: questions, their options and translations, and participants' responses.

Revision ID: 9644b018da4a
Revises: 7bac652d753f
Create Date: 2026-11-22 13:56:05.359175

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9644b018da4a'
down_revision = '7bac652d753f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('short_text', 'long_text', 'single_choice', 'multiple_choice', 'scale', 'yes_no', 'country', name='question_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('max_choices', sa.Integer(), nullable=True),
    sa.Column('scale_max', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'scale' AND scale_max BETWEEN 2 AND 10) OR (kind != 'scale' AND scale_max IS NULL)", name=op.f('ck_questions_scale_has_points')),
    sa.CheckConstraint("kind = 'multiple_choice' OR max_choices IS NULL", name=op.f('ck_questions_max_choices_only_multiple')),
    sa.CheckConstraint('max_choices IS NULL OR max_choices >= 1', name=op.f('ck_questions_max_choices_positive')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_questions_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questions_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', name='response_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('identity', sa.Enum('name', 'organisation', 'anonymous', name='identity', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('author_name', sa.String(length=120), nullable=True),
    sa.Column('author_organisation', sa.String(length=200), nullable=True),
    sa.Column('author_group', sa.String(length=40), nullable=True),
    sa.Column('author_country', sa.String(length=2), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status != 'submitted' OR (submitted_at IS NOT NULL AND identity IS NOT NULL)", name=op.f('ck_responses_submitted_has_time_and_identity')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_responses_author_id_users')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_responses_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses')),
    sa.UniqueConstraint('consultation_id', 'author_id', name=op.f('uq_responses_consultation_id_author_id'))
    )
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_responses_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_responses_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_responses_status'), ['status'], unique=False)

    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('option_ids', sa.JSON(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('flag', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_answers_question_id_questions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_answers_response_id_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers')),
    sa.UniqueConstraint('response_id', 'question_id', name=op.f('uq_answers_response_id_question_id'))
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answers_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answers_response_id'), ['response_id'], unique=False)

    op.create_table('question_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_question_options_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_options'))
    )
    with op.batch_alter_table('question_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_options_question_id'), ['question_id'], unique=False)

    op.create_table('question_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=35), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('help', sa.Text(), nullable=False),
    sa.Column('scale_min_label', sa.String(length=200), nullable=True),
    sa.Column('scale_max_label', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_question_translations_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_translations')),
    sa.UniqueConstraint('question_id', 'locale', name=op.f('uq_question_translations_question_id_locale'))
    )
    with op.batch_alter_table('question_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_translations_question_id'), ['question_id'], unique=False)

    op.create_table('option_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=35), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['option_id'], ['question_options.id'], name=op.f('fk_option_translations_option_id_question_options'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_option_translations')),
    sa.UniqueConstraint('option_id', 'locale', name=op.f('uq_option_translations_option_id_locale'))
    )
    with op.batch_alter_table('option_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_option_translations_option_id'), ['option_id'], unique=False)



def downgrade():
    with op.batch_alter_table('option_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_option_translations_option_id'))

    op.drop_table('option_translations')
    with op.batch_alter_table('question_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_translations_question_id'))

    op.drop_table('question_translations')
    with op.batch_alter_table('question_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_options_question_id'))

    op.drop_table('question_options')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answers_response_id'))
        batch_op.drop_index(batch_op.f('ix_answers_question_id'))

    op.drop_table('answers')
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_responses_status'))
        batch_op.drop_index(batch_op.f('ix_responses_consultation_id'))
        batch_op.drop_index(batch_op.f('ix_responses_author_id'))

    op.drop_table('responses')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_consultation_id'))

    op.drop_table('questions')
