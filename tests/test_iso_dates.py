"""Dates: one reading of ``YYYY-MM-DD`` (records.models.parse_iso_date), used wherever a date is read."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib

import pytest

from govcases.analysis import registration
from govcases.records.intervals import period_gap
from govcases.records.models import parse_iso_date
from govcases.records.sources import MANIFEST_COLUMNS, SourceError, load_manifest


def test_an_iso_date_is_read_and_anything_else_refused():
    assert parse_iso_date("2012-02-29") == dt.date(2012, 2, 29)
    for text in ("2013-02-29", "2013-13-01"):
        with pytest.raises(ValueError, match="is not a calendar date"):
            parse_iso_date(text)
    # 20130314 and 2013-W11-4 are ISO 8601 too, and date.fromisoformat takes them: records do not
    for value in (
        "20130314",
        "2013-W11-4",
        "2013/3/14",
        "2013-3-14",
        " 2013-03-14",
        "2013-03-14\n",
        "２０１３-03-14",
        None,
    ):
        with pytest.raises(ValueError, match=r"YYYY-MM-DD|calendar date"):
            parse_iso_date(value)


def test_a_page_date_in_the_manifest_is_read_the_same_way(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_bytes(b"x\n")
    sha = hashlib.sha256(b"x\n").hexdigest()
    with (tmp_path / "raw" / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(MANIFEST_COLUMNS)
        writer.writerow(["a", "raw/a.txt", "x", "title", "news-report", "", "2013-02-29", "", sha])
    with pytest.raises(SourceError, match=r"manifest.csv:2: column 'page_date': 2013-02-29 is not a calendar date"):
        load_manifest(tmp_path)


def test_a_date_of_the_national_policy_table_is_read_the_same_way(tmp_path):
    from govcases.records.paths import project_paths

    text = (project_paths()[1] / registration.NATIONAL_POLICY_FILE).read_text(encoding="utf-8")
    assert ",2013-03-14,date," in text
    copy = tmp_path / "national_policy.csv"
    copy.write_text(text.replace(",2013-03-14,date,", ",2013/3/14,date,", 1), encoding="utf-8")
    # pandas alone would have read 2013/3/14 without a word
    with pytest.raises(ValueError, match=r"national_policy.csv:\d+: column 'value': write the date as YYYY-MM-DD"):
        registration.national_reforms(path=copy)


def test_periods_are_read_the_same_way():
    assert period_gap(("2014-01-01", "2014-12-31"), ("2015-01-01", "2015-01-01")).low == 1 / 365.25
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        period_gap(("2014-1-1", "2014-12-31"), ("2015-01-01", "2015-01-01"))
