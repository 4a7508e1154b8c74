"""The seminar casebook (``govcases casebook``): content, embedded font, determinism, and a real browser.

The unit tests read the HTML as text. The browser tests open the written file in the system's
headless Chromium, driven by playwright, and check what a reader would see: that each district's
Chinese name is drawn with the embedded font (not a fallback, not empty boxes), that nothing runs
off the side of a 1024 px wide page, that the contents lead to each chapter, that the page loads
nothing from elsewhere and reports no errors, and a screenshot for a person to look at.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ORIGINAL
from markupsafe import escape

import govcases
from govcases.publish.casebook_html import FONT_FAMILY, render_casebook, write_casebook

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "build" / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")

#: District slugs from the record files: a new record is tested without editing this file.
# the records: every YAML file of the casebook but the codebook and the source-criticism table
DISTRICTS = sorted(
    p.stem for p in (ROOT / "casebook").glob("*.yaml") if p.name not in ("codebook.yaml", "source-criticism.yaml")
)

_FONT_DATA = re.compile(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)")


@pytest.fixture(scope="module")
def cb():
    return govcases.load_casebook()


@pytest.fixture(scope="module")
def page(cb) -> str:
    return render_casebook(cb)


def _embedded_font(page: str):
    from fontTools.ttLib import TTFont

    found = _FONT_DATA.findall(page)
    assert len(found) == 1, f"expected one embedded font, found {len(found)}"
    return TTFont(io.BytesIO(base64.b64decode(found[0])))


class _Text(HTMLParser):
    """The characters a reader sees: text content outside <style>, and the <title>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = self._in_style or tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if not self._in_style:
            self.parts.append(data)


def _visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    parser.close()
    return "".join(parser.parts)


def _chapter(page: str, slug: str) -> str:
    """The HTML of one district's chapter."""
    start = page.index(f'<section class="chapter district" id="district-{slug}">')
    end = page.index('<section class="chapter', start + 1)
    return page[start:end]


# ---------------------------------------------------------------------------- content
@pytest.mark.parametrize("slug", DISTRICTS)
def test_every_district_has_a_chapter_with_its_names(cb, page, slug):
    profile = cb.profiles.set_index("district").loc[slug]
    chapter = _chapter(page, slug)
    heading = chapter[: chapter.index("</h2>")]
    assert f'<span class="name-zh" lang="zh-Hans">{escape(profile["name_zh"])}</span>' in heading
    assert escape(profile["name_en"]) in heading
    assert escape(profile["summary"]) in chapter
    for category in cb.codebook.model.categories:  # every category, in codebook order
        assert f'id="district-{slug}-{category}"' in chapter
    positions = [chapter.index(f'id="district-{slug}-{c}"') for c in cb.codebook.model.categories]
    assert positions == sorted(positions)


def test_every_fact_is_in_its_districts_chapter_with_its_evidence(cb, page):
    chapters = {slug: _chapter(page, slug) for slug in cb.districts}
    for fact in cb.facts.itertuples():
        chapter = chapters[fact.district]
        start = chapter.index(f'<article class="fact" id="fact-{fact.id}">')
        article = chapter[start : chapter.index("</article>", start)]
        # quotes are evidence: verbatim, only escaped for HTML
        assert f'<blockquote class="quote" lang="zh-Hans">{escape(fact.quote)}</blockquote>' in article, fact.id
        assert escape(fact.english) in article, fact.id
        assert escape(fact.value_text) in article, fact.id
        assert (
            f'<span class="date">{fact.period_start}</span> \u2013 <span class="date">{fact.period_end}</span>'
        ) in article, fact.id
        assert f'href="#source-{fact.source}"' in article, fact.id
        assert f'id="source-{fact.source}"' in page, fact.id


def test_intervals_are_shown_with_open_and_closed_ends(page):
    # 近430家 is [387, 430), 10%以上 is [10, ∞): the qualifier table shows both from the parser
    assert "[387, 430)" in page
    assert "[10, \u221e)" in page
    assert not re.search(r"\binf\b[\])]", _visible_text(page)), "an open end is written ∞, not inf"


