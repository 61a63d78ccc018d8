"""The main window: navigation on the left, one page at a time, menus and the status bar."""

from __future__ import annotations

import importlib
from datetime import date

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from laborstation import __version__
from laborstation.periods import Period
from laborstation.services import browse_households
from laborstation.services.station import get_station
from ui.pages.placeholder import PlaceholderPage
from ui.pages.recycle_bin import RecycleBinPage
from ui.pages.register import RegisterPage
from ui.pages.settings import SettingsPage
from ui.register_actions import RegisterActions
from ui.tasks import TaskRunner
from ui.widgets.lazy_page import LazyPage
from ui.widgets.screen_fit import fit_to_screen


def _pages(tr) -> list[tuple[str, str, str]]:
    """(key, navigation text, what a page that a later issue fills will hold)."""
    return [
        ("dashboard", tr("工作台"), tr("本月各项指标的完成进度、待办事项（未填写去向、未结业培训、待回访）和最近的操作。")),
        ("register", tr("户籍台账"), ""),
        ("training", tr("技能培训"), tr("培训班登记、学员报名、结业与证书，按培训类型和方式统计。")),
        ("placement", tr("转移就业"), tr("转移就业（劳务输出）登记：去向、用工单位、行业、工资，返乡登记。")),
        ("jobs", tr("用工信息"), tr("用工单位、岗位信息的发布与用工意向匹配。")),
        ("assistance", tr("就业援助"), tr("就业困难人员认定、零就业家庭和公益性岗位安置。")),
        ("rights", tr("劳动维权"), tr("维权案件受理、办理和结案，跟踪回访与慰问记录。")),
        ("returns", tr("月报"), tr("生成、校验、报送和导出《农村劳动力转移就业和技能培训情况月报表》。")),
        ("charts", tr("统计图表"), tr("转移就业、培训和劳动力资源的趋势图与构成图。")),
        ("settings", tr("设置"), ""),
        ("recycle", tr("回收站"), ""),
        ("consolidation", tr("县级汇总"), ""),
        ("audit", tr("审计日志"), ""),
        ("backups", tr("数据备份"), ""),
    ]


