"""Made-up districts of different shapes, for tests that grow the casebook.

Every district, source text and figure here is invented for the tests and exists nowhere else. The
shapes are the ones a growing casebook meets: a complete small record, a source with no date at all,
a record with no counts, one with no money, and one with many facts. ``add_districts`` writes them
into a copy of the project (sources, manifest rows, records) exactly as a user adding a district
would, so that whatever reads the casebook sees them the way it would see a real one.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

#: Words for the many-facts district's streets: made-up names, one per generated sentence.
_STREETS = "东南西北中甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥春夏秋冬梅兰竹菊松柏桃李杏"


@dataclass(frozen=True)
class MadeUp:
    """One made-up district: its id, its source text and its record."""

    district: str
    name_zh: str
    name_en: str
    source_id: str
    title: str
    page_date: str
    text: str
    facts: str

    def record(self) -> str:
        """The YAML record, as a user would write it."""
        return (
            f"district: {self.district}\n"
            "profile:\n"
            f"  name_zh: {self.name_zh}\n"
            f"  name_en: {self.name_en}\n"
            "  city_zh: 测试市\n"
            "  city_en: Testcity\n"
            "  province_zh: 测试省\n"
            "  province_en: Testprovince\n"
            "  area_kind: urban_district\n"
            f"  sources: [{self.source_id}]\n"
            "  summary: A made-up district used only by the test suite.\n"
            f"facts:\n{self.facts}"
        )


def _fact(
    fid: str, indicator: str, value: str, quote: str, english: str, period: str, source: str, **extra: str
) -> str:
    lines = [f"  - id: {fid}", f"    indicator: {indicator}"]
    lines += [f"    {k}: {v}" for k, v in extra.items() if k != "confidence"]
    lines += [
        f"    value: {value}",
        f"    source: {source}",
        f"    quote: {quote}",
        f"    english: {english}",
        f"    period: {period}",
        f"    confidence: {extra.get('confidence', 'stated')}",
    ]
    return "\n".join(lines) + "\n"


def _y2019(text: str = "2019年", reasoning: str = "Stated year.") -> str:
    return f"{{text: {text}, start: 2019-01-01, end: 2019-12-31, reasoning: {reasoning}}}"


# ---------------------------------------------------------------------------- the shapes
def plain() -> MadeUp:
    """A small complete record: counts by type, population, money, registration and an incubator."""
    src = "testland-report"
    end2019 = "{text: 截至2019年底, start: 2019-12-31, end: 2019-12-31, reasoning: Stated.}"
    facts = "".join(
        [
            _fact(
                "testland-orgs-registered",
                "orgs_registered",
                "200家",
                "截至2019年底,测试区登记注册的社会组织共200家",
                "At the end of 2019 the district had 200 registered social organizations.",
                end2019,
                src,
                basis="stock",
            ),
            _fact(
                "testland-social-groups",
                "orgs_social_groups",
                "80家",
                "其中社会团体80家",
                "Of which 80 social groups.",
                end2019,
                src,
                basis="stock",
            ),
            _fact(
                "testland-pneu",
                "orgs_private_non_enterprise",
                "120家",
                "民办非企业单位120家",
                "And 120 private non-enterprise units.",
                end2019,
                src,
                basis="stock",
            ),
            _fact(
                "testland-population",
                "population_resident",
                "50万人",
                "全区常住人口50万人",
                "The district has 500,000 residents.",
                _y2019("not stated", "Same paragraph as the 2019 figures."),
                src,
                subject="stated in the source",
                basis="stock",
            ),
            _fact(
                "testland-direct-registration",
                "direct_registration",
                "true",
                "2018年起,测试区对公益慈善类社会组织实行直接登记",
                "Since 2018 public-welfare and charity organizations may register directly.",
                "{text: 2018年起, start: 2018-01-01, end: 2019-12-31, reasoning: Stated start year.}",
                src,
            ),
            _fact(
                "testland-direct-registration-charity",
                "direct_registration_category",
                "public_welfare_charity",
                "对公益慈善类社会组织实行直接登记",
                "The category eligible is public-welfare and charity organizations.",
                "{text: 2018年起, start: 2018-01-01, end: 2019-12-31, reasoning: Stated start year.}",
                src,
            ),
            _fact(
                "testland-government-purchase",
                "funding_instrument",
                "government_purchase",
                "区政府通过政府购买服务支持社会组织发展",
                "The district government supports organizations by purchasing services.",
                _y2019("not stated", "Same paragraph as the 2019 sum."),
                src,
            ),
            _fact(
                "testland-special-fund",
                "funding_instrument",
                "special_fund",
                "2019年安排专项资金300万元",
                "The district arranges special funds.",
                _y2019(),
                src,
            ),
            _fact(
                "testland-special-fund-2019",
                "funding_amount",
                "300万元",
                "2019年安排专项资金300万元",
                "In 2019 it arranged 3 million yuan of special funds.",
                _y2019(),
                src,
                subject='"special_fund: special funds arranged for 2019"',
                basis="annual",
                instruments="[testland-special-fund]",
                payer="district_budget",
            ),
            _fact(
                "testland-incubated",
                "incubator_count",
                "60家",
                "区社会组织孵化中心累计孵化社会组织60家",
                "The district incubation centre has incubated 60 organizations in all.",
                "{text: 累计, start: 2015-01-01, end: 2019-12-31, reasoning: Start not stated.}",
                src,
                subject='"incubated: district incubation centre"',
                basis="cumulative",
            ),
            _fact(
                "testland-incubated-registered",
                "incubator_count",
                "24家",
                "其中登记成立24家",
                "Of which 24 registered.",
                "{text: 累计, start: 2015-01-01, end: 2019-12-31, reasoning: Start not stated.}",
                src,
                subject='"registered: district incubation centre"',
                basis="cumulative",
            ),
        ]
    )
    text = (
        "测试区社会组织发展情况(测试用虚构材料)\n"
        "截至2019年底,测试区登记注册的社会组织共200家,其中社会团体80家,民办非企业单位120家。\n"
        "全区常住人口50万人。2018年起,测试区对公益慈善类社会组织实行直接登记。\n"
        "区政府通过政府购买服务支持社会组织发展,2019年安排专项资金300万元。\n"
        "区社会组织孵化中心累计孵化社会组织60家,其中登记成立24家。\n"
    )
    return MadeUp("testland", "测试区", "Testland District", src, "测试区社会组织发展情况", "", text, facts)


def undated() -> MadeUp:
    """A source that prints no date anywhere: every period is bounded by reasoning, not by the text."""
    src = "undatedland-notes"
    window = (
        "{text: not stated, start: 2013-01-01, end: 2026-12-01, reasoning: 'The text gives no date: "
        "it names the direct registration of charities that national policy opened in 2013; the "
        "source was registered on 2026-12-01.'}"
    )
    text = (
        "无日期区社会组织工作简介(测试用虚构材料)\n"
        "目前,无日期区共有登记的社会组织150家。\n"
        "区里对公益慈善类社会组织实行直接登记,并建立了社会组织联合会。\n"
    )
    facts = "".join(
        [
            _fact(
                "undatedland-orgs-registered",
                "orgs_registered",
                "150家",
                "目前,无日期区共有登记的社会组织150家",
                "The district currently has 150 registered social organizations.",
                window.replace("not stated", "目前"),
                src,
                basis="stock",
                confidence="inferred",
            ),
            _fact(
                "undatedland-direct-registration",
                "direct_registration",
                "true",
                "区里对公益慈善类社会组织实行直接登记",
                "Public-welfare and charity organizations register directly.",
                window,
                src,
            ),
            _fact(
                "undatedland-federation",
                "hub_feature",
                "federation",
                "建立了社会组织联合会",
                "A federation of social organizations has been set up.",
                window,
                src,
            ),
        ]
    )
    return MadeUp("undatedland", "无日期区", "Undatedland District", src, "无日期区社会组织工作简介", "", text, facts)


def no_counts() -> MadeUp:
    """A record of policies only: no count of organizations, no population, no sum."""
    src = "policyland-2021-report"
    text = (
        "政策区推进社会组织改革(测试用虚构材料)\n"
        "2021年,政策区推行政府购买服务和公益创投,并设立社会组织孵化基地。\n"
        "政策区对社区社会组织实行备案管理。\n"
    )
    facts = "".join(
        [
            _fact(
                "policyland-purchase",
                "funding_instrument",
                "government_purchase",
                "政策区推行政府购买服务",
                "The district purchases services from organizations.",
                "{text: 2021年, start: 2021-01-01, end: 2021-12-31, reasoning: Stated year.}",
                src,
            ),
            _fact(
                "policyland-venture-philanthropy",
                "funding_instrument",
                "venture_philanthropy",
                "推行政府购买服务和公益创投",
                "It runs venture philanthropy.",
                "{text: 2021年, start: 2021-01-01, end: 2021-12-31, reasoning: Stated year.}",
                src,
            ),
            _fact(
                "policyland-incubator",
                "hub_feature",
                "incubator",
                "设立社会组织孵化基地",
                "It set up an incubation base for social organizations.",
                "{text: 2021年, start: 2021-01-01, end: 2021-12-31, reasoning: Stated year.}",
                src,
            ),
            _fact(
                "policyland-filing",
                "filing_system",
                "true",
                "政策区对社区社会组织实行备案管理",
                "Community organizations are filed rather than registered.",
                "{text: not stated, start: 2021-01-01, end: 2021-12-31, reasoning: Same report as 2021.}",
                src,
            ),
        ]
    )
    return MadeUp(
        "policyland", "政策区", "Policyland District", src, "政策区推进社会组织改革", "2021-12-30", text, facts
    )


def no_money() -> MadeUp:
    """Counts and a population, and not a word about money."""
    src = "countland-2017-news"
    end2016 = "{text: 截至2016年底, start: 2016-12-31, end: 2016-12-31, reasoning: Stated.}"
    text = (
        "计数区社会组织数量稳步增长(测试用虚构材料)\n"
        "截至2016年底,计数区登记的社会组织达到320家,比2015年底的280家增加40家。\n"
        "计数区常住人口约64万人,社区社会组织近900个。\n"
    )
    facts = "".join(
        [
            _fact(
                "countland-orgs-registered-2016",
                "orgs_registered",
                "320家",
                "截至2016年底,计数区登记的社会组织达到320家",
                "At the end of 2016 the district had 320 registered organizations.",
                end2016,
                src,
                basis="stock",
            ),
            _fact(
                "countland-orgs-registered-2015",
                "orgs_registered",
                "280家",
                "比2015年底的280家增加40家",
                "Up by 40 from 280 at the end of 2015.",
                "{text: 2015年底, start: 2015-12-31, end: 2015-12-31, reasoning: Stated.}",
                src,
                basis="stock",
            ),
            _fact(
                "countland-population",
                "population_resident",
                "约64万人",
                "计数区常住人口约64万人",
                "The district has about 640,000 residents.",
                "{text: not stated, start: 2016-01-01, end: 2017-12-31, reasoning: Same article as the 2016 count.}",
                src,
                subject="stated in the source",
                basis="stock",
            ),
            _fact(
                "countland-community-orgs",
                "orgs_community_level",
                "近900个",
                "社区社会组织近900个",
                "Nearly 900 community-level organizations.",
                "{text: not stated, start: 2016-01-01, end: 2017-12-31, reasoning: Same article as the 2016 count.}",
                src,
                subject='"community social organizations, counted beside the registered ones"',
                basis="stock",
            ),
        ]
    )
    return MadeUp(
        "countland",
        "计数区",
        "Countland District",
        src,
        "计数区社会组织数量稳步增长",
        "2017-01-15",
        text,
        facts,
    )


def many_facts(n: int = 60) -> MadeUp:
    """A record with ``n`` facts: volunteer counts for ``n`` made-up streets, one sentence each."""
    src = "manyland-2018-report"
    year = "{text: 2018年, start: 2018-01-01, end: 2018-12-31, reasoning: Stated year of the report.}"
    lines, facts = ["多事区志愿服务统计(测试用虚构材料)", "2018年各街道志愿者人数如下。"], []
    for i in range(n):
        street = _STREETS[i % len(_STREETS)] + ("" if i < len(_STREETS) else str(i // len(_STREETS)))
        sentence = f"{street}街道注册志愿者{100 + 7 * i}名"
        lines.append(sentence + "。")
        facts.append(
            _fact(
                f"manyland-volunteers-{i + 1:03d}",
                "volunteers_count",
                f"{100 + 7 * i}名",
                sentence,
                f"Street {i + 1} has {100 + 7 * i} registered volunteers.",
                year,
                src,
                subject=f'"registered volunteers of street {i + 1}"',
                basis="stock",
            )
        )
    return MadeUp(
        "manyland",
        "多事区",
        "Manyland District",
        src,
        "多事区志愿服务统计",
        "2018-12-20",
        "\n".join(lines) + "\n",
        "".join(facts),
    )


#: The shapes the grown-casebook run adds (``tests/grow_casebook.py``). ``plain`` is not among them:
#: ``tests/test_new_district.py`` adds it to a copy of whatever casebook it runs with, grown or not.
SHAPES = (undated, no_counts, no_money, many_facts)


def add_districts(project: Path, districts: list[MadeUp]) -> None:
    """Write made-up districts into a copy of the project as a user would add them.

    Parameters
    ----------
    project : Path
        A folder with ``casebook/`` and ``data/raw/`` (with its manifest), copied from the project.
    districts : list of MadeUp
        The districts to add: a source file, a manifest row and a record each.
    """
    raw = project / "data" / "raw"
    with open(raw / "manifest.csv", encoding="utf-8", newline="") as f:
        columns = next(csv.reader(f))
    for d in districts:
        data = d.text.encode("utf-8")
        (raw / f"{d.district}.txt").write_bytes(data)
        row = {
            "source_id": d.source_id,
            "file": f"raw/{d.district}.txt",
            "district": d.district,
            "title": d.title,
            "kind": "district-report",
            "page_date": d.page_date,
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        if "page_date_basis" in columns:  # a page with no printed date says so
            row["page_date_basis"] = "printed" if d.page_date else "unknown"
        unknown = set(row) - set(columns)
        assert not unknown, f"the manifest has no column {sorted(unknown)}: update tests/madeup.py"
        with open(raw / "manifest.csv", "a", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerow([row.get(c, "") for c in columns])
        (project / "casebook" / f"{d.district}.yaml").write_text(d.record(), encoding="utf-8")
