"""The cache of validated records: used when nothing changed, never when anything did.

Every test passes its own cache folder (or sets GOVCASES_CACHE_DIR), and counts how many record
files were validated (``_check_file`` calls): 0 means the result came from the cache.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, VALID_RECORD

import govcases
from govcases.records import cache as record_cache
from govcases.records import casebook

sys.path.insert(0, str(ROOT / "benchmarks"))
from make_synthetic import generate


@pytest.fixture
def checked(monkeypatch) -> list[str]:
    """The names of the record files validated (not read from the cache), in order."""
    names: list[str] = []
    check_file = casebook._check_file

    def counting(path, *args):
        names.append(path.name)
        return check_file(path, *args)

    monkeypatch.setattr(casebook, "_check_file", counting)
    return names


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """A synthetic casebook of 40 districts with 12 facts each."""
    return generate(tmp_path_factory.mktemp("synthetic") / "project", 40, 12)


def tables(cb: govcases.Casebook) -> tuple[pd.DataFrame, ...]:
    return cb.facts, cb.profiles, cb.sources


def assert_same_tables(a: govcases.Casebook, b: govcases.Casebook) -> None:
    for x, y in zip(tables(a), tables(b)):
        pd.testing.assert_frame_equal(x, y, check_exact=True)


def problems(path, **kwargs) -> list[str]:
    with pytest.raises(govcases.CasebookError) as info:
        govcases.load_casebook(path, **kwargs)
    return [str(p) for p in info.value.problems]


def entries(folder: Path) -> dict[str, bytes]:
    """The cache's entries by key ({} when there is no cache yet)."""
    path = folder / "records.sqlite"
    if not path.exists():
        return {}
    with closing(sqlite3.connect(path)) as db:
        return dict(db.execute("SELECT key, value FROM entries"))


def damage_entry(folder: Path, key: str, data: bytes) -> None:
    with closing(sqlite3.connect(folder / "records.sqlite")) as db, db:
        db.execute("UPDATE entries SET value = ? WHERE key = ?", (data, key))


# ---------------------------------------------------------------------------- same tables
@pytest.mark.parametrize("which", ["real", "synthetic"])
def test_a_cached_load_gives_the_tables_of_an_uncached_load(which, synthetic, tmp_path, checked):
    path = None if which == "real" else synthetic
    uncached = govcases.load_casebook(path, cache=False)
    n_files = len(checked)
    assert n_files == len(uncached.districts)
    cold = govcases.load_casebook(path, cache=tmp_path)
    warm = govcases.load_casebook(path, cache=tmp_path)
    assert len(checked) == 2 * n_files, "the warm load validated records again"
    assert len(entries(tmp_path)) == n_files
    assert_same_tables(cold, uncached)
    assert_same_tables(warm, uncached)
    assert list(warm.facts.dtypes) == list(uncached.facts.dtypes)


def test_an_unchanged_record_is_not_validated_twice(project, tmp_path, checked):
    govcases.load_casebook(project, cache=tmp_path)
    assert checked == ["zhenhai.yaml"]
    govcases.load_casebook(project, cache=tmp_path)
    govcases.validate_casebook(project, cache=tmp_path)
    assert checked == ["zhenhai.yaml"]


# ---------------------------------------------------------------------------- what invalidates an entry
def edit_record(project: Path) -> None:
    path = project / "zhenhai.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")


def edit_codebook(project: Path) -> None:
    path = project / "codebook.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")


def edit_manifest_row(project: Path) -> None:
    path = project.parent / "data" / "raw" / "manifest.csv"
    text = path.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("zhenhai-2015-report,"))
    fields = row.split(",")
    fields[3] = fields[3] + " (title corrected)"
    path.write_text(text.replace(row, ",".join(fields)), encoding="utf-8")


def edit_other_manifest_row(project: Path) -> None:
    path = project.parent / "data" / "raw" / "manifest.csv"
    text = path.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines()[1:] if not line.startswith("zhenhai-2015-report,"))
    fields = row.split(",")
    fields[3] = fields[3] + " (title corrected)"
    path.write_text(text.replace(row, ",".join(fields)), encoding="utf-8")


def test_a_changed_record_is_validated_again(project, tmp_path, checked):
    govcases.load_casebook(project, cache=tmp_path)
    edit_record(project)
    govcases.load_casebook(project, cache=tmp_path)
    assert checked == ["zhenhai.yaml"] * 2


def test_a_changed_codebook_validates_every_record_again(project, tmp_path, checked):
    govcases.load_casebook(project, cache=tmp_path)
    edit_codebook(project)
    govcases.load_casebook(project, cache=tmp_path)
    assert checked == ["zhenhai.yaml"] * 2


