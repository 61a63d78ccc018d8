"""person: the ID number indexed once, by the partial unique index of live rows

The register's search by ID-number prefix now reads live persons from
uq_person_id_number_live and the recycle bin's from ix_person_binned (a few rows),
so the whole ix_person_id_number (back in 0005) has nothing left to serve. Building
it was 0.34 s of a 250,000-row import, and every insert kept two copies of the number.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_id_number')


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index('ix_person_id_number', ['id_number'], unique=False)
