"""Files dragged onto the main window or the import dialog: the one ledger to import, or
why what was dragged in cannot be (several files, a folder, a Word or PDF file)."""

from __future__ import annotations

from pathlib import Path

from laborstation.importing.reading import LEDGER_SUFFIXES
from ui.dialogs import import_texts as texts


def files_dragged(mime) -> bool:
    """Whether files (from the Explorer) are dragged in: a drop of them is taken, to be
    imported or told why not (not text, nor a link from a web page)."""
    return mime.hasUrls() and any(url.isLocalFile() for url in mime.urls())


def dropped(mime) -> tuple[Path | None, str]:
    """(the one spreadsheet or CSV file dragged in, "") or (None, why what was dragged in
    cannot be imported: several files, a folder, a Word or PDF file …)."""
    urls = mime.urls() if mime.hasUrls() else []
    if len(urls) > 1:
        return None, texts.several_dropped(len(urls))
    if not urls or not urls[0].isLocalFile():
        return None, ""
    path = Path(urls[0].toLocalFile())
    if path.is_dir():
        return None, texts.folder_dropped(path.name)
    if path.suffix.lower() not in LEDGER_SUFFIXES:
        return None, texts.not_a_ledger_dropped(path.name, path.suffix.lower())
    return path, ""
