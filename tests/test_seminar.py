"""The seminar notebook's answer key, the checker, and the recoding helpers.

The key's numbers were worked out by hand from the casebook facts (its explanations show how). Each
worked answer below is computed with the same library calls as notebook 06; that the checker calls
it correct is the test that the hand-worked key and the library agree.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

import govcases
from govcases.analysis import funding, growth, qca, seminar, typology
from govcases.records.intervals import Interval

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "06-seminar-exercises.ipynb"
KEY = ROOT / "src" / "govcases" / "analysis" / "keys" / "seminar-exercises.yaml"
REASON = "a district incubation park and a service centre in every town and street read as two tiers"


@pytest.fixture(scope="module")
def cb(five):
    # results across the casebook are pinned to the five original districts (tests/conftest.py)
    return five


@pytest.fixture(scope="module")
def key():
    return seminar.load_key()


@pytest.fixture(scope="module")
def notebook():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))


def _code(notebook) -> list[str]:
    return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]


def _hint(key, exercise: str) -> str:
    return " ".join(key[exercise]["hint"].split())


# ---------------------------------------------------------------------------- worked answers, as in the notebook
def worked_denominators(cb):
    dens = growth.densities(cb)
    stated = dens[dens["density_from"] == "stated in the source"].set_index("density_id")
    return {
        "choice": "stated",
        "zhenhai": stated.loc["zhenhai-orgs-per-10k", "density_point"],
        "longhua": stated.loc["longhua-orgs-per-10k-at-founding", "density_point"],
    }


def worked_recode(cb):
    matrix = typology.condition_matrix(cb)
    before = seminar.rerun(cb, matrix)
    after = seminar.rerun(cb, seminar.recode(matrix, "minhang", "multi_tier_network", reason=REASON))
    return {
        "jaccard_before": before["similarity"].loc["minhang", "longhua"],
        "jaccard_after": after["similarity"].loc["minhang", "longhua"],
        "groups_changed": before["partition"] != after["partition"],
        "solution_after": after["qca"]["parsimonious"].text,
    }


def worked_nearly_430(cb):
    near = govcases.parse_quantity(cb.facts.set_index("id").loc["longhua-orgs-total-now", "value_text"])
    row = growth.derived_growth(cb).set_index("end_id").loc["longhua-orgs-total-now"]
    return {
        "count": (near.low, near.high),
        "years": (row["years_low"], row["years_high"]),
        "rate": (row["cagr_low"], row["cagr_high"]),
    }


def worked_per_year(cb):
    yearly = funding.per_year(cb)
    undated = (yearly["basis"] == "cumulative") & ~yearly["normalized"]
    venture = yearly.set_index("id").loc["zhenhai-venture-philanthropy-amount"]
    return {
        "per_year": sorted(yearly.loc[yearly["normalized"], "id"]),
        "cumulative_undated": sorted(yearly.loc[undated, "id"]),
        "venture_per_year": (venture["per_year_low"], venture["per_year_high"]),
    }


def worked_conversion(cb):
    test = seminar.conversion_test(
        cb, "longhua-incubated-district-centre", "longhua-incubated-street-community-centres"
    )
    return {
        "district_centre_ci": test["ci_a"],
        "street_community_ci": test["ci_b"],
        "z": test["z"],
        "p_value": test["p_value"],
        "reading": "yardstick",
    }


def worked_absence(cb):
    counts = cb.coverage().loc[list(growth.COUNT_INDICATORS)]
    no_count = [d for d in cb.districts if counts[d].sum() == 0]
    return {
        "districts_without_count": no_count,
        "indicators": sorted(i for i in counts.index if counts.loc[i].drop(no_count).sum() > 0),
        "reading": "unknown",
    }


WORKED = {
    "denominators": worked_denominators,
    "recode": worked_recode,
    "nearly-430": worked_nearly_430,
    "per-year": worked_per_year,
    "conversion": worked_conversion,
    "absence": worked_absence,
}


# ---------------------------------------------------------------------------- the key
def test_key_loads_with_safe_load_and_every_entry_is_complete(key):
    import yaml

    raw = yaml.safe_load(KEY.read_text(encoding="utf-8"))
    assert set(raw["exercises"]) == set(key)
    for ex_id, entry in key.items():
        for field in ("answer", "hint", "explanation", "title", "facts"):
            assert entry.get(field), f"{ex_id}: {field} is empty"


def test_key_covers_every_check_cell_of_the_notebook(key, notebook):
    called = [m for src in _code(notebook) for m in re.findall(r"seminar\.check\(\s*[\"']([^\"']+)[\"']", src)]
    assert len(called) == len(set(called)), "an exercise is checked twice"
    assert set(called) == set(key), "key and notebook disagree on the exercises"
    assert set(key) == set(WORKED), "this test file lacks a worked answer for an exercise"


def test_key_cites_facts_that_exist(cb, key):
    ids = set(cb.facts["id"])
    for ex_id, entry in key.items():
        unknown = [f for f in entry["facts"] if f not in ids]
        assert not unknown, f"{ex_id}: unknown fact ids {unknown}"
        uncited = [f for f in entry["facts"] if f not in entry["explanation"]]
        assert not uncited, f"{ex_id}: the explanation does not say how {uncited} is used"


# ---------------------------------------------------------------------------- key and library agree
@pytest.mark.parametrize("exercise", list(WORKED))
def test_worked_answer_from_the_library_matches_the_key(cb, exercise):
    verdict = seminar.check(exercise, WORKED[exercise](cb))
    assert verdict.correct, verdict.message
    assert verdict.message == "correct"


def test_the_committed_notebook_shows_every_check_as_correct(notebook):
    verdicts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code" and "seminar.check(" in "".join(cell["source"]):
            texts = ["".join(o.get("data", {}).get("text/plain", o.get("text", ""))) for o in cell["outputs"]]
            verdicts.append(" ".join(texts))
    assert verdicts and all(v.endswith(": correct") for v in verdicts), verdicts


def _answer_from_spec(spec):
    """The key's own answer, written as a student would."""
    kind = next(k for k in spec if k in seminar.SPEC_KINDS)
    value = spec[kind]
    if kind == "between":
        return (value[0] + value[1]) / 2
    if kind == "interval":
        return tuple(value)
    if kind == "one_of":
        return value[0]
    if kind == "set":
        return list(reversed(value))  # order must not matter
    return value


