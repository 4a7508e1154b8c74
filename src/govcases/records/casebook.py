"""Loading, validating and normalizing the casebook into tidy pandas tables.

The casebook is a folder of district records (``<district>.yaml``) and a ``codebook.yaml``;
the sources its quotes come from are listed in the data folder beside it (``../data``). Every
check that can be made on a record is made, every problem is collected with its file, line and
field, and only a casebook with none at all is returned: one long table with a row per fact.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import json
import os
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from govcases.records.codebook import LoadedCodebook, load_codebook, pydantic_problems
from govcases.records.errors import CasebookError, Problem
from govcases.records.models import (
    BASES,
    CONFIDENCE,
    FACT_ID,
    PLACEHOLDER,
    SLUG,
    Fact,
    Profile,
    parse_iso_date,
)
from govcases.records.paths import project_paths
from govcases.records.quantity import QuantityError, parse_quantity, quantity_fields
from govcases.records.sources import (
    Source,
    SourceError,
    clean_match_key,
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
    "value": "The figure as stated, scaled to the unit (quantities, years; 1/0 for booleans); NA for ranges and non-numeric values",
    "low": "Lower bound of the interval the expression means",
    "high": "Upper bound of the interval (inf when open above)",
    "low_closed": "Whether the lower bound is included",
    "high_closed": "Whether the upper bound is included",
    "qualifier": "How the expression qualifies the figure (exact, more_than, nearly, about, at_least, over, range, ratio)",
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
    >>> sorted(cb.profiles["district"])[:2]
    ['beilun', 'longhua']
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
        mention it, which is not evidence that the district lacks it.
        """
        ind = self.codebook.indicators[indicator]
        if ind.value_type != "category":
            raise ValueError(f"{indicator!r} is a {ind.value_type}, not a category indicator")
        facts = self.indicator(indicator)
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


def load_casebook(path: Path | str | None = None, *, workers: int | None = None) -> Casebook:
    """Load and validate a casebook.

    Parameters
    ----------
    path : path-like, optional
        A casebook folder (with ``codebook.yaml`` and ``<district>.yaml`` files) or one record file
        in such a folder. Sources are read from the ``data`` folder beside the casebook folder.
        Default: the project's own ``casebook/``.
    workers : int, optional
        Processes used to check records; default: one for small casebooks, all cores for large.

    Returns
    -------
    Casebook

    Raises
    ------
    CasebookError
        Listing every problem in every file, each with file, line and field.
    """
    folder, data_root = project_paths(path)
    files = _record_files(path, folder)
    codebook = load_codebook(folder / "codebook.yaml", label=os.path.relpath(folder / "codebook.yaml", folder.parent))
    try:
        manifest = load_manifest(data_root)
    except SourceError as err:
        raise CasebookError([Problem(str(data_root), None, "", str(err))]) from None
    chunks = _check_files(files, codebook, manifest, folder, workers)
    problems = [p for c in chunks for p in c.problems]
    profiles = [p for c in chunks for p in c.profiles]
    if problems:
        raise CasebookError(problems + _duplicate_ids([i for c in chunks for i in _chunk_ids(c)]))
    facts = pd.concat([c.facts for c in chunks], ignore_index=True) if len(chunks) > 1 else chunks[0].facts
    if not facts["id"].is_unique:
        raise CasebookError(_duplicate_ids(_frame_ids(facts)))
    # Each chunk is a run of files in name order with its rows sorted by (district, id), and a
    # valid record's district is its file name, so the rows are normally in order already;
    # checking that is far cheaper than sorting 100,000s of strings.
    if not _in_district_id_order(facts):
        facts = facts.sort_values(["district", "id"], ignore_index=True)
    cited = sorted(set().union(*(c.cited for c in chunks)) | {s for p in profiles for s in p["sources"].split("|")})
    sources = _sources_frame(manifest, cited)
    return Casebook(facts, _profiles_frame(profiles, manifest), codebook, sources, folder)


