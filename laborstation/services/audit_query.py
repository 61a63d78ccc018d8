"""The audit trail for reading: filter, page and export the ``audit_log`` rows.

Filters: a person (name, pinyin or ID number: that person's row and the records
linked to them, such as placements and enrolments), one record (table + id), a
user, a date range and an action. A viewer gets old/new values with ID numbers
and phones masked. An .xlsx export that holds full ID numbers is itself audited
(action ``export``): who took the numbers out of the program, when, how many rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import and_, func, or_, select

from laborstation.db import audit
from laborstation.db.base import Base
from laborstation.errors import UserError
from laborstation.importing import audit_runs
from laborstation.model import Person
from laborstation.model.system import AuditEntry
from laborstation.services import masking
from laborstation.services.person_search import text_condition
from laborstation.xlsx_text import save_safely

#: What each action is called in the page and the export.
ACTION_NAMES = {
    "insert": "新增", "update": "修改", "delete": "删除", "restore": "恢复", "purge": "彻底删除",
    "login": "登录", "loginfail": "登录失败", "export": "导出", "reopen": "重新打开",
    "submit": "上报", "import": "导入",
}
#: Table names in Chinese (others are shown as they are).
TABLE_NAMES = {
    "person": "人员", "household": "户", "area": "区划", "placement": "转移就业",
    "course": "培训班", "enrolment": "培训学员", "employer": "用工单位", "partner_site": "劳务基地",
    "job_posting": "岗位", "intention": "用工意向", "hard_to_employ": "就业困难人员",
    "welfare_post": "公益性岗位", "rights_case": "维权案件", "visit": "回访",
    "target": "目标任务", "monthly_return": "月报", "app_user": "账号", "setting": "设置",
    "database": "数据库",
}
#: Column names in Chinese for the common fields (others are shown as they are).
FIELD_NAMES = {
    "id": "编号", "name": "姓名", "id_number": "身份证号", "sex": "性别", "birth_date": "出生日期",
    "nation": "民族", "education": "文化程度", "phone": "联系电话", "household_id": "户",
    "village_id": "行政村", "group_id": "小组", "relation": "与户主关系",
    "labour_capacity": "劳动能力", "is_rural": "农村户籍", "local_status": "本地状态",
    "skills": "技能特长", "training_wish": "培训意愿", "address": "住址", "died_on": "死亡日期",
    "notes": "备注", "number": "编号", "head_id": "户主", "category": "户类别",
    "deleted_at": "删除时间", "person_id": "人员", "username": "用户名", "display_name": "姓名",
    "role": "角色", "password_hash": "密码", "failed_attempts": "连续输错次数",
    "locked_until": "锁定至", "active": "启用", "last_login_at": "最近登录", "key": "项目",
    "value": "值", "code": "代码", "level": "级别", "parent_id": "上级", "status": "状态",
    "start_on": "开始日期", "end_on": "结束日期", "file": "文件", "sheet": "工作表", "row": "行",
    "changes": "修改", "count": "条数",
}
PERSON_MATCH_LIMIT = 200
EXPORT_HEADERS = ("时间", "用户", "操作", "表", "记录号", "字段", "原值", "新值")


@dataclass(frozen=True, slots=True)
class AuditFilter:
    person: str = ""  # name, pinyin or ID number of a person
    table: str | None = None  # one record: table name ...
    row_id: int | None = None  # ... and its id
    user: str | None = None
    start: date | None = None
    end: date | None = None  # inclusive
    action: str | None = None


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: datetime
    user_name: str
    action: str
    table_name: str
    row_id: int | None
    field: str
    old: str | None
    new: str | None
    last_row_id: int | None = None  # an import's run of added records: row_id … last_row_id

    @property
    def action_name(self) -> str:
        return ACTION_NAMES.get(self.action, self.action)

    @property
    def table_title(self) -> str:
        return TABLE_NAMES.get(self.table_name, self.table_name)

    @property
    def field_title(self) -> str:
        return FIELD_NAMES.get(self.field, self.field)

    @property
    def record_ids(self) -> str:
        """'17', or '1–250000' for an import's run of records."""
        if self.row_id is None:
            return ""
        if self.last_row_id is not None and self.last_row_id != self.row_id:
            return f"{self.row_id}–{self.last_row_id}"
        return str(self.row_id)


def readable(text: str | None) -> str:
    """A value for people: an inserted row's JSON as '姓名：张三；身份证号：…'."""
    if not text or not text.startswith("{"):
        return text or ""
    try:
        values = json.loads(text)
    except ValueError:
        return text
    if not isinstance(values, dict):
        return text
    parts = []
    for key, value in values.items():
        if key == "id":
            continue
        if key == "rows" and isinstance(value, list):
            parts.append(audit_runs.describe_rows(value))
        elif key == "count":
            parts.append(f"共 {value} 条")
        else:
            parts.append(f"{FIELD_NAMES.get(key, key)}：{value}")
    return "；".join(parts)


