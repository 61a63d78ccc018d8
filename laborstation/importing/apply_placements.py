"""Placements (转移就业花名册) into the store.

A placement is matched by person, start date and employer (compared as ``employer_key``
gives it); a row for one in the store, or for one an earlier row of the file adds,
fills in what it lacks (返乡时间, 月收入 …; a new 务工地点 brings its province, city and
region class), as ``apply_records`` tells. A row without 用工单位 is the person's one
placement of that start date, when there is one only; a row naming one fills it in on the
person's one placement of that start stored without it, and one naming it with or without
a place in brackets (京东物流, 京东物流（北京）有限公司: ``same_employer``) is that one, its
spelling kept. A placement added, or given other dates, that overlaps another of the person
(either beginning while the other is under way) is told; one that may be one already there
(the same start with another employer, or the same employer, however spelt, a few days
apart: a date corrected) is added, with a warning: the return would count both (201).
"""

from __future__ import annotations

from collections.abc import Generator

from laborstation.importing import trip_cells
from laborstation.importing.apply import Env, is_open
from laborstation.importing.apply_records import (
    NEAR_DAYS,
    Batch,
    FileValues,
    add_persons,
    file_row,
    filled_in,
    find_persons,
    locked,
    stored_records,
    the_one,
)
from laborstation.importing.employer_names import branch_key, employer_key, same_employer
from laborstation.importing.result import UNCHANGED, Item
from laborstation.model import Placement
from laborstation.progress import Progress
from laborstation.services.locking import Locks

# What a row brings to a placement already matched (same person, start and employer),
# with the labels its changes are listed under; filled in where empty (all with overwrite).
PLACEMENT_FIELDS = {"return_on": "返乡时间", "monthly_wage": "月收入", "industry": "行业",
                    "occupation": "工种/岗位", "channel": "输出机构", "insurances": "参保情况",
                    "destination": "务工地点", "organised": "输出方式", "contract": "劳动合同"}
_BUT_ORGANISED = {f: label for f, label in PLACEMENT_FIELDS.items() if f != "organised"}
_PLACEMENT_LISTED = {**PLACEMENT_FIELDS, "region_class": "地域类别", "employer_name": "用工单位",
                     "start_on": "外出时间"}
PLACEMENT = "转移就业记录"

def _other_spelling(trips: _Trips, item: Item, number: str, start) -> dict | None:
    """The one placement of the person and start whose 用工单位 is the row's written
    otherwise (``_same_employer``), with a warning naming the spelling kept."""
    written = item.record["employer_name"]
    found = the_one([p for p in trips.on_day.get((number, start), [])
                     if same_employer(written, p["employer_name"])])
    if found is not None:
        _warn_spelling(trips, item, found)
    return found


def _warn_spelling(trips: _Trips, item: Item, found: dict) -> None:
    """The row's 用工单位 is ``found``'s with a place in brackets more or less: the one
    kept is named."""
    written, kept = item.record["employer_name"], found["employer_name"]
    if employer_key(written) != employer_key(kept):
        item.warn(f"用工单位“{written}”与{trips.named(found)}的“{kept}”只差括号中的地名或“有限公司”"
                  f"等字样，按同一单位的同一次外出记，用工单位保留“{kept}”：如果不是同一家单位，"
                  "请在程序中改正")


def _new_placement(env: Env, item: Item) -> dict:
    record = item.record
    where = trip_cells.destination_of(env, item)
    return {
        "id": None, "person_id": None, "start_on": record["start_on"],
        "return_on": record["return_on"], "province": where.province,
        "city": where.city[:40], "area_code": where.area_code,
        "destination": record["destination"], "region_class": where.region_class,
        "employer_id": None, "employer_name": record["employer_name"],
        "industry": record["industry"], "occupation": record["occupation"],
        "employment_form": None, "organised": record["organised"],
        "channel": record["channel"], "monthly_wage": record["monthly_wage"],
        "contract": record["contract"], "insurances": record["insurances"], "brand": "",
        "program": "", "notes": record["_notes"], "created_at": env.now,
        "updated_at": env.now, "deleted_at": None,
    }