def validate_casebook(path: Path | str | None = None, *, workers: int | None = None) -> list[Problem]:
    """Every problem in a casebook (empty when it is valid), without raising."""
    try:
        load_casebook(path, workers=workers)
    except CasebookError as err:
        return err.problems
    return []


def load_facts(path: Path | str | None = None) -> pd.DataFrame:
    """Shortcut for ``load_casebook(path).facts``."""
    return load_casebook(path).facts


def _record_files(path, folder: Path) -> list[Path]:
    if path is not None and Path(path).is_file():
        return [Path(path).resolve()]
    if not folder.is_dir():
        raise CasebookError([Problem(str(folder), None, "", "no such casebook folder")])
    files = sorted(p for p in folder.glob("*.yaml") if p.name != "codebook.yaml")
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
    return files


@dataclass
class _ChunkResult:
    profiles: list[dict]
    problems: list[Problem]
    # Without problems, every fact is a row of the table, which holds its id, file and line;
    # with problems, there is no table (the casebook is not loaded) and the ids of all facts
    # are listed, for the check that no id is used twice.
    ids: list[tuple[str, str, int | None]]  # (fact id, file, line), with problems only
    facts: pd.DataFrame | None  # without problems only
    cited: set[str]  # source ids of the facts
    new_keys: dict[str, str]  # match keys of the sources cleaned for this chunk, for the cache
    n_fast: int = 0  # files that passed the fast path (see _fast_rows)


_ROW_ORDER = itemgetter(_COLUMN_NAMES.index("district"), _COLUMN_NAMES.index("id"))
_SOURCE_COLUMN = _COLUMN_NAMES.index("source")


def _check_chunk(files: list[Path]) -> _ChunkResult:
    """Check a group of files and build their part of the facts table in the same process."""
    # The check allocates many small objects that all live until the end; the cyclic garbage
    # collector would rescan them again and again (it has nothing to free here), which made
    # large casebooks several times slower.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        _STATE["new_keys"] = {}
        results = [_check_file(f) for f in files]
        problems = [p for r in results for p in r.problems]
        rows = [row for r in results for row in r.rows]
        rows.sort(key=_ROW_ORDER)
        facts = None if problems else _facts_frame(rows)
    finally:
        if gc_was_enabled:
            gc.enable()
    return _ChunkResult(
        profiles=[r.profile for r in results if r.profile is not None],
        problems=problems,
        ids=[i for r in results for i in r.ids] if problems else [],
        facts=facts,
        cited={row[_SOURCE_COLUMN] for row in rows},
        new_keys=_STATE["new_keys"],
        n_fast=sum(r.fast for r in results),
    )


def usable_cpus() -> int:
    """How many CPUs this process may run on: those of its affinity mask where the system says
    (a container or ``taskset`` limit), else all the machine has. Forking more workers than this
    only adds start-up cost.
    """
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _check_files(files, codebook, manifest, folder, workers) -> list[_ChunkResult]:
    if workers is None:
        workers = 1 if len(files) < 200 else usable_cpus()
    _init_worker(codebook, manifest, str(folder.parent))
    if workers <= 1:
        chunks = [_check_chunk(files)]
    else:
        chunks = _check_in_parallel(files, workers)
    _store_clean_keys({k: v for c in chunks for k, v in c.new_keys.items()})
    return chunks


def _check_in_parallel(files: list[Path], workers: int) -> list[_ChunkResult]:
    """Check files in this process and in workers - 1 helper processes; results in file order."""
    # The helpers are forked, so they start at once with everything imported and the state set
    # up. Files go in short runs, in name order, so the rows come back in order. Helpers take
    # runs from the front of the queue while this process takes them from the back, as long as
    # one is still waiting (a run can be cancelled until it is handed to a helper). What a helper
    # returns must be pickled and read back here; what this process checks need not be.
    size = 32  # small runs: at the end neither process waits long for the other
    shares = [files[i : i + size] for i in range(0, len(files), size)]
    state = (_STATE["codebook"], _STATE["manifest"], _STATE["label_root"], (_STATE["stored_keys"], _STATE["packs"]))
    with ProcessPoolExecutor(workers - 1, initializer=_init_worker, initargs=state) as pool:
        futures = [pool.submit(_check_chunk, share) for share in shares]
        results: list[_ChunkResult | None] = [None] * len(shares)
        for k in reversed(range(len(shares))):
            if futures[k].cancel():
                results[k] = _check_chunk(shares[k])
        return [r if r is not None else f.result() for r, f in zip(results, futures)]


