"""The seminar kit: student and instructor copies of notebook 06, the session plan and the handout.

One source, notebook 06, is written into two copies by the roles its cells carry in their metadata
(``cell.metadata.seminar.role``, with a matching tag ``seminar-<role>``):

* ``worked``: a worked answer (``exercise``, ``variable``): in the instructor copy as it is; in the student copy
  replaced by an empty answer form (:func:`govcases.analysis.seminar.form`);
* ``check``: a check cell (``exercise``): in both; the instructor copy adds after it a note for the teacher from
  the answer key (explanation, common wrong answers);
* ``instructor``: a cell for the teacher only, such as a closing summary that gives answers away;
* ``note`` (such a note, written by :func:`instructor_copy`) and ``answer`` (an empty form, written by
  :func:`student_copy`) mark the cells the copies add.

The student copy keeps no output of any cell (students run it themselves) and no text of the key; the
instructor copy keeps the executed outputs of the committed notebook and carries the key beside it.
:func:`write_seminar` writes both copies, the 90-minute session plan (``templates/seminar/session.yaml``) and a
printable one-page handout in English and Chinese (``templates/seminar/handout.yaml``) into ``build/seminar/``.
"""

from __future__ import annotations

import copy
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from govcases.analysis import seminar as key_lib
from govcases.analysis.comparison import domain_summary
from govcases.records.casebook import Casebook

__all__ = [
    "NOTEBOOK_NAME",
    "ROLES",
    "TABLE_1",
    "cell_role",
    "discussion",
    "handout_html",
    "handout_pdf",
    "instructor_copy",
    "load_session",
    "session_plan_html",
    "student_copy",
    "write_seminar",
]

#: The source notebook's file name in ``notebooks/``.
NOTEBOOK_NAME = "06-seminar-exercises.ipynb"
#: The roles a cell may carry (see the module docstring); ``note`` marks the teacher's notes the instructor
#: copy adds, ``answer`` the empty answer forms of the student copy.
ROLES = ("worked", "check", "note", "answer", "instructor")
_TEMPLATES = Path(__file__).resolve().parent / "templates" / "seminar"


def cell_role(cell) -> str | None:
    """The seminar role of a notebook cell, from its metadata.

    Parameters
    ----------
    cell : mapping
        A notebook cell.

    Returns
    -------
    str or None
        One of :data:`ROLES`, or None for a cell both copies share.

    Raises
    ------
    ValueError
        When the metadata names a role that is not one of :data:`ROLES`, or a worked or check cell
        does not say its exercise.
    """
    meta = (cell.get("metadata") or {}).get("seminar")
    if not meta:
        return None
    role = meta.get("role")
    if role not in ROLES:
        raise ValueError(f"a cell's metadata seminar.role is {role!r}; expected one of {', '.join(ROLES)}")
    if role in ("worked", "check") and not meta.get("exercise"):
        raise ValueError(f"a {role} cell needs metadata seminar.exercise (an exercise id of the answer key)")
    if role == "worked" and not meta.get("variable"):
        raise ValueError("a worked cell needs metadata seminar.variable (the answer variable it sets)")
    return role


def _words(text) -> str:
    return " ".join(str(text).split())


def student_copy(nb, *, key_path: Path | str | None = None):
    """The student copy of the seminar notebook: prompts and empty answer forms, no worked answer, no output.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The source notebook (not changed).
    key_path : path-like, optional
        The answer key the forms are laid out from (default :data:`govcases.analysis.seminar.KEY_PATH`).

    Returns
    -------
    nbformat.NotebookNode
        A new notebook: each worked cell replaced by ``answer_N = \"\"\"<form>\"\"\"`` (role ``answer``), teacher's
        notes left out, every output and execution count cleared.
    """
    import nbformat

    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        role = cell_role(cell)
        if role in ("note", "instructor"):
            continue
        if role == "worked":
            meta = cell.metadata["seminar"]
            form = key_lib.form(meta["exercise"], key_path=key_path)
            source = (
                "# Type your answer after each colon (see the exercise above); then run the check cell below.\n"
                f'{meta["variable"]} = """\n{form}"""'
            )
            new = nbformat.v4.new_code_cell(source)
            new.id = cell.get("id", new.id)
            new.metadata = {"seminar": {"role": "answer", "exercise": meta["exercise"]}, "tags": ["seminar-answer"]}
            cell = new
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    out.cells = cells
    out.metadata.pop("govcases", None)  # the inputs fingerprint is the executed source's, not this copy's
    return out


