"""The one digest over files, and the colophon and the notebooks using it."""

from __future__ import annotations

import nbformat

from govcases.publish import build, notebooks
from govcases.publish.digest import files_digest
from govcases.records.paths import CASEBOOK


def test_digest_changes_with_a_label_the_bytes_the_order_or_a_text(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("district: a\n", encoding="utf-8")
    b.write_text("district: b\n", encoding="utf-8")
    base = files_digest([("a.yaml", a), ("b.yaml", b)])
    assert base == files_digest([("a.yaml", a), ("b.yaml", b)])
    variants = [
        files_digest([("b.yaml", b), ("a.yaml", a)]),
        files_digest([("casebook/a.yaml", a), ("b.yaml", b)]),
        files_digest([("a.yaml", a), ("b.yaml", b)], texts=["print(1)"]),
        files_digest([("a.yaml", a)]),
        # the separator keeps the end of one part from passing for the start of the next
        files_digest([("a.yamld", a), ("b.yaml", b)]),
    ]
    b.write_text("district: c\n", encoding="utf-8")
    variants.append(files_digest([("a.yaml", a), ("b.yaml", b)]))
    assert len({base, *variants}) == 1 + len(variants)


def test_colophon_and_notebook_fingerprints_go_through_the_one_digest(monkeypatch):
    calls = []

    def spy(files, *, texts=()):
        calls.append(([label for label, _ in files], list(texts)))
        return "digest"

    monkeypatch.setattr(build, "files_digest", spy)
    monkeypatch.setattr(notebooks, "files_digest", spy)
    names = sorted(p.name for p in CASEBOOK.glob("*.yaml"))
    assert build.casebook_checksum() == "digest"
    assert calls.pop() == (names, [])
    assert build.inputs_checksum() == "digest"
    labels, texts = calls.pop()
    assert [f"casebook/{n}" for n in names] == [x for x in labels if x.startswith("casebook/")] and texts == []
    nb = nbformat.read(notebooks.notebook_paths()[0], as_version=4)
    assert notebooks.inputs_fingerprint(nb) == "digest"
    labels, texts = calls.pop()
    assert labels[: len(names)] == names
    assert texts == [c.source for c in nb.cells if c.cell_type == "code"]