_STATE: dict = {}
_TOP_KEYS = ("district", "profile", "facts")
_ID_LINE = re.compile(r"[ \t]*-[ \t]+id:[ \t]*['\"]?([A-Za-z0-9_-]+)")


def _init_worker(
    codebook: LoadedCodebook,
    manifest: dict[str, Source],
    label_root: str,
    stored_keys: tuple[dict[str, str], list[Path]] | None = None,
) -> None:
    """Set up a process to check files; ``stored_keys`` is the clean-text cache if already read."""
    cache_dir = Path(label_root) / "build" / "cache" / "clean"
    _STATE.clear()
    _STATE.update(
        codebook=codebook,
        indicators=codebook.indicators,
        manifest=manifest,
        label_root=label_root,
        label_dirs={},  # record folder -> its path from label_root
        clean={},  # source id -> match key, in this process
        new_keys={},  # source checksum -> match key, cleaned here and not yet stored
        units={},
        shared_texts={},  # one object for each repeated text in the rows (see _fast_rows)
        fact_kinds={},  # (indicator, subject, basis, confidence) -> checked, see _fact_kind
        periods={},  # (text, start, end, reasoning) -> checked, see _good_period
        cache_dir=cache_dir,
    )
    _STATE["stored_keys"], _STATE["packs"] = stored_keys or _read_clean_cache(cache_dir)


# ---------------------------------------------------------------------------- clean-text cache
# Cleaning is the costliest part of checking quotes, and a source never changes, so the match key
# of its clean text is kept in build/cache/clean, under the SHA-256 of the source file, in files
# named by the cleaning code's own checksum (a change to the rules invalidates every entry). The
# keys are stored together, a few files ("packs") of many entries rather than a file per source:
# creating a file costs far more than writing a few kilobytes into one, and a casebook may cite
# thousands of sources. Each load reads every pack of the current cleaning code and writes the
# keys it had to compute as one new pack; once there are many packs, one holding all their
# entries replaces them. A pack is a first line listing [checksum, length in bytes] pairs in
# JSON, then the keys in UTF-8 one after the other; a key is only decoded when it is looked up.
_MAX_PACKS = 16


def _pack(entries: dict[str, str]) -> bytes:
    order = sorted(entries)
    keys = [entries[k].encode("utf-8") for k in order]
    index = json.dumps([[k, len(key)] for k, key in zip(order, keys)]).encode("ascii")
    return b"\n".join([index, b"".join(keys)])


def _unpack(data: bytes) -> dict[str, tuple[bytes, int, int]] | None:
    """Where each key of a pack lies in ``data`` (as ``data, start, stop``), or None if it is damaged."""
    end = data.find(b"\n")
    try:
        index = json.loads(data[:end]) if end >= 0 else None
    except ValueError:
        return None
    if not isinstance(index, list):
        return None
    entries, at = {}, end + 1
    for item in index:
        if not (
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and type(item[1]) is int
            and item[1] >= 0
        ):
            return None
        entries[item[0]] = (data, at, at + item[1])
        at += item[1]
    return entries if at == len(data) else None


def _stored_key(digest: str) -> str | None:
    """The stored match key of a source, by the checksum of its file, if there is one."""
    entry = _STATE["stored_keys"].get(digest)
    if entry is None or isinstance(entry, str):
        return entry
    data, start, stop = entry
    try:
        return data[start:stop].decode("utf-8")
    except UnicodeDecodeError:
        return None  # a damaged pack: clean the source again


