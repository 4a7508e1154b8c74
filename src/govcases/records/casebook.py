"""Loading, validating and normalizing the casebook into tidy pandas tables.

The casebook is a folder of district records (``<district>.yaml``) and a ``codebook.yaml``;
the sources its quotes come from are listed in the data folder beside it (``../data``). Every
check that can be made on a record is made, every problem is collected with its file, line and
field, and only a casebook with none at all is returned: one long table with a row per fact.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pydantic import ValidationError

from govcases.records.cache import RecordCache, cache_folder
from govcases.records.codebook import LoadedCodebook, load_codebook, pydantic_problems
from govcases.records.errors import CasebookError, Problem
from govcases.records.links import field_problems, link_problems
from govcases.records.models import (
    BASES,
    PLACEHOLDER,
    SLUG,
    Fact,
    Profile,
    parse_iso_date,
)
from govcases.records.paths import project_paths
from govcases.records.quantity import QuantityError, quantity_fields, whole_figure_in
from govcases.records.sources import (
    MANIFEST_COLUMNS,
    MIN_QUOTE_CHARS,
    Source,
    SourceError,
    clean_text,
    load_manifest,
    match_key,
    read_raw,
)
from govcases.records.yamlio import read_yaml

__all__ = ["FACT_COLUMNS", "Casebook", "load_casebook", "load_facts", "validate_casebook"]

#: Columns of :attr:`Casebook.facts`, in order, with their meaning (also used by the export).
FACT_COLUMNS: dict[str, str] = {
    "district": "District slug (file name of the record)",
    "id": "Stable fact id, unique in the casebook",
    "indicator": "Indicator id from the codebook",
    "category": "Codebook category of the indicator",
    "scope": "Comparability scope of the indicator; compare only facts of the same indicator",
    "subject": "What exactly is counted, where the indicator needs it (our words)",
    "value_type": "quantity, year, date, boolean, category or text",
    "value_text": "The value as the source writes it (quantities: the Chinese expression)",
    "value": (
        "The figure as stated, scaled to the unit (quantities, years; 1/0 for booleans); "
        "NA for ranges and non-numeric values"
    ),
    "low": "Lower bound of the interval the expression means",
    "high": "Upper bound of the interval (inf when open above)",
    "low_closed": "Whether the lower bound is included",
    "high_closed": "Whether the upper bound is included",
    "qualifier": (
        "How the expression qualifies the figure (exact, more_than, nearly, about, at_least, over, range, ratio)"
    ),
    "unit": "Unit key from the codebook (e.g. organizations, yuan, percent)",
    "measure_word": "Measure word as written after the number (e.g. 家, 万元 -> 元)",
    "basis": "stock, annual, cumulative, one_off, budget, per_unit, rate or change",
    "period_text": "Reference date or period as the text gives it",
    "period_start": "Start of the resolved reference interval (ISO date, inclusive)",
    "period_end": "End of the resolved reference interval (ISO date, inclusive)",
    "period_reasoning": "How the reference period was resolved",
    "source": "Source id (data/raw/manifest.csv or data/external/manifest.csv)",
    "quote": "Verbatim quote from the source",
    "english": "Our English rendering of the quote",
    "confidence": "stated, inferred or disputed",
    "note": "Notes for researchers",
    "period_reading": (
        "What the period means: as_of (a state at that time), began, issued, or in_place_by (in place by "
        "then; it may have begun earlier)"
    ),
    "payer": "Who pays a sum (codebook field payer); empty when the source does not say",
    "reach": "Whom a sum or count reaches or covers (district, single street, whole city...); empty when not stated",
    "use": "What a sum pays for (running costs, projects, rewards, platforms...), separated by |",
    "instruments": "Ids of the funding-instrument facts a sum or model component belongs to, separated by |",
    "recipients": "Ids of the facts counting who received a sum, separated by |",
    "part_of": "Id of the total this count is part of (其中, 包括)",
    "beside": "Id of a total this count is given beside, not as part of it",
    "counts": "What a count counts (projects, posts, qualified organizations, agreements...)",
    "status": "planned when the text announces it for later; empty for what the text says exists",
    "file": "Record file the fact comes from",
    "line": "Line of the fact in that file",
}

_COLUMN_NAMES = tuple(FACT_COLUMNS)
_NUMERIC = ("value", "low", "high")
_BOOL = ("low_closed", "high_closed")


@dataclass(frozen=True)
class Casebook:
    """A validated casebook as tidy tables.

    Attributes
    ----------
    facts : pandas.DataFrame
        One row per fact; columns in :data:`FACT_COLUMNS`.
    profiles : pandas.DataFrame
        One row per district: names, city, province, kind of area, sources (with their kind and
        page date) and our summary.
    codebook : LoadedCodebook
        The codebook the records were checked against; ``codebook.table()`` is a DataFrame.
    sources : pandas.DataFrame
        The manifest rows of every source the casebook cites.
    root : pathlib.Path
        The casebook folder.

    Examples
    --------
    >>> import govcases
    >>> cb = govcases.load_casebook()
    >>> {"beilun", "longhua"} <= set(cb.districts)
    True
    >>> row = cb.facts.set_index("id").loc["zhenhai-orgs-registered"]
    >>> int(row["value"]), row["unit"]
    (333, 'organizations')
    """

    facts: pd.DataFrame
    profiles: pd.DataFrame
    codebook: LoadedCodebook
    sources: pd.DataFrame
    root: Path

    @property
    def districts(self) -> list[str]:
        """District slugs, sorted."""
        return sorted(self.profiles["district"])

    @functools.cached_property
    def facts_by_id(self) -> pd.DataFrame:
        """The facts indexed by their id.

        Made once per casebook, because captions and hover texts look facts up thousands of times
        in a build; like every table of a casebook it is to be read, not changed.
        """
        return self.facts.set_index("id")

    def select(self, districts: Iterable[str]) -> Casebook:
        """The same casebook restricted to some districts: their facts, profiles and cited sources.

        For a comparison of a chosen set of cases (a seminar's, a paper's) that must not change
        when the casebook grows.

        Parameters
        ----------
        districts : iterable of str
            District ids, each one in the casebook.

        Returns
        -------
        Casebook
            A casebook with only those districts; the codebook and folder are the same.

        Raises
        ------
        KeyError
            If a district is not in the casebook (nothing is left out silently).

        Examples
        --------
        >>> import govcases
        >>> govcases.load_casebook().select(["zhenhai", "beilun"]).districts
        ['beilun', 'zhenhai']
        """
        wanted = set(districts)
        missing = sorted(wanted - set(self.districts))
        if missing:
            raise KeyError(f"not in the casebook at {self.root}: {', '.join(missing)}")
        facts = self.facts[self.facts["district"].isin(wanted)].reset_index(drop=True)
        profiles = self.profiles[self.profiles["district"].isin(wanted)].reset_index(drop=True)
        cited = set(facts["source"]) | {s for p in profiles["sources"] for s in str(p).split("|")}
        sources = self.sources[self.sources["source_id"].isin(cited)].reset_index(drop=True)
        return Casebook(facts, profiles, self.codebook, sources, self.root)

    def indicator(self, indicator: str) -> pd.DataFrame:
        """The facts of one indicator, sorted by district and id."""
        if indicator not in self.codebook.indicators:
            raise KeyError(f"unknown indicator {indicator!r}; see casebook/codebook.yaml")
        out = self.facts[self.facts["indicator"] == indicator]
        return out.sort_values(["district", "id"], ignore_index=True)

    def coverage(self) -> pd.DataFrame:
        """Number of facts per indicator (rows) and district (columns); 0 where a source is silent."""
        table = pd.crosstab(self.facts["indicator"], self.facts["district"])
        table = table.reindex(index=sorted(self.codebook.indicators), columns=self.districts, fill_value=0)
        table.index.name, table.columns.name = "indicator", "district"
        return table

    def category_counts(self) -> pd.DataFrame:
        """Number of facts per codebook category (rows) and district (columns)."""
        table = pd.crosstab(self.facts["category"], self.facts["district"])
        table = table.reindex(index=sorted(self.codebook.model.categories), columns=self.districts, fill_value=0)
        table.index.name, table.columns.name = "category", "district"
        return table

    def features(self, indicator: str) -> pd.DataFrame:
        """Presence matrix of a category indicator: categories (rows) by district (columns).

        True where the district's source reports the feature; False means the source does not
        mention it (or only announces it, ``status: planned``), which is not evidence that the
        district lacks it.
        """
        ind = self.codebook.indicators[indicator]
        if ind.value_type != "category":
            raise ValueError(f"{indicator!r} is a {ind.value_type}, not a category indicator")
        facts = self.indicator(indicator)
        facts = facts[facts["status"].fillna("") != "planned"]
        table = pd.crosstab(facts["value_text"], facts["district"]) > 0
        table = table.reindex(index=ind.categories, columns=self.districts, fill_value=False)
        table.index.name, table.columns.name = indicator, "district"
        return table.astype(bool)

    def wide(self, indicators: list[str], *, column: str = "value") -> pd.DataFrame:
        """District by indicator table of one column, for indicators with at most one fact per district.

        Raises ValueError naming the facts when a district has two facts for one indicator (pick
        them by id instead: they differ in subject or period and must not be collapsed silently).
        """
        facts = self.facts[self.facts["indicator"].isin(indicators)]
        dup = facts[facts.duplicated(["district", "indicator"], keep=False)]
        if len(dup):
            raise ValueError(
                "more than one fact per district for: "
                + ", ".join(sorted(f"{d}/{i}" for d, i in set(zip(dup["district"], dup["indicator"]))))
                + "; select facts by id instead"
            )
        table = facts.pivot(index="district", columns="indicator", values=column)
        return table.reindex(index=self.districts, columns=indicators)


# ---------------------------------------------------------------------------- loading
def category_table(cb: Casebook) -> pd.DataFrame:
    """Facts per category (rows) and district (columns), with totals, as a flat table for the appendix."""
    table = cb.category_counts()
    table["total"] = table.sum(axis=1)
    out = table.reset_index()
    total = {"category": "total", **{c: int(table[c].sum()) for c in table.columns}}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def load_casebook(path: Path | str | None = None, *, cache: Path | str | bool | None = None) -> Casebook:
    """Load and validate a casebook.

    Parameters
    ----------
    path : path-like, optional
        A casebook folder (with ``codebook.yaml`` and ``<district>.yaml`` files) or one record file
        in such a folder. Sources are read from the ``data`` folder beside the casebook folder.
        Default: the folder named by ``GOVCASES_CASEBOOK``, else the project's own ``casebook/``.
    cache : path-like or bool, optional
        Where validated records are kept, so that an unchanged record is not validated again
        (see :mod:`govcases.records.cache`). Default: the folder named by the environment
        variable ``GOVCASES_CACHE_DIR``, else the user's cache folder
        (``platformdirs.user_cache_dir("govcases")``). False: validate every record and keep
        nothing. Nothing is ever written into the project.

    Returns
    -------
    Casebook

    Raises
    ------
    CasebookError
        Listing every problem in every file, each with file, line and field.
    """
    folder, data_root = project_paths(path)
    files, strays = _record_files(path, folder)
    codebook_path = folder / "codebook.yaml"
    codebook = load_codebook(codebook_path, label=os.path.relpath(codebook_path, folder.parent))
    try:
        manifest = load_manifest(data_root)
    except SourceError as err:
        raise CasebookError([Problem(str(data_root), None, "", str(err))]) from None
    where = cache_folder(cache)
    store = None if where is None else RecordCache(where, codebook_path.read_bytes())
    load = _Load(codebook, manifest, str(folder.parent))
    try:
        results = [_load_file(f, load, store) for f in files]
    finally:
        if store is not None:
            store.close()  # writes the new entries, also those of valid records beside invalid ones
    problems = [_stray_problem(load.label(f)) for f in strays] + [p for r in results for p in r.problems]
    if problems:
        raise CasebookError(problems + _duplicate_ids([i for r in results for i in r.fact_ids()]))
    # Each file's rows are in id order, and its district is its own (its file name), so the files
    # in district order give the rows in (district, id) order without sorting them.
    results.sort(key=lambda r: r.profile["district"])
    profiles = [r.profile for r in results]
    facts = _facts_frame([r.columns for r in results])
    if not facts["id"].is_unique:
        raise CasebookError(_duplicate_ids(_frame_ids(facts)))
    cited = sorted(
        {s for r in results for s in r.columns[_SOURCE_COLUMN]} | {s for p in profiles for s in p["sources"].split("|")}
    )
    sources = _sources_frame(manifest, cited)
    return Casebook(facts, _profiles_frame(profiles, manifest), codebook, sources, folder)


def validate_casebook(path: Path | str | None = None, *, cache: Path | str | bool | None = None) -> list[Problem]:
    """Every problem in a casebook (empty when it is valid), without raising.

    Parameters
    ----------
    path : path-like, optional
        A casebook folder or one record file, as for :func:`load_casebook`.
    cache : path-like or bool, optional
        Where validated records are kept, as for :func:`load_casebook`.

    Returns
    -------
    list of Problem
        Each with its file, line, field, message and hint; empty for a valid casebook.
    """
    try:
        load_casebook(path, cache=cache)
    except CasebookError as err:
        return err.problems
    except (OSError, ValueError) as err:
        # a path the file system refuses (a NUL in it, a folder that cannot be listed): a problem too
        return [Problem(repr(str(path)), None, "", f"cannot be read ({err})", "give the path of a casebook folder")]
    return []


def load_facts(path: Path | str | None = None) -> pd.DataFrame:
    """Shortcut for ``load_casebook(path).facts``.

    Parameters
    ----------
    path : path-like, optional
        A casebook folder or one record file, as for :func:`load_casebook`.

    Returns
    -------
    pandas.DataFrame
        One row per fact; columns in :data:`FACT_COLUMNS`.
    """
    return load_casebook(path).facts


def _record_files(path, folder: Path) -> tuple[list[Path], list[Path]]:
    """The record files to load, and the other entries of the casebook folder (each an error)."""
    if path is not None and Path(path).is_file():
        return [Path(path).resolve()], []
    if not folder.is_dir():
        raise CasebookError([Problem(str(folder), None, "", "no such casebook folder")])
    files, strays = [], []
    for entry in sorted(folder.iterdir()):
        # the codebook and the source-criticism table sit beside the records; neither is a district
        if entry.name in ("codebook.yaml", "source-criticism.yaml") or entry.name.startswith("README"):
            continue
        # a record that is a folder or a broken link is reported when it is read
        (files if entry.suffix == ".yaml" else strays).append(entry)
    if not files:
        raise CasebookError(
            [
                Problem(
                    str(folder),
                    None,
                    "",
                    "no district records (<district>.yaml) found",
                    "write one; see casebook/README.md",
                )
            ]
        )
    return files, strays


def _stray_problem(label: str) -> Problem:
    # a record named .yml or .YAML would otherwise be skipped, and the casebook lose a district unseen
    return Problem(
        label,
        None,
        "",
        "is not a district record (<district>.yaml), the codebook or a README",
        "name a record <district>.yaml (lower-case .yaml), or move the file out of the casebook folder",
    )


_ID_COLUMN = _COLUMN_NAMES.index("id")
_SOURCE_COLUMN = _COLUMN_NAMES.index("source")
_TOP_KEYS = ("district", "profile", "facts")
_ID_LINE = re.compile(r"[ \t]*-[ \t]+id:[ \t]*['\"]?([A-Za-z0-9_-]+)")


class _Load:
    """What checking the files of one load shares.

    The codebook and the manifest, and what is worked out once for all files: the units of an
    indicator, the folder part of file labels, each source's match key and manifest row digest.
    """

    def __init__(self, codebook: LoadedCodebook, manifest: dict[str, Source], label_root: str):
        self.codebook = codebook
        self.indicators = codebook.indicators  # a property that builds a new dict at each call
        self.manifest = manifest
        self.label_root = label_root
        self.label_dirs: dict[Path, str] = {}  # record folder -> its path from label_root
        self.units: dict[str, dict[str, str]] = {}  # indicator id -> measure word -> unit key
        self.keys: dict[str, str | SourceError] = {}  # source id -> match key of its clean text, or why not
        self.current: dict[str, bool] = {}  # source id -> whether its file still has the manifest's SHA-256
        self.rows: dict[str, str] = {}  # source id -> digest of its manifest row
        self.districts = {s.district for s in manifest.values() if s.kind != "external-table"}

    def label(self, path: Path) -> str:
        """How a record file is named in messages and in the table: its path from the project folder."""
        # os.path.relpath(path, label_root), computed once per folder: it is slow, and every record
        # of a casebook sits in the same folder
        folder = self.label_dirs.get(path.parent)
        if folder is None:
            folder = self.label_dirs[path.parent] = os.path.relpath(path.parent, self.label_root)
        return path.name if folder == os.curdir else folder + os.sep + path.name

    def measure_words(self, ind) -> dict[str, str]:
        units = self.units.get(ind.id)
        if units is None:
            units = self.units[ind.id] = self.codebook.measure_words(ind)
        return units

    def clean_key(self, source: Source) -> str:
        """The match key of a source's clean text; raises SourceError if the file changed."""
        key = self.keys.get(source.source_id)
        if key is None:
            try:
                key = _match_key_of_file(source)
            except SourceError as err:
                key = err
            self.keys[source.source_id] = key
            self.current[source.source_id] = not isinstance(key, SourceError)
        if isinstance(key, SourceError):
            raise key
        return key

    def row_digest(self, source_id: str) -> str | None:
        """A digest of a source's manifest row (None if the manifest has no such source)."""
        digest = self.rows.get(source_id)
        if digest is None:
            source = self.manifest.get(source_id)
            if source is None:
                return None
            fields = [getattr(source, column) for column in MANIFEST_COLUMNS]
            digest = self.rows[source_id] = hashlib.sha256("\0".join(fields).encode()).hexdigest()
        return digest

    def is_current(self, source_id: str) -> bool:
        """Whether a source's file still has the SHA-256 its manifest row gives."""
        ok = self.current.get(source_id)
        if ok is None:
            source = self.manifest[source_id]
            try:
                ok = hashlib.sha256(source.path.read_bytes()).hexdigest() == source.sha256
            except OSError:
                ok = False
            self.current[source_id] = ok
        return ok