def _note_markdown(entry: dict) -> str:
    lines = [f"**For the teacher: {entry.get('title', '')}.** {_words(entry['explanation'])}", ""]
    wrong = entry.get("common_wrong", [])
    if wrong:
        lines.append("**Common wrong answers.**")
        lines.append("")
        for w in wrong:
            given = ", ".join(f"{part} = {value}" for part, value in w["answer"].items())
            lines.append(f"* {given}: {_words(w['note'])}")
        lines.append("")
    lines.append(f"**Hint students see.** {_words(entry['hint'])}")
    return "\n".join(lines)


def instructor_copy(nb, *, key_path: Path | str | None = None):
    """The instructor copy: the executed source with, after each check, the key's note for the teacher.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The source notebook, executed (not changed).
    key_path : path-like, optional
        The answer key (default :data:`govcases.analysis.seminar.KEY_PATH`).

    Returns
    -------
    nbformat.NotebookNode
        A new notebook with the worked answers and their outputs, and a Markdown cell of role ``note``
        after each check cell: the explanation, the common wrong answers with their notes, and the hint.
    """
    import nbformat

    key = key_lib.load_key(key_path)
    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        if cell_role(cell) == "note":
            continue
        cells.append(cell)
        if cell_role(cell) == "check":
            exercise = cell.metadata["seminar"]["exercise"]
            note = nbformat.v4.new_markdown_cell(_note_markdown(key[exercise]))
            note.id = f"{cell.get('id', 'cell')}-note"[:64]
            note.metadata = {"seminar": {"role": "note", "exercise": exercise}, "tags": ["seminar-note"]}
            cells.append(note)
    out.cells = cells
    return out


def discussion(nb) -> dict[str, list[str]]:
    """The discussion questions of the notebook, by exercise.

    A Markdown cell that begins ``**For discussion.**`` belongs to the exercise of the last check cell
    before it.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The source notebook.

    Returns
    -------
    dict
        Exercise id -> the questions' text (Markdown, without the leading label), in notebook order.
    """
    found: dict[str, list[str]] = {}
    current = None
    for cell in nb.cells:
        if cell_role(cell) == "check":
            current = cell.metadata["seminar"]["exercise"]
        elif cell.cell_type == "markdown" and cell.source.startswith("**For discussion.**") and current:
            found.setdefault(current, []).append(cell.source.removeprefix("**For discussion.**").strip())
    return found


def load_session(path: Path | str | None = None, *, key_path: Path | str | None = None) -> dict:
    """The session plan, checked against the answer key.

    Parameters
    ----------
    path : path-like, optional
        The plan; default ``templates/seminar/session.yaml`` of this package.
    key_path : path-like, optional
        The answer key (default :data:`govcases.analysis.seminar.KEY_PATH`).

    Returns
    -------
    dict
        ``minutes``, ``goals``, ``before`` and ``blocks`` (each with ``minutes``, ``title``, ``exercises``,
        ``do`` and ``project``), plus ``start`` and ``end`` minute of each block.

    Raises
    ------
    ValueError
        When the blocks' minutes do not add up to the session's, or an exercise of the key is in no block
        or in more than one, or a block names an exercise the key does not hold.
    """
    import yaml

    path = Path(path) if path is not None else _TEMPLATES / "session.yaml"
    plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    key = key_lib.load_key(key_path)
    total = sum(int(b["minutes"]) for b in plan["blocks"])
    if total != int(plan["minutes"]):
        raise ValueError(f"{path}: the blocks take {total} minutes, the session {plan['minutes']}")
    named = [e for b in plan["blocks"] for e in b["exercises"]]
    unknown = sorted(set(named) - set(key))
    twice = sorted({e for e in named if named.count(e) > 1})
    left = [e for e in key if e not in named]
    if unknown or twice or left:
        raise ValueError(
            f"{path}: exercises not in the key: {unknown or 'none'}; in two blocks: {twice or 'none'}; "
            f"in no block: {left or 'none'} (every exercise of the key belongs to exactly one block)"
        )
    start = 0
    for block in plan["blocks"]:
        block["start"], block["end"] = start, start + int(block["minutes"])
        start = block["end"]
    return plan