@pytest.mark.parametrize("exercise", list(WORKED))
def test_check_says_correct_for_the_keys_own_answer(key, exercise):
    answer = {part: _answer_from_spec(spec) for part, spec in key[exercise]["answer"].items()}
    assert seminar.check(exercise, answer).correct


# ---------------------------------------------------------------------------- wrong answers
def _census_based(cb):
    """Exercise 1 answered with every count over its 2020 census: the tempting wrong answer."""
    dens = growth.densities(cb)
    derived = dens[dens["density_from"] == "derived"].set_index(["count_id", "population_id"])
    return {
        "choice": "census",
        "zhenhai": derived.loc[("zhenhai-orgs-registered", "zhenhai-population-census-2020"), "density_point"],
        "longhua": derived.loc[("longhua-orgs-total-at-founding", "longhua-population-census-2020"), "density_point"],
    }


def test_census_based_density_is_not_yet_right_and_gets_the_hint(cb, key):
    answer = _census_based(cb)
    assert round(answer["zhenhai"], 2) == 6.52  # 333 / 510,462 x 10,000, the figure students will find
    verdict = seminar.check("denominators", answer)
    assert not verdict.correct
    assert verdict.message.startswith("not yet, hint: " + _hint(key, "denominators"))
    assert "choice" in verdict.message and "zhenhai" in verdict.message


def _replace(answer: dict, **parts) -> dict:
    return {**answer, **parts}


