"""Tests for govcases.records.sources: manifests, checksums and the cleaning pipeline.

Cleaning rules are exercised on passages taken from the real pages in ``data/raw/``; each such
test first checks that the passage really is in the raw file, so a test cannot pass on text
the sources never contained.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcases.records.sources import (
    BOILERPLATE_LINE_PATTERNS,
    END_OF_ARTICLE_PATTERNS,
    KINDS,
    MANIFEST_COLUMNS,
    MIN_REPEAT_CHARS,
    RUNNING_HEADER_PATTERNS,
    Source,
    SourceError,
    clean_text,
    data_dir,
    drop_boilerplate,
    drop_repeated_paragraphs,
    load_manifest,
    match_key,
    normalize_punctuation,
    quote_in_source,
    read_raw,
    require_checksums,
    strip_pinyin_glosses,
    to_simplified,
    verify_checksums,
)

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
# The shared seed folder sits next to the repository checkout (/work/shared next to /work/main).
SEEDS = REPO.parent / "shared" / "seeds"

RAW_IDS = {
    "beilun-workshop-news": "000_4c6fb82d14592538.txt",
    "lvyuan-2020-report": "001_c18e9876bbf932d8.txt",
    "zhenhai-2015-report": "002_d09323e79a695f9a.txt",
    "minhang-2015-ji": "003_c0eed032443f3609.txt",
    "longhua-2014-feature": "004_373af792bfbc9f2d.txt",
}
EXTERNAL_ID = "ext-population-area"
EXTERNAL_IDS = {
    EXTERNAL_ID: "district_population_area.csv",
    "ext-national-policy": "national_policy.csv",
    "ext-yardstick": "social_organizations_yardstick.csv",
    "ext-policy-context": "policy_context.csv",
}


@pytest.fixture(scope="module")
def sources() -> dict[str, Source]:
    return load_manifest()


@pytest.fixture(scope="module")
def raw_texts(sources) -> dict[str, str]:
    return {sid: read_raw(sources[sid]) for sid in RAW_IDS}


@pytest.fixture(scope="module")
def clean_texts(raw_texts) -> dict[str, str]:
    return {sid: clean_text(text) for sid, text in raw_texts.items()}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------
# Manifests and raw files
# ---------------------------------------------------------------------------


def test_data_dir_is_repository_data_folder():
    assert data_dir() == DATA.resolve()


def test_manifest_lists_the_five_seeds_and_the_external_tables(sources):
    # the five seeds and the external tables; a district added later brings its own rows
    assert set(RAW_IDS) | set(EXTERNAL_IDS) <= set(sources)
    assert {sid for sid, s in sources.items() if s.file.startswith("external/")} == set(EXTERNAL_IDS)
    for sid, name in RAW_IDS.items():
        assert sources[sid].file == f"raw/{name}"
        assert sources[sid].path == (DATA / "raw" / name).resolve()
        assert sources[sid].path.is_absolute()
    ext = sources[EXTERNAL_ID]
    assert ext.file == "external/district_population_area.csv"
    assert ext.kind == "external-table"
    assert ext.district == ""


def test_manifest_files_are_utf8_lf_with_exact_header():
    for manifest in (DATA / "raw" / "manifest.csv", DATA / "external" / "manifest.csv"):
        data = manifest.read_bytes()
        assert b"\r" not in data
        text = data.decode("utf-8")
        # the required columns first, then optional ones (page_date_basis)
        assert text.splitlines()[0].split(",")[: len(MANIFEST_COLUMNS)] == list(MANIFEST_COLUMNS)
    ext_rows = list(csv.DictReader((DATA / "external" / "manifest.csv").open(encoding="utf-8")))
    # every table in data/external is listed, once
    assert sorted(r["file"] for r in ext_rows) == sorted(
        f"external/{p.name}" for p in (DATA / "external").glob("*.csv") if p.name != "manifest.csv"
    )


def test_raw_folder_holds_exactly_the_manifest_files(sources):
    listed = {s.path.name for s in sources.values() if s.file.startswith("raw/")}
    on_disk = {p.name for p in (DATA / "raw").glob("*.txt")}
    assert listed == on_disk
    assert set(RAW_IDS.values()) <= listed


def test_every_checksum_matches(sources):
    assert verify_checksums(sources) == []
    require_checksums(sources)


@pytest.mark.parametrize("source_id", [*RAW_IDS, EXTERNAL_ID])
def test_checksum_matches_file_bytes(sources, source_id):
    source = sources[source_id]
    assert _sha256(source.path) == source.sha256
    assert verify_checksums([source]) == []


@pytest.mark.parametrize("name", sorted(RAW_IDS.values()))
def test_raw_file_is_byte_identical_to_seed(name):
    seed = SEEDS / name
    if not SEEDS.is_dir():
        pytest.skip(f"shared seed folder {SEEDS} is not available in this checkout")
    assert (DATA / "raw" / name).read_bytes() == seed.read_bytes()


def test_external_table_is_byte_identical_to_shared_copy(sources):
    shared = SEEDS.parent / "external" / "district_population_area.csv"
    if not shared.is_file():
        pytest.skip(f"shared external table {shared} is not available in this checkout")
    assert sources[EXTERNAL_ID].path.read_bytes() == shared.read_bytes()


@pytest.mark.parametrize("source_id", list(RAW_IDS))
def test_manifest_metadata_is_printed_on_the_page(sources, raw_texts, source_id):
    # Titles and addresses must be copied from the page, never invented.
    source = sources[source_id]
    assert source.kind in KINDS
    assert source.title and source.title in raw_texts[source_id]
    if source.url:
        assert source.url in raw_texts[source_id]
    if source.page_date:
        assert source.page_date in raw_texts[source_id]


def test_manifest_dates_and_urls(sources):
    assert sources["beilun-workshop-news"].page_date == ""
    assert sources["lvyuan-2020-report"].page_date == "2020-03-28"
    assert sources["zhenhai-2015-report"].page_date == "2015-04-21"
    assert sources["minhang-2015-ji"].page_date == "2023-04-20"
    assert sources["longhua-2014-feature"].page_date == "2021-02-10"
    assert sources["minhang-2015-ji"].url.startswith("https://www.dywdw.cn/")
    assert [s for s in sources.values() if s.url] == [sources["minhang-2015-ji"]]


# ---------------------------------------------------------------------------
# Manifest and file errors (all on a throw-away data folder)
# ---------------------------------------------------------------------------


def _write_manifest(path: Path, rows: list[list[str]], header=MANIFEST_COLUMNS) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _row(source_id: str, file: str, sha: str, kind: str = "news-report") -> list[str]:
    return [source_id, file, "x", "标题", kind, "", "2014-01-01", "", sha]  # a printed date


@pytest.fixture()
def tiny_root(tmp_path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_bytes("社会组织\n".encode())
    (raw / "b.txt").write_bytes("社会团体\n".encode())
    return tmp_path


def _sha_of(root: Path, name: str) -> str:
    return _sha256(root / "raw" / name)


def test_tiny_manifest_loads(tiny_root):
    _write_manifest(
        tiny_root / "raw" / "manifest.csv",
        [
            _row("a", "raw/a.txt", _sha_of(tiny_root, "a.txt")),
            _row("b", "raw/b.txt", _sha_of(tiny_root, "b.txt")),
        ],
    )
    loaded = load_manifest(tiny_root)
    assert list(loaded) == ["a", "b"]
    assert verify_checksums(loaded) == []
    assert read_raw(loaded["a"]) == "社会组织\n"


def test_missing_raw_manifest_is_an_error(tmp_path):
    with pytest.raises(SourceError, match=re.escape(str(tmp_path / "raw" / "manifest.csv"))):
        load_manifest(tmp_path)


def test_missing_column_names_file_line_and_column(tiny_root):
    header = [c for c in MANIFEST_COLUMNS if c != "kind"]
    manifest = _write_manifest(
        tiny_root / "raw" / "manifest.csv",
        [["a", "raw/a.txt", "x", "t", "", "", "", _sha_of(tiny_root, "a.txt")]],
        header=header,
    )
    with pytest.raises(SourceError) as info:
        load_manifest(tiny_root)
    message = str(info.value)
    assert f"{manifest}:1:" in message
    assert "'kind'" in message


def test_duplicate_id_names_file_and_both_lines(tiny_root):
    manifest = _write_manifest(
        tiny_root / "raw" / "manifest.csv",
        [
            _row("a", "raw/a.txt", _sha_of(tiny_root, "a.txt")),
            _row("a", "raw/b.txt", _sha_of(tiny_root, "b.txt")),
        ],
    )
    with pytest.raises(SourceError) as info:
        load_manifest(tiny_root)
    message = str(info.value)
    assert f"{manifest}:3:" in message
    assert f"{manifest}:2" in message
    assert "duplicate" in message


def test_duplicate_id_across_manifests(tiny_root):
    _write_manifest(tiny_root / "raw" / "manifest.csv", [_row("a", "raw/a.txt", _sha_of(tiny_root, "a.txt"))])
    external = _write_manifest(
        tiny_root / "external" / "manifest.csv",
        [_row("a", "raw/b.txt", _sha_of(tiny_root, "b.txt"), kind="external-table")],
    )
    with pytest.raises(SourceError, match=re.escape(f"{external}:2:")):
        load_manifest(tiny_root)


def test_unknown_kind_names_line_and_column(tiny_root):
    manifest = _write_manifest(
        tiny_root / "raw" / "manifest.csv",
        [_row("a", "raw/a.txt", _sha_of(tiny_root, "a.txt"), kind="blog-post")],
    )
    with pytest.raises(SourceError) as info:
        load_manifest(tiny_root)
    assert f"{manifest}:2:" in str(info.value)
    assert "'kind'" in str(info.value)
    assert "blog-post" in str(info.value)


def test_missing_file_names_line_and_path(tiny_root):
    manifest = _write_manifest(tiny_root / "raw" / "manifest.csv", [_row("a", "raw/nope.txt", "0" * 64)])
    with pytest.raises(SourceError) as info:
        load_manifest(tiny_root)
    assert f"{manifest}:2:" in str(info.value)
    assert "nope.txt" in str(info.value)


@pytest.mark.parametrize(
    ("column", "value"),
    [("page_date", "28/03/2020"), ("sha256", "abc"), ("file", "../a.txt"), ("url", "www.x.cn")],
)
def test_invalid_values_name_the_column(tiny_root, column, value):
    row = dict(zip(MANIFEST_COLUMNS, _row("a", "raw/a.txt", _sha_of(tiny_root, "a.txt"))))
    row[column] = value
    manifest = _write_manifest(tiny_root / "raw" / "manifest.csv", [list(row.values())])
    with pytest.raises(SourceError) as info:
        load_manifest(tiny_root)
    assert f"{manifest}:2:" in str(info.value)
    assert repr(column) in str(info.value)


def test_wrong_checksum_is_reported_with_the_file(tiny_root):
    _write_manifest(tiny_root / "raw" / "manifest.csv", [_row("a", "raw/a.txt", "0" * 64)])
    loaded = load_manifest(tiny_root)
    problems = verify_checksums(loaded)
    assert len(problems) == 1
    assert str(tiny_root / "raw" / "a.txt") in problems[0]
    with pytest.raises(SourceError, match=re.escape(str(tiny_root / "raw" / "a.txt"))):
        require_checksums(loaded)


def test_non_utf8_file_names_the_file_and_line(tiny_root):
    bad = tiny_root / "raw" / "bad.txt"
    bad.write_bytes("第一行\n".encode() + "第二行".encode("gbk") + b"\n")
    _write_manifest(tiny_root / "raw" / "manifest.csv", [_row("bad", "raw/bad.txt", _sha256(bad))])
    source = load_manifest(tiny_root)["bad"]
    with pytest.raises(SourceError) as info:
        read_raw(source)
    assert f"{bad}:2:" in str(info.value)
    assert "UTF-8" in str(info.value)


def test_module_import_does_no_work():
    # Importing must not build the OpenCC converter (dictionary loading is I/O).
    code = (
        "import govcases.records.sources as s; "
        "assert s._t2s_converter.cache_info().currsize == 0; "
        "assert s.match_key.cache_info().currsize == 0"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=REPO)


# ---------------------------------------------------------------------------
# Cleaning steps on real passages
# ---------------------------------------------------------------------------


def _raw_line(raw_texts, source_id: str, needle: str) -> str:
    """Return the raw line containing ``needle`` (asserting the page really has it)."""
    lines = [line for line in raw_texts[source_id].splitlines() if needle in line]
    assert lines, f"{needle!r} not in {source_id}"
    return lines[0]


def test_beilun_title_becomes_simplified_without_glosses(raw_texts, clean_texts):
    title = raw_texts["beilun-workshop-news"].splitlines()[0]
    assert title == "寧波北侖創(chuàng)新社會(huì)管理讓老百姓過(guò)上***生活"
    assert to_simplified(strip_pinyin_glosses(title)) == "宁波北仑创新社会管理让老百姓过上***生活"
    assert clean_texts["beilun-workshop-news"].splitlines()[0] == "宁波北仑创新社会管理让老百姓过上***生活"


@pytest.mark.parametrize(
    ("passage", "expected"),
    [
        ("定向捐贈(zèng)", "定向捐贈"),
        ("創(chuàng)新社會(huì)管理", "創新社會管理"),
        ("(不含慈善總會(huì))", "(不含慈善總會)"),
        ("截至去年底,全區(qū)社會(huì)組織登記備案數(shù)達(dá)1655家", "截至去年底,全區社會組織登記備案數達1655家"),
    ],
)
def test_pinyin_glosses_on_beilun_passages(raw_texts, passage, expected):
    assert passage in raw_texts["beilun-workshop-news"]
    assert strip_pinyin_glosses(passage) == expected


def test_beilun_has_no_gloss_left_after_cleaning(clean_texts):
    text = clean_texts["beilun-workshop-news"]
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", text)
    assert "(不含慈善总会)" in text
    assert "定向捐赠" in text


@pytest.mark.parametrize(
    "kept",
    [
        "(社会团体138家,民办非企业单位195家)",  # Zhenhai: Chinese in parentheses
        "(试行)",
        "(莘庄工业区)",
        "(不含慈善總會)",
        "协会(WFA)",  # uppercase acronym
        "通知(email)",  # lowercase word that is not one pinyin syllable
        "全区 (de)",  # not directly after a character
        "2015(de)",  # after a digit, not a character
    ],
)
def test_real_parenthesised_text_is_kept(kept):
    assert strip_pinyin_glosses(kept) == kept


@pytest.mark.parametrize(
    ("glossed", "expected"),
    [
        ("好的(de)人", "好的人"),  # neutral tone, no mark
        ("绿(lǜ)色", "绿色"),
        ("绿(lü)色", "绿色"),
        ("女(nv)士", "女士"),
        ("創（chuàng）新", "創新"),  # full-width parentheses
        ("創(chuàng)(chuang)新", "創新"),  # consecutive glosses go in one step
    ],
)
def test_gloss_variants_are_removed(glossed, expected):
    assert strip_pinyin_glosses(glossed) == expected


def test_to_simplified_is_idempotent_on_every_clean_text(clean_texts):
    for text in clean_texts.values():
        assert to_simplified(text) == text


def test_to_simplified_keeps_minhang_ocr_typos(raw_texts):
    line = _raw_line(raw_texts, "minhang-2015-ji", "阂行区")
    assert "阂行区" in to_simplified(line)


def test_normalize_full_width_forms():
    assert normalize_punctuation("社会团体138家，民办非企业单位195家；（试行）：ＷＦＡ") == (
        "社会团体138家,民办非企业单位195家;(试行):WFA\n"
    )
    assert normalize_punctuation("\u3000\u3000龙华新区\u3000成立") == "龙华新区 成立\n"
    assert normalize_punctuation("a\u200bb\r\nc\td  e \n") == "ab\nc d e\n"


def test_normalize_ratio_sign_on_longhua(raw_texts):
    line = _raw_line(raw_texts, "longhua-2014-feature", "1∶36.5")
    normalized = normalize_punctuation(line)
    assert "由1:36.5缩小到1:4.38" in normalized
    assert "∶" not in normalized


def test_normalize_strips_indentation_and_keeps_paragraphs(raw_texts):
    normalized = normalize_punctuation(raw_texts["longhua-2014-feature"])
    lines = normalized.split("\n")
    assert all(line == line.strip() for line in lines)
    assert "\n\n" not in normalized and normalized.endswith("\n")
    # Separate paragraphs of the page stay separate.
    assert "转变政府职能——力推社会组织“接力”" in lines


def test_longhua_mid_sentence_breaks_are_joined(raw_texts, clean_texts):
    raw = raw_texts["longhua-2014-feature"]
    assert "争取更大成效”;\n    《人民日报》近日也专门刊文" in raw
    assert "发挥市场的作用;\n    向社会放权" in raw
    lines = clean_texts["longhua-2014-feature"].split("\n")
    assert any("争取更大成效”;《人民日报》近日也专门刊文" in line for line in lines)
    assert any("发挥市场的作用;向社会放权" in line and "都下放到基层。" in line for line in lines)
    assert any("1万-3万的初创经费支持" in line for line in lines)
    assert quote_in_source(
        "还为在新区正式登记注册的社会团体提供1万-3万的初创经费支持", clean_texts["longhua-2014-feature"]
    )


def test_lvyuan_paragraph_starting_with_comma_is_joined(raw_texts, clean_texts):
    assert "社区公益行\n\n,展开活动14场" in raw_texts["lvyuan-2020-report"]
    assert any("举行社会组织社区公益行,展开活动14场" in line for line in clean_texts["lvyuan-2020-report"].split("\n"))


def test_minhang_sentence_split_by_page_header_is_rejoined(raw_texts, clean_texts):
    raw = raw_texts["minhang-2015-ji"]
    assert "《可承接政府购买\n\n\n龙源期刊网 http://www.qikan.com.cn\n\n公共服务项目的社会组织名录》" in raw
    lines = clean_texts["minhang-2015-ji"].split("\n")
    assert any("和《可承接政府购买公共服务项目的社会组织名录》。二是" in line for line in lines)


# Real boilerplate from the pages; none of it may survive cleaning.
BOILERPLATE_SNIPPETS = [
    ("beilun-workshop-news", "更多内容推荐"),
    ("beilun-workshop-news", "三角架配1吨3米手拉葫芦使用方法"),
    ("beilun-workshop-news", "集装箱拉紧器固定方法"),
    ("lvyuan-2020-report", "您当前的位置"),
    ("lvyuan-2020-report", "金融保险"),
    ("lvyuan-2020-report", "宝宝不消化吃甚么"),
    ("lvyuan-2020-report", "好医生祖宗宝多久可以退烧"),
    ("lvyuan-2020-report", "推荐阅读"),
    ("lvyuan-2020-report", "图文聚焦"),
    ("minhang-2015-ji", "第一文档网"),
    ("minhang-2015-ji", "[ 字体: ]"),
    ("minhang-2015-ji", "文档下载"),
    ("minhang-2015-ji", "仅供预览"),
    ("minhang-2015-ji", "小编为您整理"),
    ("minhang-2015-ji", "北碚,闵行区,组织建设,启示,经验"),
    ("minhang-2015-ji", "龙源期刊网"),
    ("minhang-2015-ji", "qikan.com.cn"),
    ("minhang-2015-ji", "本文来源"),
    ("minhang-2015-ji", "dywdw.cn"),
    ("minhang-2015-ji", "相关推荐"),
    ("longhua-2014-feature", "大范文网"),
    ("longhua-2014-feature", "每天发现一点点"),
    ("longhua-2014-feature", "每天学习一点点"),
    ("longhua-2014-feature", "工作计划格式"),
    ("longhua-2014-feature", "党风廉政建设"),
    ("longhua-2014-feature", "本文已影响"),
    ("longhua-2014-feature", "分类:"),
    ("longhua-2014-feature", "相关热词搜索"),
    ("longhua-2014-feature", "相关文章"),
]


@pytest.mark.parametrize(("source_id", "snippet"), BOILERPLATE_SNIPPETS)
def test_boilerplate_snippet_is_removed(raw_texts, clean_texts, source_id, snippet):
    before = normalize_punctuation(to_simplified(strip_pinyin_glosses(raw_texts[source_id])))
    assert snippet in before
    assert snippet not in clean_texts[source_id]


ALL_MARKERS = [
    pytest.param(regex, id=f"{label}:{i}")
    for i, (label, regex) in enumerate(BOILERPLATE_LINE_PATTERNS + END_OF_ARTICLE_PATTERNS + RUNNING_HEADER_PATTERNS)
]


@pytest.mark.parametrize("source_id", list(RAW_IDS))
@pytest.mark.parametrize("pattern", ALL_MARKERS)
def test_no_marker_line_survives(clean_texts, source_id, pattern):
    rx = re.compile(pattern)
    assert [line for line in clean_texts[source_id].split("\n") if rx.search(line)] == []


@pytest.mark.parametrize("source_id", list(RAW_IDS))
def test_no_bullet_line_survives(clean_texts, source_id):
    assert not re.search(r"^(?:[•·]|- )", clean_texts[source_id], flags=re.M)


def test_end_marker_before_any_body_only_drops_itself():
    body = "社会组织要成长,除了培育、孵化,还要进一步解除登记管理的“束缚”,营造宽松适宜的发展土壤和环境。"
    assert drop_boilerplate(f"推荐阅读\n{body}\n") == f"{body}\n"
    assert drop_boilerplate(f"{body}\n推荐阅读\n{body}\n") == f"{body}\n"


def test_short_bullet_runs_and_lists_in_body_are_kept():
    text = "• 一项\n• 两项\n正文。\n"
    assert drop_boilerplate(text) == text
    sentences = "• 简化登记程序。\n• 取消审批。\n• 缩短时限。\n"
    assert drop_boilerplate(sentences) == sentences


def test_zhenhai_duplicate_body_is_dropped(raw_texts, clean_texts):
    raw_lines = raw_texts["zhenhai-2015-report"].splitlines()
    assert raw_lines[3:15] == raw_lines[15:27]  # the page prints lines 4-15 again as 16-27
    key = match_key(clean_texts["zhenhai-2015-report"])
    assert key.count(match_key("全区登记注册的法人社会组织共333家")) == 1
    for paragraph in raw_lines[3:15]:
        assert key.count(match_key(paragraph)) == 1, paragraph[:20]
    assert len(clean_texts["zhenhai-2015-report"].splitlines()) == 15


def test_short_repeated_lines_are_kept(clean_texts):
    # The Minhang page prints its title above the site chrome and again above the article.
    lines = clean_texts["minhang-2015-ji"].splitlines()
    assert lines.count("闵行区社会组织建设经验对北碚的启示") == 2
    assert len("闵行区社会组织建设经验对北碚的启示") < MIN_REPEAT_CHARS
    short = "一、基本情况\n正文第一段。\n一、基本情况\n"
    assert drop_repeated_paragraphs(short) == short


def test_repeated_paragraph_uses_whitespace_normalized_comparison():
    paragraph = "龙华新区还通过增加资金投入,加大对社会组织的扶持力度。"
    assert drop_repeated_paragraphs(f"{paragraph}\n{paragraph.replace(',', ',  ')}\n") != ""
    spaced = paragraph.replace("投入", "投入 ")
    assert drop_repeated_paragraphs(f"{spaced}\n{spaced.replace(' ', '   ')}\n") == f"{spaced}\n"


@pytest.mark.parametrize(
    ("source_id", "typo"),
    [
        ("minhang-2015-ji", "阂行区"),
        ("minhang-2015-ji", "新司题"),
        ("minhang-2015-ji", "尝政府扶持"),
        ("zhenhai-2015-report", "已8有家"),
        ("lvyuan-2020-report", "2是培育公益组织"),
        ("longhua-2014-feature", "越多越多的中介型社会组织"),
    ],
)
def test_typos_in_the_page_are_not_corrected(clean_texts, source_id, typo):
    assert typo in clean_texts[source_id]


KEY_FIGURES = [
    ("beilun-workshop-news", "1655家"),
    ("beilun-workshop-news", "1282家"),
    ("beilun-workshop-news", "720多万"),
    ("beilun-workshop-news", "229家"),
    ("lvyuan-2020-report", "287家"),
    ("lvyuan-2020-report", "130余家"),
    ("lvyuan-2020-report", "286家"),
    ("zhenhai-2015-report", "333家"),
    ("zhenhai-2015-report", "1154家"),
    ("zhenhai-2015-report", "6.35个"),
    ("minhang-2015-ji", "253.22万人"),
    ("minhang-2015-ji", "371.68平方公里"),
    ("minhang-2015-ji", "2013年底"),
    ("longhua-2014-feature", "近430家"),
    ("longhua-2014-feature", "244家"),
    ("longhua-2014-feature", "1.73家"),
    ("longhua-2014-feature", "280多万"),
    ("longhua-2014-feature", "830万元"),
]


@pytest.mark.parametrize(("source_id", "figure"), KEY_FIGURES)
def test_key_figures_survive_cleaning(clean_texts, source_id, figure):
    assert figure in clean_texts[source_id]


@pytest.mark.parametrize("source_id", list(RAW_IDS))
def test_clean_text_format(clean_texts, source_id):
    text = clean_texts[source_id]
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\n\n" not in text and "\r" not in text
    for line in text[:-1].split("\n"):
        assert line and line == line.strip()
        assert "  " not in line


@pytest.mark.parametrize("source_id", list(RAW_IDS))
def test_clean_text_is_idempotent(clean_texts, source_id):
    once = clean_texts[source_id]
    assert clean_text(once) == once


@pytest.mark.parametrize("source_id", list(RAW_IDS))
def test_clean_text_is_deterministic(raw_texts, clean_texts, source_id):
    assert clean_text(raw_texts[source_id]) == clean_texts[source_id]


def test_clean_text_of_nothing():
    assert clean_text("") == ""
    assert clean_text(" \n\u3000\n") == ""


# ---------------------------------------------------------------------------
# Quote matching
# ---------------------------------------------------------------------------


def test_match_key_removes_all_whitespace():
    assert match_key("全区 登记注册的\n法人社会组织\u3000共333家") == "全区登记注册的法人社会组织共333家"


def test_quote_matching_ignores_whitespace(clean_texts):
    assert quote_in_source("全区 登记注册的\n 法人社会组织共333家", clean_texts["zhenhai-2015-report"])


def test_traditional_quote_found_in_simplified_text(clean_texts):
    assert quote_in_source("全區社會組織登記備案數達1655家", clean_texts["beilun-workshop-news"])
    assert quote_in_source("創(chuàng)新社會(huì)管理", clean_texts["beilun-workshop-news"])


def test_full_width_comma_equals_half_width(clean_texts):
    text = clean_texts["zhenhai-2015-report"]
    assert quote_in_source("(社会团体138家，民办非企业单位195家)", text)
    assert quote_in_source("（社会团体138家，民办非企业单位195家）", text)
    assert match_key("138家，民办") == match_key("138家,民办")


def test_ratio_sign_quote_matches(clean_texts):
    assert quote_in_source("比例由1∶36.5缩小到1∶4.38", clean_texts["longhua-2014-feature"])


def test_quote_not_in_source(clean_texts):
    assert not quote_in_source("全区社会组织登记备案数达1656家", clean_texts["beilun-workshop-news"])
    assert not quote_in_source("闵行区", clean_texts["zhenhai-2015-report"])
    assert not quote_in_source(" \n", clean_texts["zhenhai-2015-report"])


def test_boilerplate_is_not_quotable(clean_texts):
    assert not quote_in_source("宝宝不消化怎么办", clean_texts["lvyuan-2020-report"])


# ---------------------------------------------------------------------------
# Property tests
# ---------------------------------------------------------------------------

_ALPHABET = list(
    "社会組織组织創创新會会总總区區家万人"  # Traditional and Simplified characters
    "abcdehinuàǎüWFA0123"  # pinyin-ish and other Latin letters, digits
    "()（）,，;；:：、。!！?？∶“”•-"  # ASCII and full-width punctuation, bullets
    " \t\n\r\u3000\u00a0\u200b"  # assorted whitespace and a zero-width space
)
_texts = st.text(alphabet=st.sampled_from(_ALPHABET), max_size=60)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(_texts)
def test_normalize_punctuation_is_idempotent(text):
    once = normalize_punctuation(text)
    assert normalize_punctuation(once) == once


@settings(derandomize=True, max_examples=300, deadline=None)
@given(_texts)
def test_match_key_is_idempotent(text):
    key = match_key(text)
    assert match_key(key) == key
    assert not re.search(r"\s", key)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(_texts)
def test_clean_text_is_idempotent_on_generated_text(text):
    once = clean_text(text)
    assert clean_text(once) == once


# Parentheses are left out here on purpose: a line that starts with a pinyin-shaped group
# such as "(a)" right after a line ending in a character is read as a gloss once whitespace
# is gone (see match_key), so quoting that line alone would not match.
_texts_without_parens = st.text(alphabet=st.sampled_from([ch for ch in _ALPHABET if ch not in "()（）"]), max_size=60)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(_texts_without_parens, _texts_without_parens)
def test_quote_from_clean_text_is_always_found(prefix, text):
    clean = clean_text(prefix + text)
    for line in clean.splitlines():
        assert quote_in_source(line, clean)


# ---------------------------------------------------------------------------
# Shortcuts in the cleaning code must give exactly what the plain rules give.


_CLEANING_PIECES = [
    "創(chuàng)新",
    "會(huì)",
    " ",
    "  ",
    "\u3000",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\u200b",
    "\xa0",
    "，",
    ",",
    "。",
    "、",
    "首页 > 新闻",
    "您当前的位置: 首页",
    "相关推荐",
    "• 工作计划",
    "龍源期刊網 http://www.qikan.com.cn",
    "上一篇: x",
    "仅供预览",
    "小编为您整理",
    "本文已影响",
    "- 吊具链条 2024-03-14",
    "北碚,闵行区,组织建设,启示,经验",
    "(a)",
    "萬",
    "- a",
    "* b",
    "社会组织发展报告",
    "很长的一段正文内容,还有更多的文字在这里" * 3,
]


def test_only_the_ascii_space_is_printable_whitespace():
    # _collapse_hspace relies on it: a printable line holds no whitespace but the ASCII space
    printable_space = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c.isprintable()]
    assert printable_space == [" "]


@settings(derandomize=True, max_examples=400)
@given(st.lists(st.sampled_from([*_CLEANING_PIECES, "\x0b", "\x1c", "\u2028", "\u205f", "a b"]), max_size=30))
def test_whitespace_shortcut_agrees_with_the_regex(pieces):
    from govcases.records.sources import _HSPACE_RE, _collapse_hspace

    text = "".join(pieces)
    assert _collapse_hspace(text) == _HSPACE_RE.sub(" ", text)


def test_anchored_marker_patterns_can_only_match_at_the_start():
    # _may_be_marker tries the patterns that start with ^ with re.match, which is exact only if
    # such a pattern cannot match anywhere else (no alternative outside the anchor)
    from re import _parser

    from govcases.records.sources import _MARKER_PATTERNS

    anchored = [p for p in _MARKER_PATTERNS if p.startswith("^")]
    assert anchored
    for pattern in anchored:
        first = _parser.parse(pattern).data[0]
        assert first == (_parser.AT, _parser.AT_BEGINNING), pattern


@settings(derandomize=True, max_examples=400)
@given(st.lists(st.sampled_from(_CLEANING_PIECES), max_size=6))
def test_marker_prefilter_agrees_with_the_patterns(pieces):
    from govcases.records.sources import _MARKER_PATTERNS, _may_be_marker

    line = "".join(pieces).replace("\n", "")
    assert _may_be_marker(line) == any(re.search(p, line) for p in _MARKER_PATTERNS)


def test_marker_prefilter_on_every_line_of_the_sources(raw_texts):
    from govcases.records.sources import _MARKER_PATTERNS, _may_be_marker

    lines = [line for raw in raw_texts.values() for line in normalize_punctuation(to_simplified(raw)).split("\n")]
    assert any(_may_be_marker(line) for line in lines)  # the pages do have boilerplate
    for line in lines:
        assert _may_be_marker(line) == any(re.search(p, line) for p in _MARKER_PATTERNS), line


@settings(derandomize=True, max_examples=400)
@given(st.lists(st.sampled_from([*_CLEANING_PIECES, "\x0b", "\x1c", "\u2028", "\u205f", "a b", "\r"]), max_size=30))
def test_whitespace_removal_shortcut_agrees_with_the_regex(pieces):
    from govcases.records.sources import _ANY_SPACE_RE, _remove_whitespace

    text = "".join(pieces)
    assert _remove_whitespace(text) == _ANY_SPACE_RE.sub("", text)
