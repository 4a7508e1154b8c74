"""Problems found in user-written files, reported all at once with file, line and field."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CasebookError", "Problem"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one place of one file.

    Parameters
    ----------
    file : str
        Path of the file, as given to the loader.
    line : int or None
        1-based line number, or None when the problem concerns the whole file.
    field : str
        Dotted path of the field (``facts[3].quote``), or ``""`` for the file itself.
    message : str
        What is wrong.
    hint : str
        What to do about it.
    """

    file: str
    line: int | None
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}:{field} {self.message}{hint}"


class CasebookError(ValueError):
    """Raised when one or more files of a casebook are invalid.

    ``problems`` holds every problem found, sorted by file and line, so a user can fix them in
    one pass instead of one rerun per error.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field, p.message))
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the casebook:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))