WRONG = [
    ("denominators", lambda a, cb: _replace(a, zhenhai=6.52), "zhenhai"),
    ("denominators", lambda a, cb: _replace(a, choice="managed"), "choice"),
    ("recode", lambda a, cb: _replace(a, groups_changed=True), "groups_changed"),
    ("recode", lambda a, cb: _replace(a, groups_changed=0), "groups_changed"),  # 0 is not False
    ("recode", lambda a, cb: _replace(a, jaccard_after=a["jaccard_before"]), "jaccard_after"),
    ("nearly-430", lambda a, cb: _replace(a, count=430), "count"),  # a point, not the interval
    ("nearly-430", lambda a, cb: _replace(a, count=(387, 430), rate=(16.6, 16.6)), "rate"),
    ("per-year", lambda a, cb: _replace(a, per_year=a["per_year"][:-1]), "per_year"),
    ("per-year", lambda a, cb: _replace(a, cumulative_undated=a["per_year"]), "cumulative_undated"),
    ("per-year", lambda a, cb: _replace(a, per_year="zhenhai-venture-philanthropy-amount"), "per_year"),
    ("conversion", lambda a, cb: _replace(a, reading="better"), "reading"),
    ("conversion", lambda a, cb: _replace(a, p_value=0.05), "p_value"),
    ("absence", lambda a, cb: _replace(a, reading="absent"), "reading"),
    ("absence", lambda a, cb: _replace(a, districts_without_count=[]), "districts_without_count"),
]


@pytest.mark.parametrize("exercise, wrong, part", WRONG, ids=[f"{e}-{p}" for e, _, p in WRONG])
def test_a_wrong_part_is_not_yet_right_and_named(cb, key, exercise, wrong, part):
    verdict = seminar.check(exercise, wrong(WORKED[exercise](cb), cb))
    assert not verdict.correct
    assert verdict.message.startswith("not yet, hint: " + _hint(key, exercise))
    assert re.search(rf"look again at: .*\b{re.escape(part)}\b", verdict.message)


def test_check_accepts_forms_a_student_may_write(cb):
    answer = worked_denominators(cb)
    assert seminar.check("denominators", _replace(answer, choice="  Stated ")).correct  # case and blanks
    assert seminar.check("denominators", _replace(answer, zhenhai=6.35, longhua=1.73)).correct
    assert not seminar.check("denominators", _replace(answer, zhenhai="6.35")).correct  # a text is not a number
    near = worked_nearly_430(cb)
    assert seminar.check("nearly-430", _replace(near, count=Interval(387, 430, 430))).correct
    assert seminar.check("nearly-430", _replace(near, count=[387.2, 429.9])).correct  # within tolerance 0.5
    per = worked_per_year(cb)
    assert seminar.check("per-year", _replace(per, per_year=set(per["per_year"]) | {per["per_year"][0]})).correct


def test_missing_parts_and_wrong_shapes_are_answers_not_errors():
    verdict = seminar.check("recode", {"jaccard_before": 0.4})
    assert not verdict.correct and "jaccard_after (missing)" in verdict.message
    verdict = seminar.check("recode", 0.4)
    assert not verdict.correct and "dict with the parts jaccard_before" in verdict.message
    assert not seminar.check("nearly-430", {"count": None, "years": "1.7-3", "rate": (float("nan"), 38.6)}).correct


def test_unknown_exercise_is_a_clear_error(key):
    with pytest.raises(seminar.UnknownExercise) as err:
        seminar.check("denominator", {"choice": "stated"})
    assert isinstance(err.value, LookupError)
    message = str(err.value)
    assert "'denominator'" in message and str(KEY) in message
    assert all(ex_id in message for ex_id in key)


def test_verdict_is_a_small_frozen_record():
    verdict = seminar.check("absence", {"districts_without_count": [], "indicators": [], "reading": "unknown"})
    assert (verdict.exercise, verdict.correct) == ("absence", False)
    assert str(verdict) == f"absence: {verdict.message}"
    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.correct = True  # type: ignore[misc]


