"""A page with no printed date or title: explicit fields in the manifest, never a silent empty cell."""

from __future__ import annotations

import csv
import hashlib

import pytest

from govcases.records.sources import MANIFEST_COLUMNS, PAGE_DATE_BASES, SourceError, load_manifest


def _manifest(tmp_path, *, title="某区社会组织", page_date="", basis=None, kind="news-report"):
    (tmp_path / "raw").mkdir(exist_ok=True)
    (tmp_path / "raw" / "a.txt").write_bytes(b"x\n")
    header = list(MANIFEST_COLUMNS) + ([] if basis is None else ["page_date_basis"])
    row = ["a", "raw/a.txt", "x", title, kind, "", page_date, "", hashlib.sha256(b"x\n").hexdigest()]
    row += [] if basis is None else [basis]
    with (tmp_path / "raw" / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, row])
    return tmp_path


@pytest.mark.parametrize(
    ("page_date", "basis", "expected"),
    [
        ("2015-04-21", "printed", "printed"),
        ("2015-04-21", "elsewhere", "elsewhere"),
        ("2015-04-21", "", "printed"),  # an empty cell beside a date keeps the old meaning
        ("2015-04-21", None, "printed"),  # and so does a manifest without the column
        ("", "unknown", "unknown"),
    ],
)
def test_accepted_combinations(tmp_path, page_date, basis, expected):
    source = load_manifest(_manifest(tmp_path, page_date=page_date, basis=basis))["a"]
    assert source.page_date == page_date and source.page_date_basis == expected
    assert expected in PAGE_DATE_BASES


@pytest.mark.parametrize(
    ("page_date", "basis", "column", "words"),
    [
        ("", None, "page_date", "page_date_basis unknown"),  # no column: an empty date must be explained
        ("", "", "page_date", "page_date_basis unknown"),
        ("", "printed", "page_date", "but page_date_basis is 'printed'"),
        ("", "elsewhere", "page_date", "but page_date_basis is 'elsewhere'"),
        ("2015-04-21", "unknown", "page_date_basis", "'unknown' beside the date"),
        ("2015-04-21", "guessed", "page_date_basis", "unknown value 'guessed'"),
    ],
)
def test_refused_combinations_name_line_and_column(tmp_path, page_date, basis, column, words):
    root = _manifest(tmp_path, page_date=page_date, basis=basis)
    with pytest.raises(SourceError) as info:
        load_manifest(root)
    message = str(info.value)
    assert "manifest.csv:2:" in message and f"column {column!r}" in message and words in message


def test_an_empty_title_is_refused(tmp_path):
    with pytest.raises(SourceError, match=r"manifest.csv:2: column 'title': empty; .*square brackets"):
        load_manifest(_manifest(tmp_path, title="  ", page_date="2015-04-21"))
    # a page without a printed title is described in brackets, and that is accepted
    root = _manifest(tmp_path, title="[no printed title] report on 某区", page_date="2015-04-21")
    assert load_manifest(root)["a"].title.startswith("[no printed title]")


def test_an_external_table_needs_no_page_date(tmp_path):
    assert load_manifest(_manifest(tmp_path, kind="external-table"))["a"].page_date_basis == ""


def test_the_repository_manifest_says_which_dates_are_printed():
    sources = load_manifest()
    for source in sources.values():
        if source.kind != "external-table":
            assert source.page_date_basis in PAGE_DATE_BASES
            assert (source.page_date_basis == "unknown") == (source.page_date == "")
