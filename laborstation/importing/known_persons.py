"""New persons an import would add who are in the register already under another guise.

- An ID number of a person in the recycle bin (married out, deleted): added anew, the
  person could never be restored (their number is taken), and their history stays on
  the deleted record. The row is refused; restoring the person and importing again
  updates them.
- A person of the same name in the same village (and household, when the row gives its
  户编号) whose ID number differs in a mistyped digit (and so the check digit): the
  clerk corrected the number. Added, the person would be
  counted twice by the return (and a roster's placement with them). The row is
  refused; the number is corrected in the program (which keeps the person's records).
  (Twins' numbers differ so little, but twins are not given one name.)
"""

from __future__ import annotations

from sqlalchemy import select

from laborstation.importing import fast_sql
from laborstation.importing.apply import Env
from laborstation.importing.bulk_write import chunks
from laborstation.importing.households import number_key
from laborstation.importing.result import ERROR, Item
from laborstation.model import Household, Person

# Characters two numbers of one person may differ in: a digit mistyped and the check digit.
# (Two persons of one name in one village differ in more: their birth dates and sequence
# numbers; a synthetic ledger of a few names repeated did at 3.)
NEAR = 2


def refuse_known(env: Env, items: list[Item], before: int) -> list[Item]:
    """Refuse the rows (of persons about to be added: records with 'id_number', 'name',
    'village_id') naming someone of the register; returns those refused. Only persons
    with an id up to ``before`` (stored before the import: 0, none) are looked at."""
    if not items or not before:
        return []
    by_number = {item.record["id_number"]: item for item in items}
    refused = []
    for number, name in _binned(env, list(by_number), before):
        item = by_number[number]
        if item.outcome != ERROR:
            item.refuse(f"身份证号 {number} 的{name}已删除，在“回收站”中：如要重新登记，"
                        "请在回收站中恢复此人后再导入这一行")
            refused.append(item)
    by_name: dict[str, list[Item]] = {}
    for item in items:
        if item.outcome != ERROR and item.record.get("name"):
            by_name.setdefault(item.record["name"], []).append(item)
    for name, stored, village, household in _namesakes(env, list(by_name), before):
        for item in by_name[name]:
            record = item.record
            if item.outcome == ERROR or record.get("village_id") != village:
                continue
            number = record.get("_hh_no")
            if number and household and number_key(number) != number_key(household):
                continue  # (another family's)
            differ = _differing(record["id_number"], stored)
            if 0 < differ <= NEAR:
                record["_known_as"] = stored  # (the register's, in the file after all)
                item.refuse(f"台账中同村已有{name}，身份证号 {stored}，与这一行的只差 {differ} 位："
                            "如果是改正了身份证号，请先在程序中把此人的身份证号改正，再导入"
                            "这一行（不然会多出一个人）")
                refused.append(item)
    return refused


def _binned(env: Env, numbers: list[str], before: int):
    """(ID number, name) of the persons in the recycle bin with these numbers."""
    if env.fast:
        return fast_sql.rows_in(env.session, "SELECT id_number, name FROM person WHERE id <= ? "
                                "AND deleted_at IS NOT NULL AND id_number IN "
                                "(SELECT value FROM json_each(?))", numbers, before)
    table, found = Person.__table__, []
    for part in chunks(numbers, 5000):
        found += env.session.execute(select(table.c.id_number, table.c.name).where(
            table.c.id_number.in_(part), table.c.deleted_at.is_not(None), table.c.id <= before))
    return found


def _namesakes(env: Env, names: list[str], before: int):
    """(name, ID number, village, 户编号) of the live persons with these names."""
    if env.fast:
        return fast_sql.rows_in(env.session, "SELECT p.name, p.id_number, p.village_id, h.number "
                                "FROM person p LEFT JOIN household h ON h.id = p.household_id "
                                "WHERE p.id <= ? AND p.deleted_at IS NULL AND p.name IN "
                                "(SELECT value FROM json_each(?))", names, before)
    table, found = Person.__table__, []
    for part in chunks(names, 5000):
        found += env.session.execute(
            select(table.c.name, table.c.id_number, table.c.village_id, Household.number)
            .outerjoin(Household, Household.id == table.c.household_id)
            .where(table.c.name.in_(part), table.c.deleted_at.is_(None), table.c.id <= before))
    return found


def _differing(one: str, other: str) -> int:
    if len(one) != len(other):
        return len(one) + len(other)
    return sum(a != b for a, b in zip(one, other, strict=True))