# ---------------------------------------------------------------------------- another key
def test_check_reads_another_key(tmp_path):
    path = tmp_path / "key.yaml"
    path.write_text(
        "exercises:\n"
        "  one:\n"
        "    answer: {number: 2.5, tolerance: 0.1}\n"
        "    hint: think of halves\n"
        "    explanation: 5 / 2\n"
        "  open-above:\n"
        "    answer: {between: [10, .inf]}\n"
        "    hint: 以上 has no upper bound\n"
        "    explanation: 10%以上\n",
        encoding="utf-8",
    )
    assert seminar.check("one", 2.55, key_path=path).correct
    wrong = seminar.check("one", 2.7, key_path=path)
    assert wrong.message == "not yet, hint: think of halves [look again at: the answer]"
    assert seminar.check("open-above", 1e9, key_path=path).correct
    with pytest.raises(seminar.UnknownExercise, match="its exercises are: one, open-above"):
        seminar.check("denominators", 1, key_path=path)


@pytest.mark.parametrize(
    "entry, complaint",
    [
        ("    answer: {string: x}\n    explanation: y\n", "missing hint"),
        ("    answer: {number: 1}\n    hint: h\n    explanation: y\n", "needs a numeric 'tolerance'"),
        ("    answer: {set: a}\n    hint: h\n    explanation: y\n", "must be a list of texts"),
        ("    answer: {boolean: 'no'}\n    hint: h\n    explanation: y\n", "must be a true or false"),
        ("    answer: {between: [3, 1]}\n    hint: h\n    explanation: y\n", "low <= high"),
        ("    answer: {part: {sett: [a]}}\n    hint: h\n    explanation: y\n", "ex.answer.part"),
        ("    answer: 3\n    hint: h\n    explanation: y\n", "a spec or a mapping"),
    ],
)
def test_a_malformed_key_says_where(tmp_path, entry, complaint):
    path = tmp_path / "key.yaml"
    path.write_text("exercises:\n  ex:\n" + entry, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(complaint)) as err:
        seminar.load_key(path)
    assert str(path) in str(err.value)


# ---------------------------------------------------------------------------- recoding
def test_recode_changes_a_copy_and_records_why(cb):
    matrix = typology.condition_matrix(cb)
    once = seminar.recode(matrix, "minhang", "multi_tier_network", reason=REASON)
    assert matrix.loc["minhang", "multi_tier_network"] == 0 and once.loc["minhang", "multi_tier_network"] == 1
    assert "recodes" not in matrix.attrs
    changed = (once != matrix).stack()
    assert list(changed[changed].index) == [("minhang", "multi_tier_network")]  # one cell, no other
    twice = seminar.recode(once, "beilun", "incubator", value=1, reason="hypothetical")
    assert [(r["district"], r["condition"], r["before"], r["after"]) for r in twice.attrs["recodes"]] == [
        ("minhang", "multi_tier_network", 0, 1),
        ("beilun", "incubator", 0, 1),
    ]
    assert twice.attrs["recodes"][0]["reason"] == REASON


@pytest.mark.parametrize(
    "args, error, text",
    [
        (("nowhere", "incubator"), KeyError, "no district 'nowhere'"),
        (("minhang", "no_such_condition"), KeyError, "typology.RULES"),
    ],
)
def test_recode_refuses_unknown_cells(cb, args, error, text):
    with pytest.raises(error, match=text):
        seminar.recode(typology.condition_matrix(cb), *args, reason="x")


def test_recode_refuses_other_codes_and_silent_edits(cb):
    matrix = typology.condition_matrix(cb)
    with pytest.raises(ValueError, match="coded 0 or 1"):
        seminar.recode(matrix, "minhang", "incubator", value=2, reason="x")
    with pytest.raises(ValueError, match="give the reason"):
        seminar.recode(matrix, "minhang", "incubator", reason="  ")


