"""`govcases extract`: candidate figures in a source, and the draft record made from them.

A made-up report checks the exact list of candidates and their intervals; the five real sources
check that the figures their records use are found and that every quote is cut from the clean
text; an end-to-end run in a copy of the project drafts a record for a new district, sees
validation fail on the placeholders, fills a few facts and sees it validate.
"""

from __future__ import annotations

import hashlib
import math
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ORIGINAL

import govcases
from govcases.cli import main
from govcases.records.codebook import load_codebook
from govcases.records.extract import (
    PLACEHOLDER,
    draft_record,
    find_quantities,
    format_draft,
    placeholders,
    skipped_numbers,
    summary_line,
)
from govcases.records.paths import CASEBOOK
from govcases.records.sources import clean_text, load_manifest, match_key, read_raw

ROOT = Path(__file__).resolve().parents[1]
INF = math.inf

#: A short made-up report (not from any source). It has figures of every shape, a date, list
#: numbering, full-width digits and a share with two conflicting qualifiers (近三成以上) that the
#: parser refuses.
REPORT = """\
某区社会组织发展报告
2019年5月,某区召开社会组织工作会议。
一是加强登记管理。全区共有社会组织近500家,其中社会团体120家,另有两家基金会;近三成以上的社区成立了社区社会组织联合会。
二是壮大志愿者队伍。全区注册志愿者１２００余名,年均增长15%以上。
三是加大资金投入。自2016年以来,区财政累计投入300多万元,为新登记的社会组织提供1万-3万元的启动经费。
全区性社团与社区性社团之比由1∶4调整为1∶2.5,孵化基地面积约800平方米。
"""

# (expression, kind, low, high, low_closed, high_closed, qualifier, measure word); years and
# refused expressions have None for the interval.
REPORT_CANDIDATES = [
    ("近500家", "quantity", 450, 500, True, False, "nearly", "家"),
    ("120家", "quantity", 120, 120, True, True, "exact", "家"),
    ("两家", "quantity", 2, 2, True, True, "exact", "家"),
    ("近三成以上", "quantity", None, None, None, None, None, None),
    ("1200余名", "quantity", 1200, 1300, True, False, "more_than", "名"),
    ("15%以上", "quantity", 15, INF, True, False, "at_least", "%"),
    ("2016年", "year", None, None, None, None, None, None),
    ("300多万元", "quantity", 3_000_000, 4_000_000, True, False, "more_than", "元"),
    ("1万-3万元", "quantity", 10_000, 30_000, True, True, "range", "元"),
    ("1:4", "quantity", 4, 4, True, True, "ratio", "ratio"),
    ("1:2.5", "quantity", 2.5, 2.5, True, True, "ratio", "ratio"),
    ("约800平方米", "quantity", 760, 840, True, True, "about", "平方米"),
]


@pytest.fixture(scope="module")
def report_candidates():
    return find_quantities(clean_text(REPORT))


def test_report_candidates_exactly(report_candidates):
    got = []
    for c in report_candidates:
        q = c.quantity
        got.append(
            (c.expression, c.kind)
            + ((q.low, q.high, q.low_closed, q.high_closed, q.qualifier, q.unit) if q else (None,) * 6)
        )
    assert got == REPORT_CANDIDATES


def test_report_refused_expression_is_listed_with_its_error(report_candidates):
    (refused,) = [c for c in report_candidates if not c.parsed]
    assert refused.expression == "近三成以上"
    assert refused.error == 'cannot parse quantity "近三成以上": conflicting qualifiers "近" and "以上"'
    assert refused.quote == "近三成以上的社区成立了社区社会组织联合会"
    assert summary_line(report_candidates) == "12 candidates, 11 parsed, 1 unparsed (近三成以上)"


def test_report_quotes_are_clauses_of_the_clean_text(report_candidates):
    clean = clean_text(REPORT)
    by_expr = {c.expression: c for c in report_candidates}
    assert by_expr["近500家"].quote == "全区共有社会组织近500家,其中社会团体120家,另有两家基金会"
    assert by_expr["1200余名"].quote == "全区注册志愿者1200余名,年均增长15%以上"  # full-width digits folded
    assert by_expr["2016年"].year == 2016
    for c in report_candidates:
        assert clean[c.start : c.start + len(c.expression)] == c.expression
        assert c.expression in c.quote and c.quote in clean


