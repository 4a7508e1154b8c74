"""The exported tables: current, complete, described, and valid as a frictionless data package."""

from __future__ import annotations

import csv
import json
import math
import re
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import govcases
from govcases.cli import main
from govcases.records.export import STATA_TIME_STAMP, TABLES, export

ROOT = Path(__file__).resolve().parents[1]
PROCESSED = ROOT / "data" / "processed"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("processed")
    export(govcases.load_casebook(), out)
    return out


def test_committed_export_is_current(fresh):
    # every table in the three formats, the descriptor and the folder's README
    assert sorted(p.name for p in fresh.iterdir()) == sorted(
        [f"{name}.{ext}" for name in TABLES for ext in ("csv", "dta", "parquet")] + ["datapackage.json", "README.md"]
    )
    stale = [
        p.name
        for p in sorted(fresh.iterdir())
        if not (PROCESSED / p.name).is_file() or (PROCESSED / p.name).read_bytes() != p.read_bytes()
    ]
    assert not stale, f"data/processed is out of date ({', '.join(stale)}): run `make export` and commit"
    assert sorted(p.name for p in PROCESSED.iterdir()) == sorted(p.name for p in fresh.iterdir())


def test_export_twice_is_byte_identical(fresh, tmp_path):
    export(govcases.load_casebook(), tmp_path)
    for p in fresh.iterdir():
        assert (tmp_path / p.name).read_bytes() == p.read_bytes(), p.name


def test_every_fact_in_the_records_is_exported(fresh):
    # count in equals count out: every '- id:' entry of every record is one row of facts.csv
    n_in = sum(
        sum(1 for line in p.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith("- id:"))
        for p in (ROOT / "casebook").glob("*.yaml")
        if p.name != "codebook.yaml"
    )
    with open(fresh / "facts.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == n_in
    assert len({r["id"] for r in rows}) == n_in


def test_descriptor_describes_every_column(fresh):
    pkg = json.loads((fresh / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in pkg["resources"]] == list(TABLES)
    for res in pkg["resources"]:
        with open(fresh / res["path"], encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        assert [fld["name"] for fld in res["schema"]["fields"]] == header, res["name"]
        assert all(fld["description"].strip() for fld in res["schema"]["fields"]), res["name"]


def test_frictionless_validates_the_package(fresh):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(fresh / "datapackage.json"))
    errors = [e.message for task in report.tasks for e in task.errors][:10]
    assert report.valid, errors


def test_intervals_survive_the_round_trip(fresh):
    with open(fresh / "facts.csv", encoding="utf-8", newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    # Longhua's 近430家: [387, 430), the stated figure 430
    row = rows["longhua-orgs-total-now"]
    assert (row["value_text"], row["value"], row["low"], row["high"], row["high_unbounded"], row["high_closed"]) == (
        "近430家",
        "430",
        "387",
        "430",
        "0",
        "0",
    )
    # an open upper bound is missing, with its flag: high stays a number column for every reader
    open_above = [r for r in rows.values() if r["high_unbounded"] == "1"]
    assert open_above and all(r["high"] == "" and r["low"] != "" for r in open_above)


def _numeric_fields(pkg: dict):
    for res in pkg["resources"]:
        for fld in res["schema"]["fields"]:
            if fld["type"] in ("number", "integer", "boolean"):
                yield res, fld


def test_numbers_and_booleans_are_written_as_plain_numbers(fresh):
    """What Stata's `import delimited` and R's readers need to keep a column numeric: digits or empty."""
    pkg = json.loads((fresh / "datapackage.json").read_text(encoding="utf-8"))
    number = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
    checked = 0
    for res, fld in _numeric_fields(pkg):
        with open(fresh / res["path"], encoding="utf-8", newline="") as f:
            cells = [r[fld["name"]] for r in csv.DictReader(f)]
        bad = [c for c in cells if c and not number.fullmatch(c)]
        assert not bad, (res["name"], fld["name"], bad[:5])
        if fld["type"] == "boolean":
            assert set(cells) <= {"1", "0", ""} and (fld["trueValues"], fld["falseValues"]) == (["1"], ["0"])
        checked += 1
    assert checked >= 5


def _csv_frame(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _same_cell(csv_cell: str, other) -> bool:
    if other is None or other is pd.NA or (isinstance(other, float) and math.isnan(other)):
        return csv_cell == ""
    if isinstance(other, (bool, np.bool_)):
        return csv_cell == ("1" if other else "0")
    if isinstance(other, (int, float, np.integer, np.floating)):
        return csv_cell != "" and float(csv_cell) == float(other)
    return csv_cell == str(other)


@pytest.mark.parametrize("name", list(TABLES))
def test_stata_and_parquet_hold_the_cells_of_the_csv(fresh, name):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = _csv_frame(fresh / f"{name}.csv")
    stata = pd.read_stata(fresh / f"{name}.dta", convert_categoricals=False, convert_missing=False)
    parquet = pq.read_table(fresh / f"{name}.parquet").to_pandas()
    for other, kind in ((stata, "dta"), (parquet, "parquet")):
        assert list(other.columns) == list(table.columns), kind
        assert len(other) == len(table), kind
        for column in table.columns:
            differ = [
                (i, a, b)
                for i, (a, b) in enumerate(zip(table[column], other[column].astype(object), strict=True))
                if not _same_cell(a, b)
            ]
            assert not differ, (kind, column, differ[:3])
    pkg = json.loads((fresh / "datapackage.json").read_text(encoding="utf-8"))
    fields = next(r for r in pkg["resources"] if r["name"] == name)["schema"]["fields"]
    schema = pq.read_schema(fresh / f"{name}.parquet")
    for fld in fields:  # numbers stay numbers in both, booleans are booleans in Parquet
        if fld["type"] in ("number", "integer", "boolean"):
            assert pd.api.types.is_numeric_dtype(stata[fld["name"]]), (name, fld["name"])
            kind = schema.field(fld["name"]).type
            expected = {"number": pa.types.is_floating, "integer": pa.types.is_integer, "boolean": pa.types.is_boolean}
            assert expected[fld["type"]](kind), (name, fld["name"], kind)


def test_stata_files_are_format_118_with_a_fixed_time_stamp(fresh):
    for name in TABLES:
        head = (fresh / f"{name}.dta").read_bytes()[:200]
        assert head.startswith(b"<stata_dta><header><release>118</release>"), name
        with pd.io.stata.StataReader(fresh / f"{name}.dta") as reader:
            assert reader.time_stamp == STATA_TIME_STAMP.strftime("%d %b %Y %H:%M"), name


def _foreign_key_problems(folder: Path) -> list[str]:
    pkg = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    frames = {r["name"]: _csv_frame(folder / r["path"]) for r in pkg["resources"]}
    problems = []
    for res in pkg["resources"]:
        for fk in res["schema"].get("foreignKeys", []):
            target = fk["reference"]
            known = set(frames[target["resource"]][target["fields"]])
            for i, value in enumerate(frames[res["name"]][fk["fields"]]):
                if value and value not in known:
                    problems.append(f"{res['name']} row {i + 1}: {fk['fields']} {value!r} not in {target['resource']}")
    return problems


def test_datapackage_has_a_version_and_foreign_keys_that_resolve(fresh):
    pkg = json.loads((fresh / "datapackage.json").read_text(encoding="utf-8"))
    assert pkg["version"] == metadata.version("govcases")
    facts = next(r for r in pkg["resources"] if r["name"] == "facts")
    keys = {
        (fk["fields"], fk["reference"]["resource"], fk["reference"]["fields"]) for fk in facts["schema"]["foreignKeys"]
    }
    assert keys == {
        ("district", "profiles", "district"),
        ("indicator", "indicators", "indicator"),
        ("source", "sources", "source_id"),
    }
    for _, resource, field in keys:  # each reference is the primary key of its table
        target = next(r for r in pkg["resources"] if r["name"] == resource)
        assert target["schema"]["primaryKey"] == [field]
    assert _foreign_key_problems(fresh) == []


def test_a_fact_citing_an_unknown_source_breaks_the_foreign_key(fresh, tmp_path):
    for p in fresh.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    facts = _csv_frame(tmp_path / "facts.csv")
    facts.loc[0, "source"] = "no-such-source"
    facts.to_csv(tmp_path / "facts.csv", index=False, lineterminator="\n")
    assert _foreign_key_problems(tmp_path) == ["facts row 1: source 'no-such-source' not in sources"]
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert any("foreign" in e.type for task in report.tasks for e in task.errors)


def test_cli_export_check(tmp_path, capsys):
    assert main(["export", "--out", str(tmp_path)]) == 0
    assert main(["export", "--check", "--out", str(tmp_path)]) == 0
    (tmp_path / "facts.csv").write_text("stale\n", encoding="utf-8")
    assert main(["export", "--check", "--out", str(tmp_path)]) == 1
    assert "facts.csv" in capsys.readouterr().err
