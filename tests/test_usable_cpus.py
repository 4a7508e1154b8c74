"""usable_cpus, which the build and the benchmarks use to size their worker pools."""

from __future__ import annotations

import os

from govcases.publish import build as publish_build


def test_usable_cpus_follows_the_affinity_mask(monkeypatch):
    """A process limited to one CPU (taskset, a container) forks no helper it cannot run."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert publish_build.usable_cpus() == 1
    monkeypatch.delattr(os, "sched_getaffinity")  # macOS and Windows have no affinity call
    assert publish_build.usable_cpus() == 8
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert publish_build.usable_cpus() == 1
