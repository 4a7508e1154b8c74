"""The appendix figures as a reader and a publisher meet them.

Words not code names, two languages, fonts a journal accepts, colours that keep their meaning, and
the evidence behind every mark.

The figures are built once for the module (both languages), from the project's casebook; every
check is a property of any casebook, not of today's districts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import govcases
from govcases.publish.appendix import FIGURES
from govcases.publish.style import DISTRICT_PALETTE, EXTERNAL_GREY, district_colors

SVG = "{http://www.w3.org/2000/svg}"
CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cb():
    return govcases.load_casebook()


@pytest.fixture(scope="module")
def built(project_build):
    """Every appendix figure, drawn in English and Chinese by the build the tests of this run share."""
    return project_build[0] / "figures"


def _svg_texts(path: Path) -> list[str]:
    """What a reader sees in an SVG: its <text> elements (not the hover titles, which are evidence)."""
    root = ET.parse(path).getroot()
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def _code_names(cb, text: str) -> list[str]:
    ids = set(cb.facts["id"]) | set(cb.sources["source_id"]) | set(cb.districts)
    found = [w for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]", text) if w in ids]
    found += re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", text)  # snake_case
    found += re.findall(r"\b[a-z]+(?:-[a-z0-9]+){2,}\b", text)  # slugs of three parts or more
    return found


def test_the_scan_finds_code_names(cb):
    # the negative control: the scan below would see an id, a snake_case name or a slug
    fact = cb.facts["id"].iloc[0]
    assert _code_names(cb, f"Count ({fact})") == [fact] or fact in _code_names(cb, f"Count ({fact})")
    assert _code_names(cb, "orgs_registered per 10,000") == ["orgs_registered"]
    assert _code_names(cb, f"{cb.districts[0]}: 12") == [cb.districts[0]]
    assert _code_names(cb, "Beilun District: registered plus filed, 2009–2023") == []


@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_figure_shows_a_code_name(cb, built, language):
    found = {}
    for item in FIGURES:
        path = built / language / f"{item.name}.svg"
        texts = _svg_texts(path)
        assert texts, f"{path}: no text in the SVG (is svg.fonttype 'none'?)"
        names = [n for t in texts for n in _code_names(cb, t)]
        if names:
            found[item.name] = sorted(set(names))
    assert not found, f"code names in figures: {found}"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_figure_names_every_district_drawn_or_left_out(cb, built, language):
    # a district a figure leaves out is named in a note with the reason, never dropped without a word
    names = cb.profiles.set_index("district")["name_zh" if language == "zh" else "name_en"]
    for item in FIGURES:
        text = " ".join(_svg_texts(built / language / f"{item.name}.svg"))
        missing = [names[d] for d in cb.districts if names[d] not in text]
        assert not missing, f"{language}/{item.name}: districts neither drawn nor named as left out: {missing}"


def test_chinese_figures_have_chinese_titles_and_axes(built):
    for item in FIGURES:
        texts = _svg_texts(built / "zh" / f"{item.name}.svg")
        cjk = [t for t in texts if re.search(r"[\u4e00-\u9fff]", t)]
        assert cjk, f"{item.name}: the Chinese figure has no Chinese text"
        root = ET.parse(built / "zh" / f"{item.name}.svg").getroot()
        bold = [g for g in root.iter(f"{SVG}g") if re.fullmatch(r"bold[0-9]+", g.get("id", ""))]
        assert bold, f"{item.name}: no emboldened Chinese title"
        for g in bold:
            style = next(g.iter(f"{SVG}text")).get("style")
            assert "stroke-width" in style and "Noto Sans SC" in style


def test_english_figures_draw_no_chinese_glyphs(built):
    # the English style has no CJK font: a Chinese character would be an empty box
    for item in FIGURES:
        texts = _svg_texts(built / "en" / f"{item.name}.svg")
        assert not [t for t in texts if re.search(r"[\u3400-\u9fff]", t)], item.name


def test_pdfs_embed_truetype_fonts_only(built):
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts is missing: `apt-get install poppler-utils` (.ci/run installs it), then `make test`")
    pdfs = sorted(built.glob("*/*.pdf"))
    assert len(pdfs) == 2 * len(FIGURES)
    for pdf in pdfs:
        run = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
        assert "Syntax" not in run.stderr, f"{pdf}: {run.stderr}"
        rows = run.stdout.splitlines()[2:]
        assert rows, f"{pdf}: no font embedded"
        for row in rows:
            assert "TrueType" in row and "Type 3" not in row, f"{pdf}: {row}"
            assert row.split()[-5] == "yes", f"{pdf}: font not embedded: {row}"


def test_every_figure_ties_its_marks_to_facts_with_quotes(cb, built):
    facts = cb.facts.set_index("id")
    for item in FIGURES:
        root = ET.parse(built / "en" / f"{item.name}.svg").getroot()
        marks = [g for g in root.iter(f"{SVG}g") if g.get("class") == "evidence"]
        assert marks, f"{item.name}: no mark carries its evidence"
        for g in marks:
            ids = g.get("data-facts").split()
            assert ids and set(ids) <= set(facts.index), (item.name, ids)
            title = g.find(f"{SVG}title").text
            first = facts.loc[ids[0]]
            assert first["quote"] in title and first["english"] in title, item.name
            assert "Source:" in title and "Period:" in title


def test_captions_name_the_facts_and_sources(cb, built):
    known = set(cb.facts["id"])
    for language in ("en", "zh"):
        for item in FIGURES:
            caption = (built / language / f"{item.name}.caption.txt").read_text(encoding="utf-8")
            assert caption.startswith(item.caption if language == "en" else item.caption[:10])
            if re.search(rf"(all|全部) {len(known)} ", caption):  # drawn from every fact: named as a whole
                continue
            ids = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", caption))
            assert ids & known, f"{language}/{item.name}: no fact named in the caption: {caption[:200]}"
            root = ET.parse(built / language / f"{item.name}.svg").getroot()
            drawn = {i for g in root.iter(f"{SVG}g") for i in (g.get("data-facts") or "").split()}
            assert drawn <= ids, f"{item.name}: facts drawn but not in the caption: {drawn - ids}"


def test_district_colours_survive_new_districts(cb):
    before = district_colors(cb.districts)
    for extra in (["made-up-district"], ["aaa-first", "zzz-last", "middle-one", "another-new-one"]):
        after = district_colors([*cb.districts, *extra])
        assert {d: after[d] for d in before} == before, extra
    assert set(before.values()) <= set(DISTRICT_PALETTE)


def test_no_district_is_ever_grey():
    slugs = [f"district-{i}" for i in range(500)]
    assert EXTERNAL_GREY not in set(district_colors(slugs).values())
    assert EXTERNAL_GREY not in DISTRICT_PALETTE


@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs headless Chromium at /usr/bin/chromium: `apt-get install chromium` (.ci/run installs it), "
    "then `make test`",
)
def test_hovering_a_mark_in_the_report_shows_its_evidence(cb, project_build):
    from playwright.sync_api import sync_playwright

    page_path = project_build[0] / "report" / "index.html"  # the report as the build writes it
    facts = cb.facts.set_index("id")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(page_path.as_uri())
            figures = page.locator("figure.figure")
            assert figures.count() == len(FIGURES)
            checked = 0
            for i in range(figures.count()):
                mark = figures.nth(i).locator("g.evidence").first
                mark.scroll_into_view_if_needed()
                box = mark.bounding_box()
                if not box or box["width"] * box["height"] == 0:
                    continue
                page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                hovered = page.evaluate(
                    """() => { const all = document.querySelectorAll(':hover');
                    const g = all[all.length - 1] && all[all.length - 1].closest('g.evidence');
                    return g ? [g.dataset.facts, g.querySelector('title').textContent] : null; }"""
                )
                if hovered is None:  # another mark lies on top at that point
                    continue
                ids, text = hovered
                first = facts.loc[ids.split()[0]]
                assert first["quote"] in text and first["english"] in text
                checked += 1
            assert checked >= len(FIGURES) // 2, f"only {checked} figures showed evidence on hover"
        finally:
            browser.close()