# The match key of each source cleaned in this process, by the SHA-256 of its file (and its kind,
# which decides how it is keyed). Cleaning is the costliest step of a cold load, and many records
# may cite one source, so each is cleaned once per process; across processes, the cache of
# validated records makes cleaning unnecessary (it holds rows, which need no source text).
_MATCH_KEYS: dict[tuple[str, str], str] = {}


def _match_key_of_file(source: Source) -> str:
    data = source.path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != source.sha256:
        raise SourceError(
            f"{source.file}: its SHA-256 does not match the manifest; sources are immutable: "
            "restore the file, or record the new checksum if the change is intended"
        )
    key = _MATCH_KEYS.get((digest, source.kind))
    if key is None:
        raw = read_raw(source, data)
        # a table of external facts is quoted as it stands; only narrative pages need cleaning
        key = match_key(raw) if source.kind == "external-table" else match_key(clean_text(raw))
        _MATCH_KEYS[digest, source.kind] = key
    return key


@dataclass
class _FileResult:
    profile: dict | None = None
    rows: list[tuple] = field(default_factory=list)  # the valid facts, in FACT_COLUMNS order
    problems: list[Problem] = field(default_factory=list)
    ids: list[tuple[str, str, int | None]] | None = field(default_factory=list)  # (fact id, file, line)
    # A valid file's rows as columns, in id order: the form the cache keeps and the table is built
    # from. Tuples, not lists: the garbage collector stops tracking a tuple of texts and numbers,
    # which made reading the cache of a large casebook a third faster.
    columns: tuple[tuple, ...] = ()

    def fact_ids(self) -> list[tuple[str, str, int | None]]:
        """(fact id, file, line) of every fact with an id."""
        if self.ids is None:
            return list(zip(self.columns[_ID_COLUMN], self.columns[-2], self.columns[-1]))
        return self.ids


