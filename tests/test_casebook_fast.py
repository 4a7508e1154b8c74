"""The fast loading path gives what the full per-fact check gives: the same table, the same problems.

``govcases.records.casebook`` checks a valid file's facts on the parsed data (``_fast_rows``) and only
falls back to the pydantic models and ``_check_fact`` when something is off; large casebooks are
checked in this process and a helper process at once. These tests turn the fast path off to get
the reference, and compare.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, VALID_RECORD

import govcases
from govcases.records import casebook
from govcases.records.codebook import load_codebook
from govcases.records.models import Fact, Period
from govcases.records.paths import project_paths
from govcases.records.sources import load_manifest

sys.path.insert(0, str(ROOT / "benchmarks"))
from make_synthetic import generate


def load(path, *, fast: bool, workers: int | None = 1):
    """(facts, profiles, sources) or the problems as text, with the fast path on or off."""
    old = casebook._FAST_PATH
    casebook._FAST_PATH = fast
    try:
        cb = govcases.load_casebook(path, workers=workers)
    except govcases.CasebookError as err:
        return [str(p) for p in err.problems]
    finally:
        casebook._FAST_PATH = old
    return cb.facts, cb.profiles, cb.sources


def assert_same(a, b):
    assert type(a) is type(b), (a, b)
    if isinstance(a, list):
        assert a == b
    else:
        for x, y in zip(a, b):
            pd.testing.assert_frame_equal(x, y, check_exact=True)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """A synthetic casebook of 130 districts: several runs of files, so both processes check some."""
    return generate(tmp_path_factory.mktemp("synthetic") / "project", 130, 8)


def fast_flags(folder: Path) -> list[bool]:
    folder, data = project_paths(folder)
    casebook._init_worker(load_codebook(folder / "codebook.yaml"), load_manifest(data), str(folder.parent))
    return [casebook._check_file(f).fast for f in casebook._record_files(None, folder)]


def test_the_real_records_take_the_fast_path_and_give_the_same_tables():
    # every value type, subjects, notes, quoted and unquoted values: all through the fast path
    assert all(fast_flags(ROOT / "casebook"))
    assert_same(load(None, fast=True), load(None, fast=False))


def test_parallel_fast_loading_gives_the_same_tables_as_the_full_check(synthetic):
    assert all(fast_flags(synthetic))
    reference = load(synthetic, fast=False, workers=1)
    assert_same(load(synthetic, fast=True, workers=2), reference)
    assert_same(load(synthetic, fast=True, workers=1), reference)
    facts = reference[0]
    assert len(facts) == 130 * 8
    assert list(facts["district"]) == sorted(facts["district"])


def test_the_fast_path_was_written_for_these_models():
    # _fast_rows checks each field by hand: a new field, or a changed type or constraint, must be
    # taught to it (or it would let a value through that the model refuses)
    def shape(model):
        return {name: (f.is_required(), repr(f.annotation), repr(f.metadata)) for name, f in model.model_fields.items()}

    assert set(casebook._FACT_REQUIRED) == {n for n, f in Fact.model_fields.items() if f.is_required()}
    assert set(casebook._FACT_OPTIONAL) == {n for n, f in Fact.model_fields.items() if not f.is_required()}
    assert set(casebook._PERIOD_KEYS) == set(Period.model_fields)
    assert Fact.model_config == Period.model_config == {"extra": "forbid", "frozen": True, "strict": True}
    assert shape(Period) == {
        "text": (True, "<class 'str'>", "[MinLen(min_length=1)]"),
        "start": (True, "<class 'str'>", "[_PydanticGeneralMetadata(pattern='^\\\\d{4}-\\\\d{2}-\\\\d{2}$')]"),
        "end": (True, "<class 'str'>", "[_PydanticGeneralMetadata(pattern='^\\\\d{4}-\\\\d{2}-\\\\d{2}$')]"),
        "reasoning": (True, "<class 'str'>", "[MinLen(min_length=1)]"),
    }
    assert shape(Fact) == {
        "id": (True, "<class 'str'>", "[_PydanticGeneralMetadata(pattern='^[a-z][a-z0-9]*(-[a-z0-9]+)+$')]"),
        "indicator": (True, "<class 'str'>", "[]"),
        "subject": (False, "str | None", "[]"),
        "value": (True, "str | bool | int", "[]"),
        "basis": (
            False,
            "typing.Optional[typing.Literal['stock', 'annual', 'cumulative', 'one_off', 'budget', "
            "'per_unit', 'rate', 'change']]",
            "[]",
        ),
        "source": (True, "<class 'str'>", "[]"),
        "quote": (True, "<class 'str'>", "[MinLen(min_length=1)]"),
        "english": (True, "<class 'str'>", "[MinLen(min_length=1)]"),
        "period": (True, "<class 'govcases.records.models.Period'>", "[]"),
        "confidence": (True, "typing.Literal['stated', 'inferred', 'disputed']", "[]"),
        "note": (False, "str | None", "[]"),
    }


# Changes to the valid record, each making one fact (or its period) wrong in a way the fast path
# must notice and hand to the full check. Whatever it is, the full path's report must come out.
MUTATIONS = {
    "extra key": (
        "    confidence: stated\n  - id: zhenhai-growth",
        "    confidence: stated\n    colour: red\n  - id: zhenhai-growth",
    ),
    "missing english": ("    english: The district has 333 registered legal-person social organizations.\n", ""),
    "empty quote": ("quote: 至今,累计投入各类扶持资金近千万", "quote: ''"),
    "id prefix": ("id: zhenhai-growth", "id: beilun-growth"),
    "id pattern": ("id: zhenhai-growth", "id: zhenhai_growth"),
    "id number": ("id: zhenhai-growth", "id: 17"),
    "indicator list": ("indicator: orgs_registered\n", "indicator: [orgs_registered]\n"),
    "unknown indicator": ("indicator: orgs_registered\n", "indicator: orgs_registred\n"),
    "subject not text": ("subject: all organizations (the text does not say which count)", "subject: 12"),
    "subject missing": ("    subject: all organizations (the text does not say which count)\n", ""),
    "subject not taken": ("    indicator: orgs_registered\n", "    indicator: orgs_registered\n    subject: people\n"),
    "basis unknown": ("basis: stock", "basis: stocks"),
    "basis on a year": ("basis: stock", "basis: [stock]"),
    "basis missing": ("    basis: cumulative\n", ""),
    "source unlisted": (
        "    source: zhenhai-2015-report\n    quote: 连续",
        "    source: ext-population-area\n    quote: 连续",
    ),
    "source unknown": ("    source: zhenhai-2015-report\n    quote: 连续", "    source: nowhere\n    quote: 连续"),
    "confidence": ("    confidence: stated\n  - id: zhenhai-growth", "    confidence: sure\n  - id: zhenhai-growth"),
    "note not text": (
        "    confidence: stated\n  - id: zhenhai-growth",
        "    confidence: stated\n    note: [a]\n  - id: zhenhai-growth",
    ),
    "period list": (
        "period: {text: 至今, start: 2012-01-01, end: 2015-04-21, reasoning: Test record.}",
        "period: [至今]",
    ),
    "period key": (
        "period: {text: 至今, start: 2012-01-01, end: 2015-04-21, reasoning: Test record.}",
        "period: {text: 至今, begin: 2012-01-01, end: 2015-04-21, reasoning: Test record.}",
    ),
    "period extra key": (
        "period: {text: 至今, start: 2012-01-01, end: 2015-04-21, reasoning: Test record.}",
        "period: {text: 至今, start: 2012-01-01, end: 2015-04-21, reasoning: Test record., x: 1}",
    ),
    "period text empty": ("period: {text: 至今,", "period: {text: '',"),
    "period date": ("start: 2012-01-01", "start: 2012-02-30"),
    "period date digits": ("start: 2012-01-01", "start: '２０１２-01-01'"),
    "period date form": ("start: 2012-01-01", "start: 20120101"),
    "period backwards": ("start: 2012-01-01", "start: 2016-01-01"),
    "period reasoning number": (
        "reasoning: Test record.}\n    confidence: stated\n",
        "reasoning: 5}\n    confidence: stated\n",
    ),
    "value number": ("value: 333家", "value: 333"),
    "value unit": ("value: 333家", "value: 333人"),
    "value unreadable": ("value: 10%以上", "value: 一成以上多"),
    "value not quoted": ("value: 333家", "value: 334家"),
    "value true": ("value: 333家", "value: true"),
    "quote not in source": ("quote: 连续多年保持10%以上增速", "quote: 连续多年保持10%以上的增速"),
    "fact not a mapping": (
        "  - id: zhenhai-funding-cumulative\n",
        "  - just text\n  - id: zhenhai-funding-cumulative\n",
    ),
}


@pytest.mark.parametrize("case", sorted(MUTATIONS))
def test_a_file_with_a_problem_gets_the_full_report(project, case):
    old, new = MUTATIONS[case]
    assert old in VALID_RECORD, case
    (project / "zhenhai.yaml").write_text(VALID_RECORD.replace(old, new, 1), encoding="utf-8")
    full = load(project, fast=False)
    assert isinstance(full, list) and full, f"{case}: the record should be refused"
    assert load(project, fast=True) == full


def test_every_problem_of_every_file_is_reported_in_parallel(synthetic, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(synthetic.parent, project)
    folder = project / "casebook"
    files = sorted(folder.glob("d*.yaml"))
    # a wrong unit in the first file (checked by the helper), a bad date in the last (checked
    # here), and an id used in two files far apart
    first = files[0].read_text(encoding="utf-8")
    files[0].write_text(first.replace('家"', '人"', 1), encoding="utf-8")
    last = files[-1].read_text(encoding="utf-8")
    files[-1].write_text(last.replace("start: 2013-12-31", "start: 2013-02-30", 1), encoding="utf-8")
    middle = files[70].read_text(encoding="utf-8")
    stolen = re.search(r"id: (d\d+-fact-003)", first).group(1)
    files[70].write_text(re.sub(r"id: d\d+-fact-005", f"id: {stolen}", middle, count=1), encoding="utf-8")
    full = load(folder, fast=False, workers=1)
    assert load(folder, fast=True, workers=2) == full
    assert load(folder, fast=True, workers=1) == full
    text = "\n".join(full)
    assert f"casebook/{files[0].name}:" in text and "is not a unit" in text
    assert f"casebook/{files[-1].name}:" in text and "is not a calendar date" in text
    assert sum(f"fact id '{stolen}' is used more than once" in p for p in full) == 2


def test_duplicate_ids_are_found_in_the_table_when_nothing_else_is_wrong(synthetic, tmp_path):
    # An id used twice in one file is the only problem such a file has: the fast path takes it,
    # and the check for ids used twice runs on the combined table.
    project = tmp_path / "project"
    shutil.copytree(synthetic.parent, project)
    folder = project / "casebook"
    files = sorted(folder.glob("d*.yaml"))
    for path in (files[0], files[-1]):  # one checked by the helper, one here
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"id: (d\d+)-fact-002", r"id: \1-fact-001", text, count=1), encoding="utf-8")
    problems = load(folder, fast=True, workers=2)
    assert problems == load(folder, fast=False, workers=1)
    assert len(problems) == 4 and all("is used more than once" in p for p in problems)
    assert {p.split(":")[0] for p in problems} == {f"casebook/{files[0].name}", f"casebook/{files[-1].name}"}


def test_rows_out_of_order_are_sorted():
    frame = pd.DataFrame({"district": ["b", "a", "a"], "id": ["b-1", "a-2", "a-1"]}).astype("string")
    assert not casebook._in_district_id_order(frame)
    assert casebook._in_district_id_order(frame.sort_values(["district", "id"], ignore_index=True))


# ---------------------------------------------------------------------------- clean-text cache
def test_a_damaged_pack_is_ignored_and_replaced(project):
    reference = load(project, fast=True)
    cache = project.parent / "build" / "cache" / "clean"
    (pack,) = cache.glob("*.pack")
    for damage in (b"", b"not json\n", pack.read_bytes()[:-5], b'[["x", 3]]\n\xff\xfe\xfd'):
        pack.write_bytes(damage)
        assert_same(load(project, fast=True), reference)
        (pack,) = [p for p in cache.glob("*.pack") if p.read_bytes() != damage] or [pack]
    assert casebook._unpack(pack.read_bytes())


def test_many_packs_are_merged_into_one(project, monkeypatch):
    cache = project.parent / "build" / "cache" / "clean"
    load(project, fast=True)
    (pack,) = cache.glob("*.pack")
    entries = {k: data[start:stop].decode() for k, (data, start, stop) in casebook._unpack(pack.read_bytes()).items()}
    # split the one pack into many small ones, with an entry that no source needs any more
    version = pack.name.split("-")[0]
    pack.unlink()
    for i in range(casebook._MAX_PACKS):
        (cache / f"{version}-old{i}.pack").write_bytes(casebook._pack({f"{i:064x}": f"stale key {i}"}))
    (cache / f"{version}-keys.pack").write_bytes(casebook._pack(entries))
    # a source that needs cleaning again makes this load write, and merge
    digest = next(iter(entries))
    (cache / f"{version}-keys.pack").write_bytes(casebook._pack({k: v for k, v in entries.items() if k != digest}))
    load(project, fast=True)
    (merged,) = cache.glob("*.pack")
    kept = casebook._unpack(merged.read_bytes())
    assert set(kept) == set(entries) | {f"{i:064x}" for i in range(casebook._MAX_PACKS)}


def test_usable_cpus_follows_the_affinity_mask(monkeypatch):
    """A process limited to one CPU (taskset, a container) forks no helper it cannot run."""
    import os

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert casebook.usable_cpus() == 1
    monkeypatch.delattr(os, "sched_getaffinity")  # macOS and Windows have no affinity call
    assert casebook.usable_cpus() == 8
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert casebook.usable_cpus() == 1
