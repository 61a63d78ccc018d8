"""One spreadsheet row → one record (a dict of column values), per kind. Pure Python.

A value that makes the row unusable raises ``BadValue``; a doubtful one adds a
warning to the item. A code-list value that matches nothing is kept in ``notes``
so nothing the clerk typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable

from laborstation.importing import values as v
from laborstation.importing.names import fast_search_text
from laborstation.importing.result import Item

_SEX_NAMES = {"1": "男", "2": "女"}
# Person text columns and their store lengths.
_PERSON_TEXT = {"phone": 40, "skills": 200, "training_wish": 200, "address": 200}
_PERSON_CODES = {
    "nation": ("nation", "民族"),
    "education": ("education", "文化程度"),
    "relation": ("relation", "与户主关系"),
    "labour_capacity": ("labour_capacity", "劳动能力"),
    "local_status": ("local_status", "就业状态"),
}
RESULT_WORDS = {"结业": "1", "合格": "1", "是": "1", "已结业": "1", "通过": "1",
                "未结业": "2", "不合格": "2", "否": "2", "未通过": "2", "退学": "3", "中途退出": "3"}


class RowReader:
    """Column access for one sheet: ``get(field)`` gives the cell of that field or ''."""

    def __init__(self, columns: dict[str, int], village_from_name: str | None):
        self.columns = columns
        self.village_from_name = village_from_name

    def getter(self, cells: list) -> Callable[[str], object]:
        columns, size = self.columns, len(cells)

        def get(field: str) -> object:
            index = columns.get(field)
            if index is None or index >= size:
                return ""
            value = cells[index]
            return "" if value is None else value

        return get


def _clip(text: str, limit: int, what: str, item: Item) -> str:
    if len(text) > limit:
        item.warn(f"{what}超过 {limit} 个字，已截断")
        return text[:limit]
    return text


def _common(get, reader: RowReader, item: Item) -> dict:
    """ID number, name and the places named in the row (shared by every kind)."""
    info = v.id_number(get("id_number"))
    name = v.text(get("name"))
    record = {
        "id_number": info.number, "name": name, "sex": info.sex, "birth_date": info.birth_date,
        "_township": v.text(get("township")),
        "_village": v.text(get("village")) or (reader.village_from_name or ""),
        "_group": v.text(get("group")),
    }
    if get("sex") != "":
        _check_sex(get("sex"), info.sex, item)
    return record


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
    texts = [(f, columns[f], limit) for f, limit in _PERSON_TEXT.items() if f in columns]
    coded = [(f, columns[f], list_name, label, {}) for f, (list_name, label) in
             _PERSON_CODES.items() if f in columns]
    if "household_category" in columns:
        coded.append(("_hh_category", columns["household_category"], "household_category",
                      "户类别", {}))
    i_hardship = columns.get("hardship")

    place_columns = [(key, index) for key, index in places if index is not None]
    blank_places = {key: "" for key, index in places if index is None}
    sex_seen: dict[object, str | None] = {}  # a 性别 cell → its code (None: not a sex)
    as_text = v.text
    parse_id = v.id_fields  # a tuple: building an IdInfo would cost ~1 µs a row more

    def convert(cells: list, item: Item) -> dict:
        if len(cells) < width:
            cells = list(cells) + pad[len(cells):]
        number, sex, birth, _region, _place = parse_id(cells[i_id])
        if i_name is not None:
            name = cells[i_name]
            name = name.strip() if name.__class__ is str else as_text(name)
        else:
            name = ""
        if not name:
            raise v.BadValue("姓名为空")
        if len(name) > 40:
            name = _clip(name, 40, "姓名", item)
        record = {"id_number": number, "name": name, "sex": sex,
                  "birth_date": birth, "search_text": fast_search_text(name)}
        for key, index in place_columns:
            value = cells[index]
            record[key] = value.strip() if value.__class__ is str else as_text(value)
        if blank_places:
            record.update(blank_places)
        if not record["_village"]:
            record["_village"] = village_default
        if i_sex is not None:
            given = cells[i_sex]
            if given.__class__ is str:  # memoised by text (1 and True would share a key)
                found = sex_seen.get(given, _UNKNOWN)
                if found is _UNKNOWN:
                    found = sex_seen[given] = v.sex(given)
                if given != "" and found != sex:
                    _check_sex(given, sex, item)
            elif given != "" and v.sex(given) != sex:
                _check_sex(given, sex, item)
        if i_birth is not None and cells[i_birth] != "":
            _check_birth(cells[i_birth], birth, item)
        notes = None
        for field, index, list_name, label, memo in coded:
            raw = cells[index]
            if raw == "":
                continue
            code = memo.get(raw, _UNKNOWN)
            if code is _UNKNOWN:
                code = memo[raw] = codes.lookup(list_name, raw)
            if code is None:
                item.warn(f"{label}“{v.text(raw)}”不在代码表中，已记入备注")
                notes = [*(notes or []), f"{label}：{v.text(raw)}"]
            record[field] = code
        for field, index, limit in texts:
            raw = cells[index]
            if raw != "":
                text = raw.strip() if raw.__class__ is str else as_text(raw)
                record[field] = text if len(text) <= limit else _clip(text, limit, field, item)
        if i_hardship is not None and cells[i_hardship] != "":
            notes = [*(notes or []), f"就业困难人员类别：{v.text(cells[i_hardship])}"]
        if notes:
            record["notes"] = "；".join(notes)
        return record

    return convert


_UNKNOWN = object()


def _check_sex(given: object, sex: str, item: Item) -> None:
    found = v.sex(given)
    if found is None:
        item.warn(f"性别“{given}”无法识别，按身份证号记为{_SEX_NAMES[sex]}")
    elif found != sex:
        item.warn(f"性别“{given}”与身份证号不符，按身份证号记为{_SEX_NAMES[sex]}")


def _check_birth(given: object, birth, item: Item) -> None:
    try:
        written = v.day(given, "出生日期")
    except v.BadValue:
        written = None
    if written is not None and (written.year, written.month) != (birth.year, birth.month):
        item.warn(f"出生日期“{v.text(given)}”与身份证号不符，按身份证号记为 {birth.isoformat()}")


def _free_code(codes: v.Codes, list_name: str, raw: object, label: str, notes: list) -> str | None:
    if raw == "":
        return None
    code = codes.lookup(list_name, raw)
    if code is None:
        notes.append(f"{label}：{v.text(raw)}")
    return code


def placement(get, reader: RowReader, item: Item, codes: v.Codes) -> dict:
    record = _common(get, reader, item)
    start = v.day(get("start_date"), "外出时间")
    if start is None:
        raise v.BadValue("外出时间为空")
    back = v.day(get("return_date"), "返乡时间")
    if back is not None and back < start:
        raise v.BadValue(f"返乡时间 {back.isoformat()} 早于外出时间 {start.isoformat()}")
    notes: list[str] = []
    destination = v.text(get("destination"))
    province, city = v.text(get("province")), v.text(get("city"))
    if not destination:
        destination = city if province and city.startswith(province) else province + city
    organised = v.organised(get("organised"), item.warnings_list())
    contract = v.yes_no(get("contract"), "劳动合同", item.warnings_list())
    record.update(
        start_on=start, return_on=back, destination=destination[:200],
        employer_name=v.text(get("employer"))[:120],
        industry=_free_code(codes, "industry", get("industry"), "行业", notes),
        occupation=_free_code(codes, "occupation", get("occupation"), "工种", notes),
        organised=bool(organised), channel=v.text(get("channel"))[:120],
        monthly_wage=v.wage(get("wage"), item.warnings_list()),
        contract=bool(contract), insurances=v.text(get("insurance"))[:60],
        notes="；".join(notes),
    )
    return record


def training(get, reader: RowReader, item: Item, codes: v.Codes) -> dict:
    record = _common(get, reader, item)
    course = v.text(get("course"))
    if not course:
        raise v.BadValue("培训班名称为空")
    start = v.day(get("start_date"), "开班时间")
    end = v.day(get("end_date"), "结业时间")
    if start is None and end is None:
        raise v.BadValue("开班时间和结业时间都为空")
    start, end = start or end, end or start
    if end < start:
        raise v.BadValue(f"结业时间 {end.isoformat()} 早于开班时间 {start.isoformat()}")
    course_type = None
    raw_type = get("course_type")
    if raw_type != "":
        course_type = codes.lookup("course_type", raw_type)
        if course_type is None:
            item.warn(f"培训类型“{v.text(raw_type)}”不在代码表中")
    mode = codes.lookup("course_mode", get("course_mode")) if get("course_mode") != "" else None
    result_raw = "".join(v.text(get("result")).split())
    result = RESULT_WORDS.get(result_raw, "1") if result_raw else "1"
    if result_raw and result_raw not in RESULT_WORDS:
        item.warn(f"培训结果“{result_raw}”无法识别，按“结业”记")
    certificate_raw = v.text(get("certificate"))
    certificate = codes.lookup("certificate", certificate_raw) if certificate_raw else None
    certificate_no = ""
    if certificate_raw and certificate is None and certificate_raw not in ("是", "否", "有", "无"):
        certificate_no = certificate_raw[:60]
    record.update(
        _course=course[:120], _course_type=course_type, _course_mode=mode or "9",
        _trade=v.text(get("trade"))[:60], _provider=v.text(get("provider"))[:120],
        _start=start, _end=end, result=result, certificate_kind=certificate,
        certificate_no=certificate_no,
    )
    return record


def converter(kind: str, reader: RowReader, codes: v.Codes) -> Callable[[list, Item], dict]:
    if kind == "persons":
        return person_converter(reader, codes)
    convert = {"placements": placement, "trainings": training}[kind]
    return lambda cells, item: convert(reader.getter(cells), reader, item, codes)