@pytest.mark.parametrize(
    "text",
    [
        "2019年5月召开会议",  # a year and a month
        "4月21日,2013年底,2015年4月21日",  # dates
        "发布时间:2015-04-21 00:14:47",  # a page's time stamp
        "二〇一五年九月二十五日成立",  # a date in Chinese numerals
        "一是加强管理。3.加强监督。2是培育。",  # list numbering
        "全市第一家,第3个",  # ordinals
        "每万人拥有,每万名常住人口",  # rate denominators
        "1+3+X模式,3A以上社会组织,6化治理",  # bare numbers in names
        "经过近三年的努力,十八届三中全会,千家万户,统一成立",  # numerals that are not counts
        "上午10:30开会",  # a time of day, not a ratio
    ],
)
def test_not_candidates(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    ("text", "expressions"),
    [
        ("从200家到300家", ["200家", "300家"]),  # a change, not a range
        ("5至10人,10%-20%", ["5至10人", "10%-20%"]),
        ("1,655家", ["1,655家"]),
        ("百余个,千余人次,近千万,超过千人,五大类", ["百余个", "千余人次", "近千万", "超过千人", "五大类"]),
        ("数百家,十几个,上千人", ["数百家", "十几个", "上千人"]),  # refused by the parser, still listed
        ("从2010年起,2013年以来,自2008年成立联合会以来", ["2010年", "2013年", "2008年"]),
        ("师生比1:20", ["1:20"]),
    ],
)
def test_candidate_shapes(text, expressions):
    assert [c.expression for c in find_quantities(text)] == expressions


def test_measure_words_come_from_the_codebook(tmp_path):
    # 所 (schools, hospitals) is no measure word of the codebook, so 12所 is not a figure; once a
    # unit lists it, it is.
    assert find_quantities("全区有12所学校") == []
    text = (CASEBOOK / "codebook.yaml").read_text(encoding="utf-8")
    text = text.replace("measure_words: ['个', '项',", "measure_words: ['所', '个', '项',", 1)
    (tmp_path / "codebook.yaml").write_text(text, encoding="utf-8")
    codebook = load_codebook(tmp_path / "codebook.yaml")
    assert [c.expression for c in find_quantities("全区有12所学校", codebook=codebook)] == ["12所"]


# ------------------------------------------------------------------------------ real sources
NARRATIVE_SOURCES = [s for s in load_manifest().values() if s.kind != "external-table"]

#: A few figures of each source, with the interval they must parse to.
KNOWN = {
    "zhenhai-2015-report": {
        "333家": (333, 333),
        "6.35个": (6.35, 6.35),
        "近千万": (9e6, 1e7),
        "千余人次": (1000, 2000),
    },
    "longhua-2014-feature": {
        "近430家": (387, 430),
        "1:36.5": (36.5, 36.5),
        "1万-3万": (1e4, 3e4),
        "超过千人": (1000, INF),
    },
    "beilun-workshop-news": {"1655家": (1655, 1655), "720多万": (7.2e6, 7.3e6), "两家": (2, 2), "五大类": (5, 5)},
    "lvyuan-2020-report": {"287家": (287, 287), "130余家": (130, 140), "百余个": (100, 200), "3镇": (3, 3)},
    "minhang-2015-ji": {
        "253.22万人": (2_532_200, 2_532_200),
        "约1900平方米": (1805, 1995),
        "371.68平方公里": (371.68, 371.68),
    },
}

#: Facts of the casebook whose value is not a candidate, and why.
NOT_FOUND = {
    # 已8有家 (a slip for 已有8家): the 8 stands bare, with no measure word after it
    "zhenhai-registrations-2015q1",
}


@pytest.fixture(scope="module")
def real_candidates():
    return {s.source_id: (clean := clean_text(read_raw(s)), find_quantities(clean)) for s in NARRATIVE_SOURCES}


def test_every_seed_source_has_known_figures():
    # KNOWN covers the five seed sources; a source added later needs no entry here (its record's
    # own figures are checked below), but an entry for a source that is gone is stale
    assert sorted(KNOWN) == sorted(s.source_id for s in NARRATIVE_SOURCES if s.district in ORIGINAL)


@pytest.mark.parametrize("source", [s for s in NARRATIVE_SOURCES if s.source_id in KNOWN], ids=lambda s: s.source_id)
def test_known_figures_are_candidates(real_candidates, source):
    _, cands = real_candidates[source.source_id]
    by_expr = {c.expression: c for c in cands}
    for expression, (low, high) in KNOWN[source.source_id].items():
        assert expression in by_expr, f"{expression} not found in {source.source_id}"
        q = by_expr[expression].quantity
        assert (q.low, q.high) == pytest.approx((low, high))


