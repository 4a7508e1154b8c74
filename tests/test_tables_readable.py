"""The appendix tables a reader sees: no code names in the LaTeX, labels as data, evidence in the caption.

The CSV next to each table is data and keeps the machine names; it writes unbounded highs as
data/processed does (missing, with a 1/0 ``*_unbounded`` flag).
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from govcases.publish.appendix import TABLES
from govcases.publish.build import table_caption, write_table
from govcases.publish.latex import COLUMN_LABELS, EVIDENCE_COLUMNS, readable_table


@pytest.fixture(scope="module")
def built(five, tmp_path_factory):
    """Every appendix table of the five original districts, written as the build writes it."""
    out = tmp_path_factory.mktemp("tables")
    frames = {}
    for item in TABLES:
        frame = item.make(five)
        frames[item.name] = frame
        write_table(frame, out / item.name, caption=table_caption(frame, item.caption, five), cb=five)
    return out, frames


def _body(tex: str) -> str:
    """What a reader reads of a table, but its caption: headers and cells (no comments, captions, labels)."""
    lines = [
        line
        for line in tex.splitlines()
        if not line.startswith(("%", r"\caption", r"\begin{longtable}", r"\begingroup"))
    ]
    text = re.sub(r"\\label\{[^}]*\}", "", "\n".join(lines))
    return text.replace(r"\_\allowbreak{}", "_").replace(r"/\allowbreak{}", "/").replace(r"\textbar\allowbreak{}", "|")


def _code_names(cb, text: str) -> list[str]:
    ids = set(cb.facts["id"]) | set(cb.sources["source_id"]) | set(cb.districts)
    found = [w for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]", text) if w in ids]
    found += re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", text)  # snake_case
    found += re.findall(r"\b[a-z]+(?:-[a-z0-9]+){2,}\b", text)  # slugs of three parts or more
    return found


def test_the_scan_finds_code_names(five, tmp_path):
    # the negative control: a table written without the casebook keeps its code names, and the scan sees them
    fact, district = five.facts["id"].iloc[0], five.districts[0]
    frame = pd.DataFrame({"district": [district], "id": [fact], "indicator": ["funding_amount"]})
    _, tex = write_table(frame, tmp_path / "control")
    found = _code_names(five, _body(tex.read_text(encoding="utf-8")))
    assert {fact, district, "funding_amount"} <= set(found)
    assert _code_names(five, "Beilun District & Funding amount \\\\") == []


def test_no_latex_table_shows_a_code_name(five, built):
    out, _ = built
    found = {}
    for item in TABLES:
        names = _code_names(five, _body((out / f"{item.name}.tex").read_text(encoding="utf-8")))
        if names:
            found[item.name] = sorted(set(names))
    assert not found, f"code names in LaTeX tables: {found}"


def test_the_caption_names_every_fact_left_out_of_the_body(five, built):
    out, frames = built
    known = set(five.facts["id"])
    for item in TABLES:
        frame = frames[item.name]
        flat = frame if isinstance(frame.index, pd.RangeIndex) else frame.reset_index()
        ids = {
            part
            for column in flat.columns
            if column in EVIDENCE_COLUMNS
            for value in flat[column].dropna().astype(str)
            for part in re.split(r"[\s,;|+]+", value)
            if part in known
        }
        caption = table_caption(frame, item.caption, five)
        if "listed by id in each row of the table's CSV file" in caption:
            # too many to name in a caption: the CSV beside the table names each row's facts
            csv_text = (out / f"{item.name}.csv").read_text(encoding="utf-8")
            assert all(i in csv_text for i in ids), item.name
            continue
        missing = sorted(i for i in ids if i not in caption)
        assert not missing, f"{item.name}: facts left out of the body and not named in the caption: {missing}"
        tex = (out / f"{item.name}.tex").read_text(encoding="utf-8")
        captions = " ".join(line for line in tex.splitlines() if line.startswith(r"\caption{"))
        assert all(i in captions for i in ids), f"{item.name}: the LaTeX caption does not name every fact"


def test_every_column_of_every_table_has_a_label(five, built):
    for item in TABLES:
        frame = built[1][item.name]
        frame = frame if isinstance(frame.index, pd.RangeIndex) else frame.reset_index()
        readable, headers = readable_table(frame, name=item.name, cb=five)
        assert list(readable.columns) == list(headers)
        kept = [c for c in map(str, frame.columns) if c not in EVIDENCE_COLUMNS]
        for column in kept:
            assert column in headers or COLUMN_LABELS.get(f"{item.name}:{column}", "") is None, (item.name, column)


def test_a_column_without_a_label_fails_naming_table_and_column(five):
    frame = pd.DataFrame({"district": [five.districts[0]], "brand_new_measure": [1]})
    with pytest.raises(ValueError, match=r"table 'comparison-new', column 'brand_new_measure'.*COLUMN_LABELS"):
        readable_table(frame, name="comparison-new", cb=five)


def test_districts_and_indicators_are_named_by_the_casebook(five):
    district = five.districts[0]
    name = five.profiles.set_index("district").loc[district, "name_en"]
    codebook = five.codebook.table().set_index("indicator")
    indicator = codebook.index[0]
    frame = pd.DataFrame({"district": [district], "indicator": [indicator], "districts": [", ".join(five.districts)]})
    readable, headers = readable_table(frame, name="t", cb=five)
    assert readable.loc[0, "district"] == name
    assert readable.loc[0, "indicator"] != indicator and "_" not in readable.loc[0, "indicator"]
    assert name in readable.loc[0, "districts"]
    assert headers == {"district": "District", "indicator": "Indicator", "districts": "Districts"}


def test_appendix_csvs_write_unbounded_highs_as_missing_with_a_flag(built):
    out, frames = built
    seen = 0
    for item in TABLES:
        frame = frames[item.name]
        frame = frame if isinstance(frame.index, pd.RangeIndex) else frame.reset_index()
        with (out / f"{item.name}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == len(frame), item.name  # count in == count out
        for row in rows:
            assert "INF" not in row.values(), item.name
        for column in frame.columns:
            if frame[column].dtype.kind == "b" or str(frame[column].dtype) == "boolean":
                assert {row[str(column)] for row in rows} <= {"0", "1", ""}, (item.name, column)
        for column in frame.columns:
            if not (column == "high" or str(column).endswith("_high")) or frame[column].dtype.kind not in "iuf":
                continue
            flag = f"{column}_unbounded"
            assert flag in rows[0] if rows else True, (item.name, column)
            for value, row in zip(frame[column], rows, strict=True):
                if pd.notna(value) and math.isinf(value):
                    seen += 1
                    assert (row[column], row[flag]) == ("", "1"), (item.name, column)
                elif pd.notna(value):
                    assert row[flag] == "0" and float(row[column]) == pytest.approx(float(value)), (item.name, column)
    assert seen, "no appendix table has an unbounded high: the check above saw nothing"


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def report_page(five, built, tmp_path_factory) -> Path:
    """The report's front page for the five original districts, with the tables made above."""
    from govcases.publish.appendix import report_index

    path = tmp_path_factory.mktemp("report") / "index.html"
    path.write_text(report_index(five, [], {}, tables=built[1]), encoding="utf-8")
    return path


