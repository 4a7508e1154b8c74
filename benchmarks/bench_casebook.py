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
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from govcases.records.casebook import usable_cpus

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_synthetic import generate  # noqa: E402

CHILD = r"""
import json, resource, sys, time
def steal():
    # jiffies the hypervisor gave to others while this VM wanted to run (8th field of 'cpu')
    with open("/proc/stat") as f:
        fields = f.readline().split()
    return int(fields[8]), sum(int(x) for x in fields[1:])
s0 = steal()
t0 = time.perf_counter()
import govcases
t1 = time.perf_counter()
cb = govcases.load_casebook(sys.argv[1])
t2 = time.perf_counter()
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
s1 = steal()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "facts": len(cb.facts),
                  "districts": len(cb.districts), "main_mb": me.ru_maxrss / 1024, "worker_mb": kids.ru_maxrss / 1024,
                  "cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                  "steal": (s1[0] - s0[0]) / max(1, s1[1] - s0[1])}))
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
        cache = casebook.parent / "build" / "cache"
        print(f"synthetic casebook: {args.districts} districts x {args.facts} facts", flush=True)
        results = {}
        for label, clear in (("cold (no clean-text cache)", True), ("warm (clean-text cache filled)", False)):
            runs = []
            for i in range(args.repeat):
                if clear and cache.exists():
                    shutil.rmtree(cache)
                r = run_once(casebook)
                assert r["facts"] == args.districts * args.facts, "facts lost or added"
                runs.append(r)
                print(
                    f"{label} run {i + 1}: import {r['import_s']:.2f} s + load/validate/quote check "
                    f"{r['load_s']:.2f} s = {r['import_s'] + r['load_s']:.2f} s wall; CPU {r['cpu_s']:.1f} s; "
                    f"steal {100 * r['steal']:.0f}%; peak RSS main {r['main_mb']:.0f} MB + largest worker "
                    f"{r['worker_mb']:.0f} MB",
                    flush=True,
                )
            results[label] = min(runs, key=lambda r: r["load_s"])
        for label, best in results.items():
            total, cores = best["import_s"] + best["load_s"], usable_cpus()
            print(
                f"best {label}: {total:.2f} s wall, {best['cpu_s']:.1f} s CPU on {cores} cores "
                f"(target < 5 s); peak memory <= {best['main_mb'] + best['worker_mb']:.0f} MB (target < 1024 MB)"
            )


if __name__ == "__main__":
    main()
