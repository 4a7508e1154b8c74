"""The build: every appendix output is made, and two builds in a row give identical bytes."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import project_build_is_current

from govcases.publish.appendix import FIGURES, TABLES, outputs_markdown
from govcases.publish.build import _colophon_text, colophon, inputs_checksum
from govcases.publish.notebooks import notebook_paths

ROOT = Path(__file__).resolve().parents[1]


#: A whole build in a process of its own, writing the files it made and its log as JSON.
_BUILD_IN_A_PROCESS = """
import io, json, sys
from pathlib import Path
from govcases.publish.build import build
out = Path(sys.argv[1])
log = io.StringIO()
files = build(out / "build", processed=out / "processed", stream=log)
(out / "made.json").write_text(json.dumps({"files": [str(p) for p in files], "log": log.getvalue()}))
"""


def _fresh_build(tmp_path_factory, name: str):
    """A build into a new folder, always in another process than the shared build's (as `make`'s is)."""
    out = tmp_path_factory.mktemp(name)
    subprocess.run([sys.executable, "-c", _BUILD_IN_A_PROCESS, str(out)], check=True, capture_output=True)
    made = json.loads((out / "made.json").read_text())
    return out, [Path(p) for p in made["files"]], made["log"]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory, project_build):
    """Two builds of the same inputs, one after the other, as (folder, files, log) each.

    The first is the build the tests of this run share (`project_build`: `make`'s when current).
    The second is always made in a process of its own, into another folder, so that nothing one
    process holds (hash seeds, caches, the order objects were made in) can make the bytes agree.
    """
    second = _fresh_build(tmp_path_factory, "second")
    folder, processed = project_build
    # lay the first build's files out as the second's: build/... and processed/...
    out, files, _ = second
    first = []
    for p in files:
        rel = p.relative_to(out).as_posix()
        first.append(
            folder / rel.removeprefix("build/")
            if rel.startswith("build/")
            else processed / rel.removeprefix("processed/")
        )
    return [(None, first, None), second]


def test_every_output_is_built(two_builds):
    out, files, _ = two_builds[1]
    names = {p.relative_to(out).as_posix() for p in files}
    for item in FIGURES:
        for language in ("en", "zh"):
            stem = f"build/figures/{language}/{item.name}"
            assert {f"{stem}.{ext}" for ext in ("pdf", "svg", "png", "caption.txt")} <= names, stem
    for item in TABLES:
        assert {f"build/tables/{item.name}.{ext}" for ext in ("csv", "tex")} <= names, item.name
    for nb in notebook_paths():
        assert f"build/report/{nb.stem}.html" in names
    assert {"build/report/index.html", "build/casebook.html", "build/COLOPHON.txt", "processed/facts.csv"} <= names


def test_two_builds_are_byte_identical(two_builds):
    (_, files_a, _), (b, files_b, _) = two_builds
    assert len(files_a) == len(files_b)
    missing = [str(p) for p in files_a if not p.is_file()]
    assert not missing, f"written by one build and not the other: {missing}"
    different = [
        str(pb.relative_to(b)) for pa, pb in zip(files_a, files_b, strict=True) if pa.read_bytes() != pb.read_bytes()
    ]
    assert not different, f"differ between two builds: {different}"


def test_the_project_build_is_used_only_when_its_colophon_matches(tmp_path):
    assert not project_build_is_current(tmp_path)  # no build/ at all
    (tmp_path / "build").mkdir()
    text = _colophon_text(colophon())
    (tmp_path / "build" / "COLOPHON.txt").write_text(text.replace("inputs sha256", "inputs sha256 0"), encoding="utf-8")
    assert not project_build_is_current(tmp_path)  # made from other inputs
    (tmp_path / "build" / "COLOPHON.txt").write_text(text, encoding="utf-8")
    assert project_build_is_current(tmp_path)


def test_committed_notebooks_record_the_inputs_they_were_run_from():
    """A library or casebook change must be followed by `make notebooks`, as data/processed by `make export`.

    Otherwise every build executes every notebook again (seconds each) to render the same outputs.
    """
    from govcases.publish.notebooks import is_current

    stale = [p.name for p in notebook_paths() if not is_current(p)]
    assert not stale, f"made from other inputs than today's ({', '.join(stale)}): run `make notebooks` and commit"


def test_inputs_checksum_changes_with_any_input(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(ROOT / "casebook", project / "casebook")
    shutil.copytree(ROOT / "data" / "raw", project / "data" / "raw")
    shutil.copytree(ROOT / "data" / "external", project / "data" / "external")
    before = inputs_checksum(project / "casebook")
    assert before == inputs_checksum(project / "casebook")
    ext = sorted((project / "data" / "external").glob("*.csv"))[0]
    ext.write_bytes(ext.read_bytes() + b"\n")
    after_data = inputs_checksum(project / "casebook")
    record = sorted((project / "casebook").glob("*.yaml"))[0]
    record.write_bytes(record.read_bytes() + b"\n")
    assert len({before, after_data, inputs_checksum(project / "casebook")}) == 3


def test_outputs_carry_no_dates(two_builds):
    _, files, _ = two_builds[1]
    for path in files:
        if path.suffix in (".svg", ".tex", ".csv", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"\b20\d\d-\d\d-\d\dT\d\d:\d\d", text), path  # no timestamps
        if path.suffix == ".pdf":
            assert b"/CreationDate" not in path.read_bytes(), path


def test_colophon_records_versions_commit_and_casebook(two_builds):
    out, _, _ = two_builds[1]
    text = (out / "build" / "COLOPHON.txt").read_text(encoding="utf-8")
    for key in ("python", "git commit", "casebook sha256", "pandas", "matplotlib", "govcases"):
        assert re.search(rf"^{re.escape(key)}\s+\S", text, re.MULTILINE), key
    report = (out / "build" / "report" / "index.html").read_text(encoding="utf-8")
    assert "casebook sha256" in report


def test_tables_have_latex_booktabs(two_builds):
    out, _, _ = two_builds[1]
    tex = (out / "build" / "tables" / f"{TABLES[0].name}.tex").read_text(encoding="utf-8")
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex


def test_build_prints_each_step_with_its_time(two_builds):
    _, _, log = two_builds[1]
    steps = re.findall(r"^==> (.+)$", log, re.MULTILINE)
    timed = re.findall(r"^    (.+): \d+\.\d s$", log, re.MULTILINE)
    assert len(steps) >= 6 and steps == timed
    assert re.search(r"^build finished in \d+\.\d s$", log, re.MULTILINE)


def test_readme_lists_every_output_with_its_function():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert outputs_markdown() in readme, (
        "README's output table is out of date: paste govcases.publish.appendix.outputs_markdown()"
    )


def test_a_notebook_executes_quietly_over_local_sockets(tmp_path, capfd, monkeypatch):
    """The kernel talks over IPC and the notebook comes back clean.

    No warning about unencrypted TCP in the build's output, no socket files left behind, and the
    notebook comes back with its output and no volatile metadata.
    """
    import nbformat

    from govcases.publish import notebooks

    # the configuration this run's kernel got (parallel workers run kernels of their own)
    original, used = notebooks.kernel_config, []

    def recorded():
        used.append(config := original())
        return config

    monkeypatch.setattr(notebooks, "kernel_config", recorded)
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")]), path)
    notebooks.execute_notebook(path)
    err = capfd.readouterr().err
    assert "without encryption" not in err and "WARNING" not in err, err
    (config,) = used
    assert config.KernelManager.transport == "ipc"
    sockets = Path(config.KernelManager.ip)
    assert sockets.is_absolute() and not list(sockets.parent.glob(sockets.name + "*"))
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].outputs[0]["text"] == "42\n"
    assert "execution" not in nb.cells[0].metadata and "inputs_sha256" in nb.metadata["govcases"]
    assert nb.metadata["kernelspec"] == notebooks.KERNELSPEC  # the kernel `make kernel` registers


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("terminal", [True, False])
def test_a_long_step_shows_a_progress_bar_on_a_terminal(monkeypatch, terminal):
    """The bar goes to stderr while items are done, only on a terminal (a log file gets the steps)."""
    from govcases.publish.build import _Progress

    err = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    log = io.StringIO()
    assert list(_Progress(log).bar(["a", "b", "c"], "figures")) == ["a", "b", "c"]
    assert log.getvalue() == ""
    if terminal:
        assert "figures" in err.getvalue() and "0/3" in err.getvalue()  # drawn, then cleared (leave=False)
    else:
        assert err.getvalue() == ""


# ---------------------------------------------------------------------------- the tables in LaTeX
XELATEX = shutil.which("xelatex")
_NO_XELATEX = (
    "compiling the LaTeX tables needs XeLaTeX with xeCJK, which is not installed; to run it: `apt-get install "
    "texlive-xetex texlive-latex-extra texlive-lang-chinese` (Debian; `.ci/run` installs them), or any TeX Live "
    "with xetex, booktabs, longtable, pdflscape and xecjk, then `make test`"
)


def _has_xecjk() -> bool:
    kpsewhich = shutil.which("kpsewhich")
    if not kpsewhich:
        return False
    found = subprocess.run([kpsewhich, "xeCJK.sty"], capture_output=True, text=True, check=False)
    return found.returncode == 0 and bool(found.stdout.strip())


@pytest.mark.slow
@pytest.mark.skipif(not (XELATEX and _has_xecjk()), reason=_NO_XELATEX)
def test_every_latex_table_compiles_without_an_overfull_box(two_builds, tmp_path):
    """A document that inputs every table the build wrote compiles with XeLaTeX, cleanly and within the page."""
    from pylopdf_fonts_zh_cn import sans_path

    from govcases.publish.latex import latex_preamble

    _, files, _ = two_builds[1]
    tables = sorted(p for p in files if p.suffix == ".tex")
    assert len(tables) >= len(TABLES)
    inputs = "".join(f"\\input{{{p.as_posix()}}}\n\\clearpage\n" for p in tables)
    (tmp_path / "tables.tex").write_text(latex_preamble(sans_path()) + inputs + "\\end{document}\n", encoding="utf-8")
    for _ in range(2):  # longtable settles its column widths in a second run
        run = subprocess.run(
            [XELATEX, "-interaction=nonstopmode", "-halt-on-error", "tables.tex"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    log = (tmp_path / "tables.log").read_text(encoding="utf-8", errors="replace")
    assert run.returncode == 0, log[-3000:]
    problems = re.findall(r"^(?:!.*|Overfull \\[hv]box.*|Missing character.*|.*Float too large.*)$", log, re.M)
    assert problems == [], problems[:10]
    assert (tmp_path / "tables.pdf").is_file()


# ---------------------------------------------------------------------------- the HTML offline
CHROMIUM = Path("/usr/bin/chromium")
_NO_CHROMIUM = (
    f"browser test needs headless Chromium at {CHROMIUM}, which is not installed; "
    "to run it: `apt-get install chromium` (`.ci/run` installs it), then `make test`"
)

#: What the page reports once loaded: images (loaded, drawn with a size), formulas, and its text.
_RENDERED = """() => ({
  images: [...document.images].map(i => ({src: i.src.slice(0, 60), loaded: i.complete && i.naturalWidth > 0,
                                          width: i.getBoundingClientRect().width})),
  svgs: document.querySelectorAll('.jp-OutputArea-output svg').length,
  formulas: [...document.querySelectorAll('math')].map(m => m.getBoundingClientRect().width),
  scripts: [...document.querySelectorAll('script[src], link[href]')].map(e => e.src || e.href),
  text: document.body.innerText.length,
})"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.is_file(), reason=_NO_CHROMIUM)
def test_every_html_page_renders_with_the_network_off(two_builds):
    """Every HTML file the build writes opens with no network and draws its figures and formulas.

    Nothing is asked from beyond the machine: Chromium is offline, and every request that is not a
    local file or inline data is recorded and refused.
    """
    import nbformat
    from playwright.sync_api import sync_playwright

    from govcases.publish.mathml import markdown_with_mathml

    out, files, _ = two_builds[1]
    pages = sorted(p for p in files if p.suffix == ".html")
    assert {"casebook.html", "index.html"} <= {p.name for p in pages}
    left: list[str] = []  # every request that would leave the machine

    def only_files(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            left.append(url)
            route.abort()

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        try:
            context = chromium.new_context(offline=True, viewport={"width": 1024, "height": 800})
            context.route("**/*", only_files)
            for path in pages:
                page = context.new_page()
                errors: list[str] = []
                requests: list[str] = []
                page.on("request", lambda r, requests=requests: requests.append(r.url))
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.on(
                    "console",
                    lambda m, errors=errors: errors.append(m.text) if m.type in ("error", "warning") else None,
                )
                page.goto(path.as_uri(), wait_until="load")
                seen = page.evaluate(_RENDERED)
                name = path.relative_to(out).as_posix()
                outside = [u for u in requests if not u.startswith(("file:", "data:"))]
                assert outside == [], (name, outside)
                assert [s for s in seen["scripts"] if not s.startswith(("file:", "data:"))] == [], name
                assert errors == [], (name, errors)
                assert seen["text"] > 200, name
                assert all(i["loaded"] and i["width"] > 0 for i in seen["images"]), (name, seen["images"])
                assert all(w > 0 for w in seen["formulas"]), name
                notebook = ROOT / "notebooks" / f"{path.stem}.ipynb"
                if path.parent.name == "report" and notebook.is_file():
                    nb = nbformat.read(notebook, as_version=4)
                    figures = sum(
                        "image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {})
                        for c in nb.cells
                        if c.cell_type == "code"
                        for o in c.outputs
                    )
                    formulas = sum(
                        markdown_with_mathml(c.source).count("<math") for c in nb.cells if c.cell_type == "markdown"
                    )
                    assert len(seen["images"]) + seen["svgs"] >= figures, (name, seen["images"], figures)
                    assert len(seen["formulas"]) == formulas, (name, len(seen["formulas"]), formulas)
                page.close()
        finally:
            chromium.close()
    assert left == []
