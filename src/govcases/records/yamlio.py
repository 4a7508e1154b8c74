"""Reading hand-written YAML safely, and finding the line of any field for error messages.

Records are parsed with ``yaml_rs`` (a Rust YAML 1.2 parser) because it is several times faster
than PyYAML's C loader, which matters for casebooks of thousands of districts. YAML 1.2 also
keeps ``yes``/``no``/``on`` as strings, so a value is never turned into a boolean behind the
writer's back. Line numbers are only needed when something is wrong, so they are computed on
demand with PyYAML's composer, which keeps the position of every node.

Tags are refused outright: ``yaml_rs`` would silently drop an unknown tag such as
``!!python/object/apply`` and keep its value, and a record that asks for code to run is a
mistake or an attack either way.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from govcases.records.errors import Problem

__all__ = ["YamlDoc", "read_yaml"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlDoc:
    """A parsed YAML file with its text, able to say on which line a field stands."""

    def __init__(self, path: Path, label: str, text: str, data: Any):
        self.path = path
        self.label = label
        self.text = text
        self.data = data

    @cached_property
    def _lines(self) -> dict[tuple, int]:
        lines: dict[tuple, int] = {}
        root = yaml.compose(self.text, Loader=_Loader)

        def walk(node, path):
            lines[path] = node.start_mark.line + 1
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    k = key.value
                    lines[(*path, k)] = key.start_mark.line + 1
                    walk(value, (*path, k))
                    # the key's line is more useful than a nested block's first line
                    lines[(*path, k)] = key.start_mark.line + 1
            elif isinstance(node, yaml.SequenceNode):
                for i, item in enumerate(node.value):
                    walk(item, (*path, i))

        if root is not None:
            walk(root, ())
        return lines

    def line(self, *path) -> int | None:
        """Line of the field at ``path`` (keys and list indices), or of its nearest parent."""
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get((), 1)

    def problem(self, path: tuple, message: str, hint: str = "") -> Problem:
        """A :class:`Problem` located at ``path`` in this file."""
        return Problem(self.label, self.line(*path), format_path(path), message, hint)


def format_path(path: tuple) -> str:
    """``('facts', 3, 'quote')`` -> ``'facts[3].quote'``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _tag_problems(label: str, text: str) -> list[Problem]:
    if "!" not in text:  # cheap test first: almost no record contains '!' at all
        return []
    problems = []
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, yaml.TagToken):
                handle, suffix = token.value
                problems.append(
                    Problem(
                        label,
                        token.start_mark.line + 1,
                        "",
                        f"YAML tag {handle or ''}{suffix} is not allowed",
                        "records hold plain values only; remove the tag, or quote the value if the '!' is text",
                    )
                )
    except yaml.YAMLError:
        pass  # the parser reports broken YAML with a better message
    return problems


def read_yaml(path: Path, label: str | None = None, raw: bytes | None = None) -> tuple[YamlDoc | None, list[Problem]]:
    """Read a YAML file that people write by hand.

    A file that is not UTF-8, is empty, is not valid YAML, repeats a key, or carries a tag is
    reported with the file and, where known, the line; no exception escapes for bad content. A
    byte-order mark is dropped, and dates stay text.

    Parameters
    ----------
    path : pathlib.Path
        The YAML file.
    label : str, optional
        How problems name the file (such as a path relative to the casebook); default the path.
    raw : bytes, optional
        The file's content, if the caller has read it already (it is then not read again).

    Returns
    -------
    doc : YamlDoc or None
        The parsed document with its text, or None when the file cannot be read as data.
    problems : list of Problem
        What is wrong with the file; empty when ``doc`` is not None.

    Raises
    ------
    OSError
        If the file cannot be opened.

    Examples
    --------
    >>> from govcases.records.paths import project_paths
    >>> doc, problems = read_yaml(project_paths()[0] / "codebook.yaml", "codebook.yaml")
    >>> problems, doc.label, "indicators" in doc.data
    ([], 'codebook.yaml', True)
    """
    label = label or str(path)
    raw = path.read_bytes() if raw is None else raw
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, [Problem(label, line, "", f"not valid UTF-8 (byte {err.start})", "save the file as UTF-8")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return None, [Problem(label, None, "", "the file is empty", "write a record or delete the file")]
    problems = _tag_problems(label, text)
    if problems:
        return None, problems
    try:
        # dates stay text: yaml_rs would also turn a quoted '2011-12-30' into a date, which changes
        # what the writer wrote; the models read ISO dates where a date is expected
        data = yaml_rs.loads(text, parse_datetime=False)
    except yaml_rs.YAMLDecodeError as err:
        message = str(err).strip().splitlines()
        line = _line_of_error(text, message)
        return None, [
            Problem(
                label,
                line,
                "",
                "invalid YAML: " + " ".join(m.strip(" |^") for m in message if m.strip(" |^")),
                "check indentation, colons and quotes around that line",
            )
        ]
    if data is None:
        return None, [Problem(label, None, "", "the file holds no data", "write a record or delete the file")]
    return YamlDoc(path, label, text, data), []


def _line_of_error(text: str, message: list[str]) -> int | None:
    import re

    for m in message:
        found = re.search(r"line (\d+)", m)
        if found:
            return int(found.group(1))
    # a duplicate key carries no position: find the second occurrence in PyYAML's node tree
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        return None if mark is None else mark.line + 1
    except yaml.YAMLError:
        return None
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key, value in node.value:
                if key.value in seen:
                    return key.start_mark.line + 1
                seen.add(key.value)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None
