"""Time the full build (`make`) and the test suite (`make test`) with a warm environment.

Targets (issue 5) on a 2-core machine: `make` under 30 s, `make test` under 60 s. Each command
runs the given number of times; the script prints every run and the best. Run it from the
project root after `make` has set up .venv once (so no install is timed).

Usage: python benchmarks/bench_build.py [--repeat 2] [--skip-test]
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--skip-test", action="store_true")
    args = parser.parse_args()
    jobs = [("make", ["make"], 30.0)]
    if not args.skip_test:
        jobs.append(("make test", ["make", "test"], 60.0))
    for name, cmd, target in jobs:
        runs = [timed(cmd) for _ in range(args.repeat)]
        print(f"{name}: " + ", ".join(f"{r:.1f} s" for r in runs) + f"; best {min(runs):.1f} s (target < {target:.0f} s)")


if __name__ == "__main__":
    main()
