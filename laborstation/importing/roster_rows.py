"""A placement or training roster's row → its record (``rows.converter`` gives each row's
cells as ``get``: by field, blank as ''). Pure Python; as ``rows``: a value that makes the
row unusable raises ``BadValue``, a doubtful one adds a warning."""

from __future__ import annotations

from typing import TYPE_CHECKING

from laborstation.codes import code_list
from laborstation.importing import certificates, course_cells, trip_cells, wages
from laborstation.importing import values as v
from laborstation.importing.course_names import course_name
from laborstation.importing.person_names import row_name
from laborstation.importing.result import Item
from laborstation.importing.row_checks import check_sex, clip, excel_shortened

if TYPE_CHECKING:
    from laborstation.importing.rows import RowReader

RESULT_WORDS = {"结业": "1", "合格": "1", "是": "1", "已结业": "1", "通过": "1",
                "未结业": "2", "不合格": "2", "否": "2", "未通过": "2", "退学": "3", "中途退出": "3",
                # still in the course, or not sat the final test: not finished (yet)
                "在培": "2", "培训中": "2", "正在培训": "2", "在训": "2", "缺考": "2",
                "未参加考试": "2", "未参加考核": "2", "未考试": "2", "未参考": "2"}


def _common(get, reader: RowReader, item: Item) -> dict:
    """ID number, name and the places named in the row (shared by both rosters)."""
    # a tuple, as for persons: building an IdInfo would cost ~2 µs a row more
    number, sex, birth, _region, _place = v.id_fields(get("id_number"))
    excel_shortened(number, item)
    name, _note = row_name(v.text(get("name")), item, kept=False)  # 张  三, 李四（户主）
    record = {
        "id_number": number, "name": name, "sex": sex, "birth_date": birth,
        "_township": v.text(get("township")) or (reader.township_from_name or ""),
        "_village": v.text(get("village")) or (reader.village_from_name or ""),
        "_group": v.text(get("group")) or (reader.group_from_name or ""),
    }
    if get("sex") != "":
        check_sex(get("sex"), sex, item)
    return record


def _free_code(codes: v.Codes, list_name: str, raw: object, label: str, notes: list) -> str | None:
    if raw == "":
        return None
    code = codes.lookup(list_name, raw)
    if code is None:
        notes.append(f"{label}：{v.text(raw)}")
    return code


def _not_before_birth(when, what: str, birth) -> None:
    if when < birth:
        raise v.BadValue(f"{what} {when.isoformat()} 早于出生日期 {birth.isoformat()}（按身份证号）")


def placement(get, reader: RowReader, item: Item, codes: v.Codes) -> dict:
    record = _common(get, reader, item)
    warnings = item.warnings_list()
    span = trip_cells.trip_span(get("start_date"), get("return_date"), warnings)
    start = span[0] if span else trip_cells.start_day(get("start_date"), get("start_month"),
                                                      warnings)
    if start is None:
        raise trip_cells.no_start(get("return_date"))
    record["_month_only"] = not span and trip_cells.month_only(get("start_date"),
                                                               get("start_month"))
    _not_before_birth(start, "外出时间", record["birth_date"])
    back = span[1] if span else trip_cells.return_day(get("return_date"), warnings)
    if back is not None and back < start:
        raise v.BadValue(f"返乡时间 {back.isoformat()} 早于外出时间 {start.isoformat()}")
    notes: list[str] = []
    detail = v.text(get("destination"))
    destination, columns = trip_cells.destination(detail, v.text(get("province")),
                                                  v.text(get("city")))
    record.update(
        start_on=start, return_on=back, destination=clip(destination, 200, "务工地点", item),
        _columns=columns, _detail=detail if columns else "",
        employer_name=clip(v.text(get("employer")), 120, "用工单位", item),
        industry=_free_code(codes, "industry", get("industry"), "行业", notes),
        occupation=_free_code(codes, "occupation", get("occupation"), "工种", notes),
        # None when not given: a blank cell changes nothing of a stored placement
        organised=v.organised(get("organised"), warnings),
        # whether the sheet has a 输出方式 column (a new placement without one is 自发: told
        # once a file, ``apply_placements``)
        _organised_column="organised" in reader.columns or "organised" in reader.shared,
        channel=clip(v.text(get("channel")), 120, "输出机构", item),
        monthly_wage=wages.wage(get("wage"), warnings, reader.wage),
        contract=v.yes_no(get("contract"), "劳动合同", warnings),
        # the placement's notes: not 'notes', the person's (a person the row adds has none)
        insurances=clip(v.text(get("insurance")), 60, "参保情况", item), _notes="；".join(notes),
    )
    return record


