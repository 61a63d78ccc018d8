"""What a training roster's rows do to their course's 学时, 培训补贴 and notes (a way of
teaching, days written as 学时: ``course_cells``): filled in where empty (any with
overwrite), a notes part added once, and each thing told once a course (``tell_once``);
a course in a submitted period keeps them without refusing the row (they count in no
figure of the return). 学时: the first row of the file's kept when rows disagree. 培训补贴
is settled once all the rows are seen (``settle_subsidy``): amounts that differ within
one class are no class total (each trainee's, more likely), so none of them is taken,
unless one row says it is the total (合计 6400元). A course this file makes takes what
its later rows bring as part of its making (``made_with``), not as an update.

Also how a course is told what the import took by default, which the store cannot mark
as such (``defaults_told``: no 结业时间, 培训类型 or 培训方式), a stored value kept that
may be such a default (``maybe_default``), and a stored course known by its month given
its day (``start_known``)."""

from __future__ import annotations

from laborstation.errors import PeriodLocked
from laborstation.importing.apply import OVERWRITE_AGAIN, OVERWRITE_TICK, Env, is_open
from laborstation.importing.apply_records import Batch, file_row, shown
from laborstation.importing.course_cells import Told
from laborstation.importing.result import Item
from laborstation.services.locking import Locks

# A course's figures: a row fills them in where empty (any with overwrite); rows of the file
# giving other 学时 for one course keep the first's (``_hours_change``).
COURSE_FIGURES = {"hours": "学时", "subsidy": "培训补贴"}
LOCK_KEPT = frozenset({*COURSE_FIGURES, "notes"})
_MADE_WITH = (*COURSE_FIGURES, "notes")  # a course the file makes takes them as its own


def new_course_figures(item: Item) -> dict:
    """The figure keys of a course a row makes (its 培训补贴: ``settle_subsidy``)."""
    record = item.record
    notes = list(dict.fromkeys(record["_course_notes"]))
    return {"hours": record["_hours"], "subsidy": None, "notes": "；".join(notes),
            "_given": {"hours": item} if record["_hours"] is not None else {},
            "_noted": set(notes), "_subsidies": [item]}


def figure_changes(env: Env, item: Item, course: dict) -> dict:
    """What a row changes of its course's 学时 (``_hours_change``) and notes; its
    培训补贴 is kept for ``settle_subsidy``."""
    if item.record["_subsidy"] is not None:
        course.setdefault("_subsidies", []).append(item)
    changes = _hours_change(env, item, course)
    notes = course["notes"] or ""
    if added := [n for n in dict.fromkeys(item.record["_course_notes"]) if n not in notes]:
        changes["notes"] = (course["notes"], "；".join([notes, *added] if notes else added))
    return changes


def _hours_change(env: Env, item: Item, course: dict) -> dict:
    """A row's 学时 for its course: filled in where empty (any with overwrite), but never
    one an earlier row of the file gave (the first row's is kept, the row told); a stored
    one kept is told once a course."""
    new, current = item.record["_hours"], course["hours"]
    if new is None or new == current:
        return {}
    earlier = course.setdefault("_given", {}).get("hours")
    was, now = shown("hours", current), shown("hours", new)
    if earlier is not None:
        item.warn(f"学时“{now}”与本文件{file_row(earlier)}的“{was}”不同（同一培训班"
                  f"“{course['name']}”），仍按“{was}”记：请核对哪一个对")
    elif current is None or env.overwrite:
        return {"hours": (current, new)}
    else:
        tell_once(item, course, Told("kept_hours", kept_message("学时", now, course, was)))
    return {}


def kept_message(label: str, written: str, course: dict, kept: str, hint: str = "") -> str:
    """A course's value the file writes otherwise, kept (shown values); ``hint``: why
    the value kept may be a default (``maybe_default``), with how to correct it."""
    told = f"{label}“{written}”与培训班“{course['name']}”已记的“{kept}”不同，仍按“{kept}”记"
    if not hint:
        return told + "（覆盖导入可改正）"
    return f"{told}：{hint}。如应按本表，请{OVERWRITE_AGAIN}这个培训班"


OTHER_MODE = "9"  # 培训方式 其他: a course's mode when its rows give none
_GUESSED_TYPES = (("创业", "3"), ("SYB", "3"), ("GYB", "3"), ("IYB", "3"), ("引导", "1"),
                  ("提升", "4"), ("岗位", "4"), ("学徒", "4"))


