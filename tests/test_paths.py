"""Where the package finds a project's folders, and where it refuses to write.

The installed-wheel side of the same rules is tested on a real wheel in tests/test_packaging.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

import govcases
from govcases.analysis import registration
from govcases.records import paths
from govcases.records.export import export


def test_a_source_checkout_reads_the_repositorys_folders(monkeypatch):
    monkeypatch.delenv("GOVCASES_CASEBOOK", raising=False)
    assert paths.checkout_root() == ROOT
    assert paths.bundled_project() == ROOT
    assert paths.project_paths() == (ROOT / "casebook", ROOT / "data")
    assert paths.default_build() == ROOT / "build"
    # the old constants, computed when asked for
    assert (paths.ROOT, paths.CASEBOOK, paths.DATA, paths.PROCESSED) == (
        ROOT,
        ROOT / "casebook",
        ROOT / "data",
        ROOT / "data" / "processed",
    )
    with pytest.raises(AttributeError, match="NO_SUCH"):
        _ = paths.NO_SUCH


def test_a_users_casebook_brings_its_own_data_folder(project, monkeypatch):
    assert paths.project_paths(project) == (project.resolve(), project.parent.resolve() / "data")
    assert paths.project_paths(project / "zhenhai.yaml")[0] == project.resolve()
    monkeypatch.setenv("GOVCASES_CASEBOOK", str(project))
    assert paths.project_paths() == (project.resolve(), project.parent.resolve() / "data")
    assert paths.default_build() == project.parent.resolve() / "build"


def test_nothing_is_written_inside_the_package(tmp_path):
    inside = Path(govcases.__file__).parent / "_data" / "processed"
    assert paths.is_shipped(inside) and not paths.is_shipped(tmp_path)
    with pytest.raises(paths.ShippedDataError, match=r"the tables would be written inside the installed govcases"):
        paths.check_output(inside, "the tables")
    assert paths.check_output(tmp_path / "out", "the tables") == tmp_path / "out"
    with pytest.raises(paths.ShippedDataError, match="--out"):
        export(govcases.load_casebook(ROOT / "casebook" / "zhenhai.yaml"), inside)
    assert not inside.exists()


def test_the_national_policy_table_comes_from_the_casebooks_project(project, monkeypatch):
    cb = govcases.load_casebook(project)
    table = project.parent / "data" / "external" / "national_policy.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("2013-03-14", "2013-03-15"), encoding="utf-8")

    def approved(nat):
        return nat.set_index("what").loc["state_council_plan_approved", "value"]

    assert approved(registration.national_reforms(cb)) == "2013-03-15"
    assert approved(registration.national_reforms(path=table)) == "2013-03-15"
    monkeypatch.delenv("GOVCASES_CASEBOOK", raising=False)
    assert approved(registration.national_reforms()) == "2013-03-14"  # the repository's own
    monkeypatch.setenv("GOVCASES_CASEBOOK", str(project))
    assert approved(registration.national_reforms()) == "2013-03-15"
    table.unlink()
    with pytest.raises(FileNotFoundError, match=r"national_policy\.csv: no national policy table"):
        registration.national_reforms(cb)
