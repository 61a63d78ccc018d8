"""What the import dialog says: its last step's title and lines for a run (the row
accounting, what was or would be made, why nothing was written, what to do with the
rows refused; a run that wrote nothing, a trial or one refused whole, is told as what it
would have done), the overwrite box for each kind, its questions (a file that looks like
another kind; refused rows not saved) and why a file dropped cannot be imported."""

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
    made = []  # (an import refused whole too: the trial said it, the refusal says it again)
    will = "" if result.written else _tr("将")
    if result.households_added:
        made.append(_tr("{0}新建户 {1} 户。").format(will, result.households_added))
    if result.persons_added:  # (rows of people not in the register yet)
        made.append(_tr("台账中原来没有的 {0} 人{1}新建。").format(
            result.persons_added, will or _tr("已")))
    at = 2 if len(lines) > 1 and lines[1].startswith(_tr("原因：")) else 1  # (after why)
    lines[at:at] = made
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
        hint = lead + _tr("：请在原文件中改正出错的行（可点“保存出错的行…”查看），"
                          "再导入原文件。")
        if not result.dry_run:  # (what 上一步 is for)
            hint += _tr("也可以点“上一步”，不勾选“有任何一行出错就整批不导入”，"
                        "先导入没有出错的行。")
        return hint
    return _tr("正式导入时出错的行不导入：可点“保存出错的行…”，改正后再导入那个文件。")


# -- the plan's overwrite box --------------------------------------------------------------

def overwrite_texts(kind: str) -> tuple[str, str]:
    """(text, tooltip) of the overwrite box for a ``kind`` of ledger; the text begins with
    what the core's messages tell the clerk to tick (``OVERWRITE_BOX``)."""
    return {
        "persons": (_tr("用表中的值覆盖已有信息（不勾选时，台账中已有的人只补填空着的项）"),
                    _tr("勾选后，台账中已有的人（按身份证号）和他们的户的信息按表中的值改正；"
                        "不勾选时只补填空着的项，与表中不同的值列在结果中。")),
        "placements": (_tr("用表中的值覆盖已有信息（不勾选时，已记的外出记录只补填空着的项）"),
                       _tr("勾选后，已记的外出记录（同一人、同一外出时间和用工单位）的"
                           "月收入、返乡时间、务工地点等按表中的值改正；"
                           "不勾选时只补填空着的项，与表中不同的值列在结果中。")),
        "trainings": (_tr("用表中的值覆盖已有信息（不勾选时，已记的培训班和学员只补填空着的项）"),
                      _tr("勾选后，已记的培训班的学时、培训补贴、结业时间等和学员的培训结果"
                          "按表中的值改正；不勾选时只补填空着的项，与表中不同的值列在结果中。")),
    }[kind]


# -- questions ------------------------------------------------------------------------------

def kind_question(chosen: str, other: str, *, dry_run: bool) -> tuple[str, str, str, str]:
    """(text, informative text, button to switch, button to go on) of the question asked
    before a file that looks like ``other`` is imported as ``chosen``."""
    verb = _tr("试导入") if dry_run else _tr("导入")
    return (_tr("这个文件更像{0}，现在选的是按{1}导入。").format(other, chosen),
            _tr("按{0}导入时，只导入{0}有的列，{1}的内容（其余的列）不会导入。"
                "请选择按哪一种导入：").format(chosen, other),
            _tr("改为按{0}导入").format(other),
            _tr("仍按{0}{1}").format(chosen, verb))


def switched_note(kind: str) -> str:
    """Said once the file is read again as the kind it looks like (the question's answer)."""
    return _tr("已改为按{0}读取，还没有导入：请核对每一列导入为什么，"
               "再点“试导入（不写入）”或“开始导入”。").format(kind)


def unsaved_question(errors: int) -> tuple[str, str]:
    """(text, informative text) of the question asked before the dialog closes on an
    import whose refused rows were not saved."""
    return (_tr("有 {0} 行出错，没有导入，这些行还没有保存。").format(errors),
            _tr("关闭后就不能再保存这些行了。保存后在 Excel 中改正，"
                "可以直接导入保存的文件。"))


# -- a file dropped ---------------------------------------------------------------------------

def several_dropped(count: int) -> str:
    return _tr("一次只能导入一个文件，拖进来的是 {0} 个：请一次拖一个文件，"
               "导入完再拖下一个。").format(count)


def folder_dropped(name: str) -> str:
    return _tr("“{0}”是一个文件夹：请打开它，把其中的台账文件拖进来。").format(name)


def not_a_ledger_dropped(name: str, suffix: str) -> str:
    text = _tr("不能导入“{0}”：只能导入 Excel（.xlsx、.xlsm、.xls）、WPS 或 LibreOffice "
               "表格（.ods）和 CSV（.csv）文件。").format(name)
    if suffix in (".et", ".ett"):  # (WPS 表格's own format)
        text += _tr("WPS 表格的 .et 文件请先用 WPS 打开，“另存为”.xlsx 后再导入。")
    return text
