"""Source criticism is data: loaded, checked, exported; a source without an entry is shown, not hidden."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT

import govcases
from govcases import CasebookError
from govcases.records.criticism import CRITICISM_COLUMNS, CRITICISM_FILE, load_source_criticism
from govcases.records.export import render_tables

ENTRY = """\
sources:
  - source: zhenhai-2015-report
    genre: official_experience_report
    carrier: unknown_site
    author: not named
    publisher: not known
    purpose: To present a model.
    incentive: high
    incentive_reason: An experience report.
    repost_chain: Report -> page.
    cannot_tell: The population behind its density.
"""


def test_real_casebook_every_cited_narrative_source_has_a_row():
    cb = govcases.load_casebook()
    t = load_source_criticism(cb)
    narrative = set(cb.sources.loc[cb.sources["district"].notna(), "source_id"])
    assert set(t["source_id"]) == narrative  # one row per narrative source, external tables left out
    assert list(t.columns) == list(CRITICISM_COLUMNS)
    assessed = t[t["assessed"]]
    assert assessed["genre"].notna().all() and assessed["incentive"].notna().all()
    assert set(assessed["incentive"]) <= {"high", "moderate", "low"}


def test_exported_with_the_other_tables():
    tables = render_tables(govcases.load_casebook())
    assert "source_criticism" in tables
    assert (ROOT / "data" / "processed" / "source_criticism.csv").is_file()


def test_missing_file_or_entry_gives_unassessed_rows(project):
    cb = govcases.load_casebook(project, cache=False)
    t = load_source_criticism(cb)
    assert t["source_id"].tolist() == ["zhenhai-2015-report"]
    assert not t["assessed"].iloc[0] and t["genre"].isna().all()
    (project / CRITICISM_FILE).write_text(ENTRY, encoding="utf-8")
    t = load_source_criticism(govcases.load_casebook(project, cache=False))
    assert bool(t["assessed"].iloc[0]) and t["genre"].iloc[0] == "official_experience_report"


def test_the_file_is_not_read_as_a_district(project):
    shutil.copy(ROOT / "casebook" / CRITICISM_FILE, project / CRITICISM_FILE)
    assert govcases.load_casebook(project, cache=False).districts == ["zhenhai"]


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("genre: official_experience_report", "genre: press_release", "genre"),
        ("incentive: high", "incentive: very high", "incentive"),
        ("source: zhenhai-2015-report", "source: zhenhai-2016-report", "not in the manifest"),
        ("    cannot_tell: The population behind its density.\n", "", "cannot_tell"),
    ],
)
def test_bad_entries_are_rejected_with_location(project, old, new, words):
    (project / CRITICISM_FILE).write_text(ENTRY.replace(old, new), encoding="utf-8")
    with pytest.raises(CasebookError) as info:
        load_source_criticism(govcases.load_casebook(project, cache=False))
    problems = info.value.problems
    assert any(words in (p.field + " " + p.message) and p.line for p in problems), [str(p) for p in problems]


def test_a_source_listed_twice_is_rejected(project):
    (project / CRITICISM_FILE).write_text(ENTRY + ENTRY.split("\n", 1)[1], encoding="utf-8")
    with pytest.raises(CasebookError, match="listed twice"):
        load_source_criticism(govcases.load_casebook(project, cache=False))


def test_seminar_casebook_shows_the_criticism():
    from govcases.publish.casebook_html import render_casebook

    cb = govcases.load_casebook()
    page = render_casebook(cb)
    assessed = load_source_criticism(cb)["assessed"].sum()
    assert page.count("<dt>What it cannot tell us</dt>") == assessed > 0
    assert page.count("<dt>Incentive to present success</dt>") == assessed
