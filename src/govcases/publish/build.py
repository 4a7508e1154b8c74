"""The one-command build: validated data, processed tables, appendix figures and tables, HTML report.

``govcases build`` (run by ``make``) writes everything into ``build/`` from the committed casebook.
Each step prints its name and time; long steps show a progress bar. Two builds in a row give
byte-identical files: figures are saved with a fixed SVG hash salt and no dates, tables are
sorted and formatted by one writer, notebooks are executed without timing metadata, and the
colophon records versions, the git commit and a checksum of the casebook, never the time.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from govcases.publish.digest import files_digest
from govcases.records.paths import checkout_root, project_paths

__all__ = [
    "build",
    "casebook_checksum",
    "colophon",
    "figure_caption",
    "inputs_checksum",
    "save_figure",
    "table_caption",
    "write_table",
]

#: The languages every appendix figure is drawn in, each into ``figures/<language>/``.
FIGURE_LANGUAGES = ("en", "zh")

#: Packages whose versions the colophon records.
COLOPHON_PACKAGES = (
    "govcases",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "sympy",
    "pydantic",
    "pyyaml",
    "yaml-rs",
    "opencc",
    "nbconvert",
    "nbclient",
    "ipykernel",
)


# ---------------------------------------------------------------------------- progress
class _Progress:
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.start = time.perf_counter()

    @contextmanager
    def step(self, name: str):
        t0 = time.perf_counter()
        print(f"==> {name}", file=self.stream, flush=True)
        yield
        print(f"    {name}: {time.perf_counter() - t0:.1f} s", file=self.stream, flush=True)

    def bar(self, items, desc: str):
        from tqdm import tqdm

        # tqdm writes to stderr and only when it is a terminal-like stream worth redrawing
        return tqdm(items, desc=f"    {desc}", unit="item", leave=False, disable=None, file=sys.stderr)

    def done(self):
        print(f"build finished in {time.perf_counter() - self.start:.1f} s", file=self.stream, flush=True)


# ---------------------------------------------------------------------------- writers
def save_figure(fig, stem: Path) -> list[Path]:
    """Save a figure as PDF, SVG and PNG next to each other, byte-stable across runs.

    The layout is solved once and the same bounding box is used for the three formats; the files
    carry no dates or software versions, and the SVG's clip paths are numbered by order of
    appearance. The figure is closed afterwards.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save, such as one returned by a ``fig_*`` function of
        :mod:`govcases.publish.figures`.
    stem : pathlib.Path
        The output path without its suffix (``build/figures/growth-rates``); missing folders are created.

    Returns
    -------
    list of pathlib.Path
        The three files written: ``stem`` with ``.pdf``, ``.svg`` and ``.png``, in that order.
    """
    import matplotlib
    import matplotlib.pyplot as plt

    from govcases.publish.style import SAVE_METADATA

    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    with matplotlib.rc_context({"svg.hashsalt": "govcases", "pdf.compression": 6}):
        bbox = _fix_layout(fig)
        for fmt in ("pdf", "svg", "png"):
            path = stem.with_suffix(f".{fmt}")
            with _svg_text_titles(fig, fmt == "svg"):
                fig.savefig(path, format=fmt, metadata=SAVE_METADATA[fmt], bbox_inches=bbox)
            if fmt == "svg":
                _renumber_svg_ids(path)
                _svg_evidence(path, fig)
                _svg_stroke_bold(path)
            paths.append(path)
    plt.close(fig)
    return paths


def _fix_layout(fig):
    """Lay the figure out once and return its tight bounding box (inches, padded) for every format.

    ``bbox_inches="tight"`` measures the figure by drawing it, and a constrained layout is solved
    again at every draw: saving three formats that way drew each figure six times with the layout
    engine running. Here the layout is solved in one draw, frozen, and the same box is used for
    the PDF, the SVG and the PNG, which therefore also share exactly the same positions.
    """
    import matplotlib

    fig.draw_without_rendering()  # solves the layout; nothing is rasterized
    bbox = fig.get_tightbbox().padded(matplotlib.rcParams["savefig.pad_inches"])
    # keep the positions just computed, with no engine at all: "none" leaves a placeholder engine,
    # for which every savefig drew the whole figure once more before drawing it into the file
    with matplotlib.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)
    return bbox


_SVG_CLIP_ID = re.compile(r"\bp[0-9a-f]{10}\b")


def _renumber_svg_ids(path: Path) -> None:
    """Name the SVG's clip paths by order of appearance instead of by a hash of their geometry.

    Matplotlib names a clip path by hashing its rectangle's full float repr; that can differ in
    the last bits from one process to another although every coordinate written is the same, so
    the names are the one part of an SVG that is not byte-stable.
    """
    text = path.read_text(encoding="utf-8")
    names: dict[str, str] = {}
    text = _SVG_CLIP_ID.sub(lambda m: names.setdefault(m.group(0), f"clip{len(names) + 1}"), text)
    path.write_text(text, encoding="utf-8", newline="\n")


@contextmanager
def _svg_text_titles(fig, active: bool):
    """In the SVG, draw the stroke-emboldened titles (gid ``boldN``) without their path effects.

    A text with path effects is written as outlines; without them it stays ``<text>`` (searchable,
    readable by screen readers), and :func:`_svg_stroke_bold` gives it the same stroke.
    """
    from matplotlib.text import Text

    texts = [t for t in fig.findobj(Text) if active and re.fullmatch(r"bold[0-9]+", t.get_gid() or "")]
    effects = [t.get_path_effects() for t in texts]
    for t in texts:
        t.set_path_effects([])
    try:
        yield
    finally:
        for t, e in zip(texts, effects):
            t.set_path_effects(e)


def _svg_stroke_bold(path: Path) -> None:
    """Give each emboldened title's ``<text>`` a stroke in its own colour, as its path effect does elsewhere."""
    from govcases.publish.style import TITLE_STROKE

    text = path.read_text(encoding="utf-8")
    new = re.sub(
        r'(<g id="bold[0-9]+">\s*<text style=")([^"]*?fill: (#[0-9a-fA-F]{6})[^"]*)"',
        lambda m: f'{m.group(1)}{m.group(2)}; stroke: {m.group(3)}; stroke-width: {TITLE_STROKE}px"',
        text,
    )
    if new != text:
        path.write_text(new, encoding="utf-8", newline="\n")


