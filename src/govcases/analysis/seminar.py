"""Seminar exercises: checking students' answers against an answer key, and recoding one condition.

Notebook 06 asks questions about the cases; students type their answer into a form (:func:`form`, one
``part: value`` per line, read by :func:`parse_answer`) or compute a dict, and :func:`check` compares it with
the answer key ``govcases/analysis/keys/seminar-exercises.yaml`` and says in words what a wrong part missed.
The key lists the districts it was written for (:func:`key_districts`); the notebook uses only those.
The key holds, for every exercise, the expected answer, a hint shown when the answer is not yet
right, and an explanation for the teacher with the fact ids the answer rests on. Its numbers
were worked out by hand from the facts, so a test that runs the library's functions and checks
the result against the key tests the library as well as the key.

An expected answer is either one *spec* or a mapping from part names to specs (the answer is then a
dict with those keys). A spec is a mapping with exactly one of these keys:

==============  =================================================================================
``string``      a text, compared without regard to case or surrounding blanks
``one_of``      a list of texts, any of which is right
``boolean``     true or false
``number``      a number; needs ``tolerance`` (the largest absolute difference accepted)
``between``     ``[low, high]``: any number in the closed interval is right (``.inf`` allowed)
``interval``    ``[low, high]``: the answer is itself an interval (a pair, or an object with
                ``low`` and ``high``); needs ``tolerance``, which each end must keep to
``set``         a list of texts (ids), compared as sets: order and repeats do not matter
==============  =================================================================================

The module also lets a seminar flip one cell of the rule-coded condition matrix and rerun the
comparison on it (:func:`recode`, :func:`rerun`, :func:`compare_runs`, :func:`recode_effect`) without
touching the rules: a coding decision the evidence leaves open can be argued both ways and its weight seen.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from govcases.records.casebook import Casebook

__all__ = [
    "KEY_PATH",
    "SPEC_KINDS",
    "UnknownExercise",
    "Verdict",
    "check",
    "compare_runs",
    "conversion_pair",
    "form",
    "key_districts",
    "load_key",
    "parse_answer",
    "partition",
    "quotes",
    "recode",
    "recode_effect",
    "rerun",
    "show",
]

#: The answer key of notebook 06. It lives with the notebook, not with the casebook: a copy of the
#: project with another casebook (``GOVCASES_CASEBOOK``) still checks against this key.
#: The answer key is package data beside this module, so an installed package can check answers.
KEY_PATH = Path(__file__).resolve().parent / "keys" / "seminar-exercises.yaml"

#: The kinds of expected answer a key may hold (see the module docstring).
SPEC_KINDS = ("string", "one_of", "boolean", "number", "between", "interval", "set")
_NEEDS_TOLERANCE = ("number", "interval")
_ENTRY_FIELDS = ("answer", "hint", "explanation")


class UnknownExercise(LookupError):
    """An exercise id that the answer key does not hold."""


@dataclass(frozen=True)
class Verdict:
    """What :func:`check` says about one answer.

    Attributes
    ----------
    exercise : str
        The exercise id.
    correct : bool
        Whether every part of the answer agrees with the key.
    message : str
        ``correct``, or ``not yet, hint: ...`` followed by the parts to look at again.
    """

    exercise: str
    correct: bool
    message: str

    def __str__(self) -> str:
        return f"{self.exercise}: {self.message}"

    def _repr_pretty_(self, printer, cycle) -> None:
        # Notebooks show the verdict as a line of text, not as a dataclass repr.
        printer.text(str(self))


# ---------------------------------------------------------------------------- the key
def _key_error(path: Path, where: str, message: str) -> ValueError:
    return ValueError(f"{path}: {where}: {message}")


def _validate_spec(path: Path, where: str, spec) -> None:
    if not isinstance(spec, Mapping):
        raise _key_error(path, where, f"expected a mapping with one of {', '.join(SPEC_KINDS)}")
    kinds = [k for k in spec if k in SPEC_KINDS]
    extra = sorted(set(spec) - set(SPEC_KINDS) - {"tolerance"})
    if len(kinds) != 1 or extra:
        raise _key_error(
            path,
            where,
            f"needs exactly one of {', '.join(SPEC_KINDS)} (and tolerance where "
            f"asked), found {', '.join(map(str, spec)) or 'nothing'}",
        )
    kind = kinds[0]
    tolerance = spec.get("tolerance")
    if kind in _NEEDS_TOLERANCE and (
        isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or tolerance < 0
    ):
        raise _key_error(path, where, f"'{kind}' needs a numeric 'tolerance' of 0 or more")
    want = spec[kind]
    if kind in ("set", "one_of") and not (isinstance(want, list) and all(isinstance(w, str) for w in want)):
        raise _key_error(path, where, f"'{kind}' must be a list of texts")
    if (kind == "string" and not isinstance(want, str)) or (kind == "boolean" and not isinstance(want, bool)):
        raise _key_error(path, where, f"'{kind}' must be a {'text' if kind == 'string' else 'true or false'}")
    if kind == "number" and (isinstance(want, bool) or not isinstance(want, (int, float))):
        raise _key_error(path, where, "'number' must be a number")
    if kind in ("between", "interval"):
        pair = spec[kind]
        if not (
            isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(x, (int, float)) for x in pair)
            and pair[0] <= pair[1]
        ):
            raise _key_error(path, where, f"'{kind}' must be [low, high] with low <= high")


def _is_spec(value) -> bool:
    return isinstance(value, Mapping) and any(k in SPEC_KINDS for k in value)


def load_key(path: Path | str | None = None) -> dict[str, dict]:
    """Read and check an answer key.

    Parameters
    ----------
    path : path-like, optional
        The key; default :data:`KEY_PATH`.

    Returns
    -------
    dict
        Exercise id -> entry, each entry a dict with at least ``answer``, ``hint`` and
        ``explanation`` (and, in our key, ``title`` and ``facts``).

    Raises
    ------
    ValueError
        Naming the file, the exercise and the field when the key is malformed.

    Examples
    --------
    >>> from govcases.analysis.seminar import load_key
    >>> key = load_key()
    >>> all({"answer", "hint", "explanation"} <= set(entry) for entry in key.values())
    True
    """
    import yaml

    path = Path(path) if path is not None else KEY_PATH
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    exercises = data.get("exercises") if isinstance(data, Mapping) else None
    if not isinstance(exercises, Mapping) or not exercises:
        raise _key_error(path, "top level", "expected a mapping 'exercises' of exercise id -> entry")
    for ex_id, entry in exercises.items():
        if not isinstance(entry, Mapping):
            raise _key_error(path, str(ex_id), "expected a mapping with answer, hint and explanation")
        missing = [f for f in _ENTRY_FIELDS if f not in entry or entry[f] in (None, "")]
        if missing:
            raise _key_error(path, str(ex_id), f"missing {', '.join(missing)}")
        answer = entry["answer"]
        if _is_spec(answer):
            _validate_spec(path, f"{ex_id}.answer", answer)
        elif isinstance(answer, Mapping):
            for part, spec in answer.items():
                _validate_spec(path, f"{ex_id}.answer.{part}", spec)
        else:
            raise _key_error(path, f"{ex_id}.answer", "expected a spec or a mapping of part -> spec")
        parts = set(answer) if not _is_spec(answer) else {"answer"}
        for field in ("feedback", "choices"):
            extra = entry.get(field, {})
            if not isinstance(extra, Mapping) or set(extra) - parts:
                raise _key_error(
                    path,
                    f"{ex_id}.{field}",
                    f"expected a mapping whose keys are parts of the answer ({', '.join(parts)})",
                )
        for i, wrong in enumerate(entry.get("common_wrong", [])):
            if not (
                isinstance(wrong, Mapping)
                and isinstance(wrong.get("answer"), Mapping)
                and wrong["answer"]
                and not set(wrong["answer"]) - parts
                and str(wrong.get("note") or "").strip()
            ):
                raise _key_error(
                    path, f"{ex_id}.common_wrong[{i}]", "expected 'answer' (a mapping of some parts) and a 'note'"
                )
    return {str(k): dict(v) for k, v in exercises.items()}


def key_districts(path: Path | str | None = None) -> list[str]:
    """The districts an answer key was written for.

    Notebook 06 restricts the casebook to them (``cb.select(key_districts())``), so that a casebook grown
    by more districts does not change an answer the key holds.

    Parameters
    ----------
    path : path-like, optional
        The key; default :data:`KEY_PATH`.

    Returns
    -------
    list of str
        District ids, as the key lists them.

    Raises
    ------
    ValueError
        When the key has no list ``districts``.

    Examples
    --------
    >>> from govcases.analysis.seminar import key_districts
    >>> "longhua" in key_districts()
    True
    """
    import yaml

    path = Path(path) if path is not None else KEY_PATH
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    districts = data.get("districts") if isinstance(data, Mapping) else None
    if not (isinstance(districts, list) and districts and all(isinstance(d, str) for d in districts)):
        raise _key_error(path, "top level", "expected a list 'districts' of the district ids the key was written for")
    return list(districts)


# ---------------------------------------------------------------------------- comparing
def _real(x) -> float | None:
    """The answer as a float, or None when it is not a plain number (a bool is not a number here)."""
    if isinstance(x, (bool, str, bytes)) or x is None:
        return None
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def _ends(x) -> tuple[float, float] | None:
    if hasattr(x, "low") and hasattr(x, "high"):
        pair = (x.low, x.high)
    elif isinstance(x, (str, bytes)) or not isinstance(x, Iterable):
        return None
    else:
        pair = tuple(x)
        if len(pair) != 2:
            return None
    low, high = _real(pair[0]), _real(pair[1])
    return None if low is None or high is None else (low, high)


def _close(a: float, b: float, tol: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= tol


def _matches(spec: Mapping, answer) -> bool:
    kind = next(k for k in spec if k in SPEC_KINDS)
    want = spec[kind]
    if kind == "string":
        return isinstance(answer, str) and answer.strip().casefold() == str(want).strip().casefold()
    if kind == "one_of":
        return isinstance(answer, str) and answer.strip().casefold() in {str(w).strip().casefold() for w in want}
    if kind == "boolean":
        # numpy's bool_ is not a bool; accept it, but not 0/1 or a text
        return type(answer).__name__ in ("bool", "bool_") and bool(answer) is bool(want)
    if kind == "number":
        value = _real(answer)
        return value is not None and _close(value, float(want), float(spec["tolerance"]))
    if kind == "between":
        value = _real(answer)
        return value is not None and float(want[0]) <= value <= float(want[1])
    if kind == "interval":
        ends = _ends(answer)
        tol = float(spec["tolerance"])
        return ends is not None and _close(ends[0], float(want[0]), tol) and _close(ends[1], float(want[1]), tol)
    # set: any iterable of ids except a bare string (which would be read as a set of characters)
    if isinstance(answer, (str, bytes)) or not isinstance(answer, Iterable):
        return False
    return {str(a) for a in answer} == {str(w) for w in want}


def check(exercise_id: str, answer, *, key_path: Path | str | None = None) -> Verdict:
    """Compare an answer with the answer key and say whether it is right.

    Parameters
    ----------
    exercise_id : str
        An exercise id of the key (``"denominators"``, ``"recode"``, ...).
    answer
        The student's answer: a value for a one-part exercise, a dict of part -> value otherwise,
        or for the latter the text of a filled-in :func:`form` (read by :func:`parse_answer`).
        Numbers may be Python or numpy numbers, intervals a pair or an object with ``low`` and
        ``high`` (such as :class:`govcases.records.intervals.Interval`), sets any iterable of ids.
    key_path : path-like, optional
        Another answer key (default :data:`KEY_PATH`).

    Returns
    -------
    Verdict
        ``correct`` True with message ``correct``; otherwise the key's hint and the parts that
        disagree, missing parts included, then in words what each wrong part missed (the key's
        ``feedback``) and the note of any common wrong answer it matches. A wrong answer never
        raises; a typed answer that cannot be read gets a message saying which line.

    Raises
    ------
    UnknownExercise
        When the key has no exercise of that id; the message lists the ids it has.

    Examples
    --------
    >>> from govcases.analysis.seminar import check
    >>> check("nearly-430", {"count": (387, 430), "years": (1.736, 3.003), "rate": (16.6, 38.6)}).message
    'correct'
    >>> check("nearly-430", {"count": 430, "years": (1.736, 3.003), "rate": (16.6, 38.6)}).correct
    False
    """
    key = load_key(key_path)
    if exercise_id not in key:
        raise UnknownExercise(
            f"no exercise {exercise_id!r} in the answer key {Path(key_path) if key_path else KEY_PATH}; "
            f"its exercises are: {', '.join(key)}"
        )
    entry = key[exercise_id]
    expected = entry["answer"]
    hint = " ".join(str(entry["hint"]).split())
    if isinstance(answer, str) and not _is_spec(expected):
        try:
            answer = parse_answer(answer)
        except ValueError as err:
            return Verdict(exercise_id, False, f"not yet: the answer could not be read: {err}")
    if _is_spec(expected):
        wrong = [] if _matches(expected, answer) else ["the answer"]
    elif not isinstance(answer, Mapping):
        wrong = [f"the answer should be a dict with the parts {', '.join(expected)}"]
    else:
        wrong = [
            part if part in answer and answer[part] is not None else f"{part} (missing)"
            for part, spec in expected.items()
            if part not in answer or answer[part] is None or not _matches(spec, answer[part])
        ]
    if not wrong:
        return Verdict(exercise_id, True, "correct")
    message = f"not yet, hint: {hint} [look again at: {', '.join(wrong)}]"
    words = []
    feedback = entry.get("feedback", {})
    for part in wrong:
        name = part.removesuffix(" (missing)")
        if name in feedback and not part.endswith("(missing)"):
            words.append(f"{name}: {' '.join(str(feedback[name]).split())}")
    if isinstance(answer, Mapping):
        for common in entry.get("common_wrong", []):
            if all(p in answer and _same(answer[p], v) for p, v in common["answer"].items()):
                words.append(" ".join(str(common["note"]).split()))
    if words:
        message += "\n" + "\n".join(f"  - {w}" for w in words)
    return Verdict(exercise_id, False, message)


def _same(given, pattern) -> bool:
    """Whether a student's part equals a pattern of a common wrong answer (texts without regard to case)."""
    if isinstance(pattern, str):
        return isinstance(given, str) and given.strip().casefold() == pattern.strip().casefold()
    if isinstance(pattern, bool):
        return type(given).__name__ in ("bool", "bool_") and bool(given) is pattern
    if isinstance(pattern, (int, float)):
        value = _real(given)
        return value is not None and math.isclose(value, float(pattern), rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(pattern, list) and len(pattern) == 2 and all(_real(x) is not None for x in pattern):
        ends = _ends(given)
        return ends is not None and all(math.isclose(a, float(b), abs_tol=1e-9) for a, b in zip(ends, pattern))
    if isinstance(pattern, list):
        return (
            not isinstance(given, (str, bytes))
            and isinstance(given, Iterable)
            and {str(g) for g in given} == {str(p) for p in pattern}
        )
    return False


def parse_answer(text: str) -> dict:
    r"""Read an answer typed as text, one ``part: value`` per line (YAML), into a dict.

    Lists are written ``[a, b]`` (an interval ``[low, high]`` or a set of ids), yes/no or true/false are
    booleans, numbers are numbers; a part left empty is ``None`` (not answered). Text after ``#`` is a comment.

    Parameters
    ----------
    text : str
        The typed answer, as :func:`form` lays it out.

    Returns
    -------
    dict
        Part -> value.

    Raises
    ------
    ValueError
        When the text is not a list of ``part: value`` lines; the message says which line and what to do.

    Examples
    --------
    >>> from govcases.analysis.seminar import parse_answer
    >>> parse_answer("count: [387, 430]   # low, high\nreading: unknown\nchanged: no\nrate:")
    {'count': [387, 430], 'reading': 'unknown', 'changed': False, 'rate': None}
    """
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "somewhere"
        raise ValueError(
            f"{where}: write one 'part: value' per line, a list as [a, b], and put a text containing ':' in quotes"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ValueError("write one 'part: value' per line (the form lists the parts)")
    return {str(k): v for k, v in data.items()}


_KIND_WORDS = {
    "number": "a number",
    "between": "a number",
    "interval": "an interval: [low, high]",
    "set": "a list: [a, b, ...]",
    "boolean": "yes or no",
    "string": "a word",
    "one_of": "a word",
}


def form(exercise_id: str, *, key_path: Path | str | None = None) -> str:
    """An empty answer form for an exercise: one ``part:`` line per part, with what kind of value it takes.

    The form says what to write (a number, an interval, yes or no, one of the choices the key offers)
    and never the answer; a student types after each colon and passes the text to :func:`check`.

    Parameters
    ----------
    exercise_id : str
        An exercise id of the key.
    key_path : path-like, optional
        Another answer key (default :data:`KEY_PATH`).

    Returns
    -------
    str
        The form, lines ``part:   # kind``, ending with a newline.

    Examples
    --------
    >>> from govcases.analysis.seminar import form
    >>> print(form("absence").splitlines()[-1])
    reading:                  # one of: absent, unknown
    """
    key = load_key(key_path)
    if exercise_id not in key:
        raise UnknownExercise(f"no exercise {exercise_id!r} in the answer key; its exercises are: {', '.join(key)}")
    entry = key[exercise_id]
    expected = entry["answer"]
    parts = {"answer": expected} if _is_spec(expected) else expected
    choices = entry.get("choices", {})
    width = max(len(p) for p in parts) + 2
    lines = []
    for part, spec in parts.items():
        kind = next(k for k in spec if k in SPEC_KINDS)
        words = f"one of: {', '.join(choices[part])}" if part in choices else _KIND_WORDS[kind]
        lines.append(f"{part + ':':<{max(width, 26)}}# {words}")
    return "\n".join(lines) + "\n"


def quotes(cb: Casebook, exercise_id: str, *, key_path: Path | str | None = None) -> pd.DataFrame:
    """The quotes an exercise asks students to read, from the casebook, by the letters of the key.

    Parameters
    ----------
    cb : Casebook
        A validated casebook holding the facts the key's ``quotes`` name.
    exercise_id : str
        An exercise of the key with a ``quotes`` mapping (letter -> fact id).
    key_path : path-like, optional
        Another answer key (default :data:`KEY_PATH`).

    Returns
    -------
    pandas.DataFrame
        Columns ``letter``, ``figure`` (as the source writes it), ``quote`` and ``english``, one row per letter.

    Raises
    ------
    KeyError
        When the exercise has no quotes or a fact id is not in the casebook.
    """
    entry = load_key(key_path)[exercise_id]
    if not isinstance(entry.get("quotes"), Mapping):
        raise KeyError(f"exercise {exercise_id!r} has no quotes in the answer key")
    facts = cb.facts_by_id
    missing = [f for f in entry["quotes"].values() if f not in facts.index]
    if missing:
        raise KeyError(f"the casebook has no facts {', '.join(missing)}; restrict it to the key's districts")
    rows = [
        {
            "letter": str(letter),
            "figure": facts.loc[fact, "value_text"],
            "quote": facts.loc[fact, "quote"],
            "english": facts.loc[fact, "english"],
        }
        for letter, fact in entry["quotes"].items()
    ]
    return pd.DataFrame(rows)


def show(answer) -> pd.DataFrame:
    """An answer as a small table, one row per part, with stable formatting for notebooks.

    Numbers get four significant digits (whole and grouped from 10,000 up), intervals are written
    ``[low, high]`` and collections of ids are sorted, so that the table does not depend on set order or on float noise.

    Parameters
    ----------
    answer : object
        An answer to an exercise: a mapping of part names to values, or one value (a number, a
        string, a pair of numbers or an object with ``low`` and ``high``, or a collection of ids).

    Returns
    -------
    pandas.DataFrame
        Columns ``part`` (the key, or ``answer`` for a single value) and ``answer`` (the value as
        text), one row per part in the mapping's order.

    Examples
    --------
    >>> from govcases.analysis.seminar import show
    >>> show({"rate": 0.44, "ids": {"b", "a"}, "ci": (0.372978, 0.509283), "yuan": 728762.8})["answer"].tolist()
    ['0.44', 'a, b', '[0.373, 0.5093]', '728,763']
    """

    def num(v: float) -> str:
        # sums of money read better whole and grouped than in scientific notation
        return f"{v:,.0f}" if math.isfinite(v) and abs(v) >= 10_000 else f"{v:.4g}"

    def fmt(x) -> str:
        if isinstance(x, str) or type(x).__name__ in ("bool", "bool_"):
            return str(x)
        if _real(x) is not None:
            return num(float(x))
        ends = _ends(x)
        if ends is not None and not isinstance(x, (set, frozenset)):
            return f"[{num(ends[0])}, {num(ends[1])}]"
        if isinstance(x, Iterable):
            return ", ".join(sorted(str(v) for v in x))
        return str(x)

    parts = answer.items() if isinstance(answer, Mapping) else [("answer", answer)]
    return pd.DataFrame([{"part": str(k), "answer": fmt(v)} for k, v in parts])


# ---------------------------------------------------------------------------- recoding a condition
def recode(
    matrix: pd.DataFrame, district: str, condition: str, *, value: int | None = None, reason: str
) -> pd.DataFrame:
    """A copy of a condition matrix with one cell changed, and the change recorded.

    Parameters
    ----------
    matrix : pandas.DataFrame
        A 0/1 condition matrix (districts as rows), e.g. :func:`govcases.analysis.typology.condition_matrix`.
    district, condition : str
        The cell to change.
    value : {0, 1} or None
        The new code; None flips the cell.
    reason : str
        Why the evidence allows the other code (kept with the change; required, because a recode
        without a reason is a silent edit).

    Returns
    -------
    pandas.DataFrame
        The copy; ``attrs["recodes"]`` is a tuple of every change made so far, each a dict with
        district, condition, before, after and reason. The input is left as it was.

    Examples
    --------
    >>> import pandas as pd
    >>> from govcases.analysis.seminar import recode
    >>> m = pd.DataFrame({"a": [0, 1]}, index=pd.Index(["x", "y"], name="district"))
    >>> r = recode(m, "x", "a", reason="the source arguably says so")
    >>> int(r.loc["x", "a"]), int(m.loc["x", "a"]), r.attrs["recodes"][0]["after"]
    (1, 0, 1)
    """
    if district not in matrix.index:
        raise KeyError(f"no district {district!r} in the matrix; it has {', '.join(map(str, matrix.index))}")
    if condition not in matrix.columns:
        raise KeyError(f"no condition {condition!r} in the matrix; see govcases.analysis.typology.RULES")
    if value not in (None, 0, 1):
        raise ValueError(f"a crisp condition is coded 0 or 1, not {value!r}")
    if not str(reason).strip():
        raise ValueError("give the reason for the recode: what in the source supports the other code")
    before = int(matrix.loc[district, condition])
    after = 1 - before if value is None else int(value)
    out = matrix.copy()
    out.loc[district, condition] = after
    out.attrs["recodes"] = (
        *matrix.attrs.get("recodes", ()),
        {"district": district, "condition": condition, "before": before, "after": after, "reason": str(reason)},
    )
    return out


def partition(matrix: pd.DataFrame, *, k: int = 3, method: str = "average") -> str:
    """The groups of a tree of the districts cut into ``k``, as text: ``a | b+c | d+e``.

    Members of a group are sorted and joined by ``+``, groups sorted and joined by `` | ``, so two
    partitions are equal exactly when their texts are.

    Parameters
    ----------
    matrix : pandas.DataFrame
        A 0/1 condition matrix, districts as index.
    k : int, default 3
        Number of groups the tree is cut into.
    method : str, default 'average'
        Linkage method, as :func:`govcases.analysis.typology.linkage_matrix` takes it.

    Returns
    -------
    str
        The groups, members joined by ``+`` and groups by `` | ``, both sorted.

    Examples
    --------
    >>> import pandas as pd
    >>> from govcases.analysis.seminar import partition
    >>> m = pd.DataFrame([[1, 1, 0], [1, 1, 0], [0, 0, 1]], index=["a", "b", "c"])
    >>> partition(m, k=2)
    'a+b | c'
    """
    from scipy.cluster.hierarchy import fcluster

    from govcases.analysis.typology import linkage_matrix

    labels = fcluster(linkage_matrix(matrix, method=method), t=k, criterion="maxclust")
    groups: dict[int, list[str]] = {}
    for district, lab in zip(matrix.index, labels):
        groups.setdefault(int(lab), []).append(str(district))
    return " | ".join(sorted("+".join(sorted(g)) for g in groups.values()))


def rerun(cb: Casebook, matrix: pd.DataFrame, *, conditions=None, threshold: float | None = None, k: int = 3) -> dict:
    """The typology and the QCA on a given condition matrix, with the library's public functions.

    Parameters
    ----------
    cb : Casebook
        For the outcome (counts and populations), which a recode does not touch.
    matrix : pandas.DataFrame
        The condition matrix to use (as coded, or from :func:`recode`).
    conditions, threshold
        QCA conditions and threshold; default :data:`govcases.analysis.qca.CONDITIONS` and
        :data:`govcases.analysis.qca.THRESHOLD`.
    k : int
        Number of groups the average-linkage tree is cut into.

    Returns
    -------
    dict
        ``matrix``; ``conditions`` and ``k`` as used; ``similarity`` (Jaccard,
        :func:`govcases.analysis.typology.similarity`); ``partition`` (:func:`partition`); ``qca``
        (:func:`govcases.analysis.qca.run_qca` on this matrix).

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.seminar import rerun
    >>> from govcases.analysis.typology import condition_matrix
    >>> cb = govcases.load_casebook()
    >>> rerun(cb, condition_matrix(cb))["qca"]["parsimonious"].text
    'lottery_fund'
    """
    from govcases.analysis import qca, typology

    conditions = list(qca.CONDITIONS if conditions is None else conditions)
    threshold = qca.THRESHOLD if threshold is None else threshold
    return {
        "matrix": matrix,
        "conditions": conditions,
        "k": k,
        "similarity": typology.similarity(matrix),
        "partition": partition(matrix, k=k),
        "qca": qca.run_qca(cb, conditions, threshold=threshold, matrix=matrix),
    }


def _nearest(sim: pd.DataFrame, district: str) -> str:
    others = sim.loc[district].drop(district)
    if others.empty:
        return ""
    best = others.max()
    tied = sorted(str(d) for d, v in others.items() if math.isclose(v, best, abs_tol=1e-9))
    return f"{'|'.join(tied)} ({best:.3f})"


def _run_summary(run: dict, district: str) -> list[tuple[str, str]]:
    m, sim, res, conditions = run["matrix"], run["similarity"], run["qca"], run["conditions"]
    status = res["outcome"].set_index("district").loc[district, "status"]
    fit = res["fit"].set_index("solution").loc["parsimonious"]
    rows = [(f"conditions {district} reports", str(int(m.loc[district].sum())))]
    rows += [
        (f"Jaccard {district}~{other}", f"{sim.loc[district, other]:.3f}") for other in m.index if other != district
    ]
    rows += [
        (f"nearest to {district}", _nearest(sim, district)),
        (f"groups (average linkage, k={run['k']})", run["partition"]),
        (
            f"{district} configuration ({', '.join(conditions)})",
            "".join(str(int(m.loc[district, c])) for c in conditions),
        ),
        (f"{district} QCA outcome", str(status)),
        ("parsimonious solution", res["parsimonious"].text),
        ("complex solution", res["complex"].text),
        ("consistency, coverage", f"{fit['consistency']}, {fit['coverage']}"),
    ]
    return rows


def compare_runs(before: dict, after: dict, district: str) -> pd.DataFrame:
    """Two results of :func:`rerun` side by side, as seen from one district.

    Parameters
    ----------
    before, after : dict
        Two results of :func:`rerun`.
    district : str
        The district slug the comparison is seen from.

    Returns
    -------
    pandas.DataFrame
        One row per result, values as text so that the table reads the same on every run:

        ========  ============================================================================
        what      the result: conditions the district reports, its Jaccard similarity with
                  each other district (those of the matrix), its nearest neighbour, the groups
                  of the tree, its QCA configuration and outcome status, both solutions and the
                  parsimonious solution's consistency and coverage
        before    in the first run
        after     in the second
        changed   whether the two differ
        ========  ============================================================================
    """
    rows_a, rows_b = _run_summary(before, district), _run_summary(after, district)
    return pd.DataFrame(
        [{"what": w, "before": b, "after": a, "changed": b != a} for (w, b), (_, a) in zip(rows_a, rows_b)]
    )


def recode_effect(
    cb: Casebook,
    district: str,
    condition: str,
    *,
    reason: str,
    value: int | None = None,
    conditions=None,
    threshold: float | None = None,
    k: int = 3,
) -> pd.DataFrame:
    """What changes when one cell of the rule-coded condition matrix is recoded.

    Codes the matrix by the rules (:func:`govcases.analysis.typology.condition_matrix`), recodes one cell
    with :func:`recode`, runs :func:`rerun` on both and compares them with :func:`compare_runs`;
    the first row is the cell itself.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    district, condition : str
        The cell to recode: a district slug and a condition id.
    reason : str
        Why the evidence allows the other code (required, see :func:`recode`).
    value : {0, 1} or None, default None
        The new code; None flips the cell.
    conditions, threshold
        QCA conditions and threshold passed to :func:`rerun`; default
        :data:`govcases.analysis.qca.CONDITIONS` and :data:`govcases.analysis.qca.THRESHOLD`.
    k : int, default 3
        Number of groups the average-linkage tree is cut into.

    Returns
    -------
    pandas.DataFrame
        Columns what, before, after and changed, as :func:`compare_runs` returns them, with a first
        row for the recoded cell itself (its code before and after).

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.seminar import recode_effect
    >>> t = recode_effect(govcases.load_casebook(), "minhang", "multi_tier_network", reason="two tiers")
    >>> t.set_index("what").loc["Jaccard minhang~longhua", ["before", "after"]].tolist()
    ['0.400', '0.467']
    """
    from govcases.analysis.typology import condition_matrix

    base = condition_matrix(cb)
    recoded = recode(base, district, condition, value=value, reason=reason)
    runs = [rerun(cb, m, conditions=conditions, threshold=threshold, k=k) for m in (base, recoded)]
    cell = pd.DataFrame(
        [
            {
                "what": f"{district} / {condition}",
                "before": str(int(base.loc[district, condition])),
                "after": str(int(recoded.loc[district, condition])),
                "changed": True,
            }
        ]
    )
    return pd.concat([cell, compare_runs(runs[0], runs[1], district)], ignore_index=True)


# ---------------------------------------------------------------------------- incubation
def conversion_pair(cb: Casebook, incubated_a: str, incubated_b: str) -> dict:
    """Two incubation-to-registration rates side by side, with their Wilson intervals as descriptions.

    No test of significance is made: the counts are cumulative totals from one source, every
    organization a tier ever took in, not samples, and the tiers had different times to register
    theirs. The tiers are named by the fact ids of their ``incubated:`` counts, so the answer does
    not depend on which other tiers or districts the casebook holds.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    incubated_a, incubated_b : str
        Fact ids of the two ``incubated:`` counts whose tiers are set side by side.

    Returns
    -------
    dict
        ``rate_a``, ``rate_b``; ``ci_a``, ``ci_b`` (:class:`~govcases.records.intervals.Interval`, Wilson
        95%, from :func:`govcases.analysis.registration.conversion_rates`); ``difference`` (a - b).

    Raises
    ------
    KeyError
        If a fact id is not an ``incubated:`` count with a matching ``registered:`` count.

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.seminar import conversion_pair
    >>> t = conversion_pair(govcases.load_casebook(), "longhua-incubated-district-centre",
    ...                     "longhua-incubated-street-community-centres")
    >>> round(t["rate_a"], 2), round(t["ci_a"].low, 4), round(t["difference"], 4)
    (0.44, 0.373, 0.0938)
    """
    from govcases.analysis.registration import conversion_rates
    from govcases.records.intervals import Interval

    rates = conversion_rates(cb).set_index("incubated_id")
    missing = [i for i in (incubated_a, incubated_b) if i not in rates.index]
    if missing:
        raise KeyError(
            f"no conversion rate for {', '.join(missing)}: an incubator_count fact 'incubated: <tier>' "
            "needs a 'registered: <tier>' fact of the same district and tier"
        )
    a, b = rates.loc[incubated_a], rates.loc[incubated_b]
    return {
        "rate_a": float(a["rate"]),
        "rate_b": float(b["rate"]),
        "ci_a": Interval(float(a["ci_low"]), float(a["ci_high"]), float(a["rate"])),
        "ci_b": Interval(float(b["ci_low"]), float(b["ci_high"]), float(b["rate"])),
        "difference": float(a["rate"]) - float(b["rate"]),
    }
