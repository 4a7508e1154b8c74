"""Where the project's folders are. One place, so that code, tests and the build agree."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["BUILD", "CASEBOOK", "DATA", "PROCESSED", "ROOT", "project_paths"]

#: The project root: the folder that holds casebook/, data/ and src/.
ROOT = Path(__file__).resolve().parents[3]
CASEBOOK = ROOT / "casebook"
DATA = ROOT / "data"
PROCESSED = DATA / "processed"
BUILD = ROOT / "build"


def project_paths(casebook: Path | str | None = None) -> tuple[Path, Path]:
    """The casebook folder and the data folder that goes with it.

    A casebook at ``X/casebook`` reads its sources from ``X/data``, so a copy of the project (or a
    new one laid out the same way) is self-contained. With no argument: the folder named by the
    environment variable ``GOVCASES_CASEBOOK`` if set, else the project's own ``casebook/``.
    """
    if casebook is None:
        # GOVCASES_CASEBOOK points notebooks and the build at another project laid out the same
        # way (a copy with a new district, say) without editing them
        casebook = os.environ.get("GOVCASES_CASEBOOK")
        if not casebook:
            return CASEBOOK, DATA
    casebook = Path(casebook).resolve()
    folder = casebook.parent if casebook.is_file() else casebook
    return folder, folder.parent / "data"