@dataclass(frozen=True, slots=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    offset: int


def _linked_tables() -> list[tuple[str, object]]:
    """(table name, mapped class) of every table with a ``person_id`` column."""
    found = []
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if "person_id" in mapper.columns and hasattr(cls, "__tablename__"):
            found.append((cls.__tablename__, cls))
    return sorted(found, key=lambda item: item[0])


def _person_condition(session, text: str):
    condition = text_condition(text)
    if condition is None:
        return None
    ids = list(session.scalars(select(Person.id).where(condition).limit(PERSON_MATCH_LIMIT)))
    if not ids:
        return AuditEntry.id < 0  # nobody: nothing
    runs = AuditEntry.last_row_id.is_not(None)
    parts = [
        and_(AuditEntry.table_name == "person", AuditEntry.row_id.in_(ids)),
        and_(AuditEntry.table_name == "person", runs,
             or_(*(and_(AuditEntry.row_id <= i, AuditEntry.last_row_id >= i) for i in ids))),
    ]
    for table, cls in _linked_tables():
        linked = select(cls.id).where(cls.person_id.in_(ids))
        parts.append(and_(AuditEntry.table_name == table, AuditEntry.row_id.in_(linked)))
        in_run = select(cls.id).where(cls.person_id.in_(ids),
                                      cls.id.between(AuditEntry.row_id, AuditEntry.last_row_id))
        parts.append(and_(AuditEntry.table_name == table, runs, in_run.exists()))
    return or_(*parts)


def _conditions(session, query: AuditFilter) -> list:
    conds = []
    if query.person.strip():
        conds.append(_person_condition(session, query.person))
    if query.table:
        conds.append(AuditEntry.table_name == query.table)
    if query.row_id is not None:  # the record's own entries, and the import run it came in
        conds.append(or_(AuditEntry.row_id == query.row_id,
                         and_(AuditEntry.last_row_id >= query.row_id,
                              AuditEntry.row_id <= query.row_id)))
    if query.user:
        conds.append(AuditEntry.user_name == query.user)
    if query.start is not None:
        conds.append(AuditEntry.at >= datetime.combine(query.start, time.min))
    if query.end is not None:
        conds.append(AuditEntry.at < datetime.combine(query.end + timedelta(days=1), time.min))
    if query.action:
        conds.append(AuditEntry.action == query.action)
    return [c for c in conds if c is not None]


def _row(entry, mask: bool) -> AuditRow:
    old, new = entry.old, entry.new
    if mask:
        old, new = masking.mask_text(old), masking.mask_text(new)
    return AuditRow(entry.id, entry.at, entry.user_name or "", entry.action, entry.table_name,
                    entry.row_id, entry.field or "", old, new, entry.last_row_id)


def audit_page(store, query: AuditFilter = AuditFilter(), *, offset: int = 0,
               limit: int = 200) -> AuditPage:
    """One page of matching rows, newest first, and how many match in all."""
    mask = masking.should_mask(store)
    with store.reading() as session:
        conds = _conditions(session, query)
        total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conds)) or 0
        entries = session.scalars(
            select(AuditEntry).where(*conds).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .offset(max(0, offset)).limit(limit)
        ).all()
        return AuditPage([_row(e, mask) for e in entries], int(total), offset)


def audit_users(store) -> list[str]:
    """Every name that appears in the log (for the user filter)."""
    with store.reading() as session:
        return [n for n in session.scalars(
            select(AuditEntry.user_name).distinct().order_by(AuditEntry.user_name)) if n]


def _describe(query: AuditFilter) -> str:
    parts = []
    if query.person.strip():
        parts.append(f"人员={query.person.strip()}")
    if query.table:
        parts.append(f"表={query.table}")
    if query.row_id is not None:
        parts.append(f"记录={query.row_id}")
    if query.user:
        parts.append(f"用户={query.user}")
    if query.start or query.end:
        parts.append(f"日期={query.start or ''}~{query.end or ''}")
    if query.action:
        parts.append(f"操作={query.action}")
    return "；".join(parts) or "全部"


def export_xlsx(store, query: AuditFilter, path: str | Path, *, limit: int = 200_000) -> int:
    """Write the matching rows to an .xlsx; return how many. Audited when it holds full IDs."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    page = audit_page(store, query, limit=limit)
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "审计日志"
    sheet.append(EXPORT_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    full_ids = False
    for row in page.rows:
        full_ids = full_ids or masking.contains_id_number(row.old) or masking.contains_id_number(row.new)
        sheet.append([row.at.strftime("%Y-%m-%d %H:%M:%S"), row.user_name, row.action_name,
                      row.table_title,
                      row.record_ids if row.last_row_id not in (None, row.row_id) else row.row_id,
                      row.field_title, readable(row.old),
                      readable(row.new)])
    for column, width in zip("ABCDEFGH", (20, 12, 10, 12, 10, 16, 40, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    target = Path(path)
    try:
        save_safely(book, target)  # (a failed save leaves an older file of that name whole)
    except OSError as error:
        raise UserError(f"无法写入文件 {target}：{error.strerror or error}（文件是否正在 Excel 中打开？）") from error
    if full_ids:
        with store.session() as session:
            audit.record(session, "export", "audit_log", None, "file", _describe(query),
                         f"{target.name}（{len(page.rows)} 行，含完整身份证号）")
    return len(page.rows)
