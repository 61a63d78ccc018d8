"""The look: one readable font, calm colours, consistent spacing; the user's font size.

Clerks are often older, so the default is 11 pt and 设置 offers larger sizes.
The size lives in an ini file in the user's data folder (not the database: it
belongs to the person at this PC, not to the station).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from laborstation.config import data_dir

FONT_SIZES = (11, 12, 13, 15)  # points: 标准, 较大, 大, 特大
DEFAULT_SIZE = 11
SPACING = 8
_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
             "WenQuanYi Micro Hei", "PingFang SC")

ACCENT = "#2f6f9f"
STYLE_SHEET = """
QMainWindow, QDialog { background: #f6f7f9; }
#NavList { background: #24384d; color: #e8eef4; border: none; outline: 0; }
#NavList::item { padding-left: 14px; border-left: 4px solid transparent; }
#NavList::item:selected { background: #335170; border-left: 4px solid #8cc4f0; color: white; }
#NavList::item:hover:!selected { background: #2c4560; }
#PageTitle { font-size: @TITLE@pt; font-weight: 600; color: #1f2d3a; }
#Hint { color: #5d6b78; }
#CountLabel { color: #1f2d3a; font-weight: 600; }
#FieldError { color: #b3261e; }
#FieldInfo { color: #2e6b30; }
QTableView { background: white; alternate-background-color: #f3f6f9; gridline-color: #e1e5ea;
             selection-background-color: #cfe3f5; selection-color: #111; border: 1px solid #d5dbe1; }
QHeaderView::section { background: #eceff3; padding: 4px 6px; border: none;
                       border-right: 1px solid #d5dbe1; border-bottom: 1px solid #d5dbe1; }
QTreeView { background: white; border: 1px solid #d5dbe1; }
QLineEdit, QComboBox, QDateEdit, QSpinBox, QPlainTextEdit {
    padding: 3px 6px; border: 1px solid #b9c2cc; border-radius: 3px; background: white; }
QLineEdit:focus, QComboBox:focus, QDateEdit:focus, QPlainTextEdit:focus { border: 1px solid #2f6f9f; }
QLineEdit[invalid="true"] { border: 1px solid #b3261e; background: #fff6f5; }
QPushButton { padding: 5px 14px; border: 1px solid #b9c2cc; border-radius: 3px; background: white; }
QPushButton:hover { background: #eef4fa; }
QPushButton:default, QPushButton#Primary { background: #2f6f9f; color: white; border-color: #2f6f9f; }
QPushButton#Primary:disabled { background: #f0f1f3; color: #9aa4ae; border-color: #d5dbe1; }
QPushButton:disabled { color: #9aa4ae; background: #f0f1f3; }
QTabWidget::pane { border: 1px solid #d5dbe1; background: white; }
QStatusBar { background: #eceff3; }
QGroupBox { font-weight: 600; border: 1px solid #d5dbe1; border-radius: 4px; margin-top: 10px;
            padding-top: 8px; background: white; }
QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }
"""


def settings() -> QSettings:
    return QSettings(str(data_dir() / "ui.ini"), QSettings.Format.IniFormat)


def font_size() -> int:
    try:
        size = int(settings().value("font_size", DEFAULT_SIZE))
    except (TypeError, ValueError):
        size = DEFAULT_SIZE
    return size if size in FONT_SIZES else DEFAULT_SIZE


def set_font_size(size: int) -> None:
    settings().setValue("font_size", int(size))
    app = QApplication.instance()
    apply_font(app, int(size))
    app.setStyleSheet(style_sheet(int(size)))


def _family() -> str | None:
    available = set(QFontDatabase.families())
    return next((f for f in _FAMILIES if f in available), None)


def apply_font(app: QApplication, size: int | None = None) -> None:
    font = QFont(app.font())
    family = _family()
    if family:
        font.setFamily(family)
    font.setPointSize(size or font_size())
    app.setFont(font)


def style_sheet(size: int) -> str:
    return STYLE_SHEET.replace("@TITLE@", str(size + 4))


def apply(app: QApplication) -> None:
    """Font and style sheet for the whole application."""
    app.setStyle("Fusion")
    apply_font(app)
    app.setStyleSheet(style_sheet(font_size()))
