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
def cb():
    # the notebook restricts the casebook to the districts the key was written for; so do the tests, so that
    # a grown casebook changes neither (tests/grow_casebook.py)
    return govcases.load_casebook(ROOT / "casebook").select(seminar.key_districts())


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
    implied = growth.implied_populations(cb)
    row = implied[
        (implied["density_id"] == "zhenhai-orgs-per-10k")
        & (implied["population_id"] == "zhenhai-population-census-2020")
    ].iloc[0]
    above = bool(row["implied_over_low"] > 1)
    return {
        # a stated density whose implied population exceeds the census cannot divide by a resident population
        # of its own time (the district grew between the censuses): then no pairing is like for like
        "choice": "none" if above else "stated",
        "zhenhai_implied": (row["implied_low"], row["implied_high"]),
        "above_census": above,
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
    pair = seminar.conversion_pair(
        cb, "longhua-incubated-district-centre", "longhua-incubated-street-community-centres"
    )
    return {
        "district_centre_ci": pair["ci_a"],
        "street_community_ci": pair["ci_b"],
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


def worked_reading_chinese(cb):
    figures = seminar.quotes(cb, "reading-chinese").set_index("letter")["figure"]
    answer = {}
    for letter, figure in figures.items():
        q = govcases.parse_quantity(figure)
        answer |= {
            f"{letter}_value": q.value,
            f"{letter}_qualifier": q.qualifier,
            f"{letter}_interval": (q.low, q.high),
        }
    return answer


WORKED = {
    "denominators": worked_denominators,
    "recode": worked_recode,
    "nearly-430": worked_nearly_430,
    "per-year": worked_per_year,
    "conversion": worked_conversion,
    "absence": worked_absence,
    "reading-chinese": worked_reading_chinese,
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
def test_exercise_1_rests_on_the_census_the_key_names(cb, key):
    # 333 / 6.35 x 10,000 is about 524,000: above Zhenhai's 2020 census, so the stated pair is not like for like
    census = cb.facts.set_index("id").loc["zhenhai-population-census-2020", "value"]
    low, high = worked_denominators(cb)["zhenhai_implied"]
    assert census < low < high
    assert "none" in key["denominators"]["choices"]["choice"]


@pytest.mark.parametrize("choice", ["stated", "census", "managed"])
def test_exercise_1_tempting_choices_are_not_yet_and_say_why(cb, key, choice):
    verdict = seminar.check("denominators", {**worked_denominators(cb), "choice": choice})
    assert not verdict.correct
    assert verdict.message.startswith("not yet, hint: " + _hint(key, "denominators"))
    note = next(w["note"] for w in key["denominators"]["common_wrong"] if w["answer"] == {"choice": choice})
    assert " ".join(note.split()) in verdict.message
    # the key no longer sets the stated densities of the two districts against each other
    assert "3.7 times" not in key["denominators"]["explanation"]


def _replace(answer: dict, **parts) -> dict:
    return {**answer, **parts}


WRONG = [
    ("denominators", lambda a, cb: _replace(a, zhenhai_implied=(510462, 510462)), "zhenhai_implied"),
    ("denominators", lambda a, cb: _replace(a, above_census=False), "above_census"),
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
    ("conversion", lambda a, cb: _replace(a, district_centre_ci=a["street_community_ci"]), "district_centre_ci"),
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
    assert seminar.check("denominators", _replace(answer, choice="  None ")).correct  # case and blanks
    assert seminar.check("denominators", _replace(answer, zhenhai_implied=[524000, 524500])).correct
    assert not seminar.check("denominators", _replace(answer, zhenhai_implied="524000")).correct  # text, no pair
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


def test_conversion_pair_does_not_depend_on_the_order_asked(cb):
    a, b = "longhua-incubated-district-centre", "longhua-incubated-street-community-centres"
    ab, ba = seminar.conversion_pair(cb, a, b), seminar.conversion_pair(cb, b, a)
    assert ab["difference"] == pytest.approx(-ba["difference"]) and ab["ci_a"] == ba["ci_b"]
    assert not {"z", "p_value"} & set(ab)  # totals of one article are not samples: no test is made
    with pytest.raises(KeyError, match="no conversion rate for longhua-orgs-total-now"):
        seminar.conversion_pair(cb, a, "longhua-orgs-total-now")


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
        "not yet",
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
        "cb = govcases.load_casebook().select(seminar.key_districts())",
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


# ---------------------------------------------------------------------------- answers typed as text
def _typed(answer: dict) -> str:
    """An answer as a student types it into the form: one `part: value` per line."""
    import yaml

    def plain(v):
        if hasattr(v, "low") and hasattr(v, "high"):
            return [float(v.low), float(v.high)]
        if isinstance(v, (tuple, list, set)):
            return [plain(x) for x in sorted(v, key=str)] if isinstance(v, set) else [plain(x) for x in v]
        if type(v).__name__ == "bool_":
            return bool(v)
        return float(v) if hasattr(v, "item") and not isinstance(v, bool) else v

    return yaml.safe_dump({k: plain(v) for k, v in answer.items()}, allow_unicode=True, sort_keys=False)


@pytest.mark.parametrize("exercise", list(WORKED))
def test_a_typed_answer_is_checked_like_a_dict(cb, exercise):
    assert seminar.check(exercise, _typed(WORKED[exercise](cb))).correct


@pytest.mark.parametrize("exercise", list(WORKED))
def test_the_form_names_every_part_and_never_the_answer(key, exercise):
    text = seminar.form(exercise)
    parts = key[exercise]["answer"]
    assert [line.split(":")[0] for line in text.splitlines()] == list(parts)
    read = seminar.parse_answer(text)
    assert read == dict.fromkeys(parts)  # an empty form is all unanswered parts
    verdict = seminar.check(exercise, text)
    assert not verdict.correct and "(missing)" in verdict.message


def test_a_typed_answer_that_cannot_be_read_says_which_line():
    verdict = seminar.check("nearly-430", "count: [387, 430]\nyears: [1.7, 3\nrate: 1")
    assert not verdict.correct and "could not be read" in verdict.message and "line" in verdict.message
    assert not seminar.check("nearly-430", "just a sentence").correct


@pytest.mark.parametrize("exercise", list(WORKED))
def test_every_common_wrong_answer_is_not_yet_and_gets_its_note(cb, key, exercise):
    for common in key[exercise].get("common_wrong", []):
        answer = {**WORKED[exercise](cb), **common["answer"]}
        verdict = seminar.check(exercise, answer)
        assert not verdict.correct, common
        assert " ".join(common["note"].split()) in verdict.message


def test_feedback_says_in_words_what_a_wrong_part_missed(cb, key):
    answer = {**worked_reading_chinese(cb), "b_value": 720}
    verdict = seminar.check("reading-chinese", answer)
    assert " ".join(key["reading-chinese"]["feedback"]["b_value"].split()) in verdict.message


def test_reading_chinese_key_is_the_parsers_reading_of_the_quoted_facts(cb, key):
    # recomputed from the casebook's quotes by the public parser: a change of either shows here
    entry = key["reading-chinese"]
    facts = cb.facts.set_index("id")
    for letter, fact in entry["quotes"].items():
        assert facts.loc[fact, "value_text"] in facts.loc[fact, "quote"].replace("萬", "万").replace("∶", "∶")
        q = govcases.parse_quantity(facts.loc[fact, "value_text"])
        assert seminar.check("reading-chinese", {**worked_reading_chinese(cb), f"{letter}_interval": (q.low, q.high)})


def test_key_districts_are_in_the_casebook_and_a_bad_key_says_so(tmp_path):
    assert set(seminar.key_districts()) <= set(govcases.load_casebook(ROOT / "casebook").districts)
    bad = tmp_path / "key.yaml"
    bad.write_text("exercises: {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="districts"):
        seminar.key_districts(bad)
