"""Time the full build (`make`) and the test suite (`make test`) with a warm environment.

Targets on a 2-core machine: `make` under 30 s, `make test` about 30 s. Each command runs the
given number of times; the script prints every run (wall and CPU seconds, and the share of CPU the
hypervisor stole) and the best, then the tests that took longest in the last `make test`. `make`
runs first, so `make test` finds the build it left in build/ (as in the README's order). Run it
from the project root after `make` has set up .venv once (so no install is timed). Wall seconds
are only comparable on an otherwise idle machine; CPU seconds much less depend on other load.

Usage: python benchmarks/bench_build.py [--repeat 2] [--skip-test]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import time
from pathlib import Path

from govcases.publish.build import usable_cpus

ROOT = Path(__file__).resolve().parents[1]


def _steal() -> tuple[int, int]:
    # jiffies the hypervisor gave to others while this machine wanted to run (8th field of 'cpu')
    with open("/proc/stat") as f:
        fields = f.readline().split()
    return int(fields[8]), sum(int(x) for x in fields[1:])


#: The slowest tests of a `make test` run, as pytest reports them (--durations).
SLOWEST = 8
_last_output: list[str] = []


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds of the command and its children, and the share of CPU stolen."""
    before, s0 = resource.getrusage(resource.RUSAGE_CHILDREN), _steal()
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    wall = time.perf_counter() - t0
    after, s1 = resource.getrusage(resource.RUSAGE_CHILDREN), _steal()
    _last_output[:] = out.stdout.decode("utf-8", "replace").splitlines()
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, (s1[0] - s0[0]) / max(1, s1[1] - s0[1])


def _slowest(lines: list[str]) -> list[str]:
    """The lines of pytest's 'slowest durations' section."""
    try:
        start = next(i for i, line in enumerate(lines) if "slowest" in line and "durations" in line)
    except StopIteration:
        return []
    return [line for line in lines[start + 1 : start + 1 + SLOWEST] if re.match(r"^\d+\.\d+s ", line)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--skip-test", action="store_true")
    args = parser.parse_args()
    # pytest reads extra options from PYTEST_ADDOPTS: the durations are printed, nothing else changes
    env = {**os.environ, "PYTEST_ADDOPTS": f"{os.environ.get('PYTEST_ADDOPTS', '')} --durations={SLOWEST}"}
    jobs = [("make", ["make"], "< 30 s")]
    if not args.skip_test:
        jobs.append(("make test", ["make", "test"], "about 30 s"))
    cores = usable_cpus()
    for name, cmd, target in jobs:
        runs = [timed(cmd, env) for _ in range(args.repeat)]
        print(
            f"{name}: "
            + ", ".join(f"{w:.1f} s (CPU {c:.0f} s, steal {100 * st:.0f}%)" for w, c, st in runs)
            + f"; best {min(w for w, _, _ in runs):.1f} s (target {target} on {cores} cores)",
            flush=True,
        )
    if not args.skip_test:
        print(f"slowest tests of the last `make test` (wall seconds, with {cores} workers sharing the cores):")
        for line in _slowest(_last_output):
            print(f"  {line}")


if __name__ == "__main__":
    main()
