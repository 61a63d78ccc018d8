"""What every kind of import shares: its environment (``Env``: session, places, audit),
the township check, new persons' rows, how a changed value is listed.

Rows are written in bulk (``bulk_write``) inside the import's one session (one
transaction): per-person ORM objects would be ~50× slower. The audit log gets one entry
per updated record and one per run of added ones (action ``import``, see
``audit_runs``), also in bulk.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import repeat

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from laborstation.codes import code_list
from laborstation.db import audit
from laborstation.errors import UserError
from laborstation.importing import audit_runs, fast_sql
from laborstation.importing.bulk_write import (
    bulk_insert,
    insert_columns,
    restore_indexes,
    suspend_indexes,
)
from laborstation.importing.places import Places, township_key, typo_hint
from laborstation.importing.result import ERROR, ImportResult, Item
from laborstation.importing.sheet_titles import village_and_group
from laborstation.model import COUNTY, Area, AuditEntry, Person

AUDIT_COLUMNS = ("at", "user_name", "action", "table_name", "row_id", "last_row_id", "field",
                 "old", "new")
PERSON_DEFAULTS = {
    "nation": "01", "education": None, "phone": "", "household_id": None, "village_id": None,
    "relation": None, "labour_capacity": "1", "is_rural": True, "local_status": None,
    "skills": "", "training_wish": "", "address": "", "died_on": None, "notes": "",
}
HOUSEHOLD_CATEGORY = "0"  # a new household's 户类别 when its rows give none: 一般户


def _id_runs(ids: list[int], items: list[Item] | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of each stretch of consecutive ids (from one sheet, given the items)."""
    start = 0
    while start < len(ids):
        end = start + 1
        while end < len(ids) and ids[end] == ids[end - 1] + 1 and (
                items is None or items[end].sheet == items[start].sheet):
            end += 1
        yield start, end
        start = end


NEW_VILLAGE = "台账中没有行政村"  # (the start of the warning on a row naming a new village)
NEW_TOWNSHIP = "台账中没有乡镇"


