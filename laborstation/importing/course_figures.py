"""What a training roster's rows do to their course's 学时, 培训补贴 and notes (a way of
teaching, days written as 学时: ``course_cells``): filled in where empty (any with
overwrite), the first row of the file's kept when rows disagree, a notes part added once,
and each thing told once a course (``tell_once``); a course in a submitted period keeps
them without refusing the row (they count in no figure of the return)."""

from __future__ import annotations

from laborstation.errors import PeriodLocked
from laborstation.importing.apply import Env
from laborstation.importing.apply_records import file_row, shown
from laborstation.importing.course_cells import Told
from laborstation.importing.result import Item
from laborstation.services.locking import Locks

# A course's figures: a row fills them in where empty (any with overwrite); rows of the file
# giving another for one course keep the first's (``_figure_changes``).
COURSE_FIGURES = {"hours": "学时", "subsidy": "培训补贴"}
FIGURES_GIVEN = {"hours": "_hours", "subsidy": "_subsidy"}
LOCK_KEPT = frozenset({*COURSE_FIGURES, "notes"})


def figures_given(item: Item) -> dict[str, Item]:
    """The figures a row making a course gives it, each by that row (the first's kept)."""
    return {name: item for name, given in FIGURES_GIVEN.items()
            if item.record[given] is not None}


def figure_changes(env: Env, item: Item, course: dict) -> dict:
    """What a row changes of its course's figures (``_figure_changes``) and notes."""
    changes = _figure_changes(env, item, course)
    notes = course["notes"] or ""
    if added := [n for n in dict.fromkeys(item.record["_course_notes"]) if n not in notes]:
        changes["notes"] = (course["notes"], "；".join([notes, *added] if notes else added))
    return changes


def _figure_changes(env: Env, item: Item, course: dict) -> dict:
    """What a row changes of its course's 学时 and 培训补贴: filled in where empty (any
    with overwrite), but never one an earlier row of the file gave (the first row's is
    kept, the row told); a stored one kept is told once a course."""
    changes = {}
    for name, label in COURSE_FIGURES.items():
        new, current = item.record[FIGURES_GIVEN[name]], course[name]
        if new is None or new == current:
            continue
        earlier = course["_given"].get(name)
        was, now = shown(name, current), shown(name, new)
        if earlier is not None:
            item.warn(f"{label}“{now}”与本文件{file_row(earlier)}的“{was}”不同（同一培训班"
                      f"“{course['name']}”），仍按“{was}”记：请核对哪一个对")
        elif current is None or env.overwrite:
            changes[name] = (current, new)
        else:
            tell_once(item, course, Told(
                f"kept_{name}", f"{label}“{now}”与培训班“{course['name']}”已记的“{was}”不同，"
                                f"仍按“{was}”记（覆盖导入可改正）"))
    return changes


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


def tell_once(item: Item, course: dict, told: Told) -> None:
    """Warn ``item`` unless a row of the file was told so of the course already."""
    kinds = course.setdefault("_told", set())
    if told.kind not in kinds:
        kinds.add(told.kind)
        item.warn(told.message)