def _placement_changes(env: Env, item: Item, old: dict, values: FileValues) -> dict:
    """What a row changes of a matched placement; a new 务工地点 brings its province,
    city and region class. A stored 自发 kept against the row's 有组织 is told apart: it
    may be the default of a roster that gave none."""
    fields = PLACEMENT_FIELDS
    if (item.record["organised"] and old["organised"] is not None and not old["organised"]
            and old["id"] is not None
            and not env.overwrite and values.row_of(old, "organised") is None):
        fields = _BUT_ORGANISED
        item.warn(trip_cells.spontaneous_kept())
    changes = filled_in(env, item.record, old, fields, item, values)
    if "destination" in changes:
        where = trip_cells.destination_of(env, item)
        for column in trip_cells.DESTINATION_COLUMNS:
            value = getattr(where, column)
            value = value[:40] if column == "city" else value
            if value != old[column]:
                changes[column] = (old[column], value)
    return changes


def _check_dates(env: Env, items: list[Item]) -> None:
    """A start after the import's today is refused (a record dated in the future fails
    check V7), a return after it is not recorded (the person is still away), with a
    warning; a person under 16 at the start (birth date by the ID number) is told, as
    check V6 will block the return: the date or the ID number may be miswritten."""
    today = env.now.date()
    for item in items:
        if not is_open(item):
            continue
        start, birth = item.record["start_on"], item.record["birth_date"]
        back = item.record["return_on"]
        if back is not None and back > today and start <= today:
            item.warn(f"返乡时间 {back.isoformat()} 晚于今天（{today.isoformat()}），未记录："
                      "返乡后再导入这一行补上")
            item.record["return_on"] = None
        if start > today:
            item.refuse(f"外出时间 {start.isoformat()} 晚于今天（{today.isoformat()}），"
                        "不能登记未来的日期：请核对外出时间")
        elif (birth.year + 16, birth.month, birth.day) > (start.year, start.month, start.day):
            item.warn(f"此人出生于 {birth.isoformat()}（按身份证号），{start.isoformat()} 外出时"
                      "未满 16 周岁：提交月报时校验 V6 会报错，请核对外出时间和身份证号")


class _Trips:
    """The placements of the rows' persons, stored and added by the file (as the rows
    come), by person and start date and by person and employer key: those a new one
    may be the same trip as."""

    def __init__(self) -> None:
        self.on_day: dict[tuple, list[dict]] = {}
        self._for_employer: dict[tuple, list[dict]] = {}
        self._for_branch: dict[tuple, list[dict]] = {}  # by ``branch_key``
        self._made_by: dict[int, Item] = {}
        self.month_only: set[int] = set()  # ids of those added by a row giving a month only
        self.of_person: dict[str, list[dict]] = {}

    def add(self, number: str, placement: dict, item: Item | None = None) -> None:
        self.on_day.setdefault((number, placement["start_on"]), []).append(placement)
        self.of_person.setdefault(number, []).append(placement)
        employer = placement["employer_name"]
        self._for_employer.setdefault((number, employer_key(employer)), []).append(placement)
        if employer:
            self._for_branch.setdefault((number, branch_key(employer)), []).append(placement)
        if item is not None:
            self._made_by[id(placement)] = item

    def of_employer(self, number: str, employer: str) -> list[dict]:
        """The person's placements with this employer, however written (``employer_key``,
        or a place in brackets more or less: ``same_employer``)."""
        found = self._for_employer.get((number, employer_key(employer)), [])
        if not employer:
            return found
        return found + [p for p in self._for_branch.get((number, branch_key(employer)), [])
                        if same_employer(employer, p["employer_name"])]

    def named(self, placement: dict) -> str:
        """Where another placement is: in the store, or the row of the file adding it."""
        item = self._made_by.get(id(placement))
        return "台账中已有" if item is None else f"本文件{file_row(item)}已记"


def _same_month(trips: _Trips, record: dict) -> dict | None:
    """The one trip of the row's person and employer in the month of its 外出时间, when the
    row gives that month only, or the trip was added by a row of this file giving it so
    (2026.3, then 2026.3.18 on next month's sheet): one departure, its day known later.
    (A stored trip's date does not say whether it was written as a month: a stored one
    on the 1st is ``_day_of_stored``'s.)"""
    start = record["start_on"]
    found = [p for p in trips.of_employer(record["id_number"], record["employer_name"])
             if (p["start_on"].year, p["start_on"].month) == (start.year, start.month)
             and p["start_on"] != start and (record["_month_only"] or id(p) in trips.month_only)]
    return the_one(found)


