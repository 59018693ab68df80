"""Open data before the close: an editor may let anyone download published comments early.

Revision ID: ae9a20f78f76
Revises: 9644b018da4a
Create Date: 2026-11-22 14:57:21.281383

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ae9a20f78f76'
down_revision = '9644b018da4a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('open_data_before_close', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_column('open_data_before_close')