def _md(text: str):
    import mistune
    from markupsafe import Markup

    # our own Markdown (the notebook's questions), rendered without raw HTML
    return Markup(mistune.create_markdown(escape=True)(text))


def session_plan_html(nb, *, key_path: Path | str | None = None) -> str:
    """The 90-minute session plan as a printable HTML page.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The source notebook (for the discussion questions).
    key_path : path-like, optional
        The answer key (default :data:`govcases.analysis.seminar.KEY_PATH`).

    Returns
    -------
    str
        The page: learning goals, preparation, and per block its time, exercises, what to do, what to
        project and the discussion questions of its exercises.
    """
    from govcases.publish.templating import render

    plan = load_session(key_path=key_path)
    key = key_lib.load_key(key_path)
    questions = discussion(nb)
    blocks = [
        {
            **b,
            "do": _md(b["do"]),
            "project": _md(b["project"]),
            "exercise_titles": [key[e].get("title", e) for e in b["exercises"]],
            "questions": [_md(q) for e in b["exercises"] for q in questions.get(e, [])],
        }
        for b in plan["blocks"]
    ]
    return render("seminar/plan.html", plan={**plan, "before": _md(plan["before"])}, blocks=blocks)


#: The function that gives the handout's table (a DataFrame with reader-facing column names, no ids):
#: Table 1 of the comparison, folded by domain so that it fits the page.
TABLE_1: Callable[[Casebook], pd.DataFrame] = domain_summary


def handout_html(cb: Casebook, *, table: Callable[[Casebook], pd.DataFrame] | None = None) -> str:
    """The one-page handout in English and Chinese: the table, notes on the sources and a reminder.

    Parameters
    ----------
    cb : Casebook
        The casebook of the seminar (restricted to the key's districts).
    table : callable, optional
        Gives the table from the casebook; default :data:`TABLE_1`.

    Returns
    -------
    str
        An HTML page laid out for one A4 page (print CSS).
    """
    import yaml

    from govcases.publish.templating import render

    words = yaml.safe_load((_TEMPLATES / "handout.yaml").read_text(encoding="utf-8"))
    frame = (table or TABLE_1)(cb)
    sources = []
    for _, s in cb.sources.sort_values("source_id").iterrows():
        note = words["sources"].get(s["source_id"])
        sources.append(
            {
                "title": s["title"],
                "en": note["en"] if note else f"{str(s['kind']).replace('-', ' ')} (no note written yet)",
                "zh": note["zh"] if note else "",
            }
        )
    return render(
        "seminar/handout.html",
        words=words,
        columns=[str(c) for c in frame.columns],
        rows=[[str(v) for v in row] for row in frame.itertuples(index=False)],
        sources=sources,
    )


