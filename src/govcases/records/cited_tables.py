"""Reading the cited external tables of ``data/external`` (the yardstick, the policy context).

Each is a UTF-8 CSV with a fixed header whose every row cites its page. What the tables share is
read here once: the file found through the casebook's project, the text decoded, the header checked,
and every row that is empty or has the wrong number of fields reported with its line. Each loader
checks its own columns on the rows this gives it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from govcases.records.errors import CasebookError, Problem
from govcases.records.paths import project_paths

__all__: list[str] = []


def table_path(path, cb, file: str, what: str) -> Path:
    """``path``, or the table ``file`` in the data folder of ``cb``'s project (or the default one)."""
    if path is not None:
        return Path(path)
    found = project_paths(cb.root if cb is not None else None)[1] / file
    if not found.is_file():
        raise FileNotFoundError(
            f"{found}: no {what} table in the casebook's data folder; copy data/{file} "
            "of the govcases repository there, or pass path="
        )
    return found


def read_rows(path: Path, expected: list[str]) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """The rows of a cited table as (line, {column: text}), and the problems of the rows left out.

    Raises
    ------
    CasebookError
        If the file is not UTF-8 or its header is not ``expected``: nothing of it can be read.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CasebookError(
            [Problem(str(path), None, "", f"not valid UTF-8 at byte {exc.start}", "save the table as UTF-8")]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    if header != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        detail = [f"missing {', '.join(missing)}"] if missing else []
        detail += [f"unknown {', '.join(extra)}"] if extra else []
        raise CasebookError(
            [
                Problem(
                    str(path),
                    1,
                    "",
                    f"header: {'; '.join(detail or ['columns out of order'])}",
                    f"the header must be {','.join(expected)}",
                )
            ]
        )
    rows: list[tuple[int, dict]] = []
    problems: list[Problem] = []
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            problems.append(Problem(str(path), line, "", "empty line", "delete it"))
        elif len(fields) != len(expected):
            problems.append(
                Problem(
                    str(path),
                    line,
                    "",
                    f"row has {len(fields)} fields, the header {len(expected)}",
                    "quote values that contain commas",
                )
            )
        else:
            rows.append((line, dict(zip(expected, fields))))
    return rows, problems