def test_comparison_chapter_sets_every_district_side_by_side(cb, page):
    comparison = page[page.index('<section class="chapter comparison"') : page.index('id="sources"')]
    assert "Absence in a source is not absence in the district." in comparison
    tables = comparison.count("<table")
    for slug in cb.districts:
        # one column per district in each table (category counts, key indicators, features, coverage)
        assert comparison.count(f'<th scope="col" class="district-col"><a href="#district-{slug}">') == tables
    for instrument in cb.codebook.indicators["funding_instrument"].categories:
        assert f'<th scope="row">{instrument.replace("_", " ")}</th>' in comparison
    # organizations by scope: each count of its own scope has its own row, never merged
    key = _visible_text(
        comparison[comparison.index('id="comparison-key"') : comparison.index('id="comparison-features"')]
    )
    for indicator in ("orgs_registered", "orgs_registered_and_filed", "orgs_total_scope_unstated"):
        assert cb.codebook.indicators[indicator].label_en in key and indicator in key


def test_no_external_resources(page):
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    assert "@import" not in page
    assert not re.search(r'(?:src|href)\s*=\s*"(?!#)', page), "only links inside the document"
    assert re.findall(r"url\((?!data:)", page) == []


def test_embedded_font_draws_every_character_the_page_uses(page):
    font = _embedded_font(page)
    cmap = font.getBestCmap()
    used = {c for c in _visible_text(page) if c >= " "}
    missing = sorted(c for c in used if ord(c) not in cmap)
    assert not missing, f"no glyph for {missing}"
    assert any(0x4E00 <= ord(c) <= 0x9FFF for c in used)
    # a subset, not the whole font: about one glyph per character used (plus .notdef and basic Latin)
    assert len(font.getGlyphOrder()) <= len(used) + 120


def test_font_licence_comes_from_the_fonts_name_table(page):
    from fontTools.ttLib import TTFont
    from pylopdf_fonts_zh_cn import sans_path

    with TTFont(sans_path(), lazy=True) as source:
        names = source["name"]
        copyright_, licence = names.getDebugName(0), names.getDebugName(13)
    assert "Open Font License" in licence
    footer = page[page.index('<footer class="colophon">') :]
    assert escape(copyright_) in footer and escape(licence) in footer
    # the licence travels with the font too, in the embedded subset's own name table
    embedded = _embedded_font(page)["name"]
    assert embedded.getDebugName(0) == copyright_ and embedded.getDebugName(13) == licence


def test_two_renders_are_byte_identical(page, tmp_path):
    # the second render runs in another process with another hash seed, through the command line,
    # with an empty cache folder: its font is subset afresh, whatever this run's cache holds
    out = tmp_path / "casebook.html"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "GOVCASES_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run(
        [sys.executable, "-m", "govcases", "casebook", "--out", str(out)],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert out.read_bytes() == page.encode("utf-8")


def test_write_casebook_makes_missing_folders(cb, tmp_path):
    path = write_casebook(cb, tmp_path / "a" / "b" / "casebook.html")
    assert path.is_file() and path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# ---------------------------------------------------------------------------- a sixth district
_NEW_SOURCE = """鹭屿区培育发展社区社会组织
发布时间:2016-05-10
截至2015年底,全区登记注册的社会组织共128家,另有在街道备案的社区社会组织340余家。
区财政设立社会组织发展专项资金,每年安排200万元,通过公益创投支持社区服务项目。
"""

_NEW_RECORD = """\
district: luyu
profile:
  name_zh: 鹭屿区
  name_en: Luyu District
  city_zh: 厦门市
  city_en: Xiamen
  province_zh: 福建省
  province_en: Fujian
  area_kind: urban_district
  sources: [luyu-2016-report]
  summary: A made-up district for tests, with <markup> & ampersands to escape.
facts:
  - id: luyu-orgs-registered
    indicator: orgs_registered
    value: 128家
    basis: stock
    source: luyu-2016-report
    quote: 全区登记注册的社会组织共128家
    english: The district has 128 registered social organizations (<b>test</b> & escaping).
    period: {text: 截至2015年底, start: 2015-12-31, end: 2015-12-31, reasoning: The text names the end of 2015.}
    confidence: stated
  - id: luyu-orgs-community-filed
    indicator: orgs_community_filed
    value: 340余家
    basis: stock
    source: luyu-2016-report
    quote: 另有在街道备案的社区社会组织340余家
    english: Another 340-odd community organizations are filed with street offices.
    period: {text: 截至2015年底, start: 2015-12-31, end: 2015-12-31, reasoning: Same sentence as the registered count.}
    confidence: stated
  - id: luyu-special-fund
    indicator: funding_instrument
    value: special_fund
    source: luyu-2016-report
    quote: 区财政设立社会组织发展专项资金
    english: The district budget has set up a special fund for social-organization development.
    period: {text: not stated, start: 2010-01-01, end: 2016-05-10, reasoning: Undated; before the page date.}
    confidence: stated
"""