def test_recode_effect_lists_every_other_district_and_what_did_not_move(cb):
    effect = seminar.recode_effect(cb, "minhang", "multi_tier_network", reason=REASON).set_index("what")
    others = [d for d in cb.districts if d != "minhang"]
    assert [w for w in effect.index if w.startswith("Jaccard")] == [f"Jaccard minhang~{d}" for d in others]
    assert effect.loc["minhang / multi_tier_network", ["before", "after"]].tolist() == ["0", "1"]
    assert not effect.loc["parsimonious solution", "changed"]
    assert effect.loc["minhang QCA outcome", "after"] == "no count"  # why the QCA cannot move


def test_rerun_uses_the_matrix_it_is_given(cb):
    matrix = typology.condition_matrix(cb)
    # Zhenhai without its lottery fund: no condition separates it from Longhua any more
    run = seminar.rerun(cb, seminar.recode(matrix, "zhenhai", "lottery_fund", reason="what if"))
    assert run["qca"]["truth_table"]["row_outcome"].eq("C").any()
    assert run["qca"]["parsimonious"].text != qca.run_qca(cb)["parsimonious"].text


def test_partition_is_text_that_ignores_label_numbers():
    import pandas as pd

    m = pd.DataFrame([[0, 0, 1], [1, 1, 0], [1, 1, 0]], index=["c", "a", "b"])
    assert seminar.partition(m, k=2) == "a+b | c"


def test_conversion_test_does_not_depend_on_the_order_asked(cb):
    a, b = "longhua-incubated-district-centre", "longhua-incubated-street-community-centres"
    ab, ba = seminar.conversion_test(cb, a, b), seminar.conversion_test(cb, b, a)
    assert ab["z"] == pytest.approx(-ba["z"]) and ab["difference"] == pytest.approx(-ba["difference"])
    assert ab["p_value"] == pytest.approx(ba["p_value"]) and ab["ci_a"] == ba["ci_b"]
    with pytest.raises(KeyError, match="no conversion rate for longhua-orgs-total-now"):
        seminar.conversion_test(cb, a, "longhua-orgs-total-now")


def test_show_is_stable_whatever_the_set_order():
    first = seminar.show({"ids": {"b", "a", "c"}, "ci": Interval(0.1, 0.2), "yes": False, "sum": 1284883.6})
    assert first["answer"].tolist() == ["a, b, c", "[0.1, 0.2]", "False", "1,284,884"]


# ---------------------------------------------------------------------------- the notebook itself
def test_notebook_opens_as_asked(notebook):
    first_md = "".join(notebook["cells"][0]["source"])
    for text in (
        "make",
        ".venv/bin/python -m govcases.publish.notebooks notebooks/06-seminar-exercises.ipynb",
        "make test",
        "src/govcases/analysis/keys/seminar-exercises.yaml",
        "not yet, hint:",
        "minhang-2015-ji",
        "ext-population-area",
    ):
        assert text in first_md, text
    first_code = _code(notebook)[0]
    for text in (
        "CHINESE = False",
        "%matplotlib inline",
        "import govcases",
        "style.use_style(chinese=CHINESE)",
        "cb = govcases.load_casebook()",
    ):
        assert text in first_code, text
    last = notebook["cells"][-1]
    assert last["cell_type"] == "markdown" and "can and cannot support" in "".join(last["source"])


def test_notebook_code_writes_no_list_of_districts(cb, notebook):
    slugs = "|".join(map(re.escape, cb.districts))
    # a list, tuple or set literal of two or more slugs; .loc["a", "b"] (a cell) and f("a", "b") are not lists
    listed = re.compile(rf"(?<![\w\].])[\[({{]\s*[\"'](?:{slugs})[\"']\s*,\s*[\"'](?:{slugs})[\"']")
    for src in _code(notebook):
        assert not listed.search(src), src