def _svg_evidence(path: Path, fig) -> None:
    """Give each plotted mark its evidence: a ``<title>`` (shown on hover) and a ``data-facts`` attribute.

    A figure function tied its marks to facts (:mod:`govcases.publish.figures._evidence`); each
    such mark is a group ``<g id="markN">`` in the SVG.
    """
    from xml.sax.saxutils import escape, quoteattr

    marks = (getattr(fig, "govcases_evidence", None) or {}).get("marks", {})
    if not marks:
        return
    text = path.read_text(encoding="utf-8")

    def sub(m: re.Match) -> str:
        mark = marks.get(m.group(1))
        if mark is None:
            return m.group(0)
        facts = quoteattr(" ".join(mark["facts"]))
        return f'<g id="{m.group(1)}" class="evidence" data-facts={facts}>\n   <title>{escape(mark["title"])}</title>'

    text = re.sub(r'<g id="(mark[0-9]+)">', sub, text)
    path.write_text(text, encoding="utf-8", newline="\n")


def figure_caption(fig, caption: str, cb, *, chinese: bool = False) -> str:
    """A figure's caption followed by its evidence: the facts (ids) and sources it draws on.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure made by a ``fig_*`` function, which records the facts behind its marks.
    caption : str
        What the figure shows (the appendix's caption).
    cb : Casebook
        The casebook the figure was drawn from.
    chinese : bool
        Write the note of evidence in Chinese.

    Returns
    -------
    str
        ``caption`` and the note of evidence, separated by a space.
    """
    from govcases.publish.figures._evidence import evidence_caption, figure_facts

    return f"{caption} {evidence_caption(cb, figure_facts(fig), chinese=chinese)}"