def _read_clean_cache(cache_dir: Path) -> tuple[dict[str, tuple | str], list[Path]]:
    """Every stored match key of the current cleaning code, by source checksum, and the packs read."""
    keys: dict[str, tuple | str] = {}
    packs = []
    for path in sorted(cache_dir.glob(f"{_cleaning_version()}-*.pack")):
        try:
            entries = _unpack(path.read_bytes())
        except OSError:
            continue  # vanished (replaced by another process): only a lost cache
        if entries is not None:
            keys.update(entries)
            packs.append(path)
    return keys, packs


def _store_clean_keys(new: dict[str, str]) -> None:
    """Write newly computed match keys as one pack (all keys, replacing the others, when they are many)."""
    if not new:
        return
    packs = _STATE["packs"]
    if len(packs) >= _MAX_PACKS:
        entries = {digest: _stored_key(digest) for digest in _STATE["stored_keys"]}
        entries = {**{k: v for k, v in entries.items() if v is not None}, **new}
    else:
        entries = new
    name = hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()[:16]
    path = _STATE["cache_dir"] / f"{_cleaning_version()}-{name}.pack"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(_pack(entries))
        os.replace(tmp, path)  # readers see the whole pack or none of it
        if entries is not new:
            for old in packs:
                if old != path:
                    old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only project still validates, only without the cache


def _clean_key(source: Source) -> str:
    """The match key of a source's clean text, from memory, the on-disk cache, or by cleaning it."""
    cache = _STATE["clean"]
    key = cache.get(source.source_id)
    if key is not None:
        return key
    data = source.path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != source.sha256:
        raise SourceError(
            f"{source.file}: its SHA-256 does not match the manifest; sources are immutable: "
            "restore the file, or record the new checksum if the change is intended"
        )
    key = _stored_key(digest)
    if key is None:
        raw = read_raw(source, data)
        # a table of external facts is quoted as it stands; only narrative pages need cleaning
        key = match_key(raw) if source.kind == "external-table" else clean_match_key(raw)
        _STATE["stored_keys"][digest] = _STATE["new_keys"][digest] = key
    cache[source.source_id] = key
    return key


@functools.cache
def _cleaning_version() -> str:
    from govcases.records import sources

    return hashlib.sha256(Path(sources.__file__).read_bytes()).hexdigest()[:16]


@dataclass
class _FileResult:
    profile: dict | None = None
    rows: list[tuple] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ids: list[tuple[str, str, int | None]] = field(default_factory=list)  # (fact id, file, line)
    fast: bool = False  # whether the fast path (_fast_rows) accepted the file


def placeholder_paths(record: object, at: tuple = ()) -> list[tuple]:
    """Paths of the fields of a parsed record whose whole value is the draft placeholder ``TODO``."""
    if isinstance(record, dict):
        return [p for k, v in record.items() for p in placeholder_paths(v, (*at, k))]
    if isinstance(record, list):
        return [p for i, v in enumerate(record) for p in placeholder_paths(v, (*at, i))]
    return [at] if record == PLACEHOLDER else []


def _check_file(path: Path) -> _FileResult:
    """Check one record file: its profile row, its valid fact rows, every problem, every fact id."""
    label = _label(path)
    doc, problems = read_yaml(path, label)
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
    manifest = _STATE["manifest"]
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
    listed = set(profile.sources) if profile is not None else None
    id_lines = _id_lines(doc.text)
    if _FAST_PATH and not problems and profile is not None and facts:
        fast = _fast_rows(doc, facts, district, listed, id_lines)
        if fast is not None:
            rows, ids = fast
            return _FileResult(_profile_row(profile, district, len(facts), label), rows=rows, ids=ids, fast=True)
    rows, ids = [], []
    for i, raw_fact in enumerate(facts or []):
        if isinstance(raw_fact, dict) and isinstance(raw_fact.get("id"), str):
            ids.append((raw_fact["id"], label, id_lines.get(raw_fact["id"])))
        try:
            fact = Fact.model_validate(raw_fact)
        except ValidationError as err:
            problems += pydantic_problems(doc, err, ("facts", i))
            continue
        row, fact_problems = _check_fact(doc, i, fact, district, listed)
        problems += fact_problems
        if row is not None:
            rows.append((*row, id_lines.get(fact.id)))
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


