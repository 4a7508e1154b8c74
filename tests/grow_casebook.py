"""Copy the project, add the made-up districts of every shape, and run the project's own commands there.

This is how the suite proves that it survives a growing casebook: in the copy, ``make``,
``make notebooks`` and ``make test`` must pass with no test edited. ``make test-grown`` runs it;
CI runs it after ``make test``.

    python tests/grow_casebook.py DEST           # copy and add the districts
    python tests/grow_casebook.py DEST --run     # ... then make, make notebooks and make test in DEST
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from madeup import SHAPES, add_districts

ROOT = Path(__file__).resolve().parents[1]

#: What the copy runs, in the README's order; each must pass.
COMMANDS = (["make"], ["make", "notebooks"], ["make", "test"])


def project_files(root: Path) -> list[str]:
    """The files a clone of the project would have, with uncommitted changes: tracked and not ignored."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return sorted(p for p in out.split("\0") if p and (root / p).is_file())


def grow(dest: Path) -> list[str]:
    """Clone the project into ``dest`` (which must not exist), with uncommitted changes, and add the districts.

    Parameters
    ----------
    dest : Path
        The folder to create.

    Returns
    -------
    list of str
        The ids of the districts added.
    """
    if dest.exists():
        raise SystemExit(f"{dest} exists: remove it or choose another folder")
    # a clone, as CI and a new user have, then the working tree's own changes over it
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(dest)], check=True)
    for rel in project_files(ROOT):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    districts = [shape() for shape in SHAPES]
    add_districts(dest, districts)
    return [d.district for d in districts]


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module's docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, help="folder for the grown copy (must not exist)")
    parser.add_argument("--run", action="store_true", help="run make, make notebooks and make test there")
    args = parser.parse_args(argv)
    added = grow(args.dest)
    print(f"copied the project to {args.dest} and added {len(added)} made-up districts: {', '.join(added)}")
    if not args.run:
        return 0
    for command in COMMANDS:
        print(f"--- {' '.join(command)} (in {args.dest})", flush=True)
        if subprocess.run(command, cwd=args.dest).returncode != 0:
            print(f"FAILED with the grown casebook: {' '.join(command)}", file=sys.stderr)
            return 1
    print("the grown casebook passes make, make notebooks and make test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
