"""Shared fixtures: a throw-away copy of the project in which tests may write records."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config):
    """Validated records are cached in a folder of this run, never in the user's own cache.

    A test run then neither reads results a different checkout left in ~/.cache/govcases nor leaves
    its own there. Set before any test, doctest or notebook kernel starts, all of which inherit it.
    """
    if "GOVCASES_CACHE_DIR" not in os.environ:
        os.environ["GOVCASES_CACHE_DIR"] = tempfile.mkdtemp(prefix="govcases-test-cache-")
        _seed_font_cache(Path(os.environ["GOVCASES_CACHE_DIR"]))


def _seed_font_cache(folder: Path) -> None:
    """Copy the Chinese figures' TrueType font from the user's cache, or make it once, before any worker.

    The font is Noto Sans SC converted to TrueType outlines (:func:`govcases.publish.style.truetype_cjk_font`),
    about 20 s of CPU; its file name holds the SHA-256 of everything it is made from, so a copy
    from the user's cache (left by `make`) is the same bytes. Made here, in the controlling
    process, so that test workers do not each convert it at once.
    """
    from govcases.publish.style import truetype_cjk_font
    from govcases.records.cache import _user_cache_dir

    try:
        for font in (Path(_user_cache_dir()) / "fonts").glob("NotoSansSC-Regular-truetype-*.ttf"):
            (folder / "fonts").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(font, folder / "fonts" / font.name)
    except OSError:  # no user cache: the font is made below
        pass
    truetype_cjk_font()


#: A small valid record built from real passages of the Zhenhai source.
VALID_RECORD = """\
district: zhenhai
profile:
  name_zh: 镇海区
  name_en: Zhenhai District
  city_zh: 宁波市
  city_en: Ningbo
  province_zh: 浙江省
  province_en: Zhejiang
  area_kind: urban_district
  sources: [zhenhai-2015-report]
  summary: A test record with three facts from the Zhenhai report.
facts:
  - id: zhenhai-orgs-registered
    indicator: orgs_registered
    value: 333家
    basis: stock
    source: zhenhai-2015-report
    quote: 全区登记注册的法人社会组织共333家(社会团体138家,民办非企业单位195家)
    english: The district has 333 registered legal-person social organizations.
    period:
      text: 目前
      start: 2014-01-01
      end: 2015-04-21
      reasoning: Test record.
    confidence: stated
  - id: zhenhai-growth
    indicator: growth_rate_yoy
    subject: all organizations (the text does not say which count)
    value: 10%以上
    basis: rate
    source: zhenhai-2015-report
    quote: 连续多年保持10%以上增速
    english: Growth has stayed above 10% for several years.
    period: {text: 连续多年, start: 2010-01-01, end: 2014-12-31, reasoning: Test record.}
    confidence: stated
  - id: zhenhai-funding-cumulative
    indicator: funding_total_all_instruments
    value: 近千万
    basis: cumulative
    source: zhenhai-2015-report
    quote: 至今,累计投入各类扶持资金近千万
    english: Nearly ten million yuan of support funds have been put in so far.
    period: {text: 至今, start: 2012-01-01, end: 2015-04-21, reasoning: Test record.}
    confidence: stated
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's data and codebook with one valid record; returns its casebook folder."""
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    shutil.copytree(ROOT / "data" / "external", tmp_path / "data" / "external")
    casebook = tmp_path / "casebook"
    casebook.mkdir()
    shutil.copy(ROOT / "casebook" / "codebook.yaml", casebook / "codebook.yaml")
    (casebook / "zhenhai.yaml").write_text(VALID_RECORD, encoding="utf-8")
    return casebook


# ---------------------------------------------------------------------------- the five original cases
#: The districts the project started with. Tests that pin results computed across the whole
#: casebook (a clustering, a truth table, a count of districts with a feature) compute them on these
#: five, so that a district added to the casebook leaves them true; what any casebook must satisfy is
#: written as a property instead. Adding a district never changes this tuple.
ORIGINAL = ("beilun", "longhua", "lvyuan", "minhang", "zhenhai")


@pytest.fixture(scope="session")
def five():
    """The project's casebook restricted to the five original districts."""
    import govcases

    return govcases.load_casebook(ROOT / "casebook").select(ORIGINAL)


# ---------------------------------------------------------------------------- the project's build, once per run
def project_build_is_current(root: Path = ROOT) -> bool:
    """Whether ``root/build`` was made by `make` from exactly these inputs (its colophon says so).

    The colophon names every input (versions, commit, casebook and inputs checksums), so a build/
    left from other inputs is never used.
    """
    from govcases.publish.build import _colophon_text, colophon

    path = root / "build" / "COLOPHON.txt"
    return path.is_file() and path.read_text(encoding="utf-8") == _colophon_text(colophon())


@pytest.fixture(scope="session")
def project_build(tmp_path_factory) -> tuple[Path, Path]:
    """The build of the project's own inputs, as (build folder, processed folder), made once per test run.

    It is `make`'s build/ and data/processed when the colophon says they were made from these very
    inputs (the README's order, `make` then `make test`, and the CI's). Otherwise it is built once
    into a folder that all the test workers of this run share: the first worker to ask builds it
    while the others wait on a lock, instead of each test file building its own.
    """
    import fcntl
    import io

    from govcases.publish.build import build

    if project_build_is_current():
        return ROOT / "build", ROOT / "data" / "processed"
    # one folder per run, common to the xdist workers (each has its own basetemp below it)
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "project-build"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (shared / "done").exists():
            build(shared / "build", processed=shared / "processed", stream=io.StringIO())
            (shared / "done").touch()
    return shared / "build", shared / "processed"


# ---------------------------------------------------------------------------- helpers for district tests
def district_facts(district: str):
    """The facts of one district's record, loaded and validated on their own."""
    import govcases

    frame = govcases.load_casebook(ROOT / "casebook" / f"{district}.yaml").facts
    return frame[frame["district"] == district]


def features(facts, indicator: str) -> set[str]:
    """The values of a category indicator among ``facts``."""
    return set(facts.loc[facts["indicator"] == indicator, "value_text"])


def period(row) -> tuple[str, str]:
    """A fact row's resolved reference period."""
    return row["period_start"], row["period_end"]


#: Test files whose module fixtures build the project (tens of seconds each), and the JupyterLab
#: test (seconds spent mostly waiting for a server). They are queued first so that, run in parallel
#: (pytest-xdist, one file per worker at a time), each starts early while the quick tests fill the
#: gaps, instead of one of them starting last.
SLOW_FIRST = ("tests/test_new_district.py", "tests/test_build.py", "tests/test_lab.py")


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        try:
            path = item.path.resolve().relative_to(ROOT).as_posix()
        except ValueError:  # collected from outside the project
            return len(SLOW_FIRST)
        return SLOW_FIRST.index(path) if path in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the order within each file and among the others is kept
