"""The code lists in ``resources/codes/*.csv`` (education, nation, industry, ...).

Each file has the columns ``code,name`` and optionally ``aliases`` (spellings seen in
real ledgers, separated by ``|``) or ``note``. Codes are text: '01' is not '1'.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from laborstation.resources import resource_path, resources_dir

__all__ = ["ALL_LISTS", "Code", "CodeList", "code_list", "normalise_name"]

# A bracketed part, e.g. '（防止返贫监测对象）', after NFKC made the brackets half-width.
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    note: str = ""


def normalise_name(text: str) -> str:
    """The form names are compared in: NFKC (full-width brackets, letters and digits to
    half-width), no white space of any width, case-folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _without_brackets(key: str) -> str:
    return _BRACKETED.sub("", key)


class CodeList:
    """One code list, in file order, looked up by code or by name/alias."""

    def __init__(self, name: str, codes: list[Code]):
        self.name = name
        self._codes = tuple(codes)
        self._by_code = {c.code: c for c in self._codes}
        self._by_name: dict[str, Code] = {}
        # Earlier passes win: an exact name beats a bracket-stripped name beats an alias.
        for keys in (
            lambda c: [c.name],
            lambda c: [_without_brackets(normalise_name(c.name))],
            lambda c: c.aliases,
        ):
            for code in self._codes:
                for key in keys(code):
                    key = normalise_name(key)
                    if key:
                        self._by_name.setdefault(key, code)
        # '1' for '01' (Excel drops leading zeros), only where that is unambiguous.
        self._by_number: dict[int, Code] = {}
        clashes: set[int] = set()
        for code in self._codes:
            if code.code.isascii() and code.code.isdigit():
                number = int(code.code)
                if number in self._by_number:
                    clashes.add(number)
                self._by_number.setdefault(number, code)
        for number in clashes:
            del self._by_number[number]

    def __iter__(self) -> Iterator[Code]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def __repr__(self) -> str:
        return f"<CodeList {self.name}: {len(self)} codes>"

    def by_code(self, code: str | None) -> Code | None:
        if code is None:
            return None
        return self._by_code.get(str(code).strip())

    def by_name(self, text: str | None) -> Code | None:
        """Match a name or alias, ignoring spaces, bracket width and a bracketed part."""
        if not text:
            return None
        key = normalise_name(text)
        found = self._by_name.get(key)
        if found is None:
            stripped = _without_brackets(key)
            if stripped != key:
                found = self._by_name.get(stripped)
        return found

    def lookup(self, text: str | None) -> Code | None:
        """A code first (also '1' for '01', full-width digits), then a name or alias."""
        if text is None:
            return None
        text = str(text)
        found = self.by_code(text)
        if found is None:
            key = normalise_name(text)
            found = self._by_code.get(key.upper()) or self._by_code.get(key)
            if found is None and key.isascii() and key.isdigit():
                found = self._by_number.get(int(key))
        return found or self.by_name(text)

    def name_of(self, code: str | None) -> str:
        found = self.by_code(code)
        return found.name if found else ""

    def codes(self) -> list[str]:
        return [c.code for c in self._codes]

    def names(self) -> list[str]:
        return [c.name for c in self._codes]


def _read(name: str) -> CodeList:
    path = resource_path("codes", name + ".csv")
    codes = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            code = (row.get("code") or "").strip()
            if not code:
                continue
            aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
            codes.append(
                Code(
                    code, (row.get("name") or "").strip(), aliases, (row.get("note") or "").strip()
                )
            )
    return CodeList(name, codes)


ALL_LISTS: tuple[str, ...] = tuple(
    sorted(p.stem for p in (resources_dir() / "codes").glob("*.csv"))
)


@cache
def code_list(name: str) -> CodeList:
    """The list ``name`` (e.g. 'education'), read once."""
    if name not in ALL_LISTS:
        raise KeyError(f"unknown code list {name!r}; the lists are: {', '.join(ALL_LISTS)}")
    return _read(name)
