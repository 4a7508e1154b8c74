"""Sentences written from the casebook, and the check for prose that counts the districts."""

from __future__ import annotations

import nbformat
import pytest

from govcases.publish.notebooks import notebook_paths, prose_warnings
from govcases.publish.prose import count_words, fixed_counts, names, share


@pytest.mark.parametrize(
    ("k", "n", "noun", "expected"),
    [
        (5, 5, "sources", "all five sources"),
        (9, 9, "districts", "all nine districts"),
        (12, 12, "districts", "all 12 districts"),
        (3, 9, "", "three of the nine"),
        (0, 6, "districts", "none of the six districts"),
        (2, 2, "", "both"),
        (0, 2, "sources", "neither of the two sources"),
        (1, 1, "", "the only one of the"),
    ],
)
def test_share_in_words(k, n, noun, expected):
    assert share(k, n, noun) == expected


@pytest.mark.parametrize(("k", "n"), [(-1, 3), (4, 3)])
def test_share_refuses_impossible_counts(k, n):
    with pytest.raises(ValueError, match="between none and all"):
        share(k, n)


def test_count_words_switch_to_digits_after_ten():
    assert [count_words(n) for n in (0, 1, 10, 11)] == ["no", "one", "ten", "11"]


def test_names_follow_the_casebook_and_refuse_strangers(five):
    assert names(five, ["zhenhai", "longhua", "beilun"]).count(" and ") == 1
    assert names(five, ["zhenhai", "longhua", "beilun"]).startswith("Beilun District, ")
    assert names(five, []) == "no district"
    with pytest.raises(KeyError, match="nowhere"):
        names(five, ["nowhere"])


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("All five name government purchase.", ["All five"]),
        ("Four of the five sources describe a reform.", ["Four of the five sources"]),
        ("Three sources name a model; two district reports.", ["Three sources", "two district"]),
        ("Five districts are five\ncases.", ["Five districts", "five\ncases"]),
        ("these five", ["these five"]),
        # not counts of the cases: figures, years, a pair just named
        ("24 district-wide groups in the 2020 census", []),
        ("the 2014 New District", []),
        ("the two ratios differ; the three years", []),
        ("Each district's source names its instruments.", []),
    ],
)
def test_fixed_counts(text, found):
    assert fixed_counts(text) == found


def test_prose_warnings_name_the_cell_and_the_phrase():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("print('all five districts')"),  # code is not prose
        nbformat.v4.new_markdown_cell("All five\nname it."),
    ]
    assert prose_warnings(nb) == ["cell 3 names a fixed number: 'All five'"]


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_no_committed_notebook_names_a_fixed_number_of_districts(path):
    # prose that counts the districts is written from the casebook, so that it stays true as it grows
    assert prose_warnings(nbformat.read(path, as_version=4)) == []
