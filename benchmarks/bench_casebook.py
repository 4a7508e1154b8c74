"""Time loading, validation and the quote check on a synthetic casebook of many districts.

Target (issue 2): 3,000 districts x 60 facts in under 5 s and under 1 GB peak memory on a
2-core machine. Each measured run is a fresh process, so imports, the OpenCC dictionary and
source cleaning are all counted; peak memory is the largest resident set of the main process
and of its worker processes, reported separately and summed (an upper bound of the total).

Usage: python benchmarks/bench_casebook.py [--districts 3000] [--facts 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_synthetic import generate  # noqa: E402

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import govcases
t1 = time.perf_counter()
cb = govcases.load_casebook(sys.argv[1])
t2 = time.perf_counter()
main_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "facts": len(cb.facts),
                  "districts": len(cb.districts), "main_mb": main_kb / 1024, "worker_mb": child_kb / 1024}))
"""


def run_once(casebook: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(casebook)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=3000)
    parser.add_argument("--facts", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        casebook = generate(Path(tmp) / "synthetic", args.districts, args.facts)
        print(f"synthetic casebook: {args.districts} districts x {args.facts} facts", flush=True)
        runs = []
        for i in range(args.repeat):
            r = run_once(casebook)
            runs.append(r)
            print(f"run {i + 1}: import {r['import_s']:.2f} s, load+validate+quote check {r['load_s']:.2f} s, "
                  f"total {r['import_s'] + r['load_s']:.2f} s; {r['facts']} facts; "
                  f"peak RSS main {r['main_mb']:.0f} MB + largest worker {r['worker_mb']:.0f} MB", flush=True)
        best = min(runs, key=lambda r: r["load_s"])
        assert best["facts"] == args.districts * args.facts, "facts lost or added"
        total = best["import_s"] + best["load_s"]
        mem = best["main_mb"] + best["worker_mb"]
        print(f"best: {total:.2f} s (target < 5 s), peak memory <= {mem:.0f} MB (target < 1024 MB)")


if __name__ == "__main__":
    main()
