"""The import's progress is one bar that never goes back: checking the rows fills its
first half, writing them the second; a trial says it writes nothing."""

from __future__ import annotations

from import_world import count, pid
from workbooks import write_xlsx

from laborstation.importing import run, run_import
from laborstation.model import Person, Placement


def steps_of(work) -> list:
    steps = []
    try:
        while True:
            steps.append(next(work))
    except StopIteration:
        return steps


def _shares(steps) -> list[float]:
    return [s.fraction for s in steps if s.fraction is not None]


def test_a_roster_checked_then_written_moves_the_bar_forward_only(
        store, station, tmp_path, monkeypatch):
    monkeypatch.setattr(run, "PROGRESS_EVERY", 1)
    path = write_xlsx(tmp_path / "r.xlsx", {"花名册": [
        ["姓名", "身份证号", "行政村", "外出时间", "务工地点"],
        *[[f"人{n}", pid(n), "李庄村", "2026-03-01", "广东东莞"] for n in range(1, 7)]]})
    steps = steps_of(run_import(store, path, kind="placements"))
    shares = _shares(steps)
    assert shares == sorted(shares) and shares[-1] == 1.0
    assert 0.4 <= max(s.fraction for s in steps if s.message.startswith("检查")) <= 0.5
    assert count(store, Placement) == 6


def test_a_trial_says_it_writes_nothing(store, station, tmp_path, monkeypatch):
    monkeypatch.setattr(run, "PROGRESS_EVERY", 1)
    path = write_xlsx(tmp_path / "p.xlsx", {"台账": [
        ["姓名", "身份证号", "行政村"], *[[f"人{n}", pid(n), "李庄村"] for n in range(1, 5)]]})
    steps = steps_of(run_import(store, path, kind="persons", dry_run=True))
    shares = _shares(steps)
    assert shares == sorted(shares) and shares[-1] == 1.0
    assert [s.message for s in steps if s.final] == ["试导入：核对完毕，不写入…"]
    assert count(store, Person) == 0


def test_a_cancel_through_the_bar_still_rolls_back(store, station, tmp_path, monkeypatch):
    monkeypatch.setattr(run, "PROGRESS_EVERY", 1)
    path = write_xlsx(tmp_path / "p.xlsx", {"台账": [
        ["姓名", "身份证号", "行政村"], *[[f"人{n}", pid(n), "李庄村"] for n in range(1, 9)]]})
    work = run_import(store, path, kind="persons")
    for step in work:
        if step.message.startswith("设置户主"):  # (the persons are written by now)
            break
    work.close()
    assert count(store, Person) == 0
    steps_of(run_import(store, path, kind="persons"))  # (the write lock was let go)
    assert count(store, Person) == 8
