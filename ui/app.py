"""Start-up: the application, the store, the first-run setup, the main window.

``laborstation`` with no subcommand calls ``run(db)`` (through ``laborstation._gui``).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEventLoop, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialog

from laborstation.services import browse_households
from laborstation.services.station import get_station
from ui import style

APP_NAME = "LaborStation"


def application() -> QApplication:
    """The one QApplication (made here, or the one a test or the bench already made)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName(APP_NAME)
        app.setApplicationDisplayName("劳动保障所台账")
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        translator = QTranslator(app)
        if translator.load(QLocale(), "qtbase", "_", _qt_translations()):
            app.installTranslator(translator)
        style.apply(app)
    return app  # type: ignore[return-value]


def _qt_translations() -> str:
    from PySide6.QtCore import QLibraryInfo

    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def needs_setup(store) -> bool:
    return get_station(store) is None and browse_households.totals(store)["persons"] == 0


def generate_demo(store, parent=None, scale: str = "station") -> bool:
    """Fill the store with the station demo on the worker, with the progress dialog."""
    from laborstation.demo import generate
    from ui.tasks import TaskRunner

    runner = TaskRunner(parent)
    loop = QEventLoop()
    outcome: list[bool] = []

    def done(_counts) -> None:
        outcome.append(True)
        loop.quit()

    def failed(error) -> None:
        from ui.tasks import show_error

        outcome.append(False)
        show_error(parent, error)
        loop.quit()

    runner.run(lambda: generate(store, scale=scale, seed=1),
               title="正在生成演示数据…", on_done=done, on_error=failed)
    if not outcome:
        loop.exec()
    runner.shutdown()
    return bool(outcome and outcome[0])


def first_run(store) -> bool:
    """The setup dialog when the database is new; False when the clerk chose to quit."""
    from ui.dialogs.setup import DEMO, SetupDialog

    if not needs_setup(store):
        return True
    dialog = SetupDialog(store)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    if dialog.choice == DEMO:
        return generate_demo(store)
    return True


def open_main_window(store):
    from ui.main_window import MainWindow
    from ui.register_actions import warm_up

    window = MainWindow(store)
    window.show()
    warm_up()
    return window


def run(db: str | None) -> int:
    from ui import session

    app = application()
    store = session.open_database(db)  # this program alone; in use / damaged: a dialog
    if store is None:
        return 2
    try:
        if not first_run(store):
            return 0
        station = get_station(store)
        if not session.sign_in(store, station_name=station.name if station else ""):
            return 0
        window = open_main_window(store)
        code = app.exec()
        del window
        return int(code)
    finally:
        store.close()
        replacement = session.current.get("store")  # after a restore, the reopened store
        if replacement is not None and replacement is not store:
            replacement.close()
