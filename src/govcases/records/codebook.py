"""Reading and checking the codebook: the indicators and units that records may use."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from govcases.records.errors import CasebookError, Problem
from govcases.records.models import FACT_FIELDS, Codebook, FactField, Indicator
from govcases.records.yamlio import YamlDoc, read_yaml

__all__ = ["LoadedCodebook", "load_codebook", "pydantic_problems"]


@dataclass(frozen=True)
class LoadedCodebook:
    """The validated codebook with fast look-ups."""

    model: Codebook
    path: Path

    @property
    def indicators(self) -> dict[str, Indicator]:
        """Each indicator by its id, in the codebook's order."""
        return {ind.id: ind for ind in self.model.indicators}

    @property
    def fields(self) -> dict[str, FactField]:
        """Each optional field of a fact (payer, reach, part_of, ...) by its name."""
        return self.model.fields

    def measure_words(self, indicator: Indicator) -> dict[str, str]:
        """Measure word -> unit key, first unit listed wins."""
        out: dict[str, str] = {}
        for key in indicator.unit_keys:
            for word in self.model.units[key].measure_words:
                out.setdefault(word, key)
        return out

    def table(self) -> pd.DataFrame:
        """One row per indicator: id, labels, category, value type, unit, scope, subject rule."""
        rows = [
            {
                "indicator": ind.id,
                "label_zh": ind.label_zh,
                "label_en": ind.label_en,
                "category": ind.category,
                "value_type": ind.value_type,
                "unit": "|".join(ind.unit_keys),
                "scope": ind.scope,
                "subject": ind.subject,
                "categories": "|".join(ind.categories or []),
                "period_means": ind.period_means,
                "count_kinds": "|".join(ind.count_kinds or {}),
                "description": ind.description,
            }
            for ind in self.model.indicators
        ]
        return pd.DataFrame(rows).sort_values("indicator", ignore_index=True).astype("string")


def pydantic_problems(doc: YamlDoc, err: ValidationError, prefix: tuple = ()) -> list[Problem]:
    """Turn a pydantic error into problems located in the YAML file.

    Parameters
    ----------
    doc : YamlDoc
        The YAML file the validated data came from; it gives each problem its line.
    err : pydantic.ValidationError
        The error raised when validating ``doc.data`` (or a part of it) against a model.
    prefix : tuple
        Path of the validated part inside ``doc.data``, such as ``("facts", 3)`` when one fact
        was validated on its own; empty when the whole document was.

    Returns
    -------
    list of Problem
        One problem per place, in pydantic's order: an unknown key or a missing field is named as
        such with a hint, other errors keep pydantic's message and the value given. A union
        type's repeated errors at one place are reported once.
    """
    problems = []
    for e in err.errors(include_url=False):
        loc = _real_path(doc.data, (*prefix, *e["loc"]))
        kind = e["type"]
        if kind == "extra_forbidden":
            msg, hint = f"unknown key '{loc[-1]}'", "check the spelling against casebook/README.md"
        elif kind == "missing":
            msg, hint = "required field is missing", "add it (see casebook/README.md)"
        else:
            msg, hint = e["msg"], ""
            if "input" in e and not isinstance(e["input"], (dict, list)):
                msg += f" (got {e['input']!r})"
        problems.append(doc.problem(loc, msg, hint))
    # a union error repeats once per member type; keep one message per place
    seen, unique = set(), []
    for p in problems:
        if (p.line, p.field) not in seen:
            seen.add((p.line, p.field))
            unique.append(p)
    return unique


def _real_path(data, loc: tuple) -> tuple:
    """Keep the part of a pydantic location that exists in the data (drops union member names)."""
    out, node = [], data
    for part in loc:
        if isinstance(node, dict):
            out.append(part)  # an unknown or missing key is named; its line is found from its parent
            if part not in node:
                break
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        else:
            break
    return tuple(out)


