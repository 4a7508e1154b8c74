"""Where a project's folders are, and where outputs may go. One place, so that code, tests and the build agree.

A project is a folder ``X`` with ``X/casebook`` (records and codebook) and ``X/data`` (``raw/``,
``external/``, ``processed/``). The package comes with one:

- in a source checkout (an editable install, or ``src/`` on ``sys.path``) it is the repository, so an
  edit to a record is read at once;
- in an installed wheel it is the copy of the repository's ``casebook/`` and ``data/`` that the wheel
  carries as package data (``govcases/_data``), found through :mod:`importlib.resources`. That copy is
  read-only: nothing is ever written inside the installed package.

Another project is chosen by passing its casebook folder, or with the ``GOVCASES_CASEBOOK`` environment
variable. Library code finds every folder from the casebook it was given (a :class:`Casebook`'s ``root``
or :func:`project_paths`), never from a fixed path.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from govcases.records.errors import CasebookError, Problem

# ROOT, CASEBOOK, DATA, PROCESSED and BUILD are still importable (see __getattr__ at the end) but no
# longer advertised: they ignore the casebook a caller chose.
__all__ = [
    "ShippedDataError",
    "bundled_project",
    "check_output",
    "checkout_root",
    "default_build",
    "is_shipped",
    "project_paths",
]


class ShippedDataError(PermissionError):
    """Raised instead of writing inside the installed package: outputs go to a folder the user names."""


def checkout_root() -> Path | None:
    """The repository's root when the package runs from a source checkout, else None.

    A checkout is recognised by its layout around this file (``src/govcases/records/paths.py`` beside
    ``casebook/``), so a package installed into a virtual environment inside some other repository
    is never mistaken for one.

    Returns
    -------
    pathlib.Path or None
        The checkout's root folder (the one holding ``casebook/`` and ``src/``), or None for an
        installed package.
    """
    root = Path(__file__).resolve().parents[3]
    if (root / "casebook").is_dir() and (root / "src" / "govcases" / "records" / "paths.py").is_file():
        return root
    return None


def _package() -> Path:
    package = resources.files("govcases")
    if not isinstance(package, Path):
        # a zip import: the loader needs folders it can list and hand to worker processes
        raise CasebookError(
            [
                Problem(
                    str(package),
                    None,
                    "",
                    "govcases is imported from an archive, so its casebook cannot be read as folders",
                    "install it with pip, or set GOVCASES_CASEBOOK to a casebook folder",
                )
            ]
        )
    return package.resolve()


def bundled_project() -> Path:
    """The project the package came with: the repository in a checkout, else the copy in the wheel.

    Returns
    -------
    pathlib.Path
        A folder holding ``casebook/`` and ``data/``: the copy the package carries when there
        is one, else the root of the source checkout.

    Raises
    ------
    CasebookError
        If neither is there (a package installed without its data), saying what to do.
    """
    shipped = _package() / "_data"
    if (shipped / "casebook").is_dir():
        return shipped
    root = checkout_root()
    if root is not None:
        return root
    raise CasebookError(
        [
            Problem(
                str(shipped / "casebook"),
                None,
                "",
                "govcases is installed without its casebook",
                "reinstall it from a wheel or the repository, or set GOVCASES_CASEBOOK to a casebook folder",
            )
        ]
    )


def project_paths(casebook: Path | str | None = None) -> tuple[Path, Path]:
    """The casebook folder and the data folder that goes with it.

    A casebook at ``X/casebook`` reads its sources from ``X/data``, so a copy of the project (or a
    new one laid out the same way) is self-contained. With no argument: the folder named by the
    environment variable ``GOVCASES_CASEBOOK`` if set, else the casebook the package came with
    (:func:`bundled_project`).

    Parameters
    ----------
    casebook : path-like, optional
        The casebook folder, or a file inside it (such as its ``codebook.yaml``); default as above.

    Returns
    -------
    casebook : pathlib.Path
        The casebook folder (absolute when given).
    data : pathlib.Path
        The ``data`` folder beside it, which need not exist.

    Raises
    ------
    CasebookError
        If no casebook is given or set and the package came without one.

    Examples
    --------
    >>> folder, data = project_paths()
    >>> folder.name, data == folder.parent / "data", (folder / "codebook.yaml").is_file()
    ('casebook', True, True)
    """
    if casebook is None:
        # GOVCASES_CASEBOOK points notebooks and the build at another project laid out the same
        # way (a copy with a new district, say) without editing them
        casebook = os.environ.get("GOVCASES_CASEBOOK")
        if not casebook:
            root = bundled_project()
            return root / "casebook", root / "data"
    casebook = Path(casebook).resolve()
    folder = casebook.parent if casebook.is_file() else casebook
    return folder, folder.parent / "data"


def is_shipped(path: Path | str) -> bool:
    """Whether a path lies inside the installed package (the data a wheel carries, or its code).

    Parameters
    ----------
    path : path-like
        Any path; it need not exist. Relative paths are taken from the current folder.

    Returns
    -------
    bool
        True when the path resolves to the package's own folder or somewhere inside it.

    Examples
    --------
    >>> from govcases.records.paths import _package
    >>> is_shipped(_package() / "_data"), is_shipped(_package().parent.parent / "build")
    (True, False)
    """
    return Path(path).resolve().is_relative_to(_package())


def check_output(path: Path | str, what: str) -> Path:
    """Return ``path`` as a Path, or raise :class:`ShippedDataError` if it lies inside the installed package.

    Parameters
    ----------
    path : path-like
        Where an output is to be written.
    what : str
        What the output is, for the message (``"the processed tables"``).

    Returns
    -------
    pathlib.Path
        ``path`` unchanged, as a Path, when it lies outside the installed package.

    Raises
    ------
    ShippedDataError
        If ``path`` lies inside the installed package, which is never written to.
    """
    path = Path(path)
    if is_shipped(path):
        raise ShippedDataError(
            f"{path.resolve()}: {what} would be written inside the installed govcases package, which is never "
            "written to; name an output folder of your own (the command's --out option), or work in a copy of "
            "the repository"
        )
    return path


def default_build(casebook: Path | str | None = None) -> Path:
    """Where a build goes by default.

    ``build/`` beside the casebook folder, or ``build/`` in the current folder when the casebook is the
    copy inside the installed package.

    Parameters
    ----------
    casebook : path-like, optional
        The casebook folder; default as :func:`project_paths`.

    Returns
    -------
    pathlib.Path
        The build folder, which need not exist yet.

    Examples
    --------
    >>> folder, _ = project_paths()
    >>> default_build(folder) == folder.parent / "build"  # a checkout: beside the casebook
    True
    """
    folder, _ = project_paths(casebook)
    return Path.cwd() / "build" if is_shipped(folder) else folder.parent / "build"


# The old module constants, kept for tools and tests, computed when first asked for rather than at
# import (which reads nothing). They name the project the package came with and ignore
# GOVCASES_CASEBOOK: library code uses project_paths() or a Casebook's root instead.
_CONSTANTS = {
    "ROOT": lambda: bundled_project(),
    "CASEBOOK": lambda: bundled_project() / "casebook",
    "DATA": lambda: bundled_project() / "data",
    "PROCESSED": lambda: bundled_project() / "data" / "processed",
    "BUILD": lambda: default_build(bundled_project() / "casebook"),
}


def __getattr__(name: str):
    if name in _CONSTANTS:
        return _CONSTANTS[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