def handout_pdf(html: Path, pdf: Path, *, chromium: Path | str = "/usr/bin/chromium") -> Path | None:
    """Print the handout to an A4 PDF with headless Chromium, if Chromium is there.

    Parameters
    ----------
    html : pathlib.Path
        The handout page.
    pdf : pathlib.Path
        Where the PDF goes.
    chromium : path-like
        The Chromium executable.

    Returns
    -------
    pathlib.Path or None
        ``pdf``, or None when Chromium or Playwright is missing (the caller says so).
    """
    if not Path(chromium).exists():
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(html.resolve().as_uri())
            pdf.write_bytes(page.pdf(format="A4", print_background=True, prefer_css_page_size=True))
        finally:
            browser.close()
    # Chromium stamps creation dates into the PDF: blank them out (spaces of the same length, so that the
    # cross-reference offsets stay right) so that two builds give the same bytes and the PDF carries no date
    data = re.sub(rb"/(?:CreationDate|ModDate) \(D:[^)]*\)", lambda m: b" " * len(m[0]), pdf.read_bytes())
    pdf.write_bytes(data)
    return pdf


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def write_seminar(
    out: Path | str,
    cb: Casebook,
    *,
    notebook: Path | str,
    key_path: Path | str | None = None,
    pdf: bool = True,
    stream=None,
) -> list[Path]:
    """Write the seminar kit into ``out``.

    Parameters
    ----------
    out : path-like
        The folder, ``build/seminar`` in the build.
    cb : Casebook
        The casebook; the handout uses the districts of the answer key.
    notebook : path-like
        The source notebook (``notebooks/06-seminar-exercises.ipynb``, executed).
    key_path : path-like, optional
        The answer key (default :data:`govcases.analysis.seminar.KEY_PATH`).
    pdf : bool, default True
        Whether to print the handout to PDF (needs Chromium; said on ``stream`` when missing).
    stream : file-like, optional
        Where a missing PDF is reported; default standard output.

    Returns
    -------
    list of pathlib.Path
        The files written: ``student/<notebook>``, ``instructor/<notebook>``, ``instructor/<key>``,
        ``session-plan.html``, ``handout.html`` and, with Chromium, ``handout.pdf``.
    """
    import sys

    import nbformat

    out = Path(out)
    key = Path(key_path) if key_path is not None else key_lib.KEY_PATH
    nb = nbformat.read(str(notebook), as_version=4)
    seminar_cb = cb.select(key_lib.key_districts(key))
    written = [
        _write(out / "student" / NOTEBOOK_NAME, nbformat.writes(student_copy(nb, key_path=key)) + "\n"),
        _write(out / "instructor" / NOTEBOOK_NAME, nbformat.writes(instructor_copy(nb, key_path=key)) + "\n"),
    ]
    (out / "instructor").mkdir(parents=True, exist_ok=True)
    written.append(Path(shutil.copyfile(key, out / "instructor" / key.name)))
    written.append(_write(out / "session-plan.html", session_plan_html(nb, key_path=key)))
    html = _write(out / "handout.html", handout_html(seminar_cb))
    written.append(html)
    if pdf:
        done = handout_pdf(html, out / "handout.pdf")
        if done is None:
            print(
                "    handout.pdf not written: it needs Chromium at /usr/bin/chromium (`apt-get install chromium`); "
                "print handout.html from a browser instead",
                file=stream or sys.stdout,
            )
        else:
            written.append(done)
    return written


def main(argv: list[str] | None = None) -> int:
    """Write the seminar kit alone: ``python -m govcases.publish.seminar [OUT] [--no-pdf] [--student-only]``."""
    import argparse

    from govcases.publish.notebooks import notebooks_folder
    from govcases.records.casebook import load_casebook

    parser = argparse.ArgumentParser(prog="python -m govcases.publish.seminar", description=main.__doc__)
    parser.add_argument("out", nargs="?", default="build/seminar", help="output folder (default build/seminar)")
    parser.add_argument("--no-pdf", action="store_true", help="do not print the handout to PDF")
    parser.add_argument(
        "--student-only",
        action="store_true",
        help="write the student copy only (for Binder, where students must not find the key or the worked answers)",
    )
    args = parser.parse_args(argv)
    notebook = notebooks_folder() / NOTEBOOK_NAME
    if args.student_only:
        import nbformat

        nb = student_copy(nbformat.read(str(notebook), as_version=4))
        paths = [_write(Path(args.out) / "student" / NOTEBOOK_NAME, nbformat.writes(nb) + "\n")]
    else:
        paths = write_seminar(Path(args.out), load_casebook(), notebook=notebook, pdf=not args.no_pdf)
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