def training(get, reader: RowReader, item: Item, codes: v.Codes) -> dict:
    record = _common(get, reader, item)
    course = course_name(v.text(get("course")))
    if not course:
        raise v.BadValue("培训班名称为空")
    warnings = item.warnings_list()
    span = v.day_range(get("start_date"), "培训时间")  # 2024.3.1-3.10 in one cell
    if span is not None:
        start, end = span[0], v.day(get("end_date"), "结业时间", warnings) or span[1]
    else:
        start = v.day(get("start_date"), "开班时间", warnings)
        end = v.day(get("end_date"), "结业时间", warnings)
    if start is None and end is None:
        raise v.BadValue("开班时间和结业时间都为空")
    if start is not None:
        _not_before_birth(start, "开班时间", record["birth_date"])
    end_given, start_given = end, start
    start, end = start or end, end or start
    _not_before_birth(end, "结业时间", record["birth_date"])
    if end < start:
        raise v.BadValue(f"结业时间 {end.isoformat()} 早于开班时间 {start.isoformat()}")
    course_type = _course_code(codes, "course_type", get("course_type"), "培训类型", item)
    mode_cell = get("course_mode")
    way = None if mode_cell == "" or codes.lookup("course_mode", mode_cell) else \
        course_cells.teaching_way(mode_cell)  # 线上, 集中培训: told once a course
    mode = None if way else _course_code(codes, "course_mode", mode_cell, "培训方式", item)
    result_raw = "".join(v.text(get("result")).split())
    certified = result_raw in certificates.RESULT_CERTIFIED  # 取得证书 written as the result
    result = "1" if certified else RESULT_WORDS.get(result_raw, "1") if result_raw else "1"
    if result_raw and result_raw not in RESULT_WORDS and not certified:
        item.warn(f"培训结果“{result_raw}”无法识别，按“结业”记")
    number_cell = get("certificate_no")
    if shown := v.digits_lost(number_cell):
        item.warn(f"证书编号 {shown} 被 Excel 当成数字保存了，15 位以后的数字已经丢失，未记录："
                  "请把这一列设为“文本”后重新输入，再导入这一行补上")
        number_cell = ""
    certificate, certificate_no = certificates.of_row(
        codes, v.text(get("certificate")), v.text(number_cell), result,
        result_raw if certified else None, item)
    # The result the row states, to compare with a stored enrolment: none for a blank or
    # unknown word (a new enrolment is 结业 then), 结业 for a blank one with a certificate.
    result_given = "1" if certified else RESULT_WORDS.get(result_raw) if result_raw else (
        "1" if certificate is not None else None)
    record.update(
        _course=clip(course, 120, "培训班名称", item), _course_type=course_type, _course_mode=mode,
        _trade=clip(v.text(get("trade")), 60, "培训工种", item),
        _provider=clip(v.text(get("provider")), 120, "培训机构", item),
        _start=start, _end=end, _end_given=end_given, _start_given=start_given, result=result,
        _result_given=result_given, certificate_kind=certificate,
        certificate_no=certificate_no,
        # 学时（天）, 补贴总额（万元）: the unit of those columns' plain numbers
        **course_cells.figures(get, way, reader.course_units),
    )
    return record


def _course_code(codes: v.Codes, list_name: str, raw: object, label: str,
                 item: Item) -> str | None:
    """A course's type or mode; None when blank or not in the code list (with a warning:
    the course then gets a guessed type, or the mode 其他)."""
    if raw == "":
        return None
    code = codes.lookup(list_name, raw)
    if code is None:
        names = "、".join(code_list(list_name).names())
        item.warn(f"{label}“{v.text(raw)}”不在代码表中（{names}），未采用")
    return code