def test_a_changed_manifest_row_of_a_cited_source_validates_again(project, tmp_path, checked):
    govcases.load_casebook(project, cache=tmp_path)
    edit_other_manifest_row(project)  # a source the record does not cite: the entry still holds
    govcases.load_casebook(project, cache=tmp_path)
    assert checked == ["zhenhai.yaml"]
    edit_manifest_row(project)
    cb = govcases.load_casebook(project, cache=tmp_path)
    assert checked == ["zhenhai.yaml"] * 2
    assert cb.sources.set_index("source_id").loc["zhenhai-2015-report", "title"].endswith("(title corrected)")


def test_a_changed_source_is_reported_even_when_the_record_is_cached(project, tmp_path, checked):
    govcases.load_casebook(project, cache=tmp_path)
    raw = project.parent / "data" / "raw" / "002_d09323e79a695f9a.txt"
    original = raw.read_bytes()
    raw.write_bytes(original + b"\n")
    found = problems(project, cache=tmp_path)
    assert any("facts[0].source" in p and "SHA-256 does not match the manifest" in p for p in found)
    assert checked == ["zhenhai.yaml"] * 2
    raw.write_bytes(original)  # restored: the entry written before is good again
    govcases.load_casebook(project, cache=tmp_path)
    assert checked == ["zhenhai.yaml"] * 2


def test_a_source_only_named_in_the_profile_is_not_read(project, tmp_path, checked):
    # validation reads only the sources quotes are checked against; so does the cache
    record = project / "zhenhai.yaml"
    record.write_text(
        VALID_RECORD.replace("sources: [zhenhai-2015-report]", "sources: [zhenhai-2015-report, ext-population-area]"),
        encoding="utf-8",
    )
    govcases.load_casebook(project, cache=tmp_path)
    table = project.parent / "data" / "external" / "district_population_area.csv"
    table.write_bytes(table.read_bytes() + b"\n")
    govcases.load_casebook(project, cache=tmp_path)
    assert checked == ["zhenhai.yaml"]
    assert govcases.validate_casebook(project, cache=False) == []  # the full check does not read it either


def test_changed_code_validates_every_record_again(project, tmp_path, checked, monkeypatch):
    govcases.load_casebook(project, cache=tmp_path)
    monkeypatch.setattr(record_cache, "code_fingerprint", lambda: b"other code")
    govcases.load_casebook(project, cache=tmp_path)
    assert checked == ["zhenhai.yaml"] * 2