def table_caption(frame, caption: str, cb) -> str:
    """A table's caption followed by the facts (ids) and sources its cells come from.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; any cell (or index label) that is a fact id of ``cb`` counts as evidence.
    caption : str
        What the table shows.
    cb : Casebook
        The casebook the table was made from.

    Returns
    -------
    str
        ``caption`` and the note of evidence, separated by a space.
    """
    from govcases.publish.figures._evidence import evidence_caption

    known = set(cb.facts["id"])
    import pandas as pd

    flat = frame if isinstance(frame.index, pd.RangeIndex) else frame.reset_index()
    seen: list[str] = []
    for column in flat.columns:
        for value in flat[column].astype(object):
            for part in re.split(r"[\s,;+|]+", value) if isinstance(value, str) else []:
                if part in known and part not in seen:
                    seen.append(part)
    if len(seen) > CAPTION_FACTS and len(seen) < len(known):
        # a caption is typeset on one line first (LaTeX measures it before wrapping): hundreds of ids
        # exceed TeX's largest dimension, and no reader reads them there; the CSV lists each row's facts
        facts = cb.facts_by_id
        sources = sorted({str(facts.loc[i, "source"]) for i in seen})
        return (
            f"{caption} Evidence: {len(seen)} facts, listed by id in each row of the table's CSV file; "
            f"sources {', '.join(sources)}."
        )
    return f"{caption} {evidence_caption(cb, seen)}"


#: Fact ids a table's caption lists in full; a table drawn from more points to its CSV for them.
CAPTION_FACTS = 60


def write_table(frame, stem: Path, *, caption: str = "", cb=None) -> list[Path]:
    """Write a table as CSV (the export's cell format, full precision) and as a LaTeX booktabs longtable.

    The CSV is written as :func:`govcases.export` writes ``data/processed``: booleans 1/0, and an upper
    bound (``high``, ``*_high``) that is open above missing, with a ``*_unbounded`` flag (1/0) beside it.
    The LaTeX rounds numbers by :data:`govcases.publish.latex.ROUNDING` and fits the page
    (:func:`govcases.publish.latex.latex_table`); the CSV keeps every digit for computation.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table. A labelled (not a default range) index is data and is written as leading columns.
    stem : pathlib.Path
        The output path without its suffix (``build/tables/growth-stated``); missing folders are
        created, and the LaTeX label is ``tab:`` followed by the stem's name.
    caption : str
        Caption of the LaTeX table, escaped for LaTeX; none when empty.
    cb : Casebook, optional
        The casebook the table was made from. With it, the LaTeX is in the words a reader reads:
        column labels, district names and codebook labels, no fact id
        (:func:`govcases.publish.latex.readable_table`); without it, the column names and cells as they are.

    Returns
    -------
    list of pathlib.Path
        The two files written: ``stem`` with ``.csv``, then with ``.tex``.
    """
    import pandas as pd

    from govcases.records.export import _bounded, _csv, upper_bounds

    if not isinstance(frame.index, pd.RangeIndex):  # a labelled index is data: keep it as columns
        frame = frame.reset_index()
    stem.parent.mkdir(parents=True, exist_ok=True)
    csv_path = stem.with_suffix(".csv")
    # as data/processed writes them: an upper bound open above is missing, with a 1/0 flag beside it
    csv_path.write_text(_csv(_bounded(stem.name, frame, upper_bounds(frame))), encoding="utf-8", newline="\n")
    tex_path = stem.with_suffix(".tex")
    tex_path.write_text(_latex(frame, caption=caption, label=f"tab:{stem.name}", cb=cb), encoding="utf-8", newline="\n")
    return [csv_path, tex_path]


def _latex(frame, *, caption: str, label: str, cb=None) -> str:
    """The table as a LaTeX booktabs ``longtable`` (:func:`govcases.publish.latex.latex_table`).

    With the casebook, in the words a reader reads (:func:`govcases.publish.latex.readable_table`).
    """
    from govcases.publish.latex import latex_table, readable_table

    name = label.removeprefix("tab:")
    headers = None
    if cb is not None:
        frame, headers = readable_table(frame, name=name, cb=cb)
    return latex_table(frame, name=name, caption=caption, label=label, headers=headers)


# ---------------------------------------------------------------------------- colophon
def casebook_checksum(folder: Path | None = None) -> str:
    """SHA-256 over the casebook's YAML files (names and bytes, in sorted order).

    Parameters
    ----------
    folder : pathlib.Path, optional
        Casebook folder; default the one :func:`govcases.load_casebook` finds.

    Returns
    -------
    str
        The digest as 64 hexadecimal characters; it changes when any YAML file of the casebook is
        added, removed, renamed or edited.

    Examples
    --------
    >>> len(casebook_checksum()) == 64 and casebook_checksum() == casebook_checksum()
    True
    """
    return files_digest((p.name, p) for p in sorted(project_paths(folder)[0].glob("*.yaml")))