def _project_with(root: Path, record: str, source_text: str):
    """A copy of the project in ``root`` with one more district record and its own small source."""
    shutil.copytree(ROOT / "casebook", root / "casebook")
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    shutil.copytree(ROOT / "data" / "external", root / "data" / "external")
    source = root / "data" / "raw" / "900_luyu_report.txt"
    source.write_text(source_text, encoding="utf-8")
    manifest = root / "data" / "raw" / "manifest.csv"
    text = manifest.read_text(encoding="utf-8")
    row = io.StringIO()
    csv.writer(row, lineterminator="\n").writerow(
        [
            "luyu-2016-report",
            "raw/900_luyu_report.txt",
            "luyu",
            "鹭屿区培育发展社区社会组织",
            "district-report",
            "",
            "2016-05-10",
            "",
            hashlib.sha256(source.read_bytes()).hexdigest(),
            "printed",
        ]
    )
    manifest.write_text(text + ("" if text.endswith("\n") else "\n") + row.getvalue(), encoding="utf-8")
    (root / "casebook" / "luyu.yaml").write_text(record, encoding="utf-8")
    return govcases.load_casebook(root / "casebook")


@pytest.fixture(scope="module")
def six_districts(tmp_path_factory):
    """A copy of the project with a made-up sixth district and its own small source."""
    return _project_with(tmp_path_factory.mktemp("six"), _NEW_RECORD, _NEW_SOURCE)


def test_a_new_district_gets_its_chapter_and_columns(six_districts):
    cb = six_districts
    assert "luyu" in cb.districts and len(cb.districts) == len(DISTRICTS) + 1
    page = render_casebook(cb)
    chapter = _chapter(page, "luyu")
    assert '<span class="name-zh" lang="zh-Hans">鹭屿区</span>' in chapter
    for fact_id in ("luyu-orgs-registered", "luyu-orgs-community-filed", "luyu-special-fund"):
        assert f'id="fact-{fact_id}"' in chapter
    assert "[340, 350)" in chapter  # 340余家
    # the title counts the districts in words, whatever their number
    words = {6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}
    assert f"{words.get(len(cb.districts), len(cb.districts))} Chinese districts" in page
    comparison = page[page.index('<section class="chapter comparison"') : page.index('id="sources"')]
    assert comparison.count('href="#district-luyu"') == comparison.count("<table")
    assert 'id="source-luyu-2016-report"' in page
    # escaped, never markup
    assert "(&lt;b&gt;test&lt;/b&gt; &amp; escaping)" in chapter and "<b>test</b>" not in page
    assert "with &lt;markup&gt; &amp; ampersands" in chapter
    cmap = _embedded_font(page).getBestCmap()
    assert all(ord(c) in cmap for c in "鹭屿区厦门市福建省")


# ---------------------------------------------------------------------------- the browser
_SKIP_REASON = (
    f"browser test needs headless Chromium at {CHROMIUM}, which is not installed; "
    "to run it: `apt-get install chromium` (`.ci/run` installs it), then `make test`"
)


def browser(test):
    """Mark a test as needing the browser, and skip it, saying how to run it, when there is none."""
    return pytest.mark.browser(pytest.mark.skipif(not CHROMIUM.is_file(), reason=_SKIP_REASON)(test))