def test_the_code_fingerprint_follows_the_package_sources_and_the_version(tmp_path, monkeypatch):
    package = tmp_path / "records"
    shutil.copytree(Path(record_cache.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = record_cache.fingerprint(package)
    assert record_cache.fingerprint(package) == before
    assert record_cache.code_fingerprint() == record_cache.fingerprint(Path(record_cache.__file__).parent)
    quantity = package / "quantity.py"
    quantity.write_text(quantity.read_text(encoding="utf-8").replace("0.95", "0.96"), encoding="utf-8")
    assert record_cache.fingerprint(package) != before
    quantity.unlink()
    assert record_cache.fingerprint(package) != before
    shutil.copy(Path(record_cache.__file__).parent / "quantity.py", quantity)
    assert record_cache.fingerprint(package) == before
    monkeypatch.setattr(record_cache, "version", lambda name: "99.0" if name == "govcases" else "1.0")
    assert record_cache.fingerprint(package) != before


# ---------------------------------------------------------------------------- damaged and stale entries
DAMAGE = {
    "empty": lambda data: b"",
    "truncated": lambda data: data[:-7],
    # still a well-formed pickle, with another text in it: only the checksum tells
    "a text changed": lambda data: data.replace(b"Test record.", b"Test recorD."),
    "garbage": lambda data: b"\x80\x05not a pickle at all" * 3,
    "not bytes": lambda data: "a text",
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_entry_is_ignored_and_replaced(project, tmp_path, checked, damage):
    reference = govcases.load_casebook(project, cache=False)
    govcases.load_casebook(project, cache=tmp_path)
    ((key, good),) = entries(tmp_path).items()
    damage_entry(tmp_path, key, DAMAGE[damage](good))
    assert_same_tables(govcases.load_casebook(project, cache=tmp_path), reference)
    assert entries(tmp_path) == {key: good}  # written again
    assert checked == ["zhenhai.yaml"] * 3


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100])
def test_a_damaged_database_is_replaced(project, tmp_path, checked, content):
    reference = govcases.load_casebook(project, cache=False)
    govcases.load_casebook(project, cache=tmp_path)
    (tmp_path / "records.sqlite").write_bytes(content)
    assert_same_tables(govcases.load_casebook(project, cache=tmp_path), reference)
    assert_same_tables(govcases.load_casebook(project, cache=tmp_path), reference)
    assert len(entries(tmp_path)) == 1
    assert checked == ["zhenhai.yaml"] * 3


def test_an_entry_of_another_format_is_ignored(project, tmp_path, checked, monkeypatch):
    govcases.load_casebook(project, cache=tmp_path)
    monkeypatch.setattr(record_cache, "_FORMAT", record_cache._FORMAT + 1)
    govcases.load_casebook(project, cache=tmp_path)
    assert checked == ["zhenhai.yaml"] * 2


# ---------------------------------------------------------------------------- records with problems
# Changes to the valid record, each making it wrong in another way; the report must be the same
# with the cache and without, at every load, and nothing is stored for a refused record.
MUTATIONS = {
    "extra key": (
        "    confidence: stated\n  - id: zhenhai-growth",
        "    confidence: stated\n    colour: red\n  - id: zhenhai-growth",
    ),
    "missing english": ("    english: The district has 333 registered legal-person social organizations.\n", ""),
    "empty quote": ("quote: 至今,累计投入各类扶持资金近千万", "quote: ''"),
    "id prefix": ("id: zhenhai-growth", "id: beilun-growth"),
    "id pattern": ("id: zhenhai-growth", "id: zhenhai_growth"),
    "id used twice": ("id: zhenhai-growth", "id: zhenhai-orgs-registered"),
    "unknown indicator": ("indicator: orgs_registered\n", "indicator: orgs_registred\n"),
    "subject missing": ("    subject: all organizations (the text does not say which count)\n", ""),
    "basis unknown": ("basis: stock", "basis: stocks"),
    "source unknown": ("    source: zhenhai-2015-report\n    quote: 连续", "    source: nowhere\n    quote: 连续"),
    "period date": ("start: 2012-01-01", "start: 2012-02-30"),
    "period backwards": ("start: 2012-01-01", "start: 2016-01-01"),
    "value unit": ("value: 333家", "value: 333人"),
    "value unreadable": ("value: 10%以上", "value: 一成以上多"),
    "value not quoted": ("value: 333家", "value: 334家"),
    "quote not in source": ("quote: 连续多年保持10%以上增速", "quote: 连续多年保持10%以上的增速"),
    "placeholder": ("summary: A test record with three facts from the Zhenhai report.", "summary: TODO"),
}


@pytest.mark.parametrize("case", sorted(MUTATIONS))
def test_a_record_with_problems_is_never_cached(project, tmp_path, checked, case):
    old, new = MUTATIONS[case]
    assert old in VALID_RECORD, case
    (project / "zhenhai.yaml").write_text(VALID_RECORD.replace(old, new, 1), encoding="utf-8")
    reference = problems(project, cache=False)
    assert reference, f"{case}: the record should be refused"
    assert problems(project, cache=tmp_path) == reference
    assert problems(project, cache=tmp_path) == reference
    assert entries(tmp_path) == {}
    assert len(checked) == 3


def test_every_problem_of_every_file_is_reported(synthetic, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(synthetic.parent, project)
    folder = project / "casebook"
    files = sorted(folder.glob("d*.yaml"))
    govcases.load_casebook(folder, cache=tmp_path / "cache")  # every record valid and cached
    # a wrong unit in the first file, a bad date in the last, and an id used in two files far
    # apart, one of which is otherwise valid (and cached)
    first = files[0].read_text(encoding="utf-8")
    files[0].write_text(first.replace('家"', '人"', 1), encoding="utf-8")
    last = files[-1].read_text(encoding="utf-8")
    files[-1].write_text(last.replace("start: 2013-12-31", "start: 2013-02-30", 1), encoding="utf-8")
    middle = files[20].read_text(encoding="utf-8")
    stolen = re.search(r"id: (d\d+-fact-003)", first).group(1)
    files[20].write_text(re.sub(r"id: d\d+-fact-005", f"id: {stolen}", middle, count=1), encoding="utf-8")
    found = problems(folder, cache=tmp_path / "cache")
    assert found == problems(folder, cache=False)
    text = "\n".join(found)
    assert f"casebook/{files[0].name}:" in text and "is not a unit" in text
    assert f"casebook/{files[-1].name}:" in text and "is not a calendar date" in text
    assert sum(f"fact id '{stolen}' is used more than once" in p for p in found) == 2


def test_an_id_used_twice_in_one_file_is_reported_at_every_load(synthetic, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(synthetic.parent, project)
    folder = project / "casebook"
    files = sorted(folder.glob("d*.yaml"))
    for path in (files[0], files[-1]):  # the only problem of these files
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"id: (d\d+)-fact-002", r"id: \1-fact-001", text, count=1), encoding="utf-8")
    cache = tmp_path / "cache"
    found = problems(folder, cache=cache)
    assert len(entries(cache)) == len(files) - 2
    assert problems(folder, cache=cache) == found == problems(folder, cache=False)
    assert len(found) == 4 and all("is used more than once" in p for p in found)
    assert {p.split(":")[0] for p in found} == {f"casebook/{files[0].name}", f"casebook/{files[-1].name}"}


# ---------------------------------------------------------------------------- where the cache lives
def files_in(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


@pytest.mark.parametrize("cache", [None, False])
def test_loading_writes_nothing_into_the_project(project, tmp_path_factory, monkeypatch, cache):
    user_cache = tmp_path_factory.mktemp("user-cache")  # outside the project's folder
    monkeypatch.setenv("GOVCASES_CACHE_DIR", str(user_cache))
    before = files_in(project.parent)
    govcases.load_casebook(project, cache=cache)
    govcases.load_casebook(project, cache=cache)
    assert files_in(project.parent) == before
    assert bool(entries(user_cache)) == (cache is None)


def test_the_cache_folder_comes_from_the_argument_the_variable_or_the_user(tmp_path, monkeypatch):
    import platformdirs

    monkeypatch.delenv("GOVCASES_CACHE_DIR", raising=False)
    assert record_cache.cache_folder() == Path(platformdirs.user_cache_dir("govcases"))
    assert record_cache.cache_folder(True) == record_cache.cache_folder(None)
    monkeypatch.setenv("GOVCASES_CACHE_DIR", str(tmp_path / "env"))
    assert record_cache.cache_folder() == tmp_path / "env"
    assert record_cache.cache_folder(tmp_path / "given") == tmp_path / "given"
    assert record_cache.cache_folder(str(tmp_path / "given")) == tmp_path / "given"
    assert record_cache.cache_folder(False) is None


def test_an_unwritable_cache_folder_is_named_in_a_warning(project, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    with pytest.warns(UserWarning, match="cannot use the casebook cache.*GOVCASES_CACHE_DIR"):
        cb = govcases.load_casebook(project, cache=blocked)
    assert_same_tables(cb, govcases.load_casebook(project, cache=False))


def test_processes_filling_one_cache_at_once_agree(synthetic, tmp_path):
    cache = tmp_path / "cache"
    script = (
        "import sys, govcases; cb = govcases.load_casebook(sys.argv[1]); print(len(cb.facts), cb.facts['value'].sum())"
    )
    env = {**os.environ, "GOVCASES_CACHE_DIR": str(cache)}
    runs = [
        subprocess.Popen([sys.executable, "-c", script, str(synthetic)], stdout=subprocess.PIPE, text=True, env=env)
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0]
    assert len(set(outputs)) == 1
    assert len(entries(cache)) == len(list(synthetic.glob("d*.yaml")))
    warm = govcases.load_casebook(synthetic, cache=cache)
    assert_same_tables(warm, govcases.load_casebook(synthetic, cache=False))


# ---------------------------------------------------------------------------- cleaning once
def test_a_source_cited_by_many_records_is_cleaned_once(project, monkeypatch):
    twin = VALID_RECORD.replace("district: zhenhai\n", "district: zhenhaib\n").replace("id: zhenhai-", "id: zhenhaib-")
    # a record cites only its own district's sources: the twin's source is the same file under its own row
    twin = twin.replace("zhenhai-2015-report", "zhenhaib-2015-report")
    manifest = project.parent / "data" / "raw" / "manifest.csv"
    row = next(line for line in manifest.read_text(encoding="utf-8").splitlines() if line.startswith("zhenhai-"))
    with manifest.open("a", encoding="utf-8") as f:
        f.write(row.replace("zhenhai-2015-report,", "zhenhaib-2015-report,").replace(",zhenhai,", ",zhenhaib,") + "\n")
    (project / "zhenhaib.yaml").write_text(twin, encoding="utf-8")
    cleaned = []
    clean_text = casebook.clean_text
    monkeypatch.setattr(casebook, "clean_text", lambda raw: cleaned.append(raw) or clean_text(raw))
    monkeypatch.setattr(casebook, "_MATCH_KEYS", {})  # as in a new process
    cb = govcases.load_casebook(project, cache=False)
    assert cb.districts == ["zhenhai", "zhenhaib"]
    assert len(cleaned) == 1
    govcases.load_casebook(project, cache=False)
    assert len(cleaned) == 1
