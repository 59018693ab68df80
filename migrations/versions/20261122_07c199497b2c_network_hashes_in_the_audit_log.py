"""The audit log keeps a keyed hash of the network address, never the address.

Addresses stored before this revision are dropped, not hashed: the key is the
application's secret, which a migration does not read.

Revision ID: 07c199497b2c
Revises: ae9a20f78f76
Create Date: 2026-11-22 16:20:56.766018

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '07c199497b2c'
down_revision = 'ae9a20f78f76'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('network_hash', sa.String(length=64), nullable=True))
        batch_op.drop_column('ip_address')


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ip_address', sa.VARCHAR(length=45), nullable=True))
        batch_op.drop_column('network_hash')