@pytest.mark.parametrize("source", NARRATIVE_SOURCES, ids=lambda s: s.source_id)
def test_quotes_occur_in_the_clean_text(real_candidates, source):
    clean, cands = real_candidates[source.source_id]
    assert cands or source.source_id not in KNOWN  # a source with figures offers some
    for c in cands:
        assert clean[c.start : c.start + len(c.expression)] == c.expression
        assert c.expression in c.quote and c.quote in clean
        assert c.parsed or c.error.startswith(f'cannot parse quantity "{c.expression}"')


@pytest.mark.parametrize("source", NARRATIVE_SOURCES, ids=lambda s: s.source_id)
def test_the_casebook_figures_are_all_found(real_candidates, source):
    # Every quantity and year of the reviewed record is something extract would have offered.
    _, cands = real_candidates[source.source_id]
    found = {match_key(c.expression) for c in cands} | {str(c.year) for c in cands if c.year}
    facts = govcases.load_casebook(CASEBOOK / f"{source.district}.yaml").facts
    facts = facts[(facts["source"] == source.source_id) & facts["value_type"].isin(["quantity", "year"])]
    missing = {f.id for f in facts.itertuples() if match_key(f.value_text) not in found} - NOT_FOUND
    assert not missing


def test_beilun_figures_are_read_after_cleaning_traditional_text(real_candidates):
    raw = read_raw(load_manifest()["beilun-workshop-news"])
    assert "720多萬" in raw
    _, cands = real_candidates["beilun-workshop-news"]
    assert {"1655家", "720多万"} <= {c.expression for c in cands}


def test_zhenhai_model_name_in_quotation_marks_is_no_figure(real_candidates):
    # the “三成” model is a name: a figure standing alone inside quotation marks is not offered
    _, cands = real_candidates["zhenhai-2015-report"]
    assert "三成" not in [c.expression for c in cands]
    assert [c.expression for c in cands if not c.parsed] == []
    assert [c.year for c in cands if c.kind == "year"] == [2012, 2008, 2013]


# ------------------------------------------------------------------------------ the draft
def test_draft_is_yaml_with_one_fact_per_candidate(report_candidates):
    text = draft_record(REPORT, district="mou", source_id="mou-report")
    data = yaml.safe_load(text)
    assert data["district"] == "mou"
    assert data["profile"]["sources"] == ["mou-report"]
    assert data["profile"]["name_zh"] == PLACEHOLDER
    facts = data["facts"]
    assert [f["id"] for f in facts] == [f"mou-q{i:03d}" for i in range(1, 13)]
    assert [f["quote"] for f in facts] == [c.quote for c in report_candidates]
    year = facts[6]
    assert year["value"] == 2016 and "basis" not in year  # a year indicator takes no basis
    for f, c in zip(facts, report_candidates):
        if c.kind == "quantity":
            assert f["value"] == c.expression and f["basis"] == PLACEHOLDER
        assert (f["indicator"], f["english"], f["confidence"]) == (PLACEHOLDER, PLACEHOLDER, "stated")
        assert f["period"] == dict.fromkeys(("text", "start", "end", "reasoning"), PLACEHOLDER)
    # the parsed reading or the error stands above each fact
    assert "  # 近500家 -> 500 [450, 500) nearly, measure word 家; codebook units: organizations" in text
    assert '  # 近三成以上 -> NOT PARSED: cannot parse quantity "近三成以上": conflicting' in text
    assert "  # 1万-3万元 -> [10000, 30000] range, measure word 元; codebook units: yuan" in text


def test_draft_refuses_a_slug_unusable_in_fact_ids():
    with pytest.raises(ValueError, match="district slug 'new_area'"):
        format_draft([], district="new_area", source_id="x")


# ------------------------------------------------------------------------------ end to end
@pytest.fixture
def new_project(tmp_path: Path) -> Path:
    """A copy of the project's data and codebook with a new source registered, no records."""
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    shutil.copytree(ROOT / "data" / "external", tmp_path / "data" / "external")
    (tmp_path / "casebook").mkdir()
    shutil.copy(ROOT / "casebook" / "codebook.yaml", tmp_path / "casebook" / "codebook.yaml")
    source = tmp_path / "data" / "raw" / "testdistrict.txt"
    source.write_text(REPORT, encoding="utf-8")
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    with open(tmp_path / "data" / "raw" / "manifest.csv", "a", encoding="utf-8") as f:
        f.write(
            f"testdistrict-source,raw/testdistrict.txt,testdistrict,某区社会组织发展报告,district-report,,2019-05-31,,{sha},printed\n"
        )
    return tmp_path