def _valid(profile: dict, columns: tuple[tuple, ...]) -> _FileResult:
    return _FileResult(profile, [], [], None, columns)


def _load_file(path: Path, load: _Load, store: RecordCache | None) -> _FileResult:
    """A record file's result: from the cache if nothing it depends on changed, else checked."""
    label = load.label(path)
    try:
        raw = path.read_bytes()
    except OSError:
        return _FileResult(problems=read_yaml(path, label)[1])  # says why it cannot be read
    key = None if store is None else store.key(label, raw)
    entry = None if key is None else store.get(key)
    if entry is not None:
        sources, profile, columns = entry
        # What the key could not include: the manifest rows of the sources the record names, and
        # the files of those its quotes were found in.
        if all(load.row_digest(s) == digest and (not quoted or load.is_current(s)) for s, digest, quoted in sources):
            return _valid(profile, columns)
    result = _check_file(path, raw, label, load)
    if result.problems:
        return result
    columns = list(zip(*sorted(result.rows, key=itemgetter(_ID_COLUMN))))
    for i in _REPEATED:
        columns[i] = _shared(columns[i])
    columns = tuple(columns)
    # an id used twice within the file is reported from the whole table, later: not a valid file either
    if key is not None and len(set(columns[_ID_COLUMN])) == len(result.rows):
        quoted = set(columns[_SOURCE_COLUMN])
        named = sorted(quoted | set(result.profile["sources"].split("|")))
        store.put(key, (tuple((s, load.row_digest(s), s in quoted) for s in named), result.profile, columns))
    return _valid(result.profile, columns)