def test_the_report_shows_every_table_in_words_with_evidence_on_its_cells(five, built, report_page):
    html = report_page.read_text(encoding="utf-8")
    tables = re.findall(r'<table class="appendix">(.*?)</table>', html, re.S)
    assert len(tables) == len(TABLES)
    for item, table in zip(TABLES, tables, strict=True):
        shown = re.sub(r'<caption>.*?</caption>|\s(?:title|data-facts)="[^"]*"', "", table, flags=re.S)
        assert not _code_names(five, re.sub(r"<[^>]+>", " ", shown)), item.name
        frame = built[1][item.name]
        flat = frame if isinstance(frame.index, pd.RangeIndex) else frame.reset_index()
        if any(c in EVIDENCE_COLUMNS for c in flat.columns) and len(flat):
            assert 'class="evidence"' in table, f"{item.name}: no cell shows the evidence of its facts"


@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs headless Chromium at /usr/bin/chromium: `apt-get install chromium` (.ci/run installs it), "
    "then `make test`",
)
def test_hovering_a_table_cell_in_the_report_shows_its_evidence(five, report_page):
    from playwright.sync_api import sync_playwright

    page_path = report_page
    facts = five.facts.set_index("id")
    sources = five.sources.set_index("source_id")
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_path.as_uri())
            blocks = page.locator("details.appendix-table")
            assert blocks.count() == len(TABLES)
            checked = 0
            for i in range(blocks.count()):
                block = blocks.nth(i)
                cell = block.locator("td.evidence").first
                if cell.count() == 0:
                    continue
                block.locator("summary").click()  # the table opens on click
                cell.scroll_into_view_if_needed()
                cell.hover()
                hovered = page.evaluate(
                    """() => { const all = document.querySelectorAll(':hover');
                    const td = all[all.length - 1] && all[all.length - 1].closest('td.evidence');
                    return td ? [td.dataset.facts, td.title] : null; }"""
                )
                assert hovered is not None, f"table {i + 1}: the hovered cell is not an evidence cell"
                ids, text = hovered
                first = facts.loc[ids.split()[0]]
                assert first["quote"] in text and first["english"] in text, ids
                assert str(first["source"]) in text and str(first["period_start"]) in text, ids
                title = sources.loc[first["source"], "title"]
                assert pd.isna(title) or str(title) in text
                checked += 1
            assert checked, "no table cell showed its evidence"
        finally:
            browser.close()
    assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests
