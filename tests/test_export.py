"""The exported tables: current, complete, described, and valid as a frictionless data package."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import govcases
from govcases.cli import main
from govcases.records.export import TABLES, export

ROOT = Path(__file__).resolve().parents[1]
PROCESSED = ROOT / "data" / "processed"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("processed")
    export(govcases.load_casebook(), out)
    return out


def test_committed_export_is_current(fresh):
    stale = [p.name for p in sorted(fresh.iterdir()) if (PROCESSED / p.name).read_bytes() != p.read_bytes()]
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
    assert (row["value_text"], row["value"], row["low"], row["high"], row["high_closed"]) == (
        "近430家",
        "430",
        "387",
        "430",
        "false",
    )
    # an open upper bound is written INF, as Table Schema numbers allow
    assert any(r["high"] == "INF" for r in rows.values())


def test_cli_export_check(tmp_path, capsys):
    assert main(["export", "--out", str(tmp_path)]) == 0
    assert main(["export", "--check", "--out", str(tmp_path)]) == 0
    (tmp_path / "facts.csv").write_text("stale\n", encoding="utf-8")
    assert main(["export", "--check", "--out", str(tmp_path)]) == 1
    assert "facts.csv" in capsys.readouterr().err