def _label(path: Path) -> str:
    """How a record file is named in messages and in the table: its path from the project folder."""
    # os.path.relpath(path, label_root), computed once per folder: it is slow, and every record
    # of a casebook sits in the same folder
    folder = _STATE["label_dirs"].get(path.parent)
    if folder is None:
        folder = _STATE["label_dirs"][path.parent] = os.path.relpath(path.parent, _STATE["label_root"])
    return path.name if folder == os.curdir else folder + os.sep + path.name


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


def _check_fact(doc, i: int, fact: Fact, district: str, listed: set[str] | None):
    at = ("facts", i)
    problems: list[Problem] = []

    def bad(field: str, message: str, hint: str = "") -> None:
        problems.append(doc.problem((*at, field), message, hint))

    codebook: LoadedCodebook = _STATE["codebook"]
    ind = _STATE["indicators"].get(fact.indicator)
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
    for end in ("start", "end"):
        try:
            parse_iso_date(getattr(fact.period, end))
        except ValueError:
            bad(
                f"period.{end}",
                f"{getattr(fact.period, end)} is not a calendar date",
                "write a real date as YYYY-MM-DD",
            )
    if fact.period.start > fact.period.end:  # ISO dates order as text
        bad("period", f"period starts ({fact.period.start}) after it ends ({fact.period.end})", "swap or fix the dates")

    source = _STATE["manifest"].get(fact.source)
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
                q = parse_quantity(value)
            except QuantityError as err:
                bad("value", str(err), "write the expression exactly as in the quote")
            else:
                units = _STATE["units"].get(ind.id)
                if units is None:
                    units = _STATE["units"][ind.id] = codebook.measure_words(ind)
                if q.unit not in units:
                    allowed = ", ".join(repr(w) for w in units)
                    bad(
                        "value",
                        f"measure word {q.unit!r} is not a unit of '{ind.id}' ({'/'.join(ind.unit_keys)}: {allowed})",
                        "pick the indicator whose unit fits, or extend the unit in the codebook",
                    )
                num, low, high, low_closed, high_closed = q.value, q.low, q.high, q.low_closed, q.high_closed
                qualifier, unit, measure_word = q.qualifier, units.get(q.unit), q.unit
        if fact.basis is None:
            bad("basis", "a quantity needs a basis", "one of: " + ", ".join(BASES))
    else:
        if fact.basis is not None:
            bad("basis", f"only quantities have a basis, '{ind.id}' is a {vt}", "remove the basis")
        if vt == "year":
            if isinstance(value, bool) or not isinstance(value, int) or not 1800 <= value <= 2100:
                bad("value", f"a year is a four-digit number (got {value!r})", "write e.g. 2006")
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
    if source is not None:
        quote = fact.quote
        if vt in ("quantity", "year") and isinstance(value, (str, int)):
            # most values are written exactly as in the quote: the plain test settles them cheaply
            if value_text not in quote and match_key(value_text) not in match_key(quote):
                bad(
                    "value",
                    f"the value '{value_text}' does not occur in the quote",
                    "quote the passage that states the value, or copy the value as the quote writes it",
                )
        try:
            clean = _clean_key(source)
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
    p = fact.period
    # in FACT_COLUMNS order, without the line, which _check_file appends
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
        doc.label,
    )
    return row, problems