def test_extract_validate_fill_validate(new_project, capsys):
    casebook = new_project / "casebook"
    record = casebook / "testdistrict.yaml"
    assert (
        main(
            [
                "extract",
                str(new_project / "data" / "raw" / "testdistrict.txt"),
                "--casebook",
                str(casebook),
                "-o",
                str(record),
            ]
        )
        == 0
    )
    assert capsys.readouterr().err.splitlines()[-1] == (
        "12 candidates, 11 parsed, 1 unparsed (近三成以上); 0 bare numbers not listed"
    )

    # The draft as written fails, and the messages say which field holds the placeholder.
    assert main(["validate", str(record)]) == 1
    err = capsys.readouterr().err
    assert "profile.area_kind: Input should be 'urban_district'" in err
    assert "facts[0].basis: Input should be 'stock'" in err and "(got 'TODO')" in err
    assert "facts[0].period.start: String should match pattern" in err
    assert "facts[11].period.end:" in err

    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    data["profile"].update(
        name_zh="某区",
        name_en="Mou District",
        city_zh="某市",
        city_en="Mou City",
        province_zh="某省",
        province_en="Mou Province",
        area_kind="urban_district",
        summary="A made-up report used to test drafting a record from a source.",
    )
    facts = {f["value"]: f for f in data["facts"]}
    period = {
        "text": "not stated",
        "start": "2019-01-01",
        "end": "2019-05-31",
        "reasoning": "The report is dated May 2019 and speaks of the present.",
    }
    facts["近500家"].update(
        indicator="orgs_total_scope_unstated",
        basis="stock",
        period=period,
        english="The district has nearly 500 social organizations.",
    )
    facts["1200余名"].update(
        indicator="volunteers_count",
        subject="volunteers registered in the district",
        basis="stock",
        period=period,
        english="The district has more than 1,200 registered volunteers.",
    )
    facts["1:4"].update(
        indicator="ratio_district_wide_to_community_groups",
        basis="rate",
        confidence="inferred",
        period={
            **period,
            "start": "2016-01-01",
            "reasoning": "The earlier of two ratios; the text dates neither, so before the report.",
        },
        english="The ratio of district-wide to community social groups went from 1:4 to 1:2.5.",
    )
    data["facts"] = [facts["近500家"], facts["1200余名"], facts["1:4"]]

    # With only the placeholders validation catches filled, the indicator is named next.
    half = {**data, "facts": [{**data["facts"][0], "indicator": PLACEHOLDER}]}
    record.write_text(yaml.safe_dump(half, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["validate", str(record)]) == 1
    assert "facts[0].indicator: unknown indicator 'TODO'" in capsys.readouterr().err

    record.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert placeholders(data) == []
    cb = govcases.load_casebook(casebook)
    got = cb.facts.set_index("id")[["indicator", "low", "high", "unit"]]
    assert got.loc["testdistrict-q001"].tolist() == ["orgs_total_scope_unstated", 450, 500, "organizations"]
    assert got.loc["testdistrict-q005"].tolist() == ["volunteers_count", 1200, 1300, "persons"]
    assert got.loc["testdistrict-q010"].tolist() == ["ratio_district_wide_to_community_groups", 4, 4, "ratio"]
    assert main(["validate", str(casebook)]) == 0


def test_placeholders_lists_what_validation_does_not_catch():
    text = draft_record(REPORT, district="testdistrict", source_id="testdistrict-source")
    left = placeholders(yaml.safe_load(text))
    for field in (
        "profile.name_zh",
        "profile.summary",
        "facts[0].indicator",
        "facts[0].english",
        "facts[0].period.text",
        "facts[0].period.reasoning",
    ):
        assert field in left


def test_validation_rejects_a_placeholder_left_in_english(new_project, capsys):
    casebook = new_project / "casebook"
    data = yaml.safe_load(draft_record(REPORT, district="testdistrict", source_id="testdistrict-source"))
    data["profile"].update(area_kind="urban_district")
    fact = data["facts"][1]
    fact.update(
        indicator="orgs_social_groups",
        basis="stock",
        period={"text": "not stated", "start": "2019-01-01", "end": "2019-05-31", "reasoning": "Test."},
    )
    data["facts"] = [fact]  # english is still TODO
    (casebook / "testdistrict.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["validate", str(casebook)]) == 1
    err = capsys.readouterr().err
    assert "facts[0].english: placeholder TODO left here" in err


def test_extract_defaults_and_errors(new_project, tmp_path, capsys):
    source = new_project / "data" / "raw" / "testdistrict.txt"
    assert main(["extract", str(source)]) == 0
    out = capsys.readouterr()
    data = yaml.safe_load(out.out)
    assert (data["district"], data["profile"]["sources"]) == ("testdistrict", ["testdistrict-source"])
    assert out.err.strip() == "12 candidates, 11 parsed, 1 unparsed (近三成以上); 0 bare numbers not listed"

    odd = tmp_path / "000_4c6f.txt"
    odd.write_text(REPORT, encoding="utf-8")
    assert main(["extract", str(odd)]) == 2
    assert "name the district with --district" in capsys.readouterr().err
    assert main(["extract", str(odd), "--district", "mou", "--source-id", "mou-2019"]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["facts"][0]["source"] == "mou-2019"
    assert main(["extract", str(tmp_path / "missing.txt")]) == 2
    assert "cannot read the source" in capsys.readouterr().err

    filled = tmp_path / "mou.yaml"
    filled.write_text("district: mou  # a record someone has filled in\n", encoding="utf-8")
    assert main(["extract", str(odd), "--district", "mou", "-o", str(filled)]) == 2
    assert "exists; the draft is not written over it" in capsys.readouterr().err
    assert filled.read_text(encoding="utf-8") == "district: mou  # a record someone has filled in\n"


# ------------------------------------------------------------------------------ issue 16, point 3
# Short sentences written for these tests (not from any source).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # spaces between number, qualifier and measure word, as PDF and web copies write them
        ("全区共有社会组织近 20 家", [("近 20 家", 18, 20, "nearly")]),
        ("设立服务站 10 个", [("10 个", 10, 10, "exact")]),
        ("累计投入 40 多万元", [("40 多万元", 400_000, 500_000, "more_than")]),
        # bounded forms are bounds, not exact figures
        ("登记在5个工作日内办结", [("5个工作日内", 0, 5, "at_most")]),
        ("以前起码要2天", [("起码要2天", 2, INF, "at_least")]),
        ("补助最多需要3万元", [("最多需要3万元", 0, 30_000, "at_most")]),
        ("会员不足50人", [("不足50人", 0, 50, "below")]),
    ],
)
def test_spaced_and_bounded_figures(text, expected):
    got = [(c.expression, c.quantity.low, c.quantity.high, c.quantity.qualifier) for c in find_quantities(text)]
    assert got == expected


@pytest.mark.parametrize("text", ["实行一次性告知", "推行一个门受理", "打造一站式服务", "推广“三成”模式"])
def test_ordinary_words_and_quoted_names_are_no_candidates(text):
    assert find_quantities(text) == []


def test_quotes_split_at_quotation_marks():
    text = "记者 张三 报道“今年全区新增社会组织30家,”区民政局负责人说。"
    (c,) = find_quantities(text)
    assert c.quote == "今年全区新增社会组织30家,"


def test_bare_numbers_are_counted_not_dropped():
    text = "2019年5月,全区共有社会组织近500家,其中3A级以上12家,热线12345。"
    cands = find_quantities(text)
    assert [c.expression for c in cands] == ["近500家", "12家"]
    assert skipped_numbers(text, cands) == ["3", "12345"]
    assert summary_line(cands, skipped_numbers(text, cands)) == (
        "2 candidates, 2 parsed, 0 unparsed; 2 bare numbers not listed (3, 12345)"
    )


def test_a_repeated_figure_is_one_candidate_with_every_place_kept():
    text = "某区25家社会组织参展。\n某区25家社会组织共计95人组成展团;其中25家为社会团体。"
    cands = find_quantities(text)
    assert [c.expression for c in cands] == ["25家", "95人"]
    first = cands[0]
    assert first.quote == "某区25家社会组织参展"
    assert [q for _, q in first.also] == ["某区25家社会组织共计95人组成展团", "其中25家为社会团体"]
    assert [text[s : s + 3] for s, _ in first.also] == ["25家", "25家"]
    assert skipped_numbers(text, cands) == []  # the repeats are places of a candidate, not bare numbers
    draft = format_draft(cands, district="mou", source_id="mou-report")
    assert draft.count("the same figure also stands in:") == 2


def test_the_end_day_of_a_span_of_dates_is_no_figure():
    assert find_quantities("11月5日~11日,25家社会组织参会")[0].expression == "25家"
    assert len(find_quantities("11月5日~11日,25家社会组织参会")) == 1