def guessed_type(name: str) -> tuple[str, str]:
    """(培训类型, the word of the name it is guessed by, or '') of a course whose rows
    give none: 创业 in its name is 创业培训 …, else 职业技能培训."""
    for word, code in _GUESSED_TYPES:
        if word in name:
            return code, word
    return "2", ""


def maybe_default(name: str, course: dict) -> str:
    """Why a stored course's value of field ``name`` may be one an import took by
    default ('' when it cannot be): an end on its start day, the type its name gives,
    the mode 其他."""
    if name == "end_on" and course["end_on"] == course["start_on"]:
        return ("已记的结业时间与开班时间是同一天：可能是一天的班，也可能是先前导入时没有结业时间、"
                "按开班当天记的")
    if name == "course_type" and course["course_type"] == guessed_type(course["name"])[0]:
        return (f"已记的“{shown(name, course[name])}”可能是先前导入时没有培训类型、"
                "按班名推定的")
    if name == "mode" and course["mode"] == OTHER_MODE:
        return "已记的“其他”可能是先前导入时没有培训方式、按默认记的"
    return ""


def defaults_told(course: dict) -> str:
    """What a course the file makes took by default (its '_defaulted' fields), and how
    a later roster corrects it."""
    defaulted, start = course["_defaulted"], course["start_on"].isoformat()
    told = []
    if "end_on" in defaulted:
        told.append(f"没有结业时间，按开班当天 {start} 记（培训班按结业时间计入月报 301）")
    if "course_type" in defaulted:
        code, word = guessed_type(course["name"])
        told.append(f"没有培训类型，按班名中的“{word}”推定为“{shown('course_type', code)}”"
                    if word else f"没有培训类型，按“{shown('course_type', code)}”记")
    if "mode" in defaulted:
        told.append("没有培训方式，按“其他”记（月报 306 只算订单、定向、委托培训）")
    return (f"新建的培训班“{course['name']}”（{start} 开班）" + "；".join(told)
            + f"。以后导入写明了这些的花名册时，要{OVERWRITE_TICK}才会改正，也可以在程序中"
            "修改这个培训班")


def tell_defaults(live: list[Item]) -> None:
    """What a course the file makes took by default (no 结业时间, 培训类型 or 培训方式 in
    any of its rows), told once a course, on its first open row."""
    seen: set[int] = set()
    for item in live:
        course = item.record["_course_ref"] if is_open(item) else None
        if course is None or course["id"] is not None or id(course) in seen:
            continue
        seen.add(id(course))
        if course["_defaulted"]:
            item.warn(defaults_told(course))


def start_known(course: dict, was, changes: dict, end_taken: bool) -> str:
    """A stored course on the 1st of a month (``was``), the only one of its name and
    provider that month, whose start day a row gives: taken as that course's (its end
    too, when ``changes`` move it; ``end_taken``: the row has none, its start taken)."""
    start = changes["start_on"][1].isoformat()
    told = (f"培训班“{course['name']}”（培训机构“{course['provider'] or '（空）'}”）台账中记的是 "
            f"{was.isoformat()} 开班，是当月唯一的一期，记在 1 日（先前可能只写了月份）：按同一期记，"
            f"开班时间改为这一行的 {start}")
    if "end_on" in changes:
        old, new = changes["end_on"]
        told += f"，结业时间由 {old.isoformat()} 改为 {new.isoformat()}" + (
            "（这一行没有结业时间，按开班当天记）" if end_taken else "")
    return (told + f"；如果是两期不同的培训，请在程序中把这一期的日期改回，并新建 {start} 开班的"
            "一期，再导入这一行")


def made_with(item: Item, course: dict, changes: dict) -> None:
    """A course the file makes takes the figures and notes a later row gives it out of
    ``changes``: part of its making, listed as no update (``given_by``)."""
    taken = {f: changes.pop(f) for f in _MADE_WITH if f in changes}
    course.update({f: new for f, (_old, new) in taken.items()})
    given_by(item, course, taken)


def given_by(item: Item, course: dict, changes: dict) -> None:
    """Remember the row giving a course its 学时 (a later row giving others is told)
    and the notes it added (``tell_once`` says they are recorded)."""
    if "hours" in changes:
        course.setdefault("_given", {})["hours"] = item
    if "notes" in changes:
        before = changes["notes"][0] or ""
        course.setdefault("_noted", set()).update(
            n for n in item.record["_course_notes"] if n not in before)