# Columns whose texts a record repeats fact after fact (periods, subjects, confidence), which its
# parser returns as separate objects. Made one object each, pickle writes them once, the cache is
# read back faster, and the table takes less memory.
_REPEATED = tuple(
    _COLUMN_NAMES.index(c)
    for c in (
        "subject",
        "measure_word",
        "basis",
        "period_text",
        "period_start",
        "period_end",
        "period_reasoning",
        "source",
        "confidence",
        "note",
    )
)


def _shared(values: tuple) -> tuple:
    """The values (texts or None), with equal texts as one object."""
    seen: dict[str | None, str | None] = {}
    return tuple(map(seen.setdefault, values, values))


def placeholder_paths(record: object, at: tuple = ()) -> list[tuple]:
    """Paths of the fields of a parsed record whose whole value is the draft placeholder ``TODO``."""
    if isinstance(record, dict):
        return [p for k, v in record.items() for p in placeholder_paths(v, (*at, k))]
    if isinstance(record, list):
        return [p for i, v in enumerate(record) for p in placeholder_paths(v, (*at, i))]
    return [at] if record == PLACEHOLDER else []


def _check_file(path: Path, raw: bytes, label: str, load: _Load) -> _FileResult:
    """Check one record file: its profile row, its valid fact rows, every problem, every fact id."""
    doc, problems = read_yaml(path, label, raw)
    if doc is None:
        return _FileResult(problems=problems)
    data = doc.data
    if not isinstance(data, dict):
        return _FileResult(problems=[doc.problem((), "a record is a mapping with district, profile and facts")])
    if PLACEHOLDER in doc.text:  # cheap test first; a draft from `govcases extract` is full of them
        problems += [
            doc.problem(at, f"placeholder {PLACEHOLDER} left here", "fill in the real value")
            for at in placeholder_paths(data)
        ]
    # Each part is validated on its own so that one bad fact does not hide the problems of the others.
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(doc.problem((key,), f"unknown key '{key}'", "a record has district, profile and facts"))
    for key in _TOP_KEYS:
        if key not in data:
            problems.append(doc.problem((), f"required field '{key}' is missing", "see casebook/README.md"))
    district = data.get("district")
    if district is not None and (not isinstance(district, str) or not re.fullmatch(SLUG, district)):
        problems.append(doc.problem(("district",), f"district must be a lower-case slug (got {district!r})"))
    elif district is not None and district != path.stem:
        problems.append(
            doc.problem(
                ("district",),
                f"district '{district}' does not match the file name",
                f"rename the file to {district}.yaml or fix the slug",
            )
        )
    profile = None
    if "profile" in data:
        try:
            profile = Profile.model_validate(data["profile"])
        except ValidationError as err:
            problems += pydantic_problems(doc, err, ("profile",))
    facts = data.get("facts")
    if "facts" in data and (not isinstance(facts, list) or not facts):
        problems.append(doc.problem(("facts",), "facts must be a non-empty list"))
        facts = []
    manifest = load.manifest
    if profile is not None:
        for i, sid in enumerate(profile.sources):
            if sid not in manifest:
                problems.append(
                    doc.problem(
                        ("profile", "sources", i),
                        f"unknown source '{sid}'",
                        "add it to data/raw/manifest.csv or fix the id",
                    )
                )
    district = district if isinstance(district, str) else path.stem
    if isinstance(data.get("district"), str) and district not in load.districts:
        problems.append(
            doc.problem(
                ("district",),
                f"district '{district}' has no source in the manifest",
                "register its source in data/raw/manifest.csv with this district",
            )
        )
    if profile is not None:
        for i, sid in enumerate(profile.sources):
            source = manifest.get(sid)
            if source is not None and source.kind != "external-table" and source.district != district:
                problems.append(
                    doc.problem(
                        ("profile", "sources", i),
                        f"source '{sid}' belongs to district '{source.district}', not '{district}'",
                        "cite this district's own sources (or a shared external table), "
                        "or correct the district in the manifest",
                    )
                )
    listed = set(profile.sources) if profile is not None else None
    id_lines = _id_lines(doc.text)
    rows = []
    parsed: list[tuple[int, Fact, tuple | None]] = []
    for i, raw_fact in enumerate(facts or []):
        try:
            fact = Fact.model_validate(raw_fact)
        except ValidationError as err:
            problems += pydantic_problems(doc, err, ("facts", i))
            continue
        row, fact_problems = _check_fact(doc, i, fact, district, listed, load, id_lines.get(fact.id))
        problems += fact_problems
        parsed.append((i, fact, row))
        if row is not None:
            rows.append(row)
    # facts that name other facts (a sum's instruments and recipients, a count's total) are checked
    # against the whole record: the fact named exists here, and is of a kind that fits
    problems += link_problems(doc, parsed, load.indicators, load.codebook.fields, _COLUMN_NAMES)
    # the fact ids of a file with problems are checked for duplicates with those of the other files
    ids = [
        (f["id"], label, id_lines.get(f["id"]))
        for f in (facts or [] if problems else [])
        if isinstance(f, dict) and isinstance(f.get("id"), str)
    ]
    if profile is None:
        return _FileResult(None, rows, problems, ids)
    return _FileResult(_profile_row(profile, district, len(facts or []), label), rows, problems, ids)


