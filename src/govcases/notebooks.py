"""Executing the project's notebooks reproducibly.

Notebooks are committed with their outputs and checked by nbval, so executing them must give the
same file every time: no timing metadata, a fixed kernel name, the working directory set to the
notebook's folder, and sorted, stable JSON.
"""

from __future__ import annotations

from pathlib import Path

from .paths import ROOT

__all__ = ["NOTEBOOKS", "execute_notebook", "notebook_paths"]

NOTEBOOKS = ROOT / "notebooks"


def notebook_paths(folder: Path | str | None = None) -> list[Path]:
    """The numbered notebooks (``NN-name.ipynb``) of a folder, in order."""
    folder = Path(folder) if folder else NOTEBOOKS
    return sorted(p for p in folder.glob("[0-9][0-9]-*.ipynb"))


def execute_notebook(path: Path | str, *, timeout: int = 600, cwd: Path | str | None = None) -> Path:
    """Run a notebook top to bottom in place and write it back without volatile metadata.

    ``cwd`` is the folder the kernel starts in (default: the notebook's own folder), so that a
    copy executed elsewhere still finds what the original would.
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(cwd or path.parent)}},
    )
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(nb, path)
    return path


def main(argv: list[str] | None = None) -> int:
    """``python -m govcases.notebooks [PATH ...]``: execute the given notebooks, or all of them."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or notebook_paths()
    for p in paths:
        print(f"executing {p}", flush=True)
        execute_notebook(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
