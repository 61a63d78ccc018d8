"""person: no index on name alone; household: none on category alone

ix_person_name served the first page of the register sorted by name over everyone
(0.3 ms with it, ~50 ms without at 250,000 persons). The whole sorted list is faster
without it (260 ms against 460 ms: the table is scanned and sorted instead of read in
index order, one row at a time), a name search reads ix_person_search_text, and the
check for a person of the same name and birth date reads ix_person_labour. Building it
was 0.22–0.30 s of a 250,000-row import.

ix_household_category duplicated the start of ix_household_category_live
(category, deleted_at), which serves every look-up by category.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_name')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index('ix_household_category')


def downgrade() -> None:
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index('ix_household_category', ['category'], unique=False)
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index('ix_person_name', ['name'], unique=False)