def inputs_checksum(folder: Path | None = None) -> str:
    """SHA-256 over every file a build reads (names and bytes, in sorted order).

    The casebook, its data folder's raw sources, manifests and external tables, the package's
    source files and HTML templates, the notebooks and their answer keys. With the versions and the
    commit it makes the colophon a complete statement of what a build was made from: two builds
    with the same colophon were made from the same inputs.

    Parameters
    ----------
    folder : pathlib.Path, optional
        Casebook folder, whose data folder is read as well; default the one
        :func:`govcases.load_casebook` finds.

    Returns
    -------
    str
        The digest as 64 hexadecimal characters.
    """
    from govcases.publish.notebooks import notebooks_folder

    folder, data = project_paths(folder)
    package = Path(__file__).resolve().parents[1]
    templates = package / "publish" / "templates"
    notebooks = notebooks_folder()  # the repository's, whichever casebook they read
    parts = [
        *(("casebook", p) for p in sorted(folder.glob("*.yaml"))),
        *(("data", p) for p in sorted(p for p in (data / "raw").rglob("*") if p.is_file())),
        *(("data", p) for p in sorted(p for p in (data / "external").rglob("*") if p.is_file())),
        *(("govcases", p) for p in sorted(package.rglob("*.py"))),
        # the HTML templates and their CSS shape the casebook and the report as much as the code does
        *(
            ("govcases", p)
            for p in sorted(
                [
                    *templates.glob("*/*.html"),
                    *templates.glob("*/*.css"),
                    *templates.glob("*/*.j2"),
                    *templates.glob("*/*.json"),
                ]
            )
        ),
        *(("notebooks", p) for p in sorted(notebooks.glob("*.ipynb"))),
        *(("govcases", p) for p in sorted((package / "analysis" / "keys").glob("*.yaml"))),
    ]
    return files_digest((f"{kind}/{path.name}", path) for kind, path in parts)


def _git_commit() -> str:
    root = checkout_root()
    if root is None:
        # an installed package: git would report whatever repository the environment happens to sit in
        return "unknown (an installed package, not a git checkout)"
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "casebook", "src", "data", "notebooks"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return out.stdout.strip() + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def colophon(folder: Path | None = None) -> dict[str, str]:
    """What the build was made from: versions, the git commit and the casebook checksum.

    Parameters
    ----------
    folder : pathlib.Path, optional
        Casebook folder; default the one :func:`govcases.load_casebook` finds.

    Returns
    -------
    dict of str to str
        In this order: ``python`` (its version), ``git commit`` (the checkout's commit, marked when
        the casebook, code, data or notebooks have uncommitted changes, or a note saying why there
        is none), ``casebook sha256`` (:func:`casebook_checksum`), ``inputs sha256``
        (:func:`inputs_checksum`), then the version of each package in ``COLOPHON_PACKAGES``
        (``"not installed"`` when absent). No dates or times, so two builds from the same inputs
        give the same colophon.
    """
    info = {
        "python": sys.version.split()[0],
        "git commit": _git_commit(),
        "casebook sha256": casebook_checksum(folder),
        "inputs sha256": inputs_checksum(folder),
    }
    for name in COLOPHON_PACKAGES:
        try:
            info[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            info[name] = "not installed"
    return info


def _colophon_text(info: dict[str, str]) -> str:
    width = max(len(k) for k in info)
    return "govcases build colophon\n\n" + "".join(f"{k:<{width}}  {v}\n" for k, v in info.items())


# ---------------------------------------------------------------------------- notebooks
@functools.cache
def _html_exporter():
    """One exporter per process: loading its templates and filters costs more than a render.

    The template is ``templates/notebook`` (nbconvert's lab template with nothing loaded from the
    network: no require.js, MathJax, mermaid or widget manager), so the report works offline.
    """
    from nbconvert import HTMLExporter

    templates = Path(__file__).resolve().parent / "templates"
    return HTMLExporter(template_name="notebook", extra_template_basedirs=[str(templates)])


def _offline(nb, path: Path):
    """The notebook with its formulas as MathML; an error for what would need a script from the network."""
    from govcases.publish.mathml import markdown_with_mathml

    if "widgets" in nb.metadata:
        raise ValueError(f"{path}: the notebook has widget state, which needs scripts from the network; clear it")
    for n, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "markdown":
            if "```mermaid" in cell.source:
                raise ValueError(f"{path}, cell {n}: mermaid diagrams need a script from the network; use a figure")
            try:
                cell.source = markdown_with_mathml(cell.source)
            except ValueError as err:
                raise ValueError(f"{path}, cell {n}: {err}") from None
    return nb


def _render_notebook(args: tuple[str, str, bool]) -> str:
    """Render a notebook as HTML, executing a copy first when its outputs are not current."""
    import nbformat

    from govcases.publish.notebooks import execute_notebook

    src, out_dir, execute = Path(args[0]), Path(args[1]), args[2]
    if execute:
        executed = out_dir / "executed" / src.name
        executed.parent.mkdir(parents=True, exist_ok=True)
        executed.write_bytes(src.read_bytes())
        execute_notebook(executed, cwd=src.parent)
        src = executed
    nb = _offline(nbformat.read(src, as_version=4), src)
    html, _ = _html_exporter().from_notebook_node(nb, resources={"metadata": {"name": src.stem}})
    target = out_dir / f"{src.stem}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8", newline="\n")
    return str(target)


