"""``UnreadableFile``: a file the import cannot read (exit code 2), with the reason in Chinese.

Its own module so that the threads reading a big sheet (``sheet_rows``) raise the same
error as ``reading`` does, without importing it.
"""

from __future__ import annotations

from laborstation.errors import UserError


class UnreadableFile(UserError):
    """The file is not a spreadsheet we can read (or has no recognisable header)."""

    exit_code = 2


def out_of_memory(name: str) -> UnreadableFile:
    """The computer ran out of memory reading file ``name``: never called damaged (the
    file is usually whole, with a cell typed far below or right of the table)."""
    return UnreadableFile(
        f"读取文件 {name} 时电脑内存不足，没有读完（文件本身不一定有问题）。常见原因是表格"
        "末尾有大量空行或空列：在 Excel/WPS 中按 Ctrl+End 可以看到表格的最后一个单元格，"
        "请删除最后一行数据下面和最后一列右边多余的行和列，保存后再导入；或关闭其他程序后重试。"
    )


def damaged(name: str, what: str) -> UnreadableFile:
    """File ``name`` is a workbook of format ``what`` (Excel（.xlsx）…) that cannot be read:
    truncated, missing a part, its XML broken. The reader's own words (English) are not
    for the clerk: they stay on the error this one is raised from."""
    return UnreadableFile(
        f"文件 {name} 已损坏或不完整，无法按 {what}格式读取：请用 Excel/WPS 打开后另存为一份"
        "再导入，或向发来文件的人重新要一份。"
    )


def formulas_without_values(name: str, sheet: str, cells: list[str]) -> UnreadableFile:
    """Formula cells of sheet ``sheet`` saved without their result (``cells``: the first
    refs found): calamine would read them as empty, so the file is not read so."""
    where = "、".join(cells[:3]) + (" 等" if len(cells) > 3 else " ")
    return UnreadableFile(
        f"文件 {name} 工作表「{sheet}」的单元格 {where}是公式但没有保存计算结果"
        "（多见于其他程序生成的表格），按原样导入会是空的："
        "请用 Excel/WPS 打开并保存后再导入。"
    )
