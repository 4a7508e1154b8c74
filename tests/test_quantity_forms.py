"""The quantity forms of issue 11: bounds, vague counts, shares, growth, written numerals, refusals.

Every expected row was worked out by hand from the rules in :data:`govcases.records.quantity.QUALIFIERS`.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_quantity import spell_chinese

from govcases.records.quantity import MEASURE_WORDS, QUALIFIERS, QuantityError, parse_quantity, whole_figure_in

INF = math.inf
T, F = True, False

# Expressions as Chinese district reports write them:
# (text, value, low, high, low_closed, high_closed, qualifier, unit, growth)
FORMS = [
    # bounds after the measure word, never swallowed into it
    ("2万元以下", 20_000.0, 0.0, 20_000.0, T, T, "at_most", "元", F),
    ("5个工作日内", 5.0, 0.0, 5.0, T, T, "at_most", "个工作日", F),
    ("60日以内", 60.0, 0.0, 60.0, T, T, "at_most", "日", F),
    ("50万元封顶", 500_000.0, 0.0, 500_000.0, T, T, "at_most", "元", F),
    ("2万元起", 20_000.0, 20_000.0, INF, T, F, "at_least", "元", F),
    # bounds before the figure
    ("不超过3天", 3.0, 0.0, 3.0, T, T, "at_most", "天", F),
    ("最多跑一次", None, None, None, None, None, None, None, None),  # 跑 is no measure word: refused below
    ("至多5人", 5.0, 0.0, 5.0, T, T, "at_most", "人", F),
    ("最高20万元", 200_000.0, 0.0, 200_000.0, T, T, "at_most", "元", F),
    ("不足50人", 50.0, 0.0, 50.0, T, F, "below", "人", F),
    ("不到100家", 100.0, 0.0, 100.0, T, F, "below", "家", F),
    ("低于10%", 10.0, 0.0, 10.0, T, F, "below", "%", F),
    ("未满18岁", 18.0, 0.0, 18.0, T, F, "below", "岁", F),
    ("起码2天", 2.0, 2.0, INF, T, F, "at_least", "天", F),
    ("起码要2天", 2.0, 2.0, INF, T, F, "at_least", "天", F),
    ("不少于3名", 3.0, 3.0, INF, T, F, "at_least", "名", F),
    ("不低于30%", 30.0, 30.0, INF, T, F, "at_least", "%", F),
    # shares
    ("三成", 30.0, 30.0, 30.0, T, T, "exact", "%", F),
    ("近六成", 60.0, 54.0, 60.0, T, F, "nearly", "%", F),
    ("约三成", 30.0, 28.5, 31.5, T, T, "about", "%", F),
    ("三成多", 30.0, 30.0, 40.0, T, F, "more_than", "%", F),
    ("七八成", None, 70.0, 80.0, T, T, "adjacent", "%", F),
    ("三分之一", 100 / 3, 100 / 3, 100 / 3, T, T, "exact", "%", F),
    ("3分之2", 200 / 3, 200 / 3, 200 / 3, T, T, "exact", "%", F),
    ("超过三分之二", 200 / 3, 200 / 3, INF, F, F, "over", "%", F),
    ("千分之五", 5.0, 5.0, 5.0, T, T, "exact", "‰", F),
    ("一半", 50.0, 50.0, 50.0, T, T, "exact", "%", F),
    ("半数以上", 50.0, 50.0, INF, T, F, "at_least", "%", F),
    ("过半", 50.0, 50.0, INF, F, F, "over", "%", F),
    ("两年半", 2.5, 2.5, 2.5, T, T, "exact", "年", F),
    ("两年半多", 2.5, 2.5, 3.0, T, F, "more_than", "年", F),
    ("一个半月", 1.5, 1.5, 1.5, T, T, "exact", "个月", F),
    ("半年", 0.5, 0.5, 0.5, T, T, "exact", "年", F),
    # written numerals
    ("二〇一四年", 2014.0, 2014.0, 2014.0, T, T, "exact", "年", F),
    ("二零零八年", 2008.0, 2008.0, 2008.0, T, T, "exact", "年", F),
    ("壹佰万元", 1_000_000.0, 1_000_000.0, 1_000_000.0, T, T, "exact", "元", F),
    ("贰拾伍万元", 250_000.0, 250_000.0, 250_000.0, T, T, "exact", "元", F),
    # vague counts
    ("十几个", None, 11.0, 20.0, T, F, "vague", "个", F),
    ("二十几岁", None, 21.0, 30.0, T, F, "vague", "岁", F),
    ("十几万元", None, 110_000.0, 200_000.0, T, F, "vague", "元", F),
    ("几十个", None, 20.0, 100.0, T, F, "vague", "个", F),
    ("数百家", None, 200.0, 1000.0, T, F, "vague", "家", F),
    ("数十万元", None, 200_000.0, 1_000_000.0, T, F, "vague", "元", F),
    ("上千人", None, 1000.0, 10_000.0, T, F, "vague", "人", F),
    ("上万人次", None, 10_000.0, 100_000.0, T, F, "vague", "人次", F),
    ("十来个", 10.0, 9.0, 11.0, T, T, "around", "个", F),
    ("百来人", 100.0, 90.0, 110.0, T, T, "around", "人", F),
    ("万把元", 10_000.0, 9000.0, 11_000.0, T, T, "around", "元", F),
    ("三四十家", None, 30.0, 40.0, T, T, "adjacent", "家", F),
    ("一两个", None, 1.0, 2.0, T, T, "adjacent", "个", F),
    ("两三万人", None, 20_000.0, 30_000.0, T, T, "adjacent", "人", F),
    ("十五六个", None, 15.0, 16.0, T, T, "adjacent", "个", F),
    ("三五家", None, 3.0, 5.0, T, T, "adjacent", "家", F),
    # growth and multiples
    ("翻了一番", 2.0, 2.0, 2.0, T, T, "doubling", "倍", F),
    ("翻两番", 4.0, 4.0, 4.0, T, T, "doubling", "倍", F),
    ("增长3倍", None, 3.0, 4.0, T, T, "growth_multiple", "倍", T),
    ("增长了1.5倍", None, 1.5, 2.5, T, T, "growth_multiple", "倍", T),
    ("同比增长15.3%", 15.3, 15.3, 15.3, T, T, "exact", "%", T),
    ("比上年增长近20%", 20.0, 18.0, 20.0, T, F, "nearly", "%", T),
]
FORMS = [f for f in FORMS if f[3] is not None]


@pytest.mark.parametrize("row", FORMS, ids=[f[0] for f in FORMS])
def test_forms(row):
    text, value, low, high, low_closed, high_closed, qualifier, unit, growth = row
    q = parse_quantity(text)
    got = (q.value, q.low, q.high, q.low_closed, q.high_closed, q.qualifier, q.unit, q.growth)
    assert got == pytest.approx((value, low, high, low_closed, high_closed, qualifier, unit, growth))


REFUSED = [
    ("起码", "no figure"),
    ("最多跑一次", "no figure"),
    ("10²家", "superscript"),
    ("①", "circled"),
    ("⑵3家", "enclosed"),
    ("千家万户", "figure of speech"),
    ("成千上万", "figure of speech"),
    ("一次性", "figure of speech"),
    ("1、", "list marker"),
    ("(一)", "list marker"),
    ("第3个", "ordinal"),
    ("5起", "measure word for cases"),
    ("3家单位", "unknown measure word"),
    ("近十几个", "vague"),
    ("十几个以上", "vague"),
    ("增长近3倍", "growth multiple"),
    ("十三成", "at most ten"),
    ("三分之四", "above one"),
    ("二〇一四", "not a valid Chinese numeral"),
    ("不足0人", "positive"),
    ("大半", "no figure"),
    ("一二", "two digits in a row"),
    ("增长3倍多", "growth multiple"),
    ("近3年", "the last N 年"),
    ("近两个月", "the last N 个月"),
    ("十把", "unknown measure word"),
]


@pytest.mark.parametrize(("text", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_with_reason(text, reason):
    with pytest.raises(QuantityError) as info:
        parse_quantity(text)
    assert info.value.expression == text
    assert reason in str(info.value)


def test_unknown_unit_is_named_and_codebook_units_extend_the_lexicon():
    with pytest.raises(QuantityError, match='qualifier "以下" inside the unit "元以下"'):
        parse_quantity("2元以下以下")
    with pytest.raises(QuantityError, match='unknown measure word "单元"'):
        parse_quantity("3单元")
    assert parse_quantity("3单元", units={"单元"}).unit == "单元"
    assert parse_quantity("3元/人").unit == "元/人"


def test_every_row_has_a_reason_and_an_example_of_its_own():
    for rule in QUALIFIERS.values():
        assert rule.rule_en.endswith(".") and len(rule.rule_en) > 40
        assert parse_quantity(rule.example).qualifier == rule.name


# ---------------------------------------------------------------------------------- properties
UNITS = sorted(MEASURE_WORDS - {"%", "‰"})


@settings(derandomize=True, max_examples=300)
@given(n=st.integers(1, 10**8), unit=st.sampled_from(UNITS), word=st.sampled_from(["以下", "以内", "内", "封顶"]))
def test_at_most_after_any_unit_keeps_the_unit(n, unit, word):
    q = parse_quantity(f"{n}{unit}{word}")
    assert (q.unit, q.qualifier, q.low, q.high, q.high_closed) == (unit, "at_most", 0, n, True)
    assert q.contains(n) and not q.contains(n + 0.5)


@settings(derandomize=True, max_examples=300)
@given(n=st.integers(1, 10**8), unit=st.sampled_from(UNITS), word=st.sampled_from(["不足", "不到", "低于", "未满"]))
def test_below_excludes_the_figure(n, unit, word):
    q = parse_quantity(f"{word}{n}{unit}")
    assert q.qualifier == "below" and q.unit == unit
    assert not q.contains(n) and q.contains(n - 0.5) and q.contains(0)


@settings(derandomize=True, max_examples=300)
@given(n=st.integers(0, 10**6), tail=st.text(alphabet="甲乙丙丁戊己庚辛壬癸", min_size=1, max_size=3))
def test_text_after_a_figure_is_never_a_unit_unless_known(n, tail):
    with pytest.raises(QuantityError, match=f'unknown measure word "{tail}"'):
        parse_quantity(f"{n}{tail}")


_FIN = dict(zip("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟"))


@settings(derandomize=True, max_examples=300)
@given(n=st.integers(1, 99_999))
def test_financial_numerals_read_like_ordinary_ones(n):
    plain = spell_chinese(n)
    fin = "".join(_FIN.get(c, c) for c in plain)
    assert parse_quantity(fin + "元").value == parse_quantity(plain + "元").value == n


@settings(derandomize=True, max_examples=200)
@given(year=st.integers(1900, 2099))
def test_years_digit_by_digit(year):
    text = "".join("〇一二三四五六七八九"[int(d)] for d in str(year)) + "年"
    assert parse_quantity(text).value == year


@settings(derandomize=True, max_examples=300)
@given(
    lead=st.sampled_from(["几", "数", "上"]),
    place=st.sampled_from(["十", "百", "千", "万", "十万", "百万"]),
    unit=st.sampled_from(["", "家", "人", "元"]),
)
def test_vague_counts_are_half_open_and_ordered(lead, place, unit):
    q = parse_quantity(f"{lead}{place}{unit}")
    assert q.value is None and q.low_closed and not q.high_closed and q.low < q.high
    p = parse_quantity(f"{place}{unit}").value
    assert q.low >= p and q.high <= 10 * p


@settings(derandomize=True, max_examples=300)
@given(n=st.integers(1, 10**7), unit=st.sampled_from(["家", "个", "人", "元", "%", "名"]))
def test_a_value_is_whole_only_with_its_qualifier(n, unit):
    v = f"{n}{unit}"
    assert whole_figure_in(v, f"共{v},")
    for quote in (f"共1{v}", f"近{v}", f"约{v}", f"{n}余{unit}", f"{v}以上", f"{v}以下", f"不足{v}"):
        assert not whole_figure_in(v, quote), quote
    if unit == "%":
        return
    assert not whole_figure_in(str(n), f"共{n}万{unit}")


@pytest.mark.parametrize(
    ("value", "quote", "whole"),
    [
        ("33家", "全区共333家", False),
        ("0家", "近2000家", False),
        ("千万", "累计投入近千万", False),
        ("3万", "志愿者3万余名", False),
        ("10%", "保持10%以上增速", False),
        ("60日", "自受理之日起60日内", False),
        ("14家", "获得近14万元的经费补助,14家未通过评估", True),
        ("1个", "3个省级开发区,1个市级开发区", True),
        ("113127", "Lvyuan,population_change_2010_2020,113127,persons", True),
        ("655家", "共1,655家", False),
        ("3家", "签约3家", True),
        ("3家", "由3家起草单位", True),
        ("2万元", "补助2万元起", False),
    ],
)
def test_whole_figure_in_cases(value, quote, whole):
    assert whole_figure_in(value, quote) is whole


# ---------------------------------------------------------------------------------- cn2an's cases
# A peer suite: the numeral cases published in cn2an's own tests (https://github.com/Ailln/cn2an,
# file cn2an/cn2an_test.py, MIT licence, (c) Ailln). Only the facts (numeral strings and their
# values) are taken. Its "strict" cases must give the same value; its refusals must be refused. Its
# "normal" mode also reads digits one by one (一一 = 11, 一七二零 = 1720) and a bare 点 (点一 = 0.1);
# we read digits one by one only in years written with 年, so those stay refused (counted below).
CN2AN_STRICT = {
    "一": 1,
    "两": 2,
    "十": 10,
    "十一": 11,
    "一十一": 11,
    "一百一十一": 111,
    "一千一百一十一": 1111,
    "一万一千一百一十一": 11111,
    "一十一万一千一百一十一": 111111,
    "一百一十一万一千一百一十一": 1111111,
    "一千一百一十一万一千一百一十一": 11111111,
    "一亿一千一百一十一万一千一百一十一": 111111111,
    "一十一亿一千一百一十一万一千一百一十一": 1111111111,
    "一百一十一亿一千一百一十一万一千一百一十一": 11111111111,
    "一千一百一十一亿一千一百一十一万一千一百一十一": 111111111111,
    "壹": 1,
    "拾": 10,
    "拾壹": 11,
    "壹拾壹": 11,
    "壹佰壹拾壹": 111,
    "壹仟壹佰壹拾壹": 1111,
    "壹万壹仟壹佰壹拾壹": 11111,
    "壹拾壹万壹仟壹佰壹拾壹": 111111,
    "壹佰壹拾壹万壹仟壹佰壹拾壹": 1111111,
    "壹仟壹佰壹拾壹万壹仟壹佰壹拾壹": 11111111,
    "壹亿壹仟壹佰壹拾壹万壹仟壹佰壹拾壹": 111111111,
    "壹拾壹亿壹仟壹佰壹拾壹万壹仟壹佰壹拾壹": 1111111111,
    "壹佰壹拾壹亿壹仟壹佰壹拾壹万壹仟壹佰壹拾壹": 11111111111,
    "壹仟壹佰壹拾壹亿壹仟壹佰壹拾壹万壹仟壹佰壹拾壹": 111111111111,
    "一百零一": 101,
    "一千零一": 1001,
    "一千零一十一": 1011,
    "一千一百零一": 1101,
    "一万零一": 10001,
    "一万零一十一": 10011,
    "一万零一百一十一": 10111,
    "一十万零一": 100001,
    "一百万零一": 1000001,
    "一千万零一": 10000001,
    "一千零一万一千零一": 10011001,
    "一千零一万零一": 10010001,
    "一亿零一": 100000001,
    "一十亿零一": 1000000001,
    "一百亿零一": 10000000001,
    "一千零一亿一千零一万一千零一": 100110011001,
    "一千亿一千万一千零一": 100010001001,
    "一千亿零一": 100000000001,
    **{"零点" + "零" * k + "一": 10.0 ** -(k + 1) for k in range(15)},
}
CN2AN_NORMAL_ONLY = {
    "十万": 100000,
    "十万零一": 100001,
    "十亿零一万零一": 1000010001,
    "一一": 11,
    "一一一": 111,
    "一一一一": 1111,
    "拾万零壹": 100001,
    "拾亿零壹万零壹": 1000010001,
    "壹壹": 11,
    "壹壹壹": 111,
    "壹壹壹壹": 1111,
    "零点": 0,
    "零点零": 0,
    "零点零零": 0,
    "点零": 0,
    "点一": 0.1,
    "一七二零": 1720,
    "一七二零点一": 1720.1,
    "一七二零点一三四": 1720.134,
}
CN2AN_REFUSED = ["一一", "壹壹", "零点", "点零", "点一", "零点点", "零点零大"]
# The normal-mode cases we refuse on purpose: digits one by one outside a year, and 点 with no
# digit on one side.
NOT_READ_ON_PURPOSE = {
    k for k in CN2AN_NORMAL_ONLY if k not in ("十万", "十万零一", "十亿零一万零一", "拾万零壹", "拾亿零壹万零壹")
}
NOT_READ_ON_PURPOSE -= {"零点零", "零点零零"}


def test_cn2an_has_its_published_numbers_of_cases():
    assert (len(CN2AN_STRICT), len(CN2AN_NORMAL_ONLY), len(CN2AN_REFUSED)) == (62, 19, 7)


@pytest.mark.parametrize(("text", "value"), sorted(CN2AN_STRICT.items()))
def test_cn2an_strict_values(text, value):
    assert parse_quantity(text).value == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize(("text", "value"), sorted(CN2AN_NORMAL_ONLY.items()))
def test_cn2an_normal_values_or_refused_on_purpose(text, value):
    if text in NOT_READ_ON_PURPOSE:
        with pytest.raises(QuantityError):
            parse_quantity(text)
    else:
        assert parse_quantity(text).value == pytest.approx(value)


@pytest.mark.parametrize("text", CN2AN_REFUSED)
def test_cn2an_malformed_inputs_are_refused(text):
    with pytest.raises(QuantityError):
        parse_quantity(text)
