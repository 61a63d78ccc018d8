"""person: no index on birth_date alone

It served one thing, the first page of the register sorted by birth date over every
village (0.3 ms with it, 40–120 ms without at 250,000 persons). The whole sorted list
is faster without it (150 ms against 420 ms: the covering ix_person_labour is scanned
and sorted instead of the table read in index order), a village's persons by birth
date have ix_person_village_birth, and the age conditions of the return lead with
sex (ix_person_labour). Building it was 0.27 s of a 250,000-row import.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_birth_date')


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index('ix_person_birth_date', ['birth_date'], unique=False)
