"""the register search's indexes: ix_person_id_number back, binned persons by deleted_at

0002 dropped ix_person_id_number for the partial unique index of live rows, but the
register's search by ID-number prefix (and its counts) reads live and binned rows
alike: without it each such keystroke scanned the person table (~180 ms at 250,000
persons). It serves the recycle bin's look-up too, so ix_person_id_number_deleted
goes. 0002 also dropped ix_person_deleted_at, which the search used to subtract the
recycle bin's matches; a partial index of the binned rows alone serves that, and
(unlike a whole deleted_at index) never draws a query on live rows away from the
index of its name or search range.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_DELETED = sa.text("deleted_at IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_id_number_deleted',
                            sqlite_where=_DELETED, postgresql_where=_DELETED)
        batch_op.create_index('ix_person_id_number', ['id_number'], unique=False)
        batch_op.create_index('ix_person_binned', ['deleted_at'], unique=False,
                              sqlite_where=_DELETED, postgresql_where=_DELETED)


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_binned', sqlite_where=_DELETED, postgresql_where=_DELETED)
        batch_op.drop_index('ix_person_id_number')
        batch_op.create_index('ix_person_id_number_deleted', ['id_number'], unique=False,
                              sqlite_where=_DELETED, postgresql_where=_DELETED)
