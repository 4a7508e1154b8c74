"""The seminar kit: student and instructor copies from one notebook, session plan and handout.

The no-leak tests read the committed notebook 06 and the answer key; they hold for any casebook, since
the notebook and the key restrict it to the key's districts.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import govcases
from govcases.analysis import seminar as key_lib
from govcases.publish import seminar as kit

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / kit.NOTEBOOK_NAME
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def source():
    return nbformat.read(str(NOTEBOOK), as_version=4)


@pytest.fixture(scope="module")
def key():
    return key_lib.load_key()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("seminar")
    cb = govcases.load_casebook(ROOT / "casebook")
    paths = kit.write_seminar(out, cb, notebook=NOTEBOOK, pdf=CHROMIUM.exists())
    return out, paths


def _student(built):
    return nbformat.read(str(built[0] / "student" / kit.NOTEBOOK_NAME), as_version=4)


def _instructor(built):
    return nbformat.read(str(built[0] / "instructor" / kit.NOTEBOOK_NAME), as_version=4)


def _sentences(text: str) -> list[str]:
    """The longer sentences of a key text, as they would appear in a notebook cell."""
    return [s for s in re.split(r"(?<=[.:;])\s+", " ".join(text.split())) if len(s) > 40]


# ---------------------------------------------------------------------------- the source notebook
def test_every_exercise_has_one_worked_and_one_check_cell_in_that_order(source, key):
    roles = [(kit.cell_role(c), (c.metadata.get("seminar") or {}).get("exercise")) for c in source.cells]
    for exercise in key:
        worked = [i for i, (r, e) in enumerate(roles) if r == "worked" and e == exercise]
        check = [i for i, (r, e) in enumerate(roles) if r == "check" and e == exercise]
        assert len(worked) == 1 and len(check) == 1, exercise
        assert worked[0] < check[0], exercise
    # a cell that calls the checker is marked as a check cell, so no check escapes the copies' rules
    for cell in source.cells:
        if cell.cell_type == "code" and "seminar.check(" in cell.source:
            assert kit.cell_role(cell) == "check", cell.source


def test_a_bad_role_in_the_metadata_is_a_clear_error():
    with pytest.raises(ValueError, match=r"seminar\.role"):
        kit.cell_role({"metadata": {"seminar": {"role": "answers"}}})
    with pytest.raises(ValueError, match=r"seminar\.exercise"):
        kit.cell_role({"metadata": {"seminar": {"role": "check"}}})
    with pytest.raises(ValueError, match=r"seminar\.variable"):
        kit.cell_role({"metadata": {"seminar": {"role": "worked", "exercise": "absence"}}})
    assert kit.cell_role({"metadata": {}}) is None


# ---------------------------------------------------------------------------- no leak into the student copy
def test_the_build_writes_both_copies_the_key_only_for_the_instructor(built):
    out, paths = built
    names = {p.relative_to(out).as_posix() for p in paths}
    assert {
        f"student/{kit.NOTEBOOK_NAME}",
        f"instructor/{kit.NOTEBOOK_NAME}",
        "session-plan.html",
        "handout.html",
    } <= names
    assert f"instructor/{key_lib.KEY_PATH.name}" in names
    assert [p.name for p in (out / "student").iterdir()] == [kit.NOTEBOOK_NAME]


def test_nothing_from_the_key_or_the_worked_answers_reaches_the_student_copy(built, source, key):
    student = _student(built)
    text = "\n".join(c.source for c in student.cells)
    assert all(
        not c.get("outputs") and c.get("execution_count") is None for c in student.cells if c.cell_type == "code"
    )
    assert not [c for c in student.cells if kit.cell_role(c) in ("worked", "note", "instructor")]
    for cell in source.cells:
        if kit.cell_role(cell) == "instructor":
            assert cell.source not in text
    for cell in source.cells:
        if kit.cell_role(cell) == "worked":
            # each line of a worked answer that computes something (not a comment, not a blank)
            for line in cell.source.splitlines():
                if line.strip() and not line.lstrip().startswith("#") and len(line.strip()) > 12:
                    assert line.strip() not in text, line
    for exercise, entry in key.items():
        for field in ("explanation", "hint"):
            for sentence in _sentences(entry[field]):
                assert sentence not in text, (exercise, field, sentence)
        for part_text in [*entry.get("feedback", {}).values(), *(w["note"] for w in entry.get("common_wrong", []))]:
            for sentence in _sentences(part_text):
                assert sentence not in text, (exercise, sentence)


def test_student_answer_cells_are_empty_forms_of_every_exercise(built, key):
    student = _student(built)
    forms = [c for c in student.cells if (c.metadata.get("seminar") or {}).get("role") == "answer"]
    assert {c.metadata["seminar"]["exercise"] for c in forms} == set(key)
    for cell in forms:
        exercise = cell.metadata["seminar"]["exercise"]
        assert key_lib.form(exercise) in cell.source
        typed = cell.source.split('"""')[1]
        assert all(v is None for v in key_lib.parse_answer(typed).values())


