"""ix_person_labour led by sex and birth date

With deleted_at as its first column, a query on live persons by a name or search-key
range (the register search) used ix_person_labour for ``deleted_at IS NULL`` instead
of the range's own index: ~60–460 ms instead of ~0.1 ms at 250,000 persons. Led by
sex and birth date it still covers the return's rural-labour condition.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_OLD = ['deleted_at', 'sex', 'birth_date', 'is_rural', 'labour_capacity', 'died_on',
        'household_id', 'village_id', 'local_status']
_NEW = ['sex', 'birth_date', 'deleted_at', 'is_rural', 'labour_capacity', 'died_on',
        'household_id', 'village_id', 'local_status']


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_labour')
        batch_op.create_index('ix_person_labour', _NEW, unique=False)


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_labour')
        batch_op.create_index('ix_person_labour', _OLD, unique=False)