def _profile_row(p: Profile, district: str, n_facts: int, label: str) -> dict:
    return {
        "district": district,
        "name_zh": p.name_zh,
        "name_en": p.name_en,
        "city_zh": p.city_zh,
        "city_en": p.city_en,
        "province_zh": p.province_zh,
        "province_en": p.province_en,
        "area_kind": p.area_kind,
        "sources": "|".join(p.sources),
        "summary": p.summary,
        "n_facts": n_facts,
        "file": label,
    }


def _id_lines(text: str) -> dict[str, int]:
    """Line of each ``- id:`` entry (first occurrence)."""
    # Only the lines where "id:" occurs can be entries, and they are few, so those are found
    # with str.find and matched from their start, rather than looking at every line. Line
    # numbers are counted on from the previous entry, so the text is never split into lines.
    out: dict[str, int] = {}
    number, counted_to = 1, 0
    at = text.find("id:")
    while at >= 0:
        line_start = text.rfind("\n", 0, at) + 1
        m = _ID_LINE.match(text, line_start)  # within the line: no part of the pattern matches a line break
        if m:
            number += text.count("\n", counted_to, line_start)
            counted_to = line_start
            out.setdefault(m.group(1), number)
        at = text.find("id:", at + 3)
    return out


@functools.lru_cache(maxsize=4096)
def _period_problems(start: str, end: str) -> tuple[tuple[str, str, str], ...]:
    """(field, message, hint) of each problem of a period's ISO dates: real calendar dates, start <= end."""
    # a record gives a handful of distinct periods for all its facts, so each pair is checked once
    problems = []
    for name, value in (("period.start", start), ("period.end", end)):
        try:
            parse_iso_date(value)
        except ValueError:
            problems.append((name, f"{value} is not a calendar date", "write a real date as YYYY-MM-DD"))
    if start > end:  # ISO dates order as text
        problems.append(("period", f"period starts ({start}) after it ends ({end})", "swap or fix the dates"))
    return tuple(problems)


