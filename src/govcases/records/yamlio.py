"""Reading hand-written YAML safely, and finding the line of any field for error messages.

Records are parsed with ``yaml_rs`` (a Rust YAML 1.2 parser) because it is several times faster
than PyYAML's C loader, which matters for casebooks of thousands of districts. YAML 1.2 also
keeps ``yes``/``no``/``on`` as strings, so a value is never turned into a boolean behind the
writer's back. Line numbers are only needed when something is wrong, so they are computed on
demand with PyYAML's composer, which keeps the position of every node.

Tags are refused outright: ``yaml_rs`` would silently drop an unknown tag such as
``!!python/object/apply`` and keep its value, and a record that asks for code to run is a
mistake or an attack either way.

Work is bounded for any input. Before ``yaml_rs`` sees a text, it is checked for what would make
it read something else or not return: forbidden characters (:mod:`govcases.records.characters`;
a NUL makes ``yaml_rs`` stop reading), and, only in the rare text holding ``! & * ?`` or a tab, its
tokens (tags, complex keys and nesting deeper than :data:`MAX_DEPTH`). Compact nesting on one line
(``- - - -``), which ``yaml_rs`` follows recursively until the process crashes, is refused from
the text. Aliases are expanded by ``yaml_rs`` up to a million nodes (an alias bomb is refused as
invalid YAML), and the line lookups visit each node once, however often aliases repeat it.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from govcases.records.characters import FORBIDDEN_CHARACTERS, describe_character, forbidden_character
from govcases.records.errors import Problem

__all__ = ["MAX_DEPTH", "YamlDoc", "read_yaml"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: How deeply lists and mappings may nest in a hand-written file. A record nests four levels
#: (facts, a fact, its period); the codebook three.
MAX_DEPTH = 16

# One scan finds both a forbidden character and the few characters that call for a look at the
# tokens ('!' tag, '&' anchor, '*' alias, '?' explicit key, tab): most files hold none of them.
_RARE = re.compile(FORBIDDEN_CHARACTERS[:-1] + "!&*?\t]")
# Compact nesting on one line ("- - - - x"), which needs no indentation to go deep.
_COMPACT = re.compile(r"-(?:[ \t]+-){7}(?:[ \t]|$)", re.MULTILINE)
# A plain number in another base, which yaml_rs reads as an integer (0x7D8 is 2008).
# Written as a whole value (after ':', '-', '[', '{' or ','), not inside a text or a comment.
_NONDECIMAL = re.compile(
    r"(?:^|(?<=[:\[{,-]))[ \t]*([-+]?0(?:[xX][0-9A-Fa-f_]+|[oO][0-7_]+|[bB][01_]+))(?=[ \t]*(?:[,\]}#]|$))",
    re.MULTILINE,
)
# A line indented this far may be deeply nested: the tokens tell.
_DEEP_INDENT = "\n" + " " * 48
_COLLECTION_START = (
    yaml.BlockSequenceStartToken,
    yaml.BlockMappingStartToken,
    yaml.FlowSequenceStartToken,
    yaml.FlowMappingStartToken,
)
_COLLECTION_END = (yaml.BlockEndToken, yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)


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
        try:
            root = yaml.compose(self.text, Loader=_Loader)
        except (yaml.YAMLError, RecursionError):
            # PyYAML (YAML 1.1) may refuse what yaml_rs (1.2) read: the problems then go without a line
            return {(): None}

        seen: set[int] = set()

        def walk(node, path):
            lines[path] = node.start_mark.line + 1
            if id(node) in seen:  # an alias: its fields are found at the anchor's lines, through the parent
                return
            seen.add(id(node))
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    # a list or mapping as a key is reported by its parent's line
                    k = key.value if isinstance(key, yaml.ScalarNode) else repr(key.start_mark)
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

    @cached_property
    def nondecimal_number(self) -> tuple[int, str] | None:
        """(line, text) of the first number written in hexadecimal, octal or binary, or None."""
        found = _NONDECIMAL.search(self.text)
        return None if found is None else (self.text.count("\n", 0, found.start()) + 1, found.group(1))

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


def _text_problems(label: str, text: str) -> tuple[list[Problem], bool]:
    """What is wrong with a text before it is parsed, and whether its tokens could not be checked."""
    problems = []
    found = _RARE.search(text)
    if found is not None:
        at = forbidden_character(text[found.start() :])
        if at is not None:
            at += found.start()
            char = text[at]
            line = text.count("\n", 0, at) + 1
            column = at - text.rfind("\n", 0, at)
            problems.append(
                Problem(
                    label,
                    line,
                    "",
                    f"character {describe_character(char)} at column {column} is not allowed",
                    "delete it: files people write hold no control characters or direction marks "
                    "(retype the text around it if it came from a copy)",
                )
            )
            return problems, False  # the tokens after it cannot be trusted
    compact = _COMPACT.search(text)
    if compact is not None:
        problems.append(
            Problem(
                label,
                text.count("\n", 0, compact.start()) + 1,
                "",
                "lists nested eight or more deep on one line",
                "a record nests a few levels at most; write each list item on its own line",
            )
        )
        return problems, False
    if found is None and _DEEP_INDENT not in text:  # most records: none of '!&*?', no tab, shallow
        return problems, False
    try:
        problems += _token_problems(label, text)
    except yaml.YAMLError:
        return problems, True  # broken YAML, or YAML that PyYAML cannot read: see read_yaml
    return problems, False


def _token_problems(label: str, text: str) -> list[Problem]:
    """Tags, complex keys and deep nesting, from the tokens."""
    problems = []

    def refuse(token, message: str, hint: str) -> None:
        problems.append(Problem(label, token.start_mark.line + 1, "", message, hint))

    depth, previous = 0, None
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, yaml.TagToken):
            handle, suffix = token.value
            refuse(
                token,
                f"YAML tag {handle or ''}{suffix} is not allowed",
                "records hold plain values only; remove the tag, or quote the value if the '!' is text",
            )
        elif isinstance(token, _COLLECTION_START):
            depth += 1
            if depth > MAX_DEPTH:
                refuse(token, f"lists and mappings nested more than {MAX_DEPTH} deep", "a record nests a few levels")
                return problems  # nothing deeper is worth reading
            if isinstance(previous, yaml.KeyToken):
                refuse(token, "a list or mapping used as a key", "keys are plain names such as 'quote'")
        elif isinstance(token, _COLLECTION_END):
            depth -= 1
        previous = token
    return problems


def read_yaml(path: Path, label: str | None = None, raw: bytes | None = None) -> tuple[YamlDoc | None, list[Problem]]:
    """Read a YAML file that people write by hand.

    A file that cannot be read (missing, a folder, a dangling link), is not UTF-8, is empty, is
    not valid YAML, holds more than one document, repeats a key, carries a tag, a forbidden
    character (:mod:`govcases.records.characters`, also written as an escape), an anchor on a
    list or mapping or a complex key, or nests too deep is reported with the file and, where
    known, the line; no exception escapes. A byte-order mark is dropped, and dates stay text.

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

    Examples
    --------
    >>> from govcases.records.paths import project_paths
    >>> doc, problems = read_yaml(project_paths()[0] / "codebook.yaml", "codebook.yaml")
    >>> problems, doc.label, "indicators" in doc.data
    ([], 'codebook.yaml', True)
    """
    label = label or str(path)
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as err:
            return None, [_unreadable(label, path, err)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, [Problem(label, line, "", f"not valid UTF-8 (byte {err.start})", "save the file as UTF-8")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return None, [Problem(label, None, "", "the file is empty", "write a record or delete the file")]
    problems, unchecked = _text_problems(label, text)
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
    if unchecked:
        # yaml_rs read what PyYAML could not scan: whether it holds a tag cannot be told
        return None, [
            Problem(
                label,
                None,
                "",
                "this YAML cannot be checked for tags, anchors and complex keys",
                "write it plainly: no '!', '&', '*' or '?' outside quotes, spaces instead of tabs",
            )
        ]
    if data is None:
        return None, [Problem(label, None, "", "the file holds no data", "write a record or delete the file")]
    if isinstance(data, list):
        second = _second_document(text)
        if second is not None:
            return None, [
                Problem(
                    label,
                    second,
                    "",
                    "a second YAML document starts here",
                    "a file holds one document: remove the '---' (and what follows it, if it is not part of this file)",
                )
            ]
    doc = YamlDoc(path, label, text, data)
    if "\\" in text:  # an escape in a double-quoted string can write any character
        problems = [
            doc.problem(at, f"character {describe_character(char)} is not allowed", "remove the escape that writes it")
            for at, char in _escaped_characters(data)
        ]
        if problems:
            return None, problems
    return doc, []


def _unreadable(label: str, path: Path, err: OSError) -> Problem:
    if path.is_dir():
        message, hint = "is a folder, not a file", "move the folder out, or give the file's path"
    elif path.is_symlink() and not path.exists():
        message, hint = "is a link to a file that does not exist", "remove the link or restore its file"
    else:
        message, hint = f"cannot be read ({err.strerror or err})", "check that the file exists and is readable"
    return Problem(label, None, "", message, hint)


def _second_document(text: str) -> int | None:
    """Line where a second YAML document starts, or None."""
    seen = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                seen += 1
                if seen == 2:
                    return event.start_mark.line + 1
    except yaml.YAMLError:
        return None
    return None


def _escaped_characters(data: Any) -> list[tuple[tuple, str]]:
    """(path, character) of the first forbidden character of each text in the data, keys included."""
    found, stack = [], [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                for text in (key, value):
                    if isinstance(text, str):
                        at = forbidden_character(text)
                        if at is not None:
                            found.append(((*path, key), text[at]))
                if isinstance(value, (dict, list)):
                    stack.append(((*path, key), value))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, str):
                    at = forbidden_character(value)
                    if at is not None:
                        found.append(((*path, i), value[at]))
                elif isinstance(value, (dict, list)):
                    stack.append(((*path, i), value))
    return sorted(found, key=lambda f: str(f[0]))


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
    stack, seen_nodes = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:  # an alias repeats a node: look at each once, or aliases of aliases explode
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    continue
                if key.value in seen:
                    return key.start_mark.line + 1
                seen.add(key.value)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None
