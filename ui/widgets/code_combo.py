"""A combo box over a code list that the clerk can type into to search (名称 or 代码)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter

from laborstation.codes import code_list


class CodeCombo(QComboBox):
    """Items are the names of ``code_list(name)``; ``code()`` / ``set_code()`` speak codes.

    Typing filters the list by any part of the name ("汉" finds 汉族); the code
    itself also works ("01"). An optional blank first entry stands for "not given".
    """

    def __init__(self, list_name: str, *, blank: str | None = None, parent=None):
        super().__init__(parent)
        self.codes = code_list(list_name)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        if blank is not None:
            self.addItem(blank, None)
        for code in self.codes:
            self.addItem(code.name, code.code)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.lineEdit().editingFinished.connect(self._resolve_typed)

    def code(self) -> str | None:
        self._resolve_typed()
        return self.currentData()

    def set_code(self, code: str | None) -> None:
        index = self.findData(code) if code is not None else (0 if self.itemData(0) is None else -1)
        self.setCurrentIndex(max(index, 0))

    def _resolve_typed(self) -> None:
        text = self.currentText().strip()
        if self.currentIndex() >= 0 and self.itemText(self.currentIndex()) == text:
            return
        found = self.codes.lookup(text) if text else None
        if found is not None:
            self.setCurrentIndex(self.findData(found.code))
        elif not text and self.itemData(0) is None:
            self.setCurrentIndex(0)
        elif text:  # a part of a name: the first entry that contains it (the completer's pick)
            index = self.findText(text, Qt.MatchFlag.MatchContains)
            if index >= 0:
                self.setCurrentIndex(index)