def _trivial_quote(quote: str) -> bool:
    """Whether a quote has fewer than MIN_QUOTE_CHARS visible characters (its match key's length)."""
    # most quotes are long and hold nothing the key drops (whitespace, invisible characters, a
    # pinyin gloss in brackets): those are settled without normalizing them, which costs as much
    # as the rest of a fact's checks
    plain = quote.isprintable() and " " not in quote and "(" not in quote and "（" not in quote
    if plain and len(quote) >= MIN_QUOTE_CHARS:
        return False
    return len(match_key(quote)) < MIN_QUOTE_CHARS


def _check_fact(doc, i: int, fact: Fact, district: str, listed: set[str] | None, load: _Load, line: int | None):
    at = ("facts", i)
    problems: list[Problem] = []

    def bad(field: str, message: str, hint: str = "") -> None:
        problems.append(doc.problem((*at, field), message, hint))

    ind = load.indicators.get(fact.indicator)
    if not fact.id.startswith(district + "-"):
        bad("id", f"fact id '{fact.id}' does not start with '{district}-'", "prefix ids with the district slug")
    if ind is None:
        bad(
            "indicator",
            f"unknown indicator '{fact.indicator}'",
            "use an id from casebook/codebook.yaml or add one there",
        )
        return None, problems
    if ind.subject == "required" and not fact.subject:
        bad("subject", f"indicator '{ind.id}' needs a subject", "say in a few words what exactly is counted")
    if ind.subject == "none" and fact.subject:
        bad("subject", f"indicator '{ind.id}' takes no subject", "remove it, or use an indicator that takes one")
    for problem in field_problems(fact, ind, load.codebook.fields):
        bad(*problem)
    p = fact.period
    for problem in _period_problems(p.start, p.end):
        bad(*problem)

    source = load.manifest.get(fact.source)
    if source is None:
        bad(
            "source",
            f"unknown source '{fact.source}'",
            "use a source id from data/raw/manifest.csv or data/external/manifest.csv",
        )
    elif listed is not None and fact.source not in listed:
        bad("source", f"source '{fact.source}' is not listed in profile.sources", "add it there")

    num = low = high = low_closed = high_closed = qualifier = unit = measure_word = None
    value = fact.value
    vt = ind.value_type
    if vt == "quantity":
        if not isinstance(value, str):
            bad(
                "value",
                f"a quantity is written as the source writes it, as text (got {value!r})",
                f'write it in quotes with its measure word, e.g. "{value}家"',
            )
        else:
            try:
                # parse_quantity's fields, without making a Quantity (see quantity_fields)
                _, num, low, high, low_closed, high_closed, qualifier, measure_word, _ = quantity_fields(value, None)
            except QuantityError as err:
                bad("value", str(err), "write the expression exactly as in the quote")
            else:
                units = load.measure_words(ind)
                if measure_word not in units:
                    allowed = ", ".join(repr(w) for w in units)
                    bad(
                        "value",
                        f"measure word {measure_word!r} is not a unit of '{ind.id}' "
                        f"({'/'.join(ind.unit_keys)}: {allowed})",
                        "pick the indicator whose unit fits, or extend the unit in the codebook",
                    )
                unit = units.get(measure_word)
        if fact.basis is None:
            bad("basis", "a quantity needs a basis", "one of: " + ", ".join(BASES))
    else:
        if fact.basis is not None:
            bad("basis", f"only quantities have a basis, '{ind.id}' is a {vt}", "remove the basis")
        if vt == "year":
            if isinstance(value, bool) or not isinstance(value, int) or not 1800 <= value <= 2100:
                bad("value", f"a year is a four-digit number (got {value!r})", "write e.g. 2006")
            elif doc.nondecimal_number is not None:
                # yaml_rs reads 0x7D8 as 2008: a year must be written as the year
                line_no, written = doc.nondecimal_number
                bad(
                    "value",
                    f"a year is written in decimal digits (line {line_no} writes the number {written})",
                    f"write {value}",
                )
            else:
                num = low = high = value
                low_closed = high_closed = True
                qualifier = "exact"
        elif vt == "date":
            try:
                parse_iso_date(value)
            except ValueError:
                bad("value", f"a date is written as an ISO date (got {value!r})", "write e.g. 2011-12-30")
        elif vt == "boolean":
            if not isinstance(value, bool):
                bad("value", f"a yes/no value is written true or false (got {value!r})", "write true or false")
            else:
                num = int(value)
        elif vt == "category":
            if value not in (ind.categories or []):
                bad(
                    "value",
                    f"'{value}' is not a category of '{ind.id}'",
                    f"use one of: {', '.join(ind.categories or [])}",
                )
        elif vt == "text" and not isinstance(value, str):
            bad("value", f"a text value is written as text (got {value!r})", "put it in quotes")

    value_text = str(value).lower() if isinstance(value, bool) else str(value)
    if _trivial_quote(fact.quote):
        # an empty or one-character quote is found in any source and pins nothing down
        bad(
            "quote",
            f"the quote has {len(match_key(fact.quote))} visible character(s), fewer than {MIN_QUOTE_CHARS}",
            "quote the passage that states the value, as the source writes it",
        )
        source = None  # nothing to look for
    if source is not None:
        quote = fact.quote
        # the value must be a whole figure of the quote with its qualifier (not 33家 of 333家,
        # not 千万 of 近千万); most are written exactly as in the quote, which settles them cheaply
        if (
            vt in ("quantity", "year")
            and isinstance(value, (str, int))
            and not whole_figure_in(value_text, quote)
            and not whole_figure_in(match_key(value_text), match_key(quote))
        ):
            if value_text not in quote and match_key(value_text) not in match_key(quote):
                bad(
                    "value",
                    f"the value '{value_text}' does not occur in the quote",
                    "quote the passage that states the value, or copy the value as the quote writes it",
                )
            else:
                bad(
                    "value",
                    f"the value '{value_text}' occurs in the quote only as part of a longer figure or "
                    "without the qualifier the quote gives it",
                    "write the whole figure as the quote does, with its qualifier (近千万, 3万余名, 10%以上)",
                )
        try:
            clean = load.clean_key(source)
        except SourceError as err:
            bad("source", str(err))
        else:
            if quote not in clean and match_key(quote) not in clean:
                bad(
                    "quote",
                    f"the quote does not occur in the clean text of '{fact.source}'",
                    "copy it again from the source; compare with `govcases clean " + fact.source + "`",
                )
    if problems:
        return None, problems
    # in FACT_COLUMNS order
    row = (
        district,
        fact.id,
        ind.id,
        ind.category,
        ind.scope,
        fact.subject,
        vt,
        value_text,
        num,
        low,
        high,
        low_closed,
        high_closed,
        qualifier,
        unit,
        measure_word,
        fact.basis,
        p.text,
        p.start,
        p.end,
        p.reasoning,
        fact.source,
        fact.quote,
        fact.english,
        fact.confidence,
        fact.note,
        p.reading or ind.period_means,
        fact.payer,
        fact.reach,
        None if fact.use is None else "|".join(fact.use),
        None if fact.instruments is None else "|".join(fact.instruments),
        None if fact.recipients is None else "|".join(fact.recipients),
        fact.part_of,
        fact.beside,
        fact.counts,
        fact.status,
        doc.label,
        line,
    )
    return row, problems