# ---------------------------------------------------------------------------- fast path
# Nearly every record of a casebook is valid, and checking one fact at a time through the
# pydantic models and _check_fact builds several objects and closures per fact, which made most of
# the cost of large casebooks. _fast_rows makes the same checks on the parsed data directly, for
# all facts of a file at once. It never words a problem: at the first thing it does not accept
# it gives up, and the file goes through the full path above, which finds and reports every
# problem exactly as before. It may be stricter than the models (exact types, ASCII digits in
# dates), never looser, and its rows equal those of the full path; tests hold it to both.
#
# Facts repeat a few combinations of indicator, subject, basis and confidence, and a few periods,
# so these are checked once per process and remembered (valid or not) by value. A remembered
# valid combination holds only text and None, and no other value a YAML parser returns equals a
# text, so a combination found equal to it is valid too. The remembered texts are also reused in
# the rows: a helper process sends its rows back pickled, and pickle writes an object it has seen
# before as a short reference.

#: Off only in tests, which compare the fast and the full path.
_FAST_PATH = True
# What the models allow in a fact and its period. A test compares these, and the field types
# _fast_rows was written for, with the models, so that a change to a model cannot slip past here.
_FACT_REQUIRED = ("id", "indicator", "value", "source", "quote", "english", "period", "confidence")
_FACT_OPTIONAL = ("subject", "basis", "note")
_PERIOD_KEYS = ("text", "start", "end", "reasoning")
_FACT_ID_RE = re.compile(FACT_ID)
_ASCII_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _fast_rows(doc, facts: list, district: str, listed: set[str], id_lines: dict[str, int]):
    """Rows and ids of a file's facts if every fact is valid, else None (use the full path).

    Called only when the rest of the file (district, profile, the facts list) has no problem.
    Each test below mirrors a check of the ``Fact``/``Period`` models or of :func:`_check_fact`,
    and each row is built as :func:`_check_fact` builds it.
    """
    kinds = _STATE["fact_kinds"]
    periods = _STATE["periods"]
    same = _STATE["shared_texts"].setdefault
    clean_keys = _STATE["clean"]
    manifest = _STATE["manifest"]
    label = doc.label
    prefix = district + "-"
    rows, ids = [], []
    for f in facts:
        if type(f) is not dict:
            return None
        try:
            fid, value, source, quote, english = f["id"], f["value"], f["source"], f["quote"], f["english"]
            kind = (f["indicator"], f.get("subject"), f.get("basis"), f["confidence"])
            period = f["period"]
        except KeyError:
            return None
        note = f.get("note")
        # the required keys are there: any more than the optional ones present is unknown
        if len(f) != len(_FACT_REQUIRED) + ("subject" in f) + ("basis" in f) + ("note" in f):
            return None
        if not (type(fid) is str and fid.startswith(prefix) and _FACT_ID_RE.fullmatch(fid)):
            return None
        if type(source) is not str or source not in listed:  # listed sources are all in the manifest
            return None
        if type(quote) is not str or not quote or type(english) is not str or not english:
            return None
        if note is not None and type(note) is not str:
            return None
        try:
            known = kinds.get(kind)
            if known is None:
                known = kinds[kind] = _fact_kind(*kind)
            if type(period) is not dict or len(period) != len(_PERIOD_KEYS):
                return None
            when = (period["text"], period["start"], period["end"], period["reasoning"])
            good = periods.get(when)
            if good is None:
                good = periods[when] = when if _good_period(*when) else False
        except (KeyError, TypeError):  # a period key missing; a list or mapping where text belongs
            return None
        if not (known and good):
            return None
        ind, subject, basis, confidence, units = known
        ptext, start, end, reasoning = good
        num = low = high = low_closed = high_closed = qualifier = unit = measure_word = None
        vt = ind.value_type
        if vt == "quantity":
            if type(value) is not str:
                return None
            try:
                num, low, high, low_closed, high_closed, qualifier, measure_word = quantity_fields(value)
            except QuantityError:
                return None
            unit = units.get(measure_word)
            if unit is None:
                return None
            measure_word = same(measure_word, measure_word)
        elif vt == "year":
            if type(value) is not int or not 1800 <= value <= 2100:
                return None
            num = low = high = value
            low_closed = high_closed = True
            qualifier = "exact"
        elif vt == "date":
            if type(value) is not str or not _real_date(value):
                return None
        elif vt == "boolean":
            if type(value) is not bool:
                return None
            num = int(value)
        elif vt == "category":
            if type(value) is not str or value not in (ind.categories or ()):
                return None
        elif vt != "text" or type(value) is not str:
            return None
        value_text = str(value).lower() if type(value) is bool else str(value)
        if vt == "quantity" or vt == "year":
            if value_text not in quote and match_key(value_text) not in match_key(quote):
                return None
        clean = clean_keys.get(source)
        if clean is None:
            try:
                clean = _clean_key(manifest[source])
            except SourceError:
                return None
        if quote not in clean and match_key(quote) not in clean:
            return None
        line = id_lines.get(fid)
        rows.append(
            (
                district,
                fid,
                ind.id,
                ind.category,
                ind.scope,
                subject,
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
                basis,
                ptext,
                start,
                end,
                reasoning,
                same(source, source),
                quote,
                english,
                confidence,
                note,
                label,
                line,
            )
        )
        ids.append((fid, label, line))
    return rows, ids