def _day_of_stored(trips: _Trips, record: dict) -> dict | None:
    """The stored trip a row giving a later day of its month gives the day of: the
    person's only trip of that month, stored on its 1st (as a month alone is: 2026.5),
    with the row's 用工单位 (however spelt: ``of_employer``; none written is no employer
    to match by) and not back before the row's day. A trip stored on another day, or
    beside another of the person's in that month, is not (``_warn_same_trip`` tells)."""
    start, employer, number = record["start_on"], record["employer_name"], record["id_number"]
    if record["_month_only"] or start.day == 1 or not employer:
        return None
    month = [p for p in trips.of_person.get(number, ())
             if (p["start_on"].year, p["start_on"].month) == (start.year, start.month)]
    found = the_one(month)
    if (found is None or found["id"] is None or found["start_on"].day != 1
            or not any(p is found for p in trips.of_employer(number, employer))
            or (found["return_on"] is not None and found["return_on"] < start)):
        return None
    return found


def _warn_same_trip(trips: _Trips, item: Item, placement: dict) -> list[dict]:
    """Warnings on a row adding a placement that may be one the store or an earlier row
    has: the same start with another employer (or none written), or the same employer
    within ``NEAR_DAYS`` (a corrected date). Returns the placements told of."""
    number, start = item.record["id_number"], placement["start_on"]
    employer = placement["employer_name"]
    same_day = trips.on_day.get((number, start), [])
    if same_day:
        listed = "，".join(f"{trips.named(p)}一条（用工单位“{p['employer_name'] or '（空）'}”）"
                          for p in same_day)
        why = ("这一行没有写用工单位，无法确定是哪一条" if not employer
               else f"这一行的用工单位“{employer}”与之不同")
        item.warn(f"此人 {start.isoformat()} 外出的转移就业记录，{listed}；{why}，已另记一条，"
                  "月报会把它们都算作转移就业人次（201）：如果是同一次外出，请在程序中删去多余"
                  "的一条，并把花名册中的用工单位写成一致")
    near = [p for p in trips.of_employer(number, employer)
            if 0 < abs((p["start_on"] - start).days) <= NEAR_DAYS]
    if near:
        spelt = any(p["employer_name"] != employer for p in near)  # (京东物流（北京）有限公司)
        listed = "，".join(f"{trips.named(p)} {p['start_on'].isoformat()} 外出的一条" + (
            f"（用工单位“{p['employer_name']}”）" if spelt else "") for p in near)
        unit = f"用工单位“{employer}”" if employer else "都没有写用工单位"
        listed, row = (listed, f"这一行（{unit}）") if spelt else (f"{listed}（{unit}）", "这一行")
        month = ("（先前只写了月份的，记为当月 1 日）" if any(p["start_on"].day == 1 for p in near)
                 else "")
        item.warn(f"此人{listed}，与{row}的外出时间 {start.isoformat()} 相差不到 "
                  f"{NEAR_DAYS} 天：可能是同一次外出改正了日期{month}，已另记一条，月报会算两次"
                  "（201）；如果是，请在程序中删去日期错误的那一条")
    return near


def _warn_overlaps(trips: _Trips, placements: dict[tuple, dict], batch: Batch,
                   maybe_same: set[tuple[int, int]]) -> None:
    """A warning on a row adding a placement, or changing a placement's dates, when the
    placement and another of the person (stored, or added by the file) cover the same
    days: either begins while the other is under way (without a 返乡时间, or returning
    later). The return would count the person away twice for those days (204, 209).
    Told once a pair (by the later one's row when the file brings both), and not for a
    pair the row was told may be one trip (``maybe_same``: ids of row and placement)."""
    by_person: dict[str, dict[int, dict]] = {}
    for (number, _start, _employer), placement in placements.items():
        by_person.setdefault(number, {})[id(placement)] = placement
    checked: dict[int, tuple[Item, dict]] = {}  # (a placement once: by the first row)
    for item, placement in batch.added:
        checked.setdefault(id(placement), (item, placement))
    for item, placement, changes in batch.changed:
        if changes.keys() & {"start_on", "return_on"}:
            checked.setdefault(id(placement), (item, placement))
    for item, placement in checked.values():
        if not is_open(item):
            continue
        start = placement["start_on"]
        for other in by_person.get(item.record["id_number"], {}).values():
            if (other is placement or other["start_on"] == start
                    or (id(item), id(other)) in maybe_same):
                continue
            if other["start_on"] < start:
                if other["return_on"] is None or other["return_on"] > start:
                    item.warn(trip_cells.begins_during(trips.named(other), other, start))
                    break
            elif id(other) not in checked and (placement["return_on"] is None
                                               or placement["return_on"] > other["start_on"]):
                item.warn(trip_cells.under_way(trips.named(other), other, placement))
                break


