"""The return workbook: written, read back with openpyxl, checksum recomputed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from test_indicators import EXPECTED, build_sample

from laborstation.cli import main
from laborstation.returns.reader import ReturnFileError, read_return
from laborstation.returns.submission import export_return
from laborstation.returns.workbook import file_sha256


@pytest.fixture
def exported(store, tmp_path):
    ids = build_sample(store)
    path = tmp_path / "return.xlsx"
    data, sha = export_return(store, "2026-10", path)
    return ids, data, sha, path


def _rows_by_code(ws):
    header = next(
        r for r in ws.iter_rows(min_row=1, max_row=10) if any(c.value == "代码" for c in r)
    )
    names = [c.value for c in header]
    assert names == [
        "指标名称",
        "代码",
        "计量单位",
        "本月",
        "本年累计",
        "年度目标",
        "完成目标(%)",
        "上年同期累计",
        "同比增减(%)",
    ]
    out = {}
    for row in ws.iter_rows(min_row=header[0].row + 1):
        code = row[1].value
        if isinstance(code, str) and code.isdigit():
            out[code] = row
    return out


def test_the_return_sheet_holds_every_figure_as_a_number(exported):
    _ids, _data, sha, path = exported
    assert sha == file_sha256(path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["月报表", "分村统计", "转移就业花名册", "培训花名册", "_meta"]
    assert wb["_meta"].sheet_state == "hidden"
    ws = wb["月报表"]
    assert ws["A1"].value == "农村劳动力转移就业和技能培训情况月报表"
    assert "A1:I1" in {str(r) for r in ws.merged_cells.ranges}
    assert "填报单位：张庄乡" in [c.value for c in ws[2]]
    assert "区划代码：410926209000" in [c.value for c in ws[2]]
    assert "报告期：2026年10月" in [c.value for c in ws[2]]
    rows = _rows_by_code(ws)
    assert list(rows) == list(EXPECTED)
    for code, (month, year, last) in EXPECTED.items():
        cells = rows[code]
        assert cells[1].data_type == "s"  # the code is text
        assert [
            Decimal(str(c.value)) if c.value is not None else None
            for c in (cells[3], cells[4], cells[7])
        ] == [month, year, last], code
        for cell in cells[3:]:
            assert cell.value is None or isinstance(cell.value, int | float)
    assert rows["209"][3].number_format == "#,##0.00"
    assert rows["210"][3].number_format == "0.0" and rows["101"][3].number_format == "#,##0"
    # targets, completion and year-on-year
    assert [rows["201"][i].value for i in (5, 6, 8)] == [10, 30.0, 200.0]
    assert [rows["209"][i].value for i in (5, 6, 8)] == [5, 66.2, -34.2]
    assert [rows["301"][i].value for i in (5, 6, 8)] == [20, 25.0, 400.0]
    assert rows["101"][8].value == -42.9
    assert rows["203"][8].value is None  # LY is 0: not applicable
    assert rows["210"][5].value is None and rows["210"][8].value is None
    assert rows["102"][1].value == "102" and rows["102"][0].alignment.indent == 2
    footer = " ".join(
        str(c.value) for row in ws.iter_rows(min_row=ws.max_row - 1) for c in row if c.value
    )
    for words in ("单位负责人", "填表人", "联系电话", "报出日期"):
        assert words in footer


def test_print_setup_and_layout(exported):
    ws = load_workbook(exported[3])["月报表"]
    assert ws.freeze_panes == "A4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 1
    assert ws.print_title_rows == "$3:$3"
    assert ws.print_area.startswith("'月报表'!$A$1:$I$")
    assert ws.column_dimensions["A"].width >= 30
    assert ws["A4"].value == "一、劳动力资源" and ws["D3"].border.left.style == "thin"
    assert "&P" in ws.oddFooter.center.text


def test_village_sheet_and_rosters(exported):
    ids, _data, _sha, path = exported
    wb = load_workbook(path)
    ws = wb["分村统计"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4) if r[1].value]
    assert rows[0][:3] == [1, "东村", "410926209001"]
    assert rows[0][3:] == [2, 1, 2, 1, 3.31, 3, 1]
    assert rows[1][3:] == [2, 1, 1, 1, 0, 2, 1]
    assert rows[2][1] == "合计" and rows[2][3:] == [4, 2, 3, 2, 3.31, 5, 2]
    placements = [[c.value for c in r] for r in wb["转移就业花名册"].iter_rows(min_row=4)]
    assert [r[:4] for r in placements] == [[1, "东村", "甲男", "男"], [2, "西村", "癸男", "男"]]
    first = placements[0]
    assert isinstance(first[4], str) and len(first[4]) == 18
    assert first[5].date().isoformat() == "2026-10-10"
    assert first[6:] == ["北京市", "省外", "北京建工", "建筑业", "自发", 8000]
    assert placements[1][10:] == ["有组织", None]
    training = [[c.value for c in r] for r in wb["培训花名册"].iter_rows(min_row=4)]
    assert len(training) == 4
    assert training[0][2] == "甲男" and training[0][5:9] == ["引导班", "引导性培训", "其他", "电工"]
    assert training[0][11] == "培训合格证书 Z001"
    assert training[1][5:8] == ["提升班", "岗位技能提升培训", "定向培训"]


def test_meta_and_checksum_round_trip(exported, tmp_path):
    _ids, data, _sha, path = exported
    meta = {r[0].value: r[1].value for r in load_workbook(path)["_meta"].iter_rows()}
    assert meta["format"] == "LaborStation-Return" and meta["format_version"] == 1
    assert meta["unit_code"] == "410926209000" and meta["unit_name"] == "张庄乡"
    assert meta["period"] == "2026-10" and meta["revision"] == 0
    assert meta["figures_sha256"] == data.checksum and len(data.checksum) == 64
    back = read_return(path)
    assert back.checksum_ok and back.figures == data.figures()
    assert back.value("209", "本年累计") == Decimal("3.31")
    # a figure altered by hand no longer matches
    wb = load_workbook(path)
    ws = wb["月报表"]
    _rows_by_code(ws)["201"][3].value = 3
    altered = tmp_path / "altered.xlsx"
    wb.save(altered)
    assert not read_return(altered).checksum_ok


def test_reading_a_file_that_is_not_a_return(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(ReturnFileError, match="不是有效的 Excel"):
        read_return(junk)


def test_cut_off_day_moves_the_windows(store, tmp_path):
    build_sample(store)
    from laborstation.services.station import set_station

    set_station(store, name="张庄乡", code="410926209000", cutoff_day=20)
    data, _ = export_return(store, "2026-10", tmp_path / "r.xlsx")
    assert (data.month.start.isoformat(), data.month.end.isoformat()) == (
        "2026-09-21",
        "2026-10-20",
    )
    assert data.value("201") == 2  # 10-05 and 10-10 are inside
    assert data.value("301") == 3  # 提升班 ends 10-30: next period
    assert data.value("101") == 4


def test_return_command_writes_the_file(store, tmp_path, capsys):
    build_sample(store)
    out = tmp_path / "cli.xlsx"
    assert main(["return", "2026-10", "--db", _db(store), "--out", str(out)]) == 0
    assert "已导出 2026年10月月报" in capsys.readouterr().out
    assert read_return(out).checksum_ok
    assert main(["return", "2026-13", "--db", _db(store), "--out", str(out)]) == 2
    assert "报告期" in capsys.readouterr().err


def test_return_command_takes_a_name_without_xlsx_and_refuses_a_folder(store, tmp_path, capsys):
    build_sample(store)
    assert main(["return", "2026-10", "--db", _db(store), "--out",
                 str(tmp_path / "城关镇 10月 月报")]) == 0
    assert read_return(tmp_path / "城关镇 10月 月报.xlsx").checksum_ok
    assert "城关镇 10月 月报.xlsx" in capsys.readouterr().out
    folder = tmp_path / "月报"
    folder.mkdir()
    assert main(["return", "2026-10", "--db", _db(store), "--out", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "是一个文件夹" in err and "程序内部错误" not in err
    assert list(folder.iterdir()) == []


def _db(store) -> str:
    """--db for the store under test: its SQLite file or the PostgreSQL URL."""
    return store.engine.url.render_as_string(hide_password=False)