def _fact_kind(indicator, subject, basis, confidence):
    """Indicator, subject, basis and confidence if together valid (with the indicator's measure
    words, for a quantity), else False.
    """
    if type(indicator) is not str or type(confidence) is not str or confidence not in CONFIDENCE:
        return False
    if (subject is not None and type(subject) is not str) or (basis is not None and type(basis) is not str):
        return False
    ind = _STATE["indicators"].get(indicator)
    if ind is None or (basis is not None and basis not in BASES):
        return False
    if (ind.subject == "required" and not subject) or (ind.subject == "none" and subject):
        return False
    if (ind.value_type == "quantity") != (basis is not None):  # a quantity needs a basis, nothing else has one
        return False
    units = None
    if ind.value_type == "quantity":
        units = _STATE["units"].get(ind.id)
        if units is None:
            units = _STATE["units"][ind.id] = _STATE["codebook"].measure_words(ind)
    return ind, subject, basis, confidence, units


def _good_period(text, start, end, reasoning) -> bool:
    """Whether a period's fields are valid: texts, and real dates written YYYY-MM-DD in order."""
    if type(text) is not str or not text or type(reasoning) is not str or not reasoning:
        return False
    return type(start) is str and type(end) is str and start <= end and _real_date(start) and _real_date(end)


def _real_date(text: str) -> bool:
    if not _ASCII_DATE.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _chunk_ids(chunk: _ChunkResult) -> list[tuple[str, str, int | None]]:
    return chunk.ids if chunk.facts is None else _frame_ids(chunk.facts)


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


def _in_district_id_order(facts: pd.DataFrame) -> bool:
    """Whether the rows are sorted by district, then id (ids are unique once checked)."""
    if len(facts) < 2:
        return True
    district = facts["district"].to_numpy(dtype=object)
    fact_id = facts["id"].to_numpy(dtype=object)
    d0, d1, i0, i1 = district[:-1], district[1:], fact_id[:-1], fact_id[1:]
    return bool(np.all((d0 < d1) | ((d0 == d1) & (i0 < i1))))


def _facts_frame(rows: list[tuple]) -> pd.DataFrame:
    columns = list(zip(*rows)) if rows else [()] * len(_COLUMN_NAMES)
    data = {}
    for name, values in zip(_COLUMN_NAMES, columns):
        if name in _NUMERIC:
            data[name] = pd.array([None if v is None else float(v) for v in values], dtype="Float64")
        elif name in _BOOL:
            data[name] = pd.array(values, dtype="boolean")
        elif name == "line":
            data[name] = pd.array(values, dtype="Int64")
        else:
            data[name] = pd.array(values, dtype="string")
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