def load_codebook(path: Path | str, *, label: str | None = None) -> LoadedCodebook:
    """Read and check ``codebook.yaml``; raise :class:`CasebookError` listing every problem.

    Besides the shape of each entry, it checks that indicator ids are unique, that categories and
    units named by indicators are defined, that only quantities have a unit, and that category
    indicators (and only they) list their categories; and that the optional fields of a fact are
    exactly those records may write, each applied to known indicators, with categories where it
    takes categories and target indicators where it names facts.

    Parameters
    ----------
    path : path-like
        The codebook file.
    label : str, optional
        How problems name the file; default the path as given.

    Returns
    -------
    LoadedCodebook
        The validated codebook and its path, with look-ups by indicator.

    Raises
    ------
    CasebookError
        If the file cannot be read as YAML or breaks any rule; it lists every problem found, with
        its line.

    Examples
    --------
    >>> from govcases.records.paths import project_paths
    >>> book = load_codebook(project_paths()[0] / "codebook.yaml")
    >>> "orgs_registered" in book.indicators and book.indicators["orgs_registered"].value_type
    'quantity'
    """
    path = Path(path)
    doc, problems = read_yaml(path, label)
    if doc is None:
        raise CasebookError(problems)
    try:
        model = Codebook.model_validate(doc.data)
    except ValidationError as err:
        raise CasebookError(pydantic_problems(doc, err)) from None
    counts = Counter(ind.id for ind in model.indicators)
    for i, ind in enumerate(model.indicators):
        at = ("indicators", i)
        if counts[ind.id] > 1:
            problems.append(
                doc.problem(
                    (*at, "id"), f"indicator id '{ind.id}' is defined more than once", "give each indicator its own id"
                )
            )
        if ind.category not in model.categories:
            problems.append(
                doc.problem(
                    (*at, "category"),
                    f"unknown category '{ind.category}'",
                    f"use one of: {', '.join(model.categories)}",
                )
            )
        if ind.value_type == "quantity":
            if not ind.unit_keys:
                problems.append(doc.problem((*at, "unit"), "a quantity needs a unit", "name a key of `units`"))
            for key in ind.unit_keys:
                if key not in model.units:
                    problems.append(
                        doc.problem((*at, "unit"), f"unknown unit '{key}'", f"use one of: {', '.join(model.units)}")
                    )
        elif ind.unit is not None:
            problems.append(doc.problem((*at, "unit"), f"a {ind.value_type} has no unit", "write `unit: null`"))
        if (ind.value_type == "category") != bool(ind.categories):
            problems.append(
                doc.problem((*at, "categories"), "categories are required for a category indicator and only for one")
            )
    problems += _field_problems(doc, model, counts)
    if problems:
        raise CasebookError(problems)
    return LoadedCodebook(model, path)


def _field_problems(doc: YamlDoc, model: Codebook, known: Counter) -> list[Problem]:
    """Problems of the codebook's ``fields``: each field records may write described once, and sound."""
    problems = []
    for name in FACT_FIELDS:
        if name not in model.fields:
            problems.append(doc.problem(("fields",), f"field '{name}' is not described", "describe it under `fields`"))
    for name, spec in model.fields.items():
        at = ("fields", name)
        if name not in FACT_FIELDS:
            problems.append(
                doc.problem(at, f"unknown field '{name}'", f"records can write only: {', '.join(FACT_FIELDS)}")
            )
        for j, ind in enumerate(spec.applies_to):
            if ind not in known:
                problems.append(doc.problem((*at, "applies_to", j), f"unknown indicator '{ind}'"))
        names_facts = spec.kind in ("fact", "facts")
        if names_facts == bool(spec.categories) or names_facts != bool(spec.targets):
            problems.append(
                doc.problem(at, "a field naming facts lists `targets`; a field of categories lists `categories`")
            )
        for j, ind in enumerate(spec.targets or []):
            if ind not in known:
                problems.append(doc.problem((*at, "targets", j), f"unknown indicator '{ind}'"))
    counts = model.fields.get("counts")
    kinds = (counts.categories or {}) if counts is not None else {}
    for i, ind in enumerate(model.indicators):
        for j, kind in enumerate(ind.count_kinds or []):
            if kind not in kinds:
                problems.append(
                    doc.problem(
                        ("indicators", i, "count_kinds", j),
                        f"unknown kind of count '{kind}'",
                        "describe it under fields: counts: categories",
                    )
                )
    return problems