def _tell_spontaneous(live: list[Item], batch: Batch) -> None:
    """New placements no row of the file gives a 输出方式 are stored as 自发 (the store
    has no "not given"), which a later roster's 有组织 changes only with overwrite: told
    once a file, for the sheets without the column and for the blank cells apart."""
    blank = [item for item, placement in batch.added
             if is_open(item) and placement["organised"] is None]
    if not blank:
        return
    no_column = [item for item in blank if not item.record["_organised_column"]]
    if no_column:
        whole = all(not item.record["_organised_column"] for item in live)
        no_column[0].warn(trip_cells.no_organised_column(no_column, whole))
    if cells := [item for item in blank if item.record["_organised_column"]]:
        cells[0].warn(trip_cells.blank_organised(cells))


def apply_placements(env: Env, items: list[Item]) -> Generator[Progress, None, None]:
    _check_dates(env, items)
    live = [i for i in items if is_open(i)]
    number_of = yield from find_persons(env, live)
    live = [i for i in live if is_open(i)]  # (a name unlike the number's person: refused)
    locks = Locks.load(env.session)
    batch = Batch(Placement.__table__, "placement")
    stored = stored_records(
        env, batch.table, ("id", "person_id", "start_on", "employer_name", *PLACEMENT_FIELDS,
                           *trip_cells.DESTINATION_COLUMNS), number_of,
        lambda p: (number_of[p["person_id"]], p["start_on"], employer_key(p["employer_name"])))
    trips, values, maybe_same = _Trips(), FileValues(PLACEMENT_FIELDS), set()
    for (number, _start, _employer), placement in stored.items():
        trips.add(number, placement)
    for item in live:
        record = item.record
        number, start = record["id_number"], record["start_on"]
        key = (number, start, employer_key(record["employer_name"]))
        placement = stored.get(key)
        named = None  # the 用工单位 the row gives a placement stored without one
        if placement is None:
            same_day = trips.on_day.get((number, start), [])
            placement = the_one(same_day)
            if placement is not None and record["employer_name"]:
                if placement["employer_name"]:
                    placement = None  # (another employer: another placement, told below)
                else:  # the one of that start, stored without 用工单位: this row names it
                    named = record["employer_name"][:120]
                    stored[key] = placement
            if placement is None and record["employer_name"]:  # 京东物流（北京）有限公司
                placement = _other_spelling(trips, item, number, start)
                if placement is not None:
                    stored[key] = placement
        refined = None  # a start day given for a trip known by its month only
        day_of_stored = False  # (a stored trip on the 1st: the clerk is told)
        if placement is None:
            placement = _same_month(trips, record)
            if placement is None:
                placement = _day_of_stored(trips, record)
                day_of_stored = placement is not None
            if placement is not None:
                _warn_spelling(trips, item, placement)
            if placement is not None and not record["_month_only"]:
                refined = placement["start_on"]
                stored[key] = placement
                trips.on_day.setdefault((number, start), []).append(placement)
        if placement is None:
            if locked(env, locks, item, start, PLACEMENT):
                continue
            stored[key] = placement = _new_placement(env, item)
            batch.added.append((item, placement))
            if record["_month_only"]:
                trips.month_only.add(id(placement))
            maybe_same.update((id(item), id(p)) for p in _warn_same_trip(trips, item, placement))
            trips.add(number, placement, item)
            values.compare(item, placement, {})
        else:
            changes = _placement_changes(env, item, placement, values)
            if named is not None:
                changes["employer_name"] = ("", named)
            if refined is not None:
                changes["start_on"] = (refined, start)
            if changes and (locked(env, locks, item, placement["start_on"], PLACEMENT) or (
                    "return_on" in changes and locked(env, locks, item, record["return_on"],
                                                      PLACEMENT)) or (
                    refined is not None and locked(env, locks, item, start, PLACEMENT))):
                continue
            if day_of_stored:
                item.warn(trip_cells.day_known(placement, refined, start))
            values.compare(item, placement, changes)
            if changes:
                batch.change(item, placement, changes, _PLACEMENT_LISTED)
            else:
                item.outcome = UNCHANGED
            trip_cells.warn_no_region(item, placement)
    _warn_overlaps(trips, stored, batch, maybe_same)
    add_persons(env, live)
    _tell_spontaneous(live, batch)
    for item, placement in batch.added:
        # Left blank (None) until written, so a later row of the file can fill them in;
        # stored as 自发 and 未签 then (the columns are not null).
        placement["organised"] = bool(placement["organised"])
        placement["contract"] = bool(placement["contract"])
        if is_open(item):
            placement["person_id"] = item.record["_pid"]
            trip_cells.settle_region(env, item, placement)
            trip_cells.warn_no_region(item, placement)
    yield from batch.write(env, len(items), PLACEMENT)
