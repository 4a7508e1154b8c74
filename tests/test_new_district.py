"""Adding a district takes only a record and its source: validation, export, notebooks and build pick it up.

The district, its source text and its figures below are made up for this test and exist nowhere else.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from madeup import add_districts, plain

import govcases
from govcases.publish.build import build
from govcases.publish.notebooks import notebook_paths
from govcases.records.export import export

ROOT = Path(__file__).resolve().parents[1]

#: The made-up district this file adds (``tests/madeup.py``); the grown-casebook run adds the others.
NEW = plain()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "casebook", root / "casebook")
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    shutil.copytree(ROOT / "data" / "external", root / "data" / "external")
    add_districts(root, [NEW])
    return root


#: The notebook the build executes in the test below: one is enough to exercise the build's path
#: for a notebook whose inputs changed (a fresh kernel in a worker, then the HTML report).
BUILD_NOTEBOOK = "04-registration-reform"


@pytest.fixture(scope="module")
def built(project):
    """The build of the copied project, figures aside, executing one notebook (its inputs changed)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("GOVCASES_CASEBOOK", str(project / "casebook"))  # the notebook kernels inherit it
    log = io.StringIO()
    try:
        # figures are drawn by a test below; saving them is test_build's part, and the seminar kit
        # (the districts of its answer key, not the new one) is test_seminar_build's
        files = build(
            project / "build",
            casebook=project / "casebook",
            figures=False,
            seminar=False,
            stream=log,
            notebooks=[p for p in notebook_paths() if p.stem == BUILD_NOTEBOOK],
        )
    finally:
        mp.undo()
    return files, log.getvalue()


@pytest.fixture(scope="module")
def notebooks_run(project, built) -> dict[str, object]:
    """Every notebook run top to bottom against the copied project, as executed notebook nodes.

    The build has executed one of them already (`built`, a fresh kernel, as for any stale notebook):
    its executed copy is taken as it is rather than run a second time. The others run one after
    another in one kernel rather than a kernel each, which saves a kernel start and the imports per
    notebook (about 1.2 s of CPU each). Each starts from an empty namespace (``%reset -f``) and
    applies the style again in its first cell, so none can lean on another's variables.
    """
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    from govcases.publish.notebooks import kernel_config

    executed = project / "build" / "report" / "executed" / f"{BUILD_NOTEBOOK}.ipynb"
    mp = pytest.MonkeyPatch()
    mp.setenv("GOVCASES_CASEBOOK", str(project / "casebook"))  # the kernel inherits it
    km = KernelManager(kernel_name="python3", config=kernel_config())
    try:
        km.start_kernel(cwd=str(ROOT / "notebooks"))
        runs = {}
        for path in notebook_paths():
            if path.stem == BUILD_NOTEBOOK:
                runs[path.stem] = nbformat.read(executed, as_version=4)
                continue
            nb = nbformat.read(path, as_version=4)
            nb.cells.insert(0, nbformat.v4.new_code_cell("%reset -f"))
            client = NotebookClient(nb, km=km, timeout=600, kernel_name="python3")
            client.execute()
            client.kc.stop_channels()
            runs[path.stem] = nb
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        mp.undo()
    return runs


#: The notebook that restricts the casebook to the districts of its answer key (notebook 06).
SEMINAR = "06-seminar-exercises"


def _output_text_of(cell) -> str:
    return "\n".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in cell.get("outputs", [])
    )


def _output_text(nb) -> str:
    """Everything a notebook printed or displayed as text or HTML."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(str(output.get("text", "")))
            for kind in ("text/plain", "text/html", "text/markdown"):
                parts.append(str(output.get("data", {}).get(kind, "")))
    return "\n".join(parts)


def test_validation_includes_the_new_district(project):
    cb = govcases.load_casebook(project / "casebook")
    # every district of the real casebook, whatever their number, and the new one
    assert sorted(cb.districts) == sorted([*govcases.load_casebook().districts, "testland"])
    row = cb.facts.set_index("id").loc["testland-orgs-registered"]
    assert (row["value"], row["unit"]) == (200, "organizations")


def test_export_includes_the_new_district(project, tmp_path):
    export(govcases.load_casebook(project / "casebook"), tmp_path)
    with open(tmp_path / "facts.csv", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["district"] == "testland"]
    assert len(rows) == NEW.record().count("  - id: ")
    profiles = (tmp_path / "profiles.csv").read_text(encoding="utf-8")
    assert "Testland District" in profiles


def test_every_notebook_shows_the_new_district(notebooks_run):
    assert list(notebooks_run) == [p.stem for p in notebook_paths()]
    for name, nb in notebooks_run.items():
        # run to the end: every code cell has been executed (a cell left out would show nothing)
        assert all(c.execution_count for c in nb.cells if c.cell_type == "code" and c.source.strip()), name
        text = _output_text(nb)
        if name == SEMINAR:
            # the seminar notebook uses the districts its answer key was written for (cb.select): a new
            # district leaves its exercises, and every check of them, as they were
            assert "testland" not in text.casefold(), name
            checks = [c for c in nb.cells if c.cell_type == "code" and "seminar.check(" in c.source]
            assert checks and all(_output_text_of(c).strip().endswith(": correct") for c in checks), name
            continue
        assert "Testland" in text or "testland" in text, f"{name} does not show the new district"


def test_the_build_executes_a_changed_notebook_and_includes_the_new_district(project, built):
    files, log = built
    out = project / "build"
    names = {p.relative_to(out).as_posix() for p in files if out in p.parents}
    assert "render 1 notebooks (1 to execute)" in log  # the casebook changed, so the notebook is stale
    html = (out / "report" / f"{BUILD_NOTEBOOK}.html").read_text(encoding="utf-8")
    assert f"report/{BUILD_NOTEBOOK}.html" in names and "testland" in html.lower()
    assert "Testland District" in (out / "report" / "index.html").read_text(encoding="utf-8")  # by its name
    assert "测试区" in (out / "casebook.html").read_text(encoding="utf-8")
    tables = (out / "tables" / "casebook-facts-by-category.csv").read_text(encoding="utf-8")
    assert "testland" in tables.splitlines()[0]
    assert "testland" in (project / "data" / "processed" / "facts.csv").read_text(encoding="utf-8")


#: Figures whose data the made-up record does not give: a growth rate needs two counts of one
#: kind, and the procedures figure needs before/after figures of the registration procedure. They
#: name the district in their note on districts left out, with the reason.
NOT_IN_RECORD = {"growth-rates", "registration-procedures"}


def test_every_appendix_figure_draws_the_new_district(project):
    """Each figure function draws for six districts, or names the new one as left out and why."""
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from govcases.publish.appendix import FIGURES
    from govcases.publish.style import use_style

    cb = govcases.load_casebook(project / "casebook")
    with matplotlib.rc_context():
        use_style()
        for item in FIGURES:
            fig = item.make(cb)
            canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
            canvas.draw()
            texts = [t.get_text() for t in fig.findobj(Text)]
            plt.close(fig)
            shown = any("Testland" in t or "testland" in t for t in texts)
            # the made-up record has one count (no growth rate) and no procedure figures
            assert shown, item.name
            left_out = any(t.startswith("Left out") and "Testland" in t for t in texts)
            assert left_out is (item.name in NOT_IN_RECORD), item.name
