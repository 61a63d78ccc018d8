"""One spreadsheet row → one record (a dict of column values), per kind. Pure Python.
A persons ledger's row here (``person_converter``, column positions resolved once a
sheet); a roster's in ``roster_rows``, given its cells by field (``RowReader.getter``).

A value that makes the row unusable raises ``BadValue``; a doubtful one adds a
warning to the item. A code-list value that matches nothing is kept in ``notes``
so nothing the clerk typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from laborstation.codes import code_list
from laborstation.importing import course_cells, wages
from laborstation.importing import values as v
from laborstation.importing.apply import HOUSEHOLD_CATEGORY, PERSON_DEFAULTS
from laborstation.importing.carry_down import DITTO, CarryDown
from laborstation.importing.names import fast_search_text
from laborstation.importing.person_names import row_name
from laborstation.importing.result import Item
from laborstation.importing.roster_rows import placement, training
from laborstation.importing.row_checks import check_sex, clip, excel_shortened, phone_digits_lost

# Person text columns and their store lengths.
_PERSON_TEXT = {"phone": 40, "skills": 200, "training_wish": 200, "address": 200}
_TEXT_LABELS = {"phone": "联系电话", "skills": "技能特长", "training_wish": "培训意愿",
                "address": "家庭住址"}
# What a new person's coded field is when its cell names no code (the store's default).
_DEFAULT_CODES = {"nation": PERSON_DEFAULTS["nation"],
                  "labour_capacity": PERSON_DEFAULTS["labour_capacity"],
                  "_hh_category": HOUSEHOLD_CATEGORY}
# 就业状态 words of work away (外出务工, 县外打工): a placement, which a roster records.
_AWAY = ("外出", "务工", "打工", "外地", "省外", "县外", "进城")
# 备注 words saying the person has died: the register still counts them (no 死亡日期).
_DEATH_WORDS = ("已故", "死亡", "去世", "病故", "亡故", "已死", "身故", "过世")
_PERSON_CODES = {
    "nation": ("nation", "民族"),
    "education": ("education", "文化程度"),
    "relation": ("relation", "与户主关系"),
    "labour_capacity": ("labour_capacity", "劳动能力"),
    "local_status": ("local_status", "就业状态"),
}
class RowReader:
    """Column access for one sheet: ``get(field)`` gives the cell of that field or ''."""

    def __init__(self, columns: dict[str, int], village_from_name: str | None,
                 titles: list[str] | None = None, group_from_name: str | None = None,
                 township_from_name: str | None = None, shared: dict[str, str] | None = None):
        self.columns = columns
        self.township_from_name = township_from_name  # (a county's sheet named so)
        # A roster's values for every row of the fields it has no column of: from above
        # its header (``sheet_titles.title_fields``), a training roster's class from its title
        self.shared = shared or {}
        self.village_from_name = village_from_name
        self.group_from_name = group_from_name
        self.carried: CarryDown | None = None  # (a persons sheet's: how many rows took one)
        # A persons sheet's 村民小组 named by a row of its own (一组（2户）) above its
        # households: the group of the rows below that give none (``run``), and their count.
        self.section_group = ""
        self.section_rows = 0
        # A roster's cells written 同上 take the last value written above in their column
        # (``undittoed``); never an ID number or a name: 同上 there names nobody.
        self._dittoable = [i for f, i in columns.items() if f not in ("id_number", "name")]
        self._above: dict[int, object] = {}
        # 工资（元/年）, 月收入（万元）: the unit of the wage column's plain numbers
        wage_at = columns.get("wage")
        self.wage = wages.wage_column(titles[wage_at]) if titles and wage_at is not None \
            else wages.MONTHLY
        # 学时（天）, 补贴总额（万元）: the units of a training roster's plain numbers
        self.course_units = course_cells.figure_units(titles, columns) if titles \
            else course_cells.NO_UNITS

    def undittoed(self, cells: list, item: Item) -> list:
        """The row with its cells written 同上 (〃 …) replaced by the value above, each
        noted by ``Item.took`` for the error report."""
        above, size, out = self._above, len(cells), None
        for index in self._dittoable:
            value = cells[index] if index < size else ""
            if value.__class__ is str and value.strip() in DITTO:
                if index in above:
                    if out is None:
                        out = list(cells)
                    out[index] = above[index]
                    item.took(index, above[index])
            elif value != "" and value is not None:
                above[index] = value
        return cells if out is None else out

    def getter(self, cells: list) -> Callable[[str], object]:
        columns, size, shared = self.columns, len(cells), self.shared

        def get(field: str) -> object:
            index = columns.get(field)
            if index is None:
                return shared.get(field, "")
            if index >= size:
                return ""
            value = cells[index]
            return "" if value is None else value

        return get


# A 户编号 Excel kept as a number of 16 digits or more, marked so (and carried down to its
# members' rows so): its last digits are lost, and households of one village would share
# it (410926100201000123 and …456 are both 4.10926100201E+17). Such rows are refused.
_DIGITS_LOST = "\x00"


def _digits_lost_refusal(marked: str) -> v.BadValue:
    return v.BadValue(f"户编号 {marked[1:]} 被 Excel 当成数字保存了，15 位以后的数字已经丢失，"
                      "几户会变成同一个编号：请把这一列的单元格格式设为“文本”，"
                      "再重新输入这些户编号")


def _ditto_for_report(cells: list, item: Item, texts: list, above: dict) -> None:
    """A refused row's text cells written 同上, with the row above's values in the error
    report (imported alone once fixed, it has no row above)."""
    for field, index, _limit in texts:
        raw = cells[index]
        if raw.__class__ is str and raw.strip() in DITTO and above.get(field):
            item.took(index, above[field])


def _check_household_number(value: object, item: Item) -> None:
    """A 户编号 cell Excel turned into a date (1-2 typed in a General cell is 1月2日)."""
    if isinstance(value, date | datetime):
        item.warn(f"户编号“{v.text(value)}”是一个日期：Excel 会把 1-2 这样的编号存成日期，"
                  "请把这一列设为“文本”后重新输入户编号")


def _not_a_code(label: str, written: str, list_name: str, field: str) -> str:
    """The warning for a coded cell naming no code: kept in 备注, and for a field the store
    fills in anyway, what a new person gets instead."""
    if field == "local_status" and any(word in written for word in _AWAY):
        return (f"{label}“{written}”是外出务工：台账的{label}只记此人在本地做什么，已记入备注；"
                "外出务工请用转移就业花名册导入（写明外出时间、务工地点），月报的转移就业人数按花名册算")
    default = _DEFAULT_CODES.get(field)
    if default is None:
        return f"{label}“{written}”不在代码表中，已记入备注"
    name = code_list(list_name).name_of(default)
    return (f"{label}“{written}”不在代码表中，已记入备注；新增人员的{label}记为“{name}”，"
            "请核对后在程序中改正")


def person_converter(reader: RowReader, codes: v.Codes) -> Callable[[list, Item], dict]:
    """A converter for one sheet: column positions resolved once, per-column value caches."""
    columns = reader.columns
    width = max(columns.values()) + 1
    pad = [""] * width
    i_id, i_name = columns["id_number"], columns.get("name")
    i_sex, i_birth = columns.get("sex"), columns.get("birth_date")
    places = [(key, columns.get(field)) for key, field in
              (("_township", "township"), ("_village", "village"), ("_group", "group"),
               ("_hh_no", "household_no"), ("_hh_head", "household_head"))]
    village_default = reader.village_from_name or ""
    group_default = reader.group_from_name or ""
    texts = [(f, columns[f], limit) for f, limit in _PERSON_TEXT.items() if f in columns]
    coded = [(f, columns[f], list_name, label, {}) for f, (list_name, label) in
             _PERSON_CODES.items() if f in columns]
    if "household_category" in columns:
        coded.append(("_hh_category", columns["household_category"], "household_category",
                      "户类别", {}))
    i_hardship, i_notes = columns.get("hardship"), columns.get("notes")

    place_columns = [(key, index) for key, index in places if index is not None]
    place_at = dict(place_columns)
    blank_places = {key: "" for key, index in places if index is None}
    if "_township" in blank_places:  # (a county's sheet named after its township)
        blank_places["_township"] = reader.township_from_name or ""
    i_relation, i_household = columns.get("relation"), columns.get("household_no")
    i_group = columns.get("group")
    # (A ledger listing households by 与户主关系 alone, with no 户编号 nor 户主姓名 column,
    # leaves its members in no household: such a list is often sorted by name, or lacks
    # the old heads, and the row above is then no proof of a household.)
    carry = reader.carried = CarryDown([key for key, _index in place_columns], codes) \
        if place_columns else None
    above: list[dict] = [{}]  # the record of the row above, for a cell written 同上
    sex_seen: dict[object, str | None] = {}  # a 性别 cell → its code (None: not a sex)
    as_text = v.text
    parse_id = v.id_fields  # a tuple: building an IdInfo would cost ~1 µs a row more

    def convert(cells: list, item: Item) -> dict:
        if len(cells) < width:
            cells = list(cells) + pad[len(cells):]
        record = {}
        for key, index in place_columns:  # (first: a refused row still places those below)
            value = cells[index]
            record[key] = value.strip() if value.__class__ is str else as_text(value)
        if i_household is not None and cells[i_household].__class__ is not str and (
                shown := v.digits_lost(cells[i_household])):
            record["_hh_no"] = _DIGITS_LOST + shown
        sectioned = ""
        if reader.section_group and not record.get("_group"):  # (一组（2户） above the row)
            sectioned = record["_group"] = reader.section_group
            reader.section_rows += 1
        if carry is not None and (taken := carry.fill(
                record, "" if i_relation is None else cells[i_relation],
                "" if i_name is None else cells[i_name])):
            item.filled = {place_at[key]: record[key] for key in taken
                           if record[key][:1] != _DIGITS_LOST}  # (for the error report)
        if sectioned and i_group is not None:  # (for the error report: the group it took)
            item.took(i_group, sectioned)
        if i_household is not None:
            if cells[i_household].__class__ is not str:
                _check_household_number(cells[i_household], item)
            if record["_hh_no"][:1] == _DIGITS_LOST:
                raise _digits_lost_refusal(record["_hh_no"])
            if len(record["_hh_no"]) > 32:
                raise v.BadValue(f"户编号“{record['_hh_no']}”超过 32 个字：请核对这一列是不是户编号")
        try:
            number, sex, birth, _region, _place = parse_id(cells[i_id])
        except v.BadValue:  # (refused: its report row gets what 同上 stood for)
            _ditto_for_report(cells, item, texts, above[0])
            raise
        if number[15:] == "000":
            excel_shortened(number, item)
        if i_name is not None:
            name = cells[i_name]
            name = name.strip() if name.__class__ is str else as_text(name)
            if not name.isprintable():
                name = v.printable(name)
        else:
            name = ""
        name_note = None
        if not name.isalpha():  # 张  三, 李四（户主） (the test inline: a call a row else)
            name, name_note = row_name(name, item)
        if not name or name in DITTO:  # (同上 is never a name: the row above is another person)
            _ditto_for_report(cells, item, texts, above[0])
            raise v.BadValue(f"姓名写的是“{name}”：每一行要写此人自己的姓名，请填写后再导入"
                             if name else "姓名为空：请填写此人的姓名后再导入")
        if len(name) > 40:
            name = clip(name, 40, "姓名", item)
        record["id_number"], record["name"], record["sex"] = number, name, sex
        record["birth_date"], record["search_text"] = birth, fast_search_text(name)
        if blank_places:
            record.update(blank_places)
        if not record["_village"]:
            record["_village"] = village_default
        if not record["_group"]:
            record["_group"] = sectioned or group_default
        if i_sex is not None:
            given = cells[i_sex]
            if given.__class__ is str:  # memoised by text (1 and True would share a key)
                found = sex_seen.get(given, _UNKNOWN)
                if found is _UNKNOWN:
                    found = sex_seen[given] = v.sex(given)
                if given != "" and found != sex:
                    check_sex(given, sex, item)
            elif given != "" and v.sex(given) != sex:
                check_sex(given, sex, item)
        if i_birth is not None and cells[i_birth] != "":
            _check_birth(cells[i_birth], birth, item)
        notes = None if name_note is None else [f"姓名后注：{name_note}"]
        for field, index, list_name, label, memo in coded:
            raw = cells[index]
            code = memo.get(raw, _UNKNOWN)
            if code.__class__ is str:  # (most cells: a code's name or alias, seen before)
                record[field] = code
                continue
            if raw == "":
                continue
            if code is _UNKNOWN:
                code = memo[raw] = codes.lookup(list_name, raw) or _BY_SEX.get(
                    (list_name, "".join(v.text(raw).split())))
            if code.__class__ is tuple:  # (子女: 子 or 女, by the ID number's sex)
                code = code[sex == "2"]
            elif code is None and raw in DITTO:
                code = above[0].get(field)
            elif code is None:
                item.warn(_not_a_code(label, v.text(raw), list_name, field))
                notes = [*(notes or []), f"{label}：{v.text(raw)}"]
            record[field] = code
        for field, index, limit in texts:
            raw = cells[index]
            if raw != "":
                text = raw.strip() if raw.__class__ is str else as_text(raw)
                if not text.isprintable():
                    text = v.printable(text)
                elif text in DITTO:
                    text = above[0].get(field, "")
                    item.took(index, text)
                record[field] = text if len(text) <= limit else clip(
                    text, limit, _TEXT_LABELS[field], item)
        phone = record.get("phone")  # ("E+" in: ~10× cheaper than isdigit() a row)
        if phone is not None and "E+" in phone and phone_digits_lost(phone, item):
            del record["phone"]
        if i_hardship is not None and cells[i_hardship] != "":
            notes = [*(notes or []), f"就业困难人员类别：{v.text(cells[i_hardship])}"]
        if i_notes is not None and cells[i_notes] != "":
            written = v.printable(v.text(cells[i_notes]))
            if written in DITTO:
                written = above[0].get("_written_notes", "")
            if written:
                record["_written_notes"] = written
                notes = [written, *(notes or [])]
                if any(word in written for word in _DEATH_WORDS):
                    item.warn(f"备注“{written}”写着此人已去世：台账中仍按在世记（没有死亡日期），"
                              "会算在劳动力中，请在程序中登记死亡日期")
        if notes:
            record["notes"] = clip("；".join(notes), 2000, "备注", item)
        above[0] = record
        return record

    return convert


_UNKNOWN = object()
# Words of a code list that name a code by the person's sex: (man's code, woman's code).
_BY_SEX = {("relation", word): ("20", "30") for word in ("子女", "儿女")}


def _check_birth(given: object, birth, item: Item) -> None:
    try:
        written = v.day(given, "出生日期")
    except v.BadValue:
        written = None
    if written is not None and (written.year, written.month) != (birth.year, birth.month):
        item.warn(f"出生日期“{v.text(given)}”与身份证号不符，按身份证号记为 {birth.isoformat()}")


def converter(kind: str, reader: RowReader, codes: v.Codes) -> Callable[[list, Item], dict]:
    if kind == "persons":
        return person_converter(reader, codes)
    convert = {"placements": placement, "trainings": training}[kind]
    return lambda cells, item: convert(reader.getter(reader.undittoed(cells, item)), reader,
                                       item, codes)
