"""Executing the project's notebooks reproducibly, and knowing when they need it.

Notebooks are committed with their outputs and checked by nbval, so executing them must give the
same file every time: no timing metadata, a fixed kernel name, the working directory set to the
notebook's folder, and stable JSON. Each executed notebook records a fingerprint of everything
its outputs depend on (the casebook, the source manifests and external tables, the library's
code, its own code cells); the build re-executes only a notebook whose fingerprint no longer
matches, and renders the others as they are committed.
"""

from __future__ import annotations

from pathlib import Path

from govcases.publish.digest import files_digest
from govcases.records.paths import bundled_project, project_paths

# NOTEBOOKS is still importable (see __getattr__) but no longer advertised: use notebooks_folder()
__all__ = [
    "KERNELSPEC",
    "execute_notebook",
    "inputs_fingerprint",
    "is_current",
    "kernel_config",
    "notebook_paths",
    "notebooks_folder",
    "prose_warnings",
]

#: The kernel the notebooks name in their metadata: `make kernel` registers it for the user, pointing
#: at the project's .venv, so a JupyterLab anywhere opens them in the environment they were run in.
#: Executing them here never needs it registered: the build and nbval run this process's own Python.
KERNELSPEC = {"display_name": "Python (govcases)", "language": "python", "name": "govcases"}
_PACKAGE = Path(__file__).resolve().parents[1]
# Modules no notebook uses (the command line, the build, the seminar casebook, the extractor):
# editing them leaves every notebook's outputs as they are.
_NOT_ANALYSIS = {
    "__main__.py",
    "appendix.py",
    "build.py",
    "casebook_html.py",
    "cli.py",
    "digest.py",
    "export.py",
    "extract.py",
    "latex.py",
    "mathml.py",
    "notebooks.py",
    "templating.py",
}


def notebooks_folder() -> Path:
    """The repository's ``notebooks/`` (the notebooks read whichever casebook is chosen; a wheel carries none).

    Returns
    -------
    pathlib.Path
        The ``notebooks`` folder of the project the package belongs to. It need not exist: an
        installed package carries no notebooks.

    Examples
    --------
    >>> notebooks_folder().name
    'notebooks'
    """
    return bundled_project() / "notebooks"


def __getattr__(name: str):
    # NOTEBOOKS was a constant; it is found when asked for, so that importing this module reads nothing
    if name == "NOTEBOOKS":
        return notebooks_folder()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def notebook_paths(folder: Path | str | None = None) -> list[Path]:
    """The numbered notebooks (``NN-name.ipynb``) of a folder, in order.

    Parameters
    ----------
    folder : path-like, optional
        The folder to look in; default :func:`notebooks_folder`.

    Returns
    -------
    list of pathlib.Path
        The notebooks whose names start with two digits and a hyphen, sorted by name (so by
        number); empty when there are none or the folder does not exist.

    Examples
    --------
    >>> paths = notebook_paths()
    >>> paths == sorted(paths) and all(p.name[:2].isdigit() and p.suffix == ".ipynb" for p in paths)
    True
    """
    folder = Path(folder) if folder else notebooks_folder()
    return sorted(p for p in folder.glob("[0-9][0-9]-*.ipynb"))


def inputs_fingerprint(nb, casebook: Path | str | None = None) -> str:
    """SHA-256 over what a notebook's outputs depend on, for ``nb`` (a notebook node).

    The casebook's YAML files, the manifests and external tables of its data folder (raw files
    are covered by the checksums in the manifest), the library's analysis modules, the seminar
    answer keys, and the notebook's code cells. File names are included, so adding a district changes it.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook, as ``nbformat.read`` returns it; only its code cells are read.
    casebook : path-like, optional
        Casebook folder whose files (and data folder) are digested; default the one
        :func:`govcases.load_casebook` finds.

    Returns
    -------
    str
        The SHA-256 digest as 64 hexadecimal characters, as recorded in an executed notebook's
        metadata under ``govcases.inputs_sha256``.
    """
    folder, data = project_paths(casebook)
    parts = [
        *sorted(folder.glob("*.yaml")),
        *sorted((data / "raw").glob("manifest.csv")),
        *sorted((data / "external").glob("*.csv")),
        *sorted(
            (p for p in _PACKAGE.rglob("*.py") if p.name not in _NOT_ANALYSIS),
            key=lambda p: p.relative_to(_PACKAGE).as_posix(),
        ),
        *sorted((_PACKAGE / "analysis" / "keys").glob("*.yaml")),  # the seminar notebook checks against these
    ]
    code = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    return files_digest(((p.name, p) for p in parts), texts=code)