def test_a_secret_in_a_worked_cell_never_reaches_the_student_copy():
    nb = nbformat.v4.new_notebook()
    worked = nbformat.v4.new_code_cell("answer_1 = {'reading': 'SECRET-ANSWER'}")
    worked.metadata = {"seminar": {"role": "worked", "exercise": "absence", "variable": "answer_1"}}
    worked.outputs = [nbformat.v4.new_output("stream", text="SECRET-OUTPUT")]
    check = nbformat.v4.new_code_cell('seminar.check("absence", answer_1)')
    check.metadata = {"seminar": {"role": "check", "exercise": "absence"}}
    check.outputs = [nbformat.v4.new_output("stream", text="absence: correct")]
    nb.cells = [worked, check]
    written = nbformat.writes(kit.student_copy(nb))
    assert "SECRET" not in written and "correct" not in written.replace("Type your answer", "")
    assert "SECRET-ANSWER" in nbformat.writes(kit.instructor_copy(nb))


# ---------------------------------------------------------------------------- the instructor copy
def test_instructor_copy_has_the_worked_answers_and_a_note_after_each_check(built, key):
    instructor = _instructor(built)
    cells = instructor.cells
    for i, cell in enumerate(cells):
        if kit.cell_role(cell) == "check":
            note = cells[i + 1]
            exercise = cell.metadata["seminar"]["exercise"]
            assert kit.cell_role(note) == "note" and note.metadata["seminar"]["exercise"] == exercise
            assert " ".join(key[exercise]["explanation"].split()) in note.source
            assert cell.outputs and "correct" in str(cell.outputs[0])
    assert sum(kit.cell_role(c) == "worked" for c in cells) == len(key)


@pytest.mark.slow
def test_instructor_copy_runs_under_strict_nbval(built):
    env = {**os.environ, "GOVCASES_CASEBOOK": str(ROOT / "casebook")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "--nbval-current-env",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "-q",
            str(built[0] / "instructor" / kit.NOTEBOOK_NAME),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=built[0],
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


# ---------------------------------------------------------------------------- plan and handout
def test_session_plan_fills_the_session_with_every_exercise_once(source, key):
    plan = kit.load_session()
    assert plan["blocks"][-1]["end"] == plan["minutes"]
    assert sorted(e for b in plan["blocks"] for e in b["exercises"]) == sorted(key)
    questions = kit.discussion(source)
    assert set(questions) == set(key), "every exercise has a discussion question"


def test_session_plan_refuses_a_plan_that_does_not_add_up(tmp_path):
    import yaml

    plan = yaml.safe_load((Path(kit.__file__).parent / "templates" / "seminar" / "session.yaml").read_text("utf-8"))
    plan["blocks"][0]["minutes"] += 5
    bad = tmp_path / "session.yaml"
    bad.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="minutes"):
        kit.load_session(bad)
    plan["blocks"][0]["minutes"] -= 5
    plan["blocks"][0]["exercises"] = ["absence"]
    bad.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="two blocks"):
        kit.load_session(bad)


def test_plan_page_has_goals_times_and_questions(built, key):
    page = (built[0] / "session-plan.html").read_text(encoding="utf-8")
    assert "Learning goals" in page and "What to project" in page and "Discussion questions" in page
    for entry in key.values():
        assert entry["title"] in page.replace("&#34;", '"').replace("&#39;", "'")


def test_handout_names_every_district_of_the_key_and_every_source(built):
    page = (built[0] / "handout.html").read_text(encoding="utf-8")
    cb = govcases.load_casebook(ROOT / "casebook").select(key_lib.key_districts())
    profiles = cb.profiles if hasattr(cb, "profiles") else None
    for title in cb.sources["title"]:
        assert str(title).replace("&", "&amp;").replace('"', "&#34;") in page
    from govcases.analysis.overview import profile_table

    for name in profile_table(cb)["name_en"]:
        assert name in page
    assert profiles is None or len(profiles)
    assert "表1" in page and "Table 1" in page
    # no code names in what a reader sees
    assert not re.search(r"\b[a-z]+-[a-z]+-[a-z0-9-]+\b", re.sub(r"<[^>]+>", "", page))


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs /usr/bin/chromium: `apt-get install chromium` (.ci/run installs it)"
)
def test_handout_pdf_is_one_a4_page(built):
    pdf = built[0] / "handout.pdf"
    assert pdf.exists()
    data = pdf.read_bytes()
    assert (
        data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 1
    )
    pages = re.findall(rb"/Type\s*/Page(?!s)", data)
    assert len(pages) == 1, f"{len(pages)} pages"
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert box and abs(float(box[1]) - 595) < 2 and abs(float(box[2]) - 842) < 2


def test_two_writes_are_byte_identical(built, tmp_path):
    cb = govcases.load_casebook(ROOT / "casebook")
    again = kit.write_seminar(tmp_path, cb, notebook=NOTEBOOK, pdf=CHROMIUM.exists())
    for path in again:
        assert path.read_bytes() == (built[0] / path.relative_to(tmp_path)).read_bytes(), path
    shutil.rmtree(tmp_path)