#: The system Chromium, never a downloaded one, with everything that could reach the network off.
_CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class _Browser:
    """The casebook open in a page, with what the page did meanwhile."""

    page: object  # playwright.sync_api.Page
    cdp: object  # a DevTools session on the page, for what playwright does not expose (fonts used)
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser_page(cb):
    """The written casebook, loaded in headless Chromium at 1024 px wide with its fonts ready."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    url = write_casebook(cb, ARTIFACTS / "casebook.html").resolve().as_uri()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=_CHROMIUM_ARGS)
        try:
            page = chromium.new_page(viewport={"width": 1024, "height": 800}, device_scale_factor=1)
            page.set_default_timeout(60_000)
            seen = _Browser(page=page, cdp=page.context.new_cdp_session(page), url=url)
            page.on("request", lambda request: seen.requests.append(request.url))
            page.on("console", lambda msg: seen.errors.append(msg.text) if msg.type in ("error", "warning") else None)
            page.on("pageerror", lambda error: seen.errors.append(str(error)))
            page.goto(url, wait_until="load")
            assert (
                page.evaluate("async () => { await document.fonts.ready; return document.fonts.status; }") == "loaded"
            )
            seen.cdp.send("DOM.enable")
            seen.cdp.send("CSS.enable")
            yield seen
        finally:
            chromium.close()


@browser
def test_browser_hovering_a_key_table_cell_shows_its_evidence(cb, browser_page):
    page = browser_page.page
    facts = cb.facts.set_index("id")
    cells = page.locator("table.key div.keyfact")
    assert cells.count() > 0
    for i in sorted({0, cells.count() // 2, cells.count() - 1}):
        cell = cells.nth(i)
        cell.scroll_into_view_if_needed()
        cell.hover()
        fid, text = page.evaluate(
            """() => { const all = document.querySelectorAll(':hover');
            const div = all[all.length - 1] && all[all.length - 1].closest('div.keyfact');
            return div ? [div.querySelector('a.id').textContent, div.title] : [null, null]; }"""
        )
        assert fid in facts.index, "the hovered element is not a fact of the key table"
        fact = facts.loc[fid]
        for part in (fact["quote"], fact["english"], str(fact["source"]), str(fact["period_start"])):
            assert part in text, (fid, part)
        # a click on the fact's id opens its entry: the same evidence, in the page
        assert page.locator(f'article[id="fact-{fid}"] blockquote.quote').count() == 1


@browser
def test_browser_loads_nothing_from_elsewhere_and_reports_no_errors(browser_page):
    # the page itself, and the embedded font when Chromium reports its data: address as a request
    outside = [u for u in browser_page.requests if u != browser_page.url and not u.startswith("data:")]
    assert outside == [], outside
    assert browser_page.requests[0] == browser_page.url
    assert browser_page.errors == []


@browser
def test_browser_draws_district_names_with_the_embedded_font(cb, page, browser_page):
    family = _embedded_font(page)["name"].getDebugName(1)
    cdp = browser_page.cdp
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    for slug in cb.districts:
        name = cb.profiles.set_index("district").loc[slug, "name_zh"]
        selector = f"#district-{slug} h2 .name-zh"
        assert browser_page.page.locator(selector).is_visible(), slug
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"no element for the Chinese name of {slug}"
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        # one font, the embedded one, for every glyph: no system fallback and no empty boxes
        assert [(f["familyName"], f["isCustomFont"]) for f in fonts] == [(family, True)], (slug, fonts)
        assert sum(f["glyphCount"] for f in fonts) == len(name)
    check = f"() => document.fonts.check('16px \"{FONT_FAMILY}\"', '北仑区镇海区')"
    assert browser_page.page.evaluate(check) is True


_OVERFLOW = """() => {
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const out = {page: document.documentElement.scrollWidth, viewport: window.innerWidth, over: [], scrolling: []};
  for (const el of document.querySelectorAll('body, body *')) {
    if (el.scrollWidth > el.clientWidth + 1) {
      const item = name(el) + ' ' + el.scrollWidth + ' > ' + el.clientWidth;
      (el.classList.contains('table-wrap') ? out.scrolling : out.over).push(item);
    }
  }
  return out;
}"""


@browser
def test_browser_nothing_overflows_a_1024_px_page(cb, browser_page):
    result = browser_page.page.evaluate(_OVERFLOW)
    assert result["viewport"] == 1024
    assert result["page"] <= result["viewport"], result
    assert result["over"] == [], result["over"][:20]
    # table wrappers may scroll on purpose, when a casebook has many districts; with the five
    # original ones none needs to at 1024 px
    if len(cb.districts) <= len(ORIGINAL):
        assert result["scrolling"] == [], result["scrolling"]


@browser
def test_browser_contents_link_to_each_chapter_and_the_licence_opens(cb, browser_page):
    page = browser_page.page
    try:
        for slug in cb.districts:
            name = cb.profiles.set_index("district").loc[slug, "name_en"]
            page.locator(".toc").get_by_role("link", name=name).click()
            assert page.evaluate("() => location.hash") == f"#district-{slug}"
            assert page.locator(f"#district-{slug} h2").is_visible()
            top = page.evaluate(f"() => document.getElementById('district-{slug}').getBoundingClientRect().top")
            assert abs(top) <= 2, (slug, top)  # scrolled to the chapter's start
        licence = page.locator("footer details pre.licence")
        assert not licence.is_visible()
        page.get_by_text("Full text of the licence").click()
        assert licence.is_visible() and "Open Font License" in licence.inner_text()
    finally:
        page.goto(browser_page.url, wait_until="load")  # as loaded, for the other tests
    assert browser_page.errors == []


@browser
def test_browser_screenshot(cb, browser_page):
    # A taller viewport scrolled to the first chapter, captured as it is laid out: capturing beyond
    # the viewport would drop the scrollbar and reflow the page under the clip.
    page = browser_page.page
    page.set_viewport_size({"width": 1024, "height": 1500})
    try:
        page.locator(f"#district-{cb.districts[0]}").evaluate("el => { el.scrollIntoView(); window.scrollBy(0, -16); }")
        data = page.screenshot(type="png")
    finally:
        page.set_viewport_size({"width": 1024, "height": 800})
    path = ARTIFACTS / "casebook.png"
    path.write_bytes(data)
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1024, 1500)


# Text a record may hold that would be markup, or would end an attribute, if it were not escaped:
# in the source (so in a verbatim quote), in our English rendering and in the district's name.
_HOSTILE = "<script>alert('x')</script>"
_HOSTILE_SOURCE = _NEW_SOURCE + '区里说：“专项资金”<script>alert("x")</script>&amp;\n'
_HOSTILE_RECORD = (
    _NEW_RECORD.replace("name_en: Luyu District", """name_en: 'Luyu "District" <i>'""").replace(
        "english: Another 340-odd community organizations are filed with street offices.",
        f'english: "Another 340-odd {_HOSTILE} organizations are \\"filed\\"."',
    )
    + """  - id: luyu-hostile-quote
    indicator: funding_instrument
    value: special_fund
    source: luyu-2016-report
    quote: '“专项资金”<script>alert("x")</script>&amp;'
    english: The district has a special fund.
    period: {text: not stated, start: 2010-01-01, end: 2016-05-10, reasoning: Undated; before the page date.}
    confidence: stated