@dataclass
class Env:
    session: Session
    station: object  # StationInfo
    result: ImportResult
    overwrite: bool = False
    now: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    places: Places | None = None
    audit_rows: list = field(default_factory=list)  # tuples in AUDIT_COLUMNS order
    stored: dict = field(default_factory=dict)  # values converted for binding (insert_columns)
    _file_json: str = ""

    def __post_init__(self) -> None:
        self.places = Places(self.session, unit_id=self.station.area_id,
                             unit_level=self.station.level, created=self.result.created_areas)
        self._file_json = json.dumps(self.result.file.name, ensure_ascii=False)
        self._actor = self.session.info.get("actor", "")
        self._place_cache: dict[tuple, tuple[int, int | None]] = {}
        self._told_new_villages: dict[int, Item] = {}  # (told on the first row naming one)
        self._prefixes: dict[str, str] = {}
        self._fast = fast_sql.available(self.session)
        self._own: dict[str, bool] = {}  # a 乡镇 cell → names the township unit's own

    @property
    def _own_name(self) -> str:
        own = self.session.get(Area, self.station.area_id)
        return "" if own is None else own.name

    def _own_township(self, name: str) -> bool:
        """A township unit's 乡镇 cell names its own township (城关, 范县城关镇 …)."""
        found = self._own.get(name)
        if found is None:
            counties = self.places.counties
            found = self._own[name] = township_key(name, counties) == township_key(
                self._own_name, counties)
        return found

    @property
    def fast(self) -> bool:
        """One-statement SQLite writes can be used (see ``fast_sql``)."""
        return self._fast

    def _prefix(self, sheet_name: str) -> str:
        prefix = self._prefixes.get(sheet_name)
        if prefix is None:
            sheet = json.dumps(sheet_name, ensure_ascii=False)
            prefix = self._prefixes[sheet_name] = (
                f'{{"file": {self._file_json}, "sheet": {sheet}, "row": ')
        return prefix

    def audit(self, table: str, row_id: int, item: Item, changes: dict | None = None) -> None:
        """One entry for a record the row changed (an update: with its changes)."""
        new = f"{self._prefix(item.sheet)}{item.row}"
        if changes:
            new += ', "changes": ' + json.dumps(changes, ensure_ascii=False, default=str)
        self.audit_rows.append((self.now, self._actor, "import", table, row_id, None, "", None,
                                new + "}"))

    def audit_added(self, table: str, ids: list[int], items: list[Item]) -> None:
        """One entry per run of new records (consecutive ids, one sheet): ``audit_runs``."""
        for start, end in _id_runs(ids, items):
            rows = [item.row for item in items[start:end]]
            self._run(table, ids[start], ids[end - 1],
                      audit_runs.run_text(self.result.file.name, items[start].sheet, rows,
                                          end - start))

    def audit_others(self, table: str, ids: list[int]) -> None:
        """Records made for the file rather than for one row (households, courses)."""
        for start, end in _id_runs(ids):
            self._run(table, ids[start], ids[end - 1],
                      audit_runs.run_text(self.result.file.name, None, None, end - start))

    def _run(self, table: str, first: int, last: int, new: str) -> None:
        self.audit_rows.append((self.now, self._actor, "import", table, first, last, "", None,
                                new))

    def flush_audit(self) -> None:
        """Write the audit entries: the areas made first, then the rest in the order made."""
        session = self.session
        self.audit_rows[:0] = [  # (as the ORM's audit listener writes an insert)
            (self.now, self._actor, "insert", "area", area_id, None, "", None,
             audit.values_json({"id": area_id, **values}))
            for area_id, values in self.places.new_areas]
        self.places.new_areas.clear()
        dropped = suspend_indexes(session, "audit_log", len(self.audit_rows))
        bulk_insert(session, AuditEntry.__table__, self.audit_rows, ids=False,
                    columns=AUDIT_COLUMNS)
        restore_indexes(session, dropped)
        self.audit_rows.clear()

    def township_id(self, item: Item) -> int | None:
        """The township a row belongs to; refuses the row when it cannot be told."""
        name = item.record["_township"]
        station = self.station
        if station.level != COUNTY:
            # (a file none of whose rows is of its township is refused whole: check_township_column)
            if name and not self._own_township(name):
                item.refuse(f"这一行的乡镇是“{name}”，本单位是{self._own_name}：其他乡镇的"
                            "人员不能导入本单位，请删去这一行（或改正“乡镇”列）后再导入")
                return None
            return station.area_id
        if not name:
            item.refuse("缺少乡镇：本单位是县，每行都要填写乡镇")
            return None
        return self.places.township(name)

    def place(self, item: Item) -> tuple[int | None, int | None]:
        """(village id, group id) named by a row; (None, None) when it names no village."""
        record = item.record
        key = (record["_township"], record["_village"], record["_group"])
        found = self._place_cache.get(key)
        if found is not None:
            return found
        written, group_name = record["_village"], record["_group"]
        if not written:
            return None, None
        if both := village_and_group(written):  # 李庄村1组 in the 行政村 column
            written, group_name = both[0], group_name or both[1]
        try:
            township = self.township_id(item)
            if township is None:
                return None, None
            alike = self.places.alike_township(township)  # (城光镇 made beside 城关镇)
            if alike and township not in self._told_new_villages:
                self._told_new_villages[township] = item
                item.warn(f"{NEW_TOWNSHIP}“{record['_township']}”，导入时新建这个乡镇："
                          + typo_hint(alike))
            known = self.places.has_villages(township)
            village = self.places.village(township, written)
            if (known and self.places.is_new(village)  # a typo of a village (崔注村 for 崔洼村)?
                    and village not in self._told_new_villages):
                self._told_new_villages[village] = item
                item.warn(f"{NEW_VILLAGE}“{written}”，导入时新建这个村："
                          "如是笔误，请改正村名后再导入")
            group = self.places.group(village, group_name) if group_name else None
        except UserError as error:
            item.refuse(str(error))
            return None, None
        self._place_cache[key] = (village, group)
        return village, group

    def drop_unused_areas(self, used: set[int]) -> None:
        """``Places.drop_unused``, and the rows told of a new village dropped untold."""
        for village in self.places.drop_unused(used):
            item = self._told_new_villages.pop(village, None)
            if item is not None and item.warnings:
                item.warnings = [w for w in item.warnings
                                 if not w.startswith((NEW_VILLAGE, NEW_TOWNSHIP))]

    def home_code(self, village_id: int | None) -> str:
        """The 12-digit code destinations are judged from: the township, else the county."""
        station = self.station
        if station.level != COUNTY:
            return station.area_code
        return station.county_code + "000000"


def village_shown(session: Session, village_id: int) -> str:
    """A village as a message names it: 李庄村, or 王楼乡李庄村 when a village of another
    township has its name too (else 李庄村 → 李庄村 would tell a move between them)."""
    area = session.get(Area, village_id)
    if area is None:
        return str(village_id)
    namesakes = session.scalar(select(func.count()).select_from(Area).where(
        Area.level == area.level, Area.name == area.name, Area.id != area.id))
    if namesakes and area.parent is not None:
        return f"{area.parent.name}{area.name}"
    return area.name