# ---------------------------------------------------------------------------- figures in workers
_WORKER: dict = {}


def _make_figure(name: str, out: str, casebook: str) -> list[str]:
    import matplotlib

    from govcases.publish.appendix import FIGURES
    from govcases.publish.style import use_style
    from govcases.records.casebook import load_casebook

    if _WORKER.get("casebook") != casebook:  # once per worker (a worker that only runs notebooks never loads it)
        _WORKER.update(casebook=casebook, cb=load_casebook(casebook))
    item = next(f for f in FIGURES if f.name == name)
    written = []
    for language in FIGURE_LANGUAGES:
        chinese = language == "zh"
        # each figure starts from the same style, whatever figure this worker drew before, so the
        # bytes do not depend on how the figures were shared out between workers
        with matplotlib.rc_context():
            use_style(chinese=chinese)
            fig = item.make(_WORKER["cb"], chinese=chinese)
            stem = Path(out) / "figures" / language / item.name
            caption = figure_caption(fig, item.caption, _WORKER["cb"], chinese=chinese)
            written += [str(p) for p in save_figure(fig, stem)]
            path = stem.with_suffix(".caption.txt")
            path.write_text(caption + "\n", encoding="utf-8", newline="\n")
            written.append(str(path))
    return written


# ---------------------------------------------------------------------------- the build
def usable_cpus() -> int:
    """How many CPUs this process may run on.

    Those of its affinity mask where the system says (a container or ``taskset`` limit), else all
    the machine has: forking more build workers than this only adds start-up cost.

    Returns
    -------
    int
        At least 1.
    """
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def build(
    out: Path | str | None = None,
    *,
    casebook: Path | str | None = None,
    jobs: int | None = None,
    notebooks: bool | list[Path] = True,
    figures: bool = True,
    seminar: bool = True,
    processed: Path | str | None = None,
    stream=None,
) -> list[Path]:
    """Build every output into ``out``; return the files written (sorted).

    Steps: validate the casebook; export ``data/processed``; write the appendix figures (PDF, SVG,
    PNG) and tables (CSV, LaTeX) from the functions in :mod:`govcases.publish.appendix`, the figures in
    worker processes; render the seminar casebook; render the notebooks as HTML, executing those
    whose recorded inputs are not current; write the report index and the colophon.

    Parameters
    ----------
    out : path-like, optional
        Output folder; default ``build/`` beside the casebook folder, or ``build/`` in the current folder
        when the casebook is the copy installed with the package (never written to).
    casebook : path-like, optional
        Casebook folder; default as :func:`govcases.load_casebook`.
    jobs : int, optional
        Worker processes for figures and notebooks; default one per core.
    notebooks : bool or list of paths
        Whether to render the notebooks (the report); or which of them, as paths.
    figures : bool
        Whether to draw the appendix figures (the slowest step).
    seminar : bool
        Whether to write the seminar kit into ``out/seminar`` (student and instructor copies of
        notebook 06, session plan, handout; :func:`govcases.publish.seminar.write_seminar`).
    processed : path-like, optional
        Where the exported tables go; default ``data/processed`` beside the casebook, or ``processed/``
        in ``out`` when the casebook is the copy installed with the package.
    stream : file-like, optional
        Where the step names and times are printed; default standard output. Progress bars go to
        standard error.

    Returns
    -------
    list of pathlib.Path
        Every file written (processed tables, figures, tables, casebook page, notebook pages, report
        index, colophon), sorted and without repeats.

    Raises
    ------
    govcases.records.paths.ShippedDataError
        If ``out`` or ``processed`` lies inside the installed package.
    """
    from govcases.publish.appendix import FIGURES, TABLES, report_index
    from govcases.publish.casebook_html import write_casebook
    from govcases.publish.notebooks import is_current, notebook_paths, notebooks_folder
    from govcases.records.casebook import load_casebook
    from govcases.records.export import export
    from govcases.records.paths import check_output, default_build, is_shipped, project_paths

    folder, data = project_paths(casebook)
    out = check_output(out if out is not None else default_build(folder), "the build")
    if processed is None:
        # the installed package's own tables are not rewritten: a build of its casebook keeps them with the rest
        processed = out / "processed" if is_shipped(folder) else data / "processed"
    processed = check_output(processed, "the processed tables")
    jobs = jobs or usable_cpus()
    progress = _Progress(stream)
    written: list[Path] = []
    with progress.step("validate the casebook"):
        cb = load_casebook(folder)
        print(f"    {len(cb.districts)} districts, {len(cb.facts)} facts", file=progress.stream)
    with progress.step("export data/processed"):
        written += export(cb, processed)
    # figures are the slowest outputs: worker processes draw them while this one does the rest
    # workers forked from here (Linux) start with the loaded casebook; others load it once each
    _WORKER.update(casebook=str(folder), cb=cb)
    if figures:  # the Chinese figures' TrueType font is made once here, not by every worker at once
        from govcases.publish.style import truetype_cjk_font

        truetype_cjk_font()
    pool = ProcessPoolExecutor(jobs)
    try:
        figure_jobs = (
            [pool.submit(_make_figure, item.name, str(out), str(folder)) for item in FIGURES] if figures else []
        )
        with progress.step(f"appendix tables ({len(TABLES)})"):
            made = {}
            for item in progress.bar(TABLES, "tables"):
                frame = made[item.name] = item.make(cb)
                written += write_table(
                    frame, out / "tables" / item.name, caption=table_caption(frame, item.caption, cb), cb=cb
                )
        with progress.step("seminar casebook"):
            written.append(write_casebook(cb, out / "casebook.html"))
        if seminar:
            from govcases.publish import seminar as kit

            source = notebooks_folder() / kit.NOTEBOOK_NAME
            with progress.step("seminar kit"):
                if source.exists():
                    written += kit.write_seminar(out / "seminar", cb, notebook=source, stream=progress.stream)
                else:
                    print(
                        f"    no {source}: the seminar kit is not written (it comes with the repository)",
                        file=progress.stream,
                    )
        info = colophon(folder)
        nbs = (
            [Path(p) for p in notebooks]
            if isinstance(notebooks, (list, tuple))
            else notebook_paths()
            if notebooks
            else []
        )
        if notebooks is True and not nbs:
            # an installed package carries no notebooks: say so rather than leave the report out without a word
            print(
                f"    no notebooks in {notebooks_folder()}: the report is not rendered "
                "(the notebooks come with the repository)",
                file=progress.stream,
            )
        if nbs:
            report = out / "report"
            stale = [p for p in nbs if not is_current(p, folder)]
            with progress.step(f"render {len(nbs)} notebooks ({len(stale)} to execute)"):
                # stale notebooks execute in the workers (a kernel each); current ones only render
                queued = {p: pool.submit(_render_notebook, (str(p), str(report), True)) for p in stale}
                done = [
                    queued[p].result() if p in queued else _render_notebook((str(p), str(report), False))
                    for p in progress.bar(nbs, "notebooks")
                ]
                written += [Path(p) for p in done]
        with progress.step(f"appendix figures ({len(FIGURES)})"):
            for job in progress.bar(figure_jobs, "figures"):
                written += [Path(p) for p in job.result()]
        if nbs:  # after the figures, whose SVGs and captions the index shows
            index = report / "index.html"
            index.write_text(
                report_index(cb, nbs, info, figures=out / "figures", tables=made), encoding="utf-8", newline="\n"
            )
            written.append(index)
    finally:
        pool.shutdown(cancel_futures=True)
    with progress.step("colophon"):
        path = out / "COLOPHON.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_colophon_text(info), encoding="utf-8", newline="\n")
        written.append(path)
    progress.done()
    return sorted(set(written))