def is_current(path: Path | str, casebook: Path | str | None = None) -> bool:
    """Whether a committed notebook's outputs were made from the current inputs.

    Parameters
    ----------
    path : path-like
        The notebook file.
    casebook : path-like, optional
        Casebook folder the outputs should have been made from; default the one
        :func:`govcases.load_casebook` finds.

    Returns
    -------
    bool
        True when the fingerprint recorded in the notebook's metadata equals
        :func:`inputs_fingerprint` of its code cells and ``casebook`` now; False when they differ
        or the notebook records none.
    """
    import nbformat

    nb = nbformat.read(Path(path), as_version=4)
    recorded = nb.metadata.get("govcases", {}).get("inputs_sha256")
    return recorded == inputs_fingerprint(nb, casebook)


def kernel_config():
    """Configuration for a kernel that talks to its manager over local sockets (IPC), not TCP.

    A kernel started over TCP without keys warns on every start that its traffic is unencrypted;
    the warning is true and useless here (the kernel is ours, on this machine), and it cluttered
    the build's output. The sockets are files in Jupyter's private runtime folder under an absolute
    name of their own (a relative name would resolve against the kernel's working folder, the
    notebook's, and the two sides would never meet); the kernel manager removes them at shutdown.

    Returns
    -------
    traitlets.config.Config
        Settings for ``KernelManager``: the ``ipc`` transport and a new socket name in Jupyter's
        runtime folder (created if missing), different at every call so that kernels never share one.
    """
    import uuid

    from jupyter_core.paths import jupyter_runtime_dir
    from traitlets.config import Config

    runtime = Path(jupyter_runtime_dir())
    runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    ip = str(runtime / f"govcases-{uuid.uuid4().hex}-ipc")
    return Config({"KernelManager": {"transport": "ipc", "ip": ip}})


def execute_notebook(path: Path | str, *, timeout: int = 600, cwd: Path | str | None = None) -> Path:
    """Run a notebook top to bottom in place and write it back without volatile metadata.

    ``cwd`` is the folder the kernel starts in (default: the notebook's own folder), so that a
    copy executed elsewhere still finds what the original would. The casebook is the one
    :func:`govcases.load_casebook` finds (``GOVCASES_CASEBOOK`` if set).

    Parameters
    ----------
    path : path-like
        The notebook file, overwritten with its new outputs.
    timeout : int
        Seconds a single cell may run before execution stops with an error.
    cwd : path-like, optional
        Folder the kernel starts in; default the notebook's own folder.

    Returns
    -------
    pathlib.Path
        ``path``, now holding the executed notebook with its inputs' fingerprint
        (:func:`inputs_fingerprint`) in its metadata.
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        config=kernel_config(),
        timeout=timeout,
        kernel_name="python3",  # this environment's own kernel, whatever is registered for the user
        record_timing=False,
        resources={"metadata": {"path": str(cwd or path.parent)}},
    )
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["govcases"] = {"inputs_sha256": inputs_fingerprint(nb)}
    nbformat.write(nb, path)
    return path


def prose_warnings(nb) -> list[str]:
    """Where a notebook's Markdown names a fixed number of districts, cases or sources.

    Such prose is true of one casebook only; write it from the data instead
    (:mod:`govcases.publish.prose`).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook.

    Returns
    -------
    list of str
        One line per Markdown cell with such phrases: its number (from 1) and the phrases.
    """
    from govcases.publish.prose import fixed_counts

    out = []
    for i, cell in enumerate(nb.cells, start=1):
        found = fixed_counts(cell.source) if cell.cell_type == "markdown" else []
        if found:
            phrases = ", ".join(repr(" ".join(f.split())) for f in found)
            out.append(f"cell {i} names a fixed number: {phrases}")
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m govcases.publish.notebooks [PATH ...]``: execute the given notebooks, or all of them."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or notebook_paths()
    for p in paths:
        print(f"executing {p}", flush=True)
        execute_notebook(p)
    import nbformat

    for p in paths:
        # prose that counts the districts is wrong once the casebook grows: say where, never fail
        for line in prose_warnings(nbformat.read(p, as_version=4)):
            print(f"warning: {p.name}: {line} (write it from the casebook: govcases.publish.prose)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