def check_township_column(items: list[Item], env: Env) -> None:
    """A township unit may import a file with a 乡镇 column only if it names that township
    (in the rows read as records: not a note under the table); the rows naming another
    are refused (``Env.township_id``).

    (In a county each row that names a village must name its township too: ``place``
    refuses the row otherwise.) A file of another township would otherwise be filed
    under this one without a word.
    """
    station, counties = env.station, env.places.counties  # (范县城关镇 is 城关镇)
    if station.level == COUNTY:
        return
    names: dict[str, str] = {}  # key → the name as first written
    for item in items:
        text = item.record["_township"] if item.record is not None else ""
        if text:
            names.setdefault(township_key(text, counties), text)
    own = env.session.get(Area, station.area_id)
    if not names or own is None or township_key(own.name, counties) in names:
        return  # (its rows of another township are refused one by one: ``township_id``)
    if len(names) > 1:
        shown = "、".join(sorted(names.values())[:5])
        raise UserError(
            f"文件中有多个乡镇（{shown}），本单位是乡镇：多个乡镇的台账只能由县级单位导入。"
        )
    other = next(iter(names.values()))
    raise UserError(
        f"文件的“乡镇”列写的是{other}，本单位是{own.name}：其他乡镇的台账不能导入本单位。"
        "如果是本乡镇的台账，请改正“乡镇”列（或删去这一列）后再导入。"
    )


# Fields holding a code, by the code list that names it: a change is listed by the name.
CODED_FIELDS = {"nation": "nation", "education": "education", "relation": "relation",
                "labour_capacity": "labour_capacity", "local_status": "local_status",
                "industry": "industry", "occupation": "occupation",
                "certificate_kind": "certificate",
                "category": "household_category"}  # (a household's: ``household_changes``)


def shown_value(field: str, value) -> str:
    """A value as a change lists it: a code's name, 5200 rather than 5200.00, （空）."""
    if value is None or value == "":
        return "（空）"
    if field in CODED_FIELDS:
        return code_list(CODED_FIELDS[field]).name_of(value) or str(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value)


# How a clerk has the file's values taken over the stored ones (the GUI's box; the command
# line says once that its --overwrite is that box: ``commands.import_``). OVERWRITE_AGAIN:
# the rosters' words, where only overwrite changes a stored value.
OVERWRITE_BOX = "用表中的值覆盖已有信息"
OVERWRITE_TICK = f"勾选“{OVERWRITE_BOX}”"
OVERWRITE_HOW = f"（需要覆盖时{OVERWRITE_TICK}再导入）"
OVERWRITE_AGAIN = (f"{OVERWRITE_TICK}后再导入这个文件（本表中与已记不同的其他各项也会按本表改），"
                   "或在程序中修改")


def kept_warning(stored: str, kept: list[tuple[str, str, str]]) -> str:
    """The warning of a row whose values differ from those ``stored`` (台账中, 已记), which
    are kept: each (label, stored value, the file's) named with both values."""
    listed = "、".join(f"{label}（{stored}“{was}”，表中“{now}”）" for label, was, now in kept)
    return f"与{stored}的不同，未覆盖：{listed}" + OVERWRITE_HOW


PERSON_COLUMNS = (*PERSON_DEFAULTS, "id_number", "name", "sex", "birth_date", "search_text",
                  "created_at", "updated_at", "deleted_at")
_DEFAULTS = (*PERSON_DEFAULTS.values(), "", "", "", None, "")


def insert_persons(env: Env, records: list[dict], ids: list[int] | None = None) -> list[int]:
    """Person rows from records (a None or missing value takes its default), column by
    column; with the ``ids`` given (``next_ids``), else new ones."""
    values = []
    for key, default in zip(PERSON_COLUMNS[:-3], _DEFAULTS, strict=True):
        column = list(map(dict.get, records, repeat(key)))
        if default is not None and None in column:
            column = [default if value is None else value for value in column]
        values.append(column)
    count = len(records)
    values += ([env.now] * count, [env.now] * count, [None] * count)
    return insert_columns(env.session, Person.__table__, list(PERSON_COLUMNS), values,
                          ids=True if ids is None else ids, stored=env.stored)


def is_open(item: Item) -> bool:
    return item.outcome != ERROR