"""
)


def test_hostile_text_in_a_record_is_escaped(tmp_path):
    cb = _project_with(tmp_path, _HOSTILE_RECORD, _HOSTILE_SOURCE)
    page = render_casebook(cb)
    # no markup from a record: the only tags are the templates' own
    assert "<script" not in page.lower() and "<i>" not in page
    chapter = _chapter(page, "luyu")
    assert (
        "Another 340-odd &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; organizations are &#34;filed&#34;." in chapter
    )
    # a verbatim quote is escaped, an entity in the source stays visible as written
    assert (
        '<blockquote class="quote" lang="zh-Hans">“专项资金”&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;amp;'
        "</blockquote>"
    ) in chapter
    # a name inside an attribute cannot end it
    assert 'aria-label="Categories of Luyu &#34;District&#34; &lt;i&gt;"' in chapter
    contents = page[page.index('<nav class="toc"') : page.index("</nav>")]
    assert '<a href="#district-luyu">Luyu &#34;District&#34; &lt;i&gt; ' in contents


def test_the_font_subset_is_cached_by_its_inputs(tmp_path, monkeypatch):
    from pylopdf_fonts_zh_cn import sans_path

    from govcases.publish import casebook_html

    monkeypatch.setenv("GOVCASES_CACHE_DIR", str(tmp_path))
    subset = casebook_html._subset_font.__wrapped__  # past the in-process cache, to the folder
    fresh = subset(str(sans_path()), "镇海区 abc")
    (entry,) = (tmp_path / "fonts").iterdir()
    assert entry.read_bytes() == fresh == casebook_html._subset_font_uncached(str(sans_path()), "镇海区 abc")

    def no_subsetting(*args):
        raise AssertionError("subset again although the same inputs are cached")

    monkeypatch.setattr(casebook_html, "_subset_font_uncached", no_subsetting)
    assert subset(str(sans_path()), "镇海区 abc") == fresh
    with pytest.raises(AssertionError, match="subset again"):
        subset(str(sans_path()), "镇海区 abcd")  # other characters: another key


def test_every_feature_mark_shows_the_facts_that_report_it(cb, page):
    # a ● of the features tables carries, on hover, the quote of each fact that reports the feature there
    import html as html_lib

    marks = re.findall(r'<td class="mark yes" title="([^"]*)">●</td>', page)
    expected = sum(
        int(cb.features(i).to_numpy().sum())
        for i in sorted(set(cb.facts["indicator"]))
        if cb.codebook.indicators[i].value_type == "category"
    )
    assert len(marks) == expected and all(marks)
    quotes = set(cb.facts.loc[cb.facts["value_type"] == "category", "quote"])
    assert all(any(q in html_lib.unescape(m) for q in quotes) for m in marks)
    assert '<td class="mark yes">●</td>' not in page
