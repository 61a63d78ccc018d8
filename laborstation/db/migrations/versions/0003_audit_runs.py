"""audit runs: one audit entry for a run of records an import added

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_RUNS = sa.text("last_row_id IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_row_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_audit_log_runs', ['table_name', 'last_row_id'], unique=False,
                              sqlite_where=_RUNS, postgresql_where=_RUNS)


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_runs', sqlite_where=_RUNS, postgresql_where=_RUNS)
        batch_op.drop_column('last_row_id')
