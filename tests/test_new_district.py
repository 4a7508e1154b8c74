"""Adding a district takes only a record and its source: validation, export, notebooks and build pick it up.

The district, its source text and its figures below are made up for this test and exist nowhere else.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

import govcases
from govcases.build import build
from govcases.export import export
from govcases.notebooks import notebook_paths

ROOT = Path(__file__).resolve().parents[1]

SOURCE_TEXT = """测试区社会组织发展情况(测试用虚构材料)
截至2019年底,测试区登记注册的社会组织共200家,其中社会团体80家,民办非企业单位120家。
全区常住人口50万人。2018年起,测试区对公益慈善类社会组织实行直接登记。
区政府通过政府购买服务支持社会组织发展,2019年安排专项资金300万元。
区社会组织孵化中心累计孵化社会组织60家,其中登记成立24家。
"""

RECORD = """\
district: testland
profile:
  name_zh: 测试区
  name_en: Testland District
  city_zh: 测试市
  city_en: Testcity
  province_zh: 测试省
  province_en: Testprovince
  area_kind: urban_district
  sources: [testland-report]
  summary: A made-up district used only by the test suite.
facts:
  - id: testland-orgs-registered
    indicator: orgs_registered
    value: 200家
    basis: stock
    source: testland-report
    quote: 截至2019年底,测试区登记注册的社会组织共200家
    english: At the end of 2019 the district had 200 registered social organizations.
    period: {text: 截至2019年底, start: 2019-12-31, end: 2019-12-31, reasoning: Stated.}
    confidence: stated
  - id: testland-social-groups
    indicator: orgs_social_groups
    value: 80家
    basis: stock
    source: testland-report
    quote: 其中社会团体80家
    english: Of which 80 social groups.
    period: {text: 截至2019年底, start: 2019-12-31, end: 2019-12-31, reasoning: Stated.}
    confidence: stated
  - id: testland-pneu
    indicator: orgs_private_non_enterprise
    value: 120家
    basis: stock
    source: testland-report
    quote: 民办非企业单位120家
    english: And 120 private non-enterprise units.
    period: {text: 截至2019年底, start: 2019-12-31, end: 2019-12-31, reasoning: Stated.}
    confidence: stated
  - id: testland-population
    indicator: population_resident
    subject: stated in the source
    value: 50万人
    basis: stock
    source: testland-report
    quote: 全区常住人口50万人
    english: The district has 500,000 residents.
    period: {text: not stated, start: 2019-01-01, end: 2019-12-31, reasoning: Same paragraph as the 2019 figures.}
    confidence: stated
  - id: testland-direct-registration
    indicator: direct_registration
    value: true
    source: testland-report
    quote: 2018年起,测试区对公益慈善类社会组织实行直接登记
    english: Since 2018 public-welfare and charity organizations may register directly.
    period: {text: 2018年起, start: 2018-01-01, end: 2019-12-31, reasoning: Stated start year.}
    confidence: stated
  - id: testland-direct-registration-charity
    indicator: direct_registration_category
    value: public_welfare_charity
    source: testland-report
    quote: 对公益慈善类社会组织实行直接登记
    english: The category eligible is public-welfare and charity organizations.
    period: {text: 2018年起, start: 2018-01-01, end: 2019-12-31, reasoning: Stated start year.}
    confidence: stated
  - id: testland-government-purchase
    indicator: funding_instrument
    value: government_purchase
    source: testland-report
    quote: 区政府通过政府购买服务支持社会组织发展
    english: The district government supports organizations by purchasing services.
    period: {text: not stated, start: 2019-01-01, end: 2019-12-31, reasoning: Same paragraph as the 2019 sum.}
    confidence: stated
  - id: testland-special-fund-2019
    indicator: funding_amount
    subject: "special_fund: special funds arranged for 2019"
    value: 300万元
    basis: annual
    source: testland-report
    quote: 2019年安排专项资金300万元
    english: In 2019 it arranged 3 million yuan of special funds.
    period: {text: 2019年, start: 2019-01-01, end: 2019-12-31, reasoning: Stated year.}
    confidence: stated
  - id: testland-incubated
    indicator: incubator_count
    subject: "incubated: district incubation centre"
    value: 60家
    basis: cumulative
    source: testland-report
    quote: 区社会组织孵化中心累计孵化社会组织60家
    english: The district incubation centre has incubated 60 organizations in all.
    period: {text: 累计, start: 2015-01-01, end: 2019-12-31, reasoning: Start not stated.}
    confidence: stated
  - id: testland-incubated-registered
    indicator: incubator_count
    subject: "registered: district incubation centre"
    value: 24家
    basis: cumulative
    source: testland-report
    quote: 其中登记成立24家
    english: Of which 24 registered.
    period: {text: 累计, start: 2015-01-01, end: 2019-12-31, reasoning: Start not stated.}
    confidence: stated
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "casebook", root / "casebook")
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    shutil.copytree(ROOT / "data" / "external", root / "data" / "external")
    data = SOURCE_TEXT.encode("utf-8")
    (root / "data" / "raw" / "testland.txt").write_bytes(data)
    with open(root / "data" / "raw" / "manifest.csv", "a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(
            ["testland-report", "raw/testland.txt", "testland", "测试区社会组织发展情况", "district-report", "", "", "",
             hashlib.sha256(data).hexdigest()])
    (root / "casebook" / "testland.yaml").write_text(RECORD, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(project, tmp_path_factory):
    """The whole build of the copied project: every notebook is executed against it (its inputs changed)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("GOVCASES_CASEBOOK", str(project / "casebook"))  # the notebook kernels inherit it
    try:
        # the figures are checked below by drawing them; saving them is test_build's part
        files = build(project / "build", casebook=project / "casebook", figures=False)
    finally:
        mp.undo()
    return files


def test_validation_includes_the_new_district(project):
    cb = govcases.load_casebook(project / "casebook")
    assert "testland" in cb.districts and len(cb.districts) == 6
    row = cb.facts.set_index("id").loc["testland-orgs-registered"]
    assert (row["value"], row["unit"]) == (200, "organizations")


def test_export_includes_the_new_district(project, tmp_path):
    export(govcases.load_casebook(project / "casebook"), tmp_path)
    with open(tmp_path / "facts.csv", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["district"] == "testland"]
    assert len(rows) == RECORD.count("  - id: ")
    profiles = (tmp_path / "profiles.csv").read_text(encoding="utf-8")
    assert "Testland District" in profiles


def test_every_notebook_and_the_build_include_the_new_district(project, built):
    names = {p.relative_to(project / "build").as_posix() for p in built if (project / "build") in p.parents}
    for nb in notebook_paths():
        html = project / "build" / "report" / f"{nb.stem}.html"
        assert f"report/{nb.stem}.html" in names
        text = html.read_text(encoding="utf-8")
        assert "Testland" in text or "testland" in text, f"{nb.name} does not show the new district"
    assert "测试区" in (project / "build" / "casebook.html").read_text(encoding="utf-8")
    tables = (project / "build" / "tables" / "casebook-facts-by-category.csv").read_text(encoding="utf-8")
    assert "testland" in tables.splitlines()[0]
    assert "testland" in (project / "data" / "processed" / "facts.csv").read_text(encoding="utf-8")


#: Figures whose data the made-up record does not give: a growth rate needs two counts of one
#: kind, and the procedures figure needs before/after figures of the registration procedure.
NOT_IN_RECORD = {"growth-rates", "registration-procedures"}


def test_every_appendix_figure_draws_the_new_district(project):
    """Each figure function draws for six districts (one that assumed five would fail or drop it)."""
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from govcases.appendix import FIGURES
    from govcases.style import use_style

    cb = govcases.load_casebook(project / "casebook")
    with matplotlib.rc_context():
        use_style()
        for item in FIGURES:
            fig = item.make(cb)
            canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
            canvas.draw()
            texts = [t.get_text() for t in fig.findobj(Text)]
            plt.close(fig)
            shown = any("Testland" in t or "testland" in t for t in texts)
            # the made-up record has one count (no growth rate) and no procedure figures
            assert shown is (item.name not in NOT_IN_RECORD), item.name