class MainWindow(QMainWindow):
    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.tasks = TaskRunner(self)
        self.station = get_station(store)
        fit_to_screen(self, (1280, 800), (960, 600))
        self.setWindowTitle("LaborStation")

        self.nav = QListWidget(self)
        self.nav.setObjectName("NavList")
        self.nav.setFixedWidth(124)
        self.stack = QStackedWidget(self)
        self.pages: dict[str, QWidget] = {}
        for number, (key, text, hint) in enumerate(_pages(self.tr)):
            page = self._make_page(key, text, hint)
            self.pages[key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(text, self.nav)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(120, self.fontMetrics().height() + 20))
            if number < 10:
                item.setToolTip(f"{text}（Ctrl+{(number + 1) % 10}）")
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.register: RegisterPage = self.pages["register"]  # type: ignore[assignment]
        self.actions = RegisterActions(self, store, self.tasks, self.register)
        self.actions.changed.connect(self.refresh_status)
        self.pages["recycle"].restored.connect(self.actions.after_change)
        self.pages["settings"].font_changed.connect(lambda _size: self.register._set_mode(
            self.register.mode))
        self.register.counts_changed.connect(self._show_matches)
        self._build_menus()
        self._build_status_bar()
        self.setAcceptDrops(True)  # an Excel ledger dragged onto the window: 导入台账
        self._show_matches(self.register.model.rowCount())
        self.update_title()
        self.show_page("register")
        from ui import session

        session.install(self)  # login-dependent: user in title, idle lock, auto backup, roles

    # -- pages --------------------------------------------------------------------------------

    def _make_page(self, key: str, text: str, hint: str) -> QWidget:
        if key == "register":
            return RegisterPage(self.store, self)
        if key == "settings":
            return SettingsPage(self.store, self)
        if key == "recycle":
            return RecycleBinPage(self.store, self.tasks, self)
        lazy = {
            "dashboard": ("ui.pages.dashboard", "DashboardPage"),
            "returns": ("ui.pages.returns", "ReturnsPage"),
            "consolidation": ("ui.pages.consolidation", "ConsolidationPage"),
            "audit": ("ui.pages.audit", "AuditPage"),
            "backups": ("ui.pages.backups", "BackupsPage"),
        }
        if key in lazy:
            module, name = lazy[key]

            def make(holder, module=module, name=name):
                page_class = getattr(importlib.import_module(module), name)
                return page_class(self.store, self.tasks, holder)

            return LazyPage(make, self)
        return PlaceholderPage(text, self.tr("这一页将包含：") + hint, self)

    def show_page(self, key: str) -> None:
        keys = list(self.pages)
        self.nav.setCurrentRow(keys.index(key))
        self.nav.scrollToTop()

    def current_page_key(self) -> str:
        return list(self.pages)[self.stack.currentIndex()]

    # -- menus and shortcuts ------------------------------------------------------------------

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("文件(&F)"))
        self._action(file_menu, self.tr("刷新"), self.actions.after_change, QKeySequence.StandardKey.Refresh)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("退出"), self.close, "Ctrl+Q")
        edit = bar.addMenu(self.tr("台账(&E)"))
        self._action(edit, self.tr("新增人员…"), self.actions.new_person, "Ctrl+N")
        self._action(edit, self.tr("新增户…"), self.actions.new_household, "Ctrl+Shift+N")
        self._action(edit, self.tr("导入台账…"), self.actions.import_ledger, "Ctrl+I")
        self._action(edit, self.tr("查找"), self._find, "Ctrl+F")
        self._action(edit, self.tr("清除筛选"), self.register.filters.clear, "Ctrl+Shift+F")
        edit.addSeparator()
        self._action(edit, self.tr("回收站"), lambda: self.show_page("recycle"))
        go = bar.addMenu(self.tr("转到(&G)"))
        for number, (key, text, _hint) in enumerate(_pages(self.tr)[:10]):
            self._action(go, text, lambda _=False, k=key: self.show_page(k),
                         f"Ctrl+{(number + 1) % 10}")
        help_menu = bar.addMenu(self.tr("帮助(&H)"))
        self._action(help_menu, self.tr("快捷键"), self._show_keys, "F1")
        self._action(help_menu, self.tr("关于"), self._about)

    # -- a ledger dropped on the window ------------------------------------------------------

    def _droppable(self, event) -> bool:
        """Files dragged in by a clerk who may import: taken, to be imported or to be told
        why not (a Word file, two files); nothing for a viewer nor while locked."""
        from laborstation.services import authz
        from ui.dialogs.ledger_drops import files_dragged

        if not authz.can(self.store, authz.WRITE) or self.idle_lock.is_locked:
            return False
        return files_dragged(event.mimeData())

    def dragEnterEvent(self, event) -> None:
        if self._droppable(event):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        from ui.dialogs.ledger_drops import dropped

        if not self._droppable(event):
            return
        event.acceptProposedAction()
        path, problem = dropped(event.mimeData())
        if path is not None:
            self.actions.import_ledger(path)
        elif problem:  # (open(), not exec(): the Explorer waits for the drop to end)
            box = QMessageBox(QMessageBox.Icon.Information, self.tr("导入台账"), problem,
                              QMessageBox.StandardButton.Ok, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def _find(self) -> None:
        self.show_page("register")
        self.register.focus_search()

    def _show_keys(self) -> None:
        QMessageBox.information(self, self.tr("快捷键"), self.tr(
            "Ctrl+1 … Ctrl+0  切换页面\nCtrl+F  查找人员\nCtrl+N  新增人员\n"
            "Ctrl+Shift+N  新增户\nCtrl+I  导入台账（Excel、WPS、CSV）\nEnter  打开所选人员；表单中转到下一项\n"
            "Ctrl+Enter  保存表单\nDelete  删除所选（放入回收站）\nF5  刷新"))

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("关于"), self.tr(
            "LaborStation {0}\n乡镇劳动保障所 实名制台账、培训、转移就业与月报").format(__version__))

    # -- title and status bar -----------------------------------------------------------------

    def update_title(self) -> None:
        self.station = get_station(self.store)
        name = self.station.name if self.station else self.tr("未设置填报单位")
        from ui.session import title_suffix

        self.setWindowTitle(f"{name} — {self.tr('劳动保障所台账')} — {self.store.display_name}"
                            f"{title_suffix(self.store)}")

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.db_label = QLabel(self)
        self.records_label = QLabel(self)
        self.matches_label = QLabel(self)
        self.period_label = QLabel(self)
        bar.addWidget(self.db_label, 1)
        bar.addPermanentWidget(self.matches_label)
        bar.addPermanentWidget(self.records_label)
        bar.addPermanentWidget(self.period_label)
        self.refresh_status()

    def refresh_status(self) -> None:
        self.update_title()
        self.db_label.setText(self.tr("数据库：") + self.store.display_name)
        totals = browse_households.totals(self.store)
        self.records_label.setText(self.tr("共 {0} 户 {1} 人").format(
            f"{totals['households']:,}", f"{totals['persons']:,}"))
        cutoff = self.station.cutoff_day if self.station else None
        period = Period.containing(date.today(), cutoff)
        self.period_label.setText(self.tr("当前报告期：") + period.label)

    def _show_matches(self, count: int) -> None:
        self.matches_label.setText(self.tr("当前列表 {0} 条").format(f"{count:,}"))

    def closeEvent(self, event) -> None:
        self.tasks.shutdown()
        if hasattr(self, "idle_lock"):
            self.idle_lock.stop()
        if hasattr(self, "auto_backup") and not getattr(self, "replaced", False):
            self.auto_backup.on_close()  # a last copy when anything changed, then thinning
        super().closeEvent(event)
