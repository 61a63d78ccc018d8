"""What the import dialog's last step says of a run: its title and its lines (the row
accounting, what was or would be made, why nothing was written, what to do with the
rows refused). A run that wrote nothing (a trial, or one refused whole) is told as what
it would have done."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportDialog", text)


def result_texts(result, plan, *, all_or_nothing: bool) -> tuple[str, str]:
    """(title, text) of a run's result; ``all_or_nothing``: the dialog's box as ticked now
    (a trial's hint says what importing with it would do)."""
    if result.dry_run:
        title = _tr("试导入完成：没有写入任何数据")
    elif result.written:
        title = _tr("导入完成")
    else:
        title = _tr("没有写入任何数据")
    lines = [line for line in result.summary().splitlines()
             if "试导入" not in line]  # (the title says it)
    if not result.written:  # a trial, or refused whole: what it would have done
        lines = [_would(line, result) for line in lines]
    made = []
    if result.written or result.dry_run:
        will = "" if result.written else _tr("将")
        if result.households_added:
            made.append(_tr("{0}新建户 {1} 户。").format(will, result.households_added))
        if result.persons_added:  # (rows of people not in the register yet)
            made.append(_tr("台账中原来没有的 {0} 人{1}新建。").format(
                result.persons_added, will or _tr("已")))
    lines[1:1] = made
    if plan.hidden_sheets:
        lines.append(plan.hidden_line())
    if result.errors:
        lines.append(_errors_hint(result, all_or_nothing))
    return title, "\n".join(lines)


def _would(line: str, result) -> str:
    """A line of a run that wrote nothing, as what it would have done."""
    if line.startswith("读取 "):
        return _tr("读取 {0} 行：将新增 {1}，将更新 {2}，无变化 {3}，错误 {4}，"
                   "空行/说明行 {5}。").format(result.read, result.added, result.updated,
                                            result.unchanged, result.errors, result.blank)
    if line.startswith("新建"):
        return _tr("将") + line
    if line.startswith("没有写入任何数据："):  # (the title says so: the reason alone)
        return _tr("原因：") + line.removeprefix("没有写入任何数据：")
    return line


def _errors_hint(result, all_or_nothing: bool) -> str:
    if result.written:
        return _tr("出错的行没有导入：可点“保存出错的行…”，改正后直接导入那个文件。")
    if not result.dry_run or all_or_nothing:
        lead = (_tr("整批没有导入") if not result.dry_run else
                _tr("勾选了“有任何一行出错就整批不导入”，现在正式导入将整批不导入"))
        return lead + _tr("：请在原文件中改正出错的行（可点“保存出错的行…”查看），"
                          "再导入原文件。")
    return _tr("正式导入时出错的行不导入：可点“保存出错的行…”，改正后再导入那个文件。")
