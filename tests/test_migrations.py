"""Whether migrations can be rolled back: Alembic downgrades checked against their upgrades,
Django data operations without a reverse."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.analysers.deployment.migrations import alembic_findings, django_findings
from syspatterns.core.evidence import Finding
from syspatterns.model import SystemModel

Analyse = Callable[..., SystemModel]
ASPECT = "Rollback strategy"

CREATES = '''
from alembic import op
import sqlalchemy as sa


def upgrade():
    op.create_table("orders", sa.Column("id", sa.Integer))
    op.add_column("users", sa.Column("email", sa.String))
    op.create_index("ix_users_email", "users", ["email"])
    op.execute("UPDATE users SET email = ''")
'''


def alembic(analyse_repo: Analyse, downgrade: str) -> list[Finding]:
    model = analyse_repo({"migrations/versions/0001_orders.py": CREATES + downgrade})
    return alembic_findings(model, ASPECT)


def test_a_downgrade_that_undoes_every_schema_operation(analyse_repo: Analyse) -> None:
    summary, check = alembic(analyse_repo, '''

def downgrade():
    op.drop_index("ix_users_email", table_name="users")
    op.drop_column("users", "email")
    op.drop_table("orders")
''')
    assert summary.claim.startswith("The only Alembic migration defines `downgrade()`")
    assert check.claim.startswith("Each `downgrade()` (1) calls an operation that undoes each "
                                  "kind of table, column, index and constraint change")
    assert "`op.execute`" in check.claim  # named as not checked


def test_an_empty_downgrade_undoes_nothing(analyse_repo: Analyse) -> None:
    _, check = alembic(analyse_repo, '''

def downgrade():
    """Drops with op.drop_table("orders") are not needed."""  # a string is not a call
    pass
''')
    assert check.claim.startswith(
        "1 of the 1 `downgrade()` functions do not undo their `upgrade()`: "
        "`migrations/versions/0001_orders.py` undoes nothing of `op.add_column` and "
        "`op.create_index` and `op.create_table` (")
    assert [str(e) for e in check.evidence] == ["migrations/versions/0001_orders.py:12"]


def test_a_downgrade_that_misses_one_kind(analyse_repo: Analyse) -> None:
    _, check = alembic(analyse_repo, '''

def downgrade():
    op.drop_index("ix_users_email", table_name="users")
    op.drop_table("orders")
''')
    assert "undoes nothing of `op.add_column` (" in check.claim


def test_dropping_a_column_drops_its_index_and_constraints(analyse_repo: Analyse) -> None:
    model = analyse_repo({"migrations/versions/0003_key.py": '''
from alembic import op
import sqlalchemy as sa


def upgrade():
    op.add_column("item", sa.Column("owner_id", sa.Integer))
    op.create_foreign_key("fk_owner", "item", "user", ["owner_id"], ["id"])
    op.create_index("ix_owner", "item", ["owner_id"])


def downgrade():
    op.drop_column("item", "owner_id")
'''})
    _, check = alembic_findings(model, ASPECT)
    assert check.claim.startswith("Each `downgrade()` (1)")


def test_batch_operations_count_on_both_sides(analyse_repo: Analyse) -> None:
    model = analyse_repo({"migrations/versions/0002_batch.py": '''
from alembic import op
import sqlalchemy as sa


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("age", sa.Integer))


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("age")
'''})
    _, check = alembic_findings(model, ASPECT)
    assert check.claim.startswith("Each `downgrade()` (1)")


def test_a_revision_without_downgrade_is_not_checked(analyse_repo: Analyse) -> None:
    findings = alembic(analyse_repo, "")
    assert len(findings) == 1
    assert findings[0].claim.startswith("The only Alembic migration defines no `downgrade()`")


MIGRATION = '''
from django.db import migrations


def forwards(apps, schema_editor):
    pass


def backwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    operations = [
{operations}
    ]
'''


def django(analyse_repo: Analyse, operations: str) -> Finding:
    model = analyse_repo({
        "shop/orders/migrations/__init__.py": "",
        "shop/orders/migrations/0002_data.py": MIGRATION.replace("{operations}", operations),
        # Not a migration: a helper module whose function happens to be called RunPython.
        "shop/orders/tools.py": "def RunPython(x):\n    return x\n\nRunPython(1)\n",
    })
    (finding,) = django_findings(model, ASPECT)
    return finding


def test_data_operations_without_a_reverse_are_listed(analyse_repo: Analyse) -> None:
    finding = django(analyse_repo, '''
        migrations.RunPython(forwards),
        migrations.RunSQL("UPDATE orders SET total = 0"),
        migrations.RunPython(forwards, backwards),
''')
    assert finding.claim.endswith(
        "except past the data operations given no reverse, which make `migrate` stop with "
        "`IrreversibleError`: `RunPython` without `reverse_code` (1), `RunSQL` without "
        "`reverse_sql` (1).")
    assert [str(e) for e in finding.evidence][1:] == [
        "shop/orders/migrations/0002_data.py:15", "shop/orders/migrations/0002_data.py:16"]


def test_data_operations_with_their_reverse_are_reversible(analyse_repo: Analyse) -> None:
    finding = django(analyse_repo, '''
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RunPython(forwards, reverse_code=backwards),
        migrations.RunSQL("UPDATE orders SET total = 0", reverse_sql="SELECT 1"),
''')
    assert finding.claim.endswith(
        "every `RunPython` and `RunSQL` operation in them is given its reverse.")
    assert len(finding.evidence) == 1