def _frame_ids(facts: pd.DataFrame) -> list[tuple[str, str, int | None]]:
    """(fact id, file, line) of each row."""
    lines = [None if pd.isna(line) else int(line) for line in facts["line"]]
    return list(zip(facts["id"], facts["file"], lines))


def _duplicate_ids(ids: list[tuple[str, str, int | None]]) -> list[Problem]:
    counts = Counter(fact_id for fact_id, _, _ in ids)
    return [
        Problem(
            file, line, "id", f"fact id '{fact_id}' is used more than once in the casebook", "give each fact its own id"
        )
        for fact_id, file, line in ids
        if counts[fact_id] > 1
    ]


def _facts_frame(files: list[tuple[tuple, ...]]) -> pd.DataFrame:
    """The facts table from each file's columns, files in table order."""
    data = {}
    for i, name in enumerate(_COLUMN_NAMES):
        # one column at a time: the list of all its values lives only while its array is made
        values = list(chain.from_iterable(columns[i] for columns in files))
        if name in _NUMERIC:
            data[name] = pd.array([None if v is None else float(v) for v in values], dtype="Float64")
        elif name in _BOOL:
            data[name] = pd.array(values, dtype="boolean")
        elif name == "line":
            data[name] = pd.array(values, dtype="Int64")
        else:
            # the "string" dtype is stored by pyarrow; building its array directly takes a third of
            # the time pd.array(values, dtype="string") does (which first makes an object array and
            # checks every value), the largest part of a warm load. Every value is a text or None
            # here: pyarrow refuses anything else, where pandas would turn it into text.
            data[name] = pd.arrays.ArrowStringArray(pa.array(values, type=pa.large_string()))
    return pd.DataFrame(data, copy=False)  # the arrays are new: no need to copy them again


def _profiles_frame(profiles: list[dict], manifest: dict[str, Source]) -> pd.DataFrame:
    rows = []
    for p in profiles:
        first = manifest.get(p["sources"].split("|")[0])
        rows.append(
            {
                **p,
                "source_kind": first.kind if first else None,
                "source_page_date": (first.page_date or None) if first else None,
            }
        )
    frame = pd.DataFrame(rows)
    frame = frame.astype({c: "string" for c in frame.columns if c != "n_facts"})
    frame["n_facts"] = frame["n_facts"].astype("Int64")
    return frame.sort_values("district", ignore_index=True)


def _sources_frame(manifest: dict[str, Source], cited: list[str]) -> pd.DataFrame:
    cols = ["source_id", "file", "district", "title", "kind", "publisher", "page_date", "url", "sha256"]
    # an empty manifest cell means "not known": NA, not an empty string
    rows = [{c: getattr(manifest[s], c) or None for c in cols} for s in cited if s in manifest]
    return pd.DataFrame(rows, columns=cols).astype("string")
