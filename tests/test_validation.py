"""Every kind of bad record is rejected with a message naming the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import VALID_RECORD

import govcases
from govcases import CasebookError
from govcases.cli import main


def problems_of(casebook: Path) -> list[govcases.Problem]:
    with pytest.raises(CasebookError) as info:
        govcases.load_casebook(casebook)
    return info.value.problems


def write(casebook: Path, text: str, name: str = "zhenhai.yaml") -> Path:
    path = casebook / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_valid_record_loads(project):
    cb = govcases.load_casebook(project)
    facts = cb.facts.set_index("id")
    assert list(cb.districts) == ["zhenhai"]
    assert facts.loc["zhenhai-orgs-registered", "value"] == 333
    assert facts.loc["zhenhai-funding-cumulative", "low"] == 9_000_000
    assert facts.loc["zhenhai-funding-cumulative", "high"] == 10_000_000
    assert facts.loc["zhenhai-funding-cumulative", "line"] == line_of(VALID_RECORD, "id: zhenhai-funding-cumulative")
    assert len(cb.facts) == 3  # a count in equals the count out


# each case: (what to replace in the valid record, by what, the field named, words in the message)
BAD = {
    "unknown key in a fact": (
        "    confidence: stated\n  - id: zhenhai-growth",
        "    confidence: stated\n    colour: red\n  - id: zhenhai-growth",
        "facts[0].colour",
        "unknown key 'colour'",
    ),
    "unknown key in the profile": (
        "  summary: A test",
        "  colour: red\n  summary: A test",
        "profile.colour",
        "unknown key",
    ),
    "unknown indicator": (
        "indicator: orgs_registered\n",
        "indicator: orgs_registred\n",
        "facts[0].indicator",
        "unknown indicator 'orgs_registred'",
    ),
    "wrong unit": ("value: 333家", "value: 333人", "facts[0].value", "measure word '人' is not a unit"),
    "unparseable value": ("value: 10%以上", "value: 一成以上多", "facts[1].value", "一成以上多"),
    "value not in quote": ("value: 333家", "value: 334家", "facts[0].value", "does not occur in the quote"),
    # issue 11: a value must be the whole figure of its quote, qualifier included
    "value is part of a longer figure": ("value: 333家", "value: 33家", "facts[0].value", "part of a longer figure"),
    "value drops the quote's 以上": ("value: 10%以上", "value: 10%", "facts[1].value", "without the qualifier"),
    "value drops the quote's 近": ("value: 近千万", "value: 千万", "facts[2].value", "without the qualifier"),
    "source missing from manifest": (
        "    source: zhenhai-2015-report\n    quote: 连续",
        "    source: zhenhai-2016-report\n    quote: 连续",
        "facts[1].source",
        "unknown source 'zhenhai-2016-report'",
    ),
    "quote not in source": (
        "quote: 连续多年保持10%以上增速",
        "quote: 连续多年保持10%以上的增速",
        "facts[1].quote",
        "does not occur in the clean text",
    ),
    "bad confidence": (
        "    confidence: stated\n  - id: zhenhai-growth",
        "    confidence: certain\n  - id: zhenhai-growth",
        "facts[0].confidence",
        "'stated', 'inferred' or 'disputed'",
    ),
    "missing quote": (
        "    quote: 至今,累计投入各类扶持资金近千万\n",
        "",
        "facts[2].quote",
        "required field is missing",
    ),
    "missing subject": (
        "    subject: all organizations (the text does not say which count)\n",
        "",
        "facts[1].subject",
        "needs a subject",
    ),
    "number instead of text": ("value: 333家", "value: 333", "facts[0].value", "as text"),
    "period backwards": (
        "start: 2010-01-01, end: 2014-12-31",
        "start: 2015-01-01, end: 2014-12-31",
        "facts[1].period",
        "after it ends",
    ),
    "district does not match file": (
        "district: zhenhai",
        "district: beilun",
        "district",
        "does not match the file name",
    ),
    "basis missing": ("    basis: cumulative\n", "", "facts[2].basis", "needs a basis"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_record_is_rejected_with_location(project, case):
    old, new, field, words = BAD[case]
    assert old in VALID_RECORD, case
    text = VALID_RECORD.replace(old, new, 1)
    write(project, text)
    problems = problems_of(project)
    hits = [p for p in problems if p.field == field and words in p.message]
    assert hits, f"{case}: expected {field}: {words!r}, got:\n" + "\n".join(map(str, problems))
    p = hits[0]
    assert p.file == "casebook/zhenhai.yaml"
    assert p.line is not None and 1 <= p.line <= len(text.splitlines())
    assert str(p).startswith(f"casebook/zhenhai.yaml:{p.line}: {field}:")


def test_line_points_at_the_bad_field(project):
    text = VALID_RECORD.replace("value: 333家", "value: 333人")
    write(project, text)
    (p,) = [p for p in problems_of(project) if "measure word" in p.message]
    assert p.line == line_of(text, "value: 333人")


def test_duplicate_ids_across_files(project):
    other = VALID_RECORD.replace("district: zhenhai", "district: copy").replace("id: zhenhai-growth", "id: copy-growth")
    other = other.replace("id: zhenhai-orgs-registered", "id: copy-orgs").replace(
        "zhenhai-funding-cumulative", "zhenhai-funding-cumulative"
    )
    write(project, other, "copy.yaml")
    problems = problems_of(project)
    dup = [p for p in problems if "used more than once" in p.message]
    assert {p.file for p in dup} == {"casebook/copy.yaml", "casebook/zhenhai.yaml"}
    assert all(p.field == "id" and p.line for p in dup)
    # the copy's own facts with the wrong prefix are reported too
    assert any(p.file == "casebook/copy.yaml" and "does not start with 'copy-'" in p.message for p in problems)


def test_every_error_in_a_file_is_reported(project):
    text = (
        VALID_RECORD.replace("indicator: orgs_registered\n", "indicator: nope\n")
        .replace("quote: 连续多年保持10%以上增速", "quote: 不存在的引文")
        .replace("value: 近千万", "value: 近千人")
    )
    write(project, text)
    fields = {p.field for p in problems_of(project)}
    assert {"facts[0].indicator", "facts[1].quote", "facts[2].value"} <= fields


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "the file is empty"),
        (b"   \n\n", "the file is empty"),
        (b"district: zhenhai\n  profile: [\n", "invalid YAML"),
        (b"district: zhenhai\ndistrict: beilun\n", "duplicate"),
        ("district: 镇海\n".encode("gb18030"), "not valid UTF-8"),
        (b"- just\n- a list\n", "a record is a mapping"),
        (b"~\n", "holds no data"),
    ],
)
def test_unreadable_files_get_a_clear_message(project, content, words):
    (project / "zhenhai.yaml").write_bytes(content)
    problems = problems_of(project)
    assert any(words in p.message and p.file == "casebook/zhenhai.yaml" for p in problems), problems


def test_duplicate_key_line_is_found(project):
    (project / "zhenhai.yaml").write_text("district: zhenhai\nprofile: {}\ndistrict: beilun\n", encoding="utf-8")
    (p,) = problems_of(project)
    assert p.line == 3


def test_yaml_tags_are_refused_and_never_executed(project, tmp_path):
    marker = tmp_path / "executed"
    text = VALID_RECORD.replace(
        "summary: A test record", f"summary: !!python/object/apply:os.system ['touch {marker}']\n  x: A test record"
    )
    write(project, text)
    problems = problems_of(project)
    assert not marker.exists()
    assert any("YAML tag" in p.message and p.line == line_of(text, "!!python") for p in problems)


def test_custom_tag_refused(project):
    write(project, VALID_RECORD.replace("value: 333家", "value: !fact 333家"))
    assert any("YAML tag !fact" in p.message for p in problems_of(project))


def test_exclamation_mark_in_text_is_fine(project):
    write(project, VALID_RECORD.replace("summary: A test record", "summary: Quite a test record!"))
    assert len(govcases.load_casebook(project).facts) == 3


def test_cli_validate_ok_and_errors(project, capsys):
    assert main(["validate", str(project)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: 1 district(s), 3 facts")
    write(
        project,
        VALID_RECORD.replace("value: 333家", "value: 333人").replace("indicator: orgs_registered\n", "indicator: x\n"),
    )
    assert main(["validate", str(project)]) == 1
    err = capsys.readouterr().err
    assert "casebook/zhenhai.yaml:" in err and "facts[0].indicator" in err


def test_cli_validate_single_file(project, capsys):
    assert main(["validate", str(project / "zhenhai.yaml")]) == 0
    assert "1 district(s)" in capsys.readouterr().out


def test_no_records_is_an_error(project):
    (project / "zhenhai.yaml").unlink()
    (p,) = problems_of(project)
    assert "no district records" in p.message


def test_bad_codebook_is_reported(project):
    cb = project / "codebook.yaml"
    cb.write_text(
        cb.read_text(encoding="utf-8").replace("category: organizations\n", "category: orgs\n", 1), encoding="utf-8"
    )
    problems = problems_of(project)
    assert any(
        p.file == "casebook/codebook.yaml" and "unknown category 'orgs'" in p.message and p.line for p in problems
    )


def test_edited_source_is_reported(project):
    raw = project.parent / "data" / "raw" / "002_d09323e79a695f9a.txt"
    raw.write_bytes(raw.read_bytes() + b"\n")
    problems = problems_of(project)
    assert any(p.field.endswith("source") and "SHA-256 does not match the manifest" in p.message for p in problems)


def test_validate_casebook_returns_problems_instead_of_raising(project):
    assert govcases.validate_casebook(project) == []
    assert len(govcases.load_facts(project)) == 3
    write(project, VALID_RECORD.replace("value: 333家", "value: 333人"))
    problems = govcases.validate_casebook(project)
    assert [p.field for p in problems] == ["facts[0].value", "facts[0].value"]  # unit, and not in the quote
