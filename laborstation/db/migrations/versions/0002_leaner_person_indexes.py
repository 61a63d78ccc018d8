"""leaner person indexes

Three person indexes duplicated others: ix_person_id_number (live look-ups use
uq_person_id_number_live; the recycle bin's look-up gets a small partial index of its
own), ix_person_deleted_at (the first column of ix_person_labour) and
ix_person_village_id (the first column of ix_person_village_birth). Each was rebuilt
on every big import (~0.75 s of a 250,000-row one) and kept up to date on every write.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_DELETED = sa.text("deleted_at IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_id_number')
        batch_op.drop_index('ix_person_deleted_at')
        batch_op.drop_index('ix_person_village_id')
        batch_op.create_index('ix_person_id_number_deleted', ['id_number'], unique=False,
                              sqlite_where=_DELETED, postgresql_where=_DELETED)


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_id_number_deleted',
                            sqlite_where=_DELETED, postgresql_where=_DELETED)
        batch_op.create_index('ix_person_village_id', ['village_id'], unique=False)
        batch_op.create_index('ix_person_deleted_at', ['deleted_at'], unique=False)
        batch_op.create_index('ix_person_id_number', ['id_number'], unique=False)