def keep_locked_figures(locks: Locks, item: Item, course: dict, changes: dict, what: str) -> None:
    """A course in a submitted period keeps its 学时, 培训补贴 and notes: a row bringing
    them is not refused for that (they count in no figure), the course told once."""
    if not changes.keys() & LOCK_KEPT:
        return
    try:
        locks.check(course["end_on"], area_id=item.record["_lock_area"], what=what)
    except PeriodLocked:
        for name in LOCK_KEPT:
            changes.pop(name, None)
        tell_once(item, course, Told(
            "locked", f"培训班“{course['name']}”属于已报送的报告期，已锁定：本表的学时、培训补贴和"
                      "培训班备注没有记入（如需补记，请所长先退回该期月报）"))


def tell_row(item: Item, course: dict) -> None:
    """What a row's cells tell of its course, once a course; what asks for the class's
    total waits until it is known (``settle_subsidy``)."""
    for told in item.record["_course_told"]:
        if told.asks:
            course.setdefault("_asks", []).append((item, told))
        else:
            tell_once(item, course, told)


def tell_once(item: Item, course: dict, told: Told) -> None:
    """Warn ``item`` unless a row of the file was told so of the course already; a
    note's warning ends saying whether the note is recorded now, was there, or is not
    (a locked course), one asking for the total asks only when the course has none."""
    kinds = course.setdefault("_told", set())
    if told.kind in kinds:
        return
    kinds.add(told.kind)
    ending = ""
    if told.note:
        ending = ("，已记入培训班备注" if told.note in course.get("_noted", ())
                  else "，培训班备注中已有" if told.note in (course["notes"] or "")
                  else "，未记入培训班备注")
    elif told.asks:
        ending = ("：请在程序中填写该班的补贴总额" if course["subsidy"] is None
                  else f"（该班的培训补贴总额为 {shown('subsidy', course['subsidy'])} 元）")
    item.warn(told.message + ending)


def settle_subsidy(env: Env, locks: Locks, course: dict, batch: Batch, labels: dict,
                   what: str) -> None:
    """The 培训补贴 the file's rows give a course (``_file_subsidy``), now that all are
    seen: a new course takes it; a stored one as a row's 学时 would be (filled in where
    empty, any with overwrite, kept when locked); then what asks for the total is told."""
    rows = [item for item in course.pop("_subsidies", ()) if is_open(item)
            and item.record["_subsidy"] is not None]
    new, giver = _file_subsidy(course, rows)
    current = course["subsidy"]
    if giver is not None and new != current:
        if course["id"] is None:
            course["subsidy"] = new
        elif current is None or env.overwrite:
            changes = {"subsidy": (current, new)}
            keep_locked_figures(locks, giver, course, changes, what)
            if changes:
                batch.change(giver, course, changes, labels)
        else:
            was, now = shown("subsidy", current), shown("subsidy", new)
            tell_once(giver, course, Told("kept_subsidy", kept_message("培训补贴", now, course, was)))
    for item, told in course.pop("_asks", ()):
        if is_open(item):
            tell_once(item, course, told)


def _file_subsidy(course: dict, rows: list[Item]) -> tuple[object, Item | None]:
    """(the class's total, the row giving it) of a course's rows giving a 培训补贴. Rows
    giving different amounts give no total, with a warning once, unless exactly one
    amount is written as the total (合计 6400元): that one then."""
    amounts = list(dict.fromkeys(item.record["_subsidy"] for item in rows))
    if len(amounts) <= 1:
        return (amounts[0], rows[0]) if amounts else (None, None)
    totals = list(dict.fromkeys(i.record["_subsidy"] for i in rows if i.record["_subsidy_total"]))
    other = next(i for i in rows if i.record["_subsidy"] != amounts[0])
    listed = "、".join(shown("subsidy", a) for a in amounts[:6]) + ("…" if len(amounts) > 6 else "")
    told = (f"培训补贴总额一列中，培训班“{course['name']}”各行的金额不同（{listed}），不是全班的"
            "总额（像是每名学员的补贴）")
    if len(totals) == 1:
        giver = next(i for i in rows if i.record["_subsidy"] == totals[0] and i.record["_subsidy_total"])
        tell_once(other, course, Told("subsidy_rows", f"{told}：已按本文件{file_row(giver)}写明的"
                                                      f"合计“{shown('subsidy', totals[0])}”记"))
        return totals[0], giver
    tell_once(other, course, Told("subsidy_rows", f"{told}，没有按其中任何一个记", asks=True))
    return None, None
