"""Hostile input: every bad record, source, manifest or argument gets a clear refusal, never a traceback or a hang.

Each case mutates a fresh copy of the project's own casebook (whatever districts it holds) and
checks three things: the problem is named (file, line where there is one, field, what is wrong),
nothing was written into the project, and nothing was read as something else -- a refusal, or
the same facts as before. ``validate_casebook`` is used where a case expects problems, since it is
documented never to raise; the command-line cases call ``govcases.cli.main`` in the process, so an
exception fails the test with its traceback.

Families (see the FAMILY marks): yaml structure, encodings, control characters, semantics,
manifest and file system, command line.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest
import yaml

import govcases
from govcases.analysis import funding
from govcases.cli import main
from govcases.records.characters import forbidden_character
from govcases.records.export import export

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------------------- the copy and its helpers
@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's casebook and data; returns the casebook folder."""
    shutil.copytree(ROOT / "casebook", tmp_path / "casebook")
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    shutil.copytree(ROOT / "data" / "external", tmp_path / "data" / "external")
    return tmp_path / "casebook"


def records(casebook: Path) -> list[Path]:
    return sorted(p for p in casebook.glob("*.yaml") if p.name not in ("codebook.yaml", "source-criticism.yaml"))


def first(casebook: Path) -> Path:
    return records(casebook)[0]


def data_of(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` with its SHA-256 (links by their target's name)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def problems_of(casebook: Path) -> list[govcases.Problem]:
    """The problems of a casebook that must not load: also checks that loading refuses it."""
    root = casebook.parent
    before = snapshot(root)
    found = govcases.validate_casebook(casebook)
    assert found, "expected the casebook to be refused"
    with pytest.raises(govcases.CasebookError):
        govcases.load_casebook(casebook)
    assert snapshot(root) == before, "loading wrote into the project"
    for p in found:  # no message carries a control character or a direction mark
        assert forbidden_character(str(p)) is None, repr(str(p))
    return found


def refused(casebook: Path, words: str, *, field: str | None = None, line: int | None = None) -> govcases.Problem:
    found = problems_of(casebook)
    hits = [p for p in found if words in p.message and (field is None or p.field == field)]
    assert hits, f"expected {field}: {words!r}, got:\n" + "\n".join(map(str, found))
    if line is not None:
        assert any(p.line == line for p in hits), "\n".join(map(str, hits))
    return hits[0]


def insert_before_fact(text: str, line: str, n: int = 1) -> tuple[str, int]:
    """Insert a line before the n-th fact entry (0-based) of a record; return the text and the line's number."""
    lines = text.splitlines(keepends=True)
    entries = [i for i, x in enumerate(lines) if x.startswith("  - id:")]
    at = entries[min(n, len(entries) - 1)]
    lines.insert(at, line)
    return "".join(lines), at + 1


def baseline(casebook: Path) -> int:
    return len(govcases.load_casebook(casebook).facts)


def add_source(casebook: Path, district: str, text: str) -> str:
    """Register a new raw source for ``district`` in the copy; return its id."""
    raw = casebook.parent / "data" / "raw"
    name = f"900_{district}.txt"
    (raw / name).write_text(text, encoding="utf-8")
    digest = hashlib.sha256((raw / name).read_bytes()).hexdigest()
    source_id = f"{district}-report"
    with open(raw / "manifest.csv", encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    row = {
        "source_id": source_id,
        "file": f"raw/{name}",
        "district": district,
        "title": "某区报告",
        "kind": "district-report",
        "page_date": "2016-01-01",
        "sha256": digest,
        "page_date_basis": "printed",
    }
    with open(raw / "manifest.csv", "a", encoding="utf-8") as f:
        f.write(",".join(row.get(c, "") for c in header) + "\n")
    return source_id


# ============================================================================ yaml structure
def test_yaml_second_document_is_refused(project):
    path = first(project)
    path.write_text(path.read_text(encoding="utf-8") + "---\ndistrict: other\n", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").count("\n")
    refused(project, "a second YAML document", line=lines - 1)


def test_yaml_empty_second_document_is_refused(project):
    path = first(project)
    path.write_text(path.read_text(encoding="utf-8") + "---\n", encoding="utf-8")
    refused(project, "a second YAML document")


def test_yaml_explicit_complex_key_is_refused(project):
    path = first(project)
    path.write_text("? [a, b]\n: c\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    refused(project, "a list or mapping used as a key", line=1)


def test_yaml_flow_complex_key_is_refused(project):
    path = first(project)
    path.write_text(path.read_text(encoding="utf-8") + "[a, b]: c\n", encoding="utf-8")
    # found in the tokens when the file calls for a look at them ('&', '?', ...), else as an unknown key
    found = problems_of(project)
    assert any("used as a key" in p.message or "unknown key" in p.message for p in found), found


def test_yaml_compact_nesting_does_not_crash_the_parser(project):
    # 100,000 levels made yaml_rs overflow its stack and kill the process
    path = first(project)
    path.write_text(path.read_text(encoding="utf-8") + "x: " + "- " * 100_000 + "y\n", encoding="utf-8")
    refused(project, "nested eight or more deep on one line")


def test_yaml_compact_explicit_keys_are_refused(project):
    path = first(project)
    path.write_text(path.read_text(encoding="utf-8") + "x:\n  " + "? " * 100_000 + "y\n", encoding="utf-8")
    refused(project, "nested more than 16 deep")


def test_yaml_block_nesting_is_limited(project):
    # 2,000 levels of indentation: PyYAML's line lookup used to end in RecursionError
    deep = "".join(" " * i + "k:\n" for i in range(2000)) + " " * 2000 + "k: v\n"
    path = first(project)
    path.write_text(path.read_text(encoding="utf-8") + "x:\n" + "".join(" " + line for line in deep.splitlines(True)))
    refused(project, "nested more than 16 deep")


def test_yaml_flow_nesting_is_limited(project):
    path = first(project)
    path.write_text(path.read_text(encoding="utf-8") + "x: " + "[" * 10_000 + "]" * 10_000 + "\n")
    # yaml_rs's own limit, or the token check when the file calls for it
    found = problems_of(project)
    assert any("invalid YAML" in p.message or "nested more than 16" in p.message for p in found), found


def test_yaml_alias_bomb_is_refused_quickly(project):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    path = first(project)
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    start = time.process_time()
    refused(project, "invalid YAML")
    assert time.process_time() - start < 10


def test_yaml_aliases_under_the_limit_are_looked_at_once(project):
    # 100,000 nodes by aliases, which yaml_rs expands: the line lookup must not walk them all again
    lines = ["x:", "  a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 5)]
    path = first(project)
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    start = time.process_time()
    refused(project, "unknown key 'x'", field="x")
    assert time.process_time() - start < 10


@pytest.mark.parametrize(
    "value",
    ["!!int 2008", "!!binary aGVsbG8=", "!<tag:yaml.org,2002:str> x", "!fact 1", "!!python/name:os.system ''"],
)
def test_yaml_tags_are_refused(project, value):
    path = first(project)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"extra: {value}\n", encoding="utf-8")
    refused(project, "YAML tag", line=text.count("\n") + 1)


def test_yaml_tag_after_a_tab_is_refused(project):
    path = first(project)
    path.write_text(path.read_text(encoding="utf-8") + "extra:\t!!int 5\n", encoding="utf-8")
    refused(project, "YAML tag")


def test_yaml_tag_after_a_control_character_in_a_comment_is_refused(project):
    # the control character stopped PyYAML's scan, so the tag went unseen and yaml_rs applied it
    path = first(project)
    text, line = insert_before_fact(path.read_text(encoding="utf-8"), "  # note \x01\n")
    path.write_text(text + "extra: !!binary aGVsbG8=\n", encoding="utf-8")
    refused(project, "U+0001", line=line)


def test_yaml_duplicate_key_in_a_record_is_refused(project):
    path = first(project)
    path.write_text(path.read_text(encoding="utf-8") + "facts: []\n", encoding="utf-8")
    refused(project, "invalid YAML")


def test_yaml_round_trip_of_a_record_keeps_every_fact(project):
    # the helpers below rewrite records through PyYAML: that alone changes nothing
    n = baseline(project)
    for path in records(project):
        dump(path, data_of(path))
    assert baseline(project) == n


# ============================================================================ encodings
def test_encoding_nul_in_a_comment_does_not_cut_the_record(project):
    # yaml_rs stopped reading at the NUL: the facts after it vanished and validation said ok
    path = first(project)
    text, line = insert_before_fact(path.read_text(encoding="utf-8"), "  # \x00 a comment\n")
    path.write_text(text, encoding="utf-8")
    p = refused(project, "U+0000", line=line)
    assert p.file.endswith(path.name) and "column 5" in p.message


def test_encoding_nul_inside_a_value_is_refused(project):
    path = first(project)
    data = data_of(path)
    data["facts"][0]["quote"] = data["facts"][0]["quote"][:3] + "\x00" + data["facts"][0]["quote"][3:]
    path.write_text(json.dumps(data, ensure_ascii=False, default=str).replace("\\u0000", "\x00"), encoding="utf-8")
    refused(project, "U+0000")


@pytest.mark.parametrize("escape", ["\\0", "\\x07", "\\e", "\\N", "\\u202e", "\\u2066", "\\x7f"])
def test_encoding_escaped_control_characters_are_refused_with_their_field(project, escape):
    path = first(project)
    data = data_of(path)
    data["facts"][0]["quote"] = "QUOTE"
    text = json.dumps(data, ensure_ascii=False, default=str)  # JSON is YAML: the escape reaches yaml_rs
    path.write_text(text.replace('"QUOTE"', f'"{escape}' + '全区"'), encoding="utf-8")
    refused(project, "is not allowed", field="facts[0].quote")


def test_encoding_escaped_direction_mark_in_an_id_is_refused(project):
    path = first(project)
    data = data_of(path)
    fact_id = data["facts"][0]["id"]
    text = json.dumps(data, ensure_ascii=False, default=str).replace(f'"{fact_id}"', f'"{fact_id}\\u200f"', 1)
    path.write_text(text, encoding="utf-8")
    refused(project, "U+200F", field="facts[0].id")


def test_encoding_utf16_record_is_refused(project):
    path = first(project)
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    refused(project, "not valid UTF-8", line=1)


def test_encoding_invalid_byte_gives_its_line(project):
    path = first(project)
    raw = path.read_bytes()
    cut = raw.index(b"\n  - id:")
    path.write_bytes(raw[:cut] + b"\n# \xff" + raw[cut:])
    refused(project, "not valid UTF-8", line=raw[:cut].count(b"\n") + 2)


def test_encoding_byte_order_mark_changes_nothing(project):
    n = baseline(project)
    path = first(project)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert baseline(project) == n


def test_encoding_zero_width_space_inside_a_quote_is_still_found(project):
    n = baseline(project)
    path = first(project)
    data = data_of(path)
    quote = data["facts"][0]["quote"]
    data["facts"][0]["quote"] = quote[:2] + "\u200b" + quote[2:]
    dump(path, data)
    assert baseline(project) == n


# ============================================================================ control characters
@pytest.mark.parametrize(
    "char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u061c", "\u200e", "\u202a", "\u202e", "\u2066", "\u2069"]
)
def test_control_character_in_a_quote_is_refused_and_named(project, char):
    path = first(project)
    text, line = insert_before_fact(path.read_text(encoding="utf-8"), f"  # {char}\n")
    path.write_text(text, encoding="utf-8")
    p = refused(project, f"U+{ord(char):04X}", line=line)
    assert char not in str(p)


def test_control_character_in_the_codebook_is_refused(project):
    path = project / "codebook.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("categories:", "categories: # \u202e", 1))
    refused(project, "U+202E")


def test_control_character_in_a_manifest_cell_is_refused(project):
    manifest = project.parent / "data" / "raw" / "manifest.csv"
    text = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    text[1] = text[1].replace(",", ",\u202e", 3)
    manifest.write_text("".join(text), encoding="utf-8")
    p = refused(project, "U+202E")
    assert "manifest.csv:2" in p.message


def test_control_characters_never_reach_the_tables(project, tmp_path):
    out = export(govcases.load_casebook(project), tmp_path / "out")
    for path in out:
        if path.suffix in (".csv", ".json"):  # the Stata and Parquet files hold the same cells, in binary
            assert forbidden_character(path.read_text(encoding="utf-8")) is None, path.name


# ============================================================================ semantics
@pytest.mark.parametrize("quote", ["   ", "\u200b", "家", "共有", "\u200b家\u200b", "\t"])
def test_semantics_trivial_quotes_are_refused(project, quote):
    path = first(project)
    data = data_of(path)
    data["facts"][0]["quote"] = quote
    dump(path, data)
    refused(project, "visible character", field="facts[0].quote")


def test_semantics_empty_quote_is_refused(project):
    path = first(project)
    data = data_of(path)
    data["facts"][0]["quote"] = ""
    dump(path, data)
    refused(project, "at least 1 character", field="facts[0].quote")


def _year_fact(casebook: Path) -> tuple[Path, int, int] | None:
    years = {i["id"] for i in data_of(casebook / "codebook.yaml")["indicators"] if i["value_type"] == "year"}
    for path in records(casebook):
        for i, fact in enumerate(data_of(path)["facts"]):
            if fact["indicator"] in years:
                return path, i, fact["value"]
    return None


@pytest.mark.parametrize("written", [hex, oct, bin])
def test_semantics_year_in_another_base_is_refused(project, written):
    found = _year_fact(project)
    if found is None:
        pytest.skip("the casebook has no year fact")
    path, i, year = found
    data = data_of(path)
    data["facts"][i]["value"] = "YEAR"
    dump(path, data)
    path.write_text(path.read_text(encoding="utf-8").replace("value: YEAR", f"value: {written(year)}"))
    refused(project, f"writes the number {written(year)}", field=f"facts[{i}].value")


def test_semantics_year_written_plainly_is_accepted(project):
    found = _year_fact(project)
    if found is None:
        pytest.skip("the casebook has no year fact")
    path = found[0]
    n = baseline(project)
    path.write_text(path.read_text(encoding="utf-8") + "# 0x7D8 in a comment is no number\n")
    assert baseline(project) == n
    data = data_of(path)
    data["facts"][0]["english"] = "A value: 0x7D8 inside a text"
    dump(path, data)
    assert baseline(project) == n


def test_semantics_source_of_another_district_is_refused(project):
    path = first(project)
    data = data_of(path)
    manifest = govcases.records.sources.load_manifest(project.parent / "data")
    other = next(s for s in manifest.values() if s.district not in ("", data["district"]))
    data["profile"]["sources"].append(other.source_id)
    dump(path, data)
    refused(
        project,
        f"belongs to district '{other.district}'",
        field=f"profile.sources[{len(data['profile']['sources']) - 1}]",
    )


def test_semantics_external_table_may_be_shared(project):
    n = baseline(project)
    manifest = govcases.records.sources.load_manifest(project.parent / "data")
    shared = [s.source_id for s in manifest.values() if s.kind == "external-table"]
    for path in records(project):
        data = data_of(path)
        data["profile"]["sources"] = list(dict.fromkeys(data["profile"]["sources"] + shared))
        dump(path, data)
    assert baseline(project) == n


def test_semantics_district_missing_from_the_manifest_is_refused(project):
    path = first(project)
    data = data_of(path)
    old = data["district"]
    text = (
        path.read_text(encoding="utf-8").replace(f"{old}-", "nowhere-").replace(f"district: {old}", "district: nowhere")
    )
    (project / "nowhere.yaml").write_text(text, encoding="utf-8")
    path.unlink()
    refused(project, "district 'nowhere' has no source in the manifest", field="district")


def test_semantics_manifest_row_moved_to_another_district_is_refused(project):
    path = first(project)
    district = data_of(path)["district"]
    manifest = project.parent / "data" / "raw" / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(f",{district},", ",elsewhere,"))
    refused(project, "belongs to district 'elsewhere'")


# ============================================================================ manifest and file system
def test_fs_manifest_field_over_the_csv_limit_is_refused(project):
    manifest = project.parent / "data" / "raw" / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",", ',"' + "长" * 200_000 + '",', 1).replace(",", "", 0)
    manifest.write_text("".join(lines), encoding="utf-8")
    p = refused(project, "field larger than field limit")
    assert "manifest.csv:2" in p.message


def test_fs_manifest_link_out_of_the_folder_is_refused(project, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not a source\n", encoding="utf-8")
    raw = project.parent / "data" / "raw"
    source = govcases.records.sources.load_manifest(project.parent / "data")
    first_raw = next(s for s in source.values() if s.kind != "external-table")
    first_raw.path.unlink()
    first_raw.path.symlink_to(outside)
    p = refused(project, "leads outside")
    assert "column 'file'" in p.message and str(raw.name) in p.message


def test_fs_manifest_row_into_the_external_folder_is_refused(project):
    manifest = project.parent / "data" / "raw" / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    cells[1] = "raw/../external/national_policy.csv"
    lines[1] = ",".join(cells)
    manifest.write_text("".join(lines), encoding="utf-8")
    refused(project, "is not a path inside the data folder")


def test_fs_codebook_missing(project):
    (project / "codebook.yaml").unlink()
    refused(project, "cannot be read")


def test_fs_codebook_is_a_folder(project):
    (project / "codebook.yaml").unlink()
    (project / "codebook.yaml").mkdir()
    refused(project, "is a folder")


def test_fs_record_is_a_folder(project):
    (project / "ghost.yaml").mkdir()
    refused(project, "is a folder")


def test_fs_record_is_a_dangling_link(project):
    (project / "ghost.yaml").symlink_to(project / "nothing-here.yaml")
    refused(project, "is a link to a file that does not exist")


@pytest.mark.parametrize("name", ["record.yml", "record.YAML", "notes.txt", "drafts"])
def test_fs_other_files_in_the_casebook_folder_are_errors(project, name):
    path = first(project)
    if name == "drafts":
        (project / name).mkdir()
    else:
        shutil.copy(path, project / name)
    p = refused(project, "is not a district record")
    assert p.file.endswith(name)


def test_fs_readme_in_the_casebook_folder_is_fine(project):
    n = baseline(project)
    (project / "README.txt").write_text("notes\n", encoding="utf-8")
    assert baseline(project) == n


# ============================================================================ command line
def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert forbidden_character(err) is None
    return status, out, err


def test_cli_validate_reports_a_hostile_record(project, capsys):
    path = first(project)
    text, line = insert_before_fact(path.read_text(encoding="utf-8"), "  # \x00\n")
    path.write_text(text, encoding="utf-8")
    status, _, err = run(capsys, "validate", str(project))
    assert status == 1 and f"{path.name}:{line}:" in err and "U+0000" in err


def test_cli_validate_missing_folder(project, capsys):
    status, _, err = run(capsys, "validate", str(project / "nope"))
    assert status == 1 and "no such casebook folder" in err


def test_cli_export_onto_a_file_writes_nothing(project, tmp_path, capsys):
    target = tmp_path / "tables"
    target.write_text("keep me\n", encoding="utf-8")
    status, _, err = run(capsys, "export", "--casebook", str(project), "--out", str(target))
    assert status == 2 and "is a file, not a folder" in err
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_cli_export_of_a_broken_casebook_writes_nothing(project, capsys):
    (project / "codebook.yaml").unlink()
    before = snapshot(project.parent)
    status, _, err = run(capsys, "export", "--casebook", str(project))
    assert status == 1 and "codebook.yaml" in err
    assert snapshot(project.parent) == before


def test_cli_extract_into_a_missing_folder(project, tmp_path, capsys):
    source = next((project.parent / "data" / "raw").glob("*.txt"))
    target = tmp_path / "missing" / "draft.yaml"
    argv = ["extract", str(source), "--district", "mou", "--casebook", str(project), "-o", str(target)]
    status, _, err = run(capsys, *argv)
    assert status == 2 and "cannot write the draft" in err
    assert not target.parent.exists()


def test_cli_extract_of_a_folder(project, capsys):
    status, _, err = run(capsys, "extract", str(project), "--casebook", str(project))
    assert status == 2 and "cannot read the source" in err


def test_cli_extract_of_one_endless_sentence_is_bounded(project, tmp_path, capsys):
    source = tmp_path / "long.txt"
    source.write_text(",".join(f"共有{i}家" for i in range(2000)) + "。\n", encoding="utf-8")
    target = tmp_path / "draft.yaml"
    status, _, err = run(capsys, "extract", str(source), "--casebook", str(project), "-o", str(target))
    assert status == 0 and err.splitlines()[-1].startswith("2000 candidates")
    quotes = [json.loads(line.split("quote: ", 1)[1]) for line in target.read_text().splitlines() if "quote: " in line]
    assert len(quotes) == 2000 and max(map(len, quotes)) <= govcases.records.extract.MAX_QUOTE_CHARS
    assert target.stat().st_size < 2_000_000


def test_cli_clean_with_a_broken_manifest(project, capsys):
    manifest = project.parent / "data" / "raw" / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "only,three,fields\n", encoding="utf-8")
    status, out, err = run(capsys, "clean", "any-source", "--casebook", str(project))
    assert status == 1 and "manifest.csv" in err and "fields" in err and out == ""


def test_cli_clean_never_prints_a_file_outside_the_data(project, tmp_path, capsys):
    outside = tmp_path / "secret.txt"
    outside.write_text("SECRET\n", encoding="utf-8")
    manifest = govcases.records.sources.load_manifest(project.parent / "data")
    source = next(s for s in manifest.values() if s.kind != "external-table")
    source.path.unlink()
    source.path.symlink_to(outside)
    status, out, err = run(capsys, "clean", source.source_id, "--casebook", str(project))
    assert status == 1 and "leads outside" in err and "SECRET" not in out + err


def zero_count_district(project: Path) -> None:
    """Add a valid district whose source counts 0 organizations and gives a yearly sum."""
    source_id = add_source(
        project, "mou", "某区报告\n全区登记注册的社会组织共0家。区财政每年拿出500万元专项扶持社会组织。\n"
    )
    period = {"text": "not stated", "start": "2015-01-01", "end": "2015-12-31", "reasoning": "Test record."}
    record = {
        "district": "mou",
        "profile": {
            "name_zh": "某区",
            "name_en": "Mou District",
            "city_zh": "某市",
            "city_en": "Mou City",
            "province_zh": "某省",
            "province_en": "Mou Province",
            "area_kind": "urban_district",
            "sources": [source_id],
            "summary": "A made-up district whose source counts no organization.",
        },
        "facts": [
            {
                "id": "mou-orgs",
                "indicator": "orgs_registered",
                "value": "0家",
                "basis": "stock",
                "source": source_id,
                "quote": "全区登记注册的社会组织共0家",
                "english": "No organization is registered.",
                "period": period,
                "confidence": "stated",
            },
            {
                "id": "mou-special-fund",
                "indicator": "funding_instrument",
                "value": "special_fund",
                "source": source_id,
                "quote": "区财政每年拿出500万元专项扶持社会组织",
                "english": "The district runs a special fund.",
                "period": period,
                "confidence": "stated",
            },
            {
                "id": "mou-fund",
                "indicator": "funding_amount",
                "subject": "special_fund: annual special fund",
                "value": "500万元",
                "basis": "annual",
                "source": source_id,
                "quote": "区财政每年拿出500万元专项扶持社会组织",
                "english": "Five million yuan a year go into a special fund.",
                "period": period,
                "confidence": "stated",
                "instruments": ["mou-special-fund"],
            },
        ],
    }
    dump(project / "mou.yaml", record)


def test_cli_build_tables_with_a_count_of_zero(project):
    # ratios over a count of 0家 are missing, with the reason, and the others are untouched
    zero_count_district(project)
    cb = govcases.load_casebook(project)
    table = funding.per_organization(cb)
    row = table[table["denominator_id"] == "mou-orgs"].iloc[0]
    assert pd_isna(row["low"]) and pd_isna(row["high"]) and "no ratio is computed" in row["denominator"]
    others = table[table["district"] != "mou"]
    assert others["low"].notna().all()  # the other districts keep their ratios


def pd_isna(x) -> bool:
    return x != x  # NaN


def test_cli_build_with_a_count_of_zero(project, tmp_path, monkeypatch, capsys):
    zero_count_district(project)
    monkeypatch.setenv("GOVCASES_CASEBOOK", str(project))
    out = tmp_path / "build"
    status, printed, _ = run(capsys, "build", "--no-notebooks", "--no-figures", "--out", str(out))
    assert status == 0 and printed.splitlines()[-1].startswith("wrote")
    table = (out / "tables" / "funding-normalized.csv").read_text(encoding="utf-8")
    assert "mou-orgs" in table and "no ratio is computed" in table


def test_cli_build_onto_a_file_writes_nothing(project, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GOVCASES_CASEBOOK", str(project))
    target = tmp_path / "build"
    target.write_text("keep me\n", encoding="utf-8")
    before = snapshot(project.parent)
    status, _, err = run(capsys, "build", "--no-notebooks", "--no-figures", "--out", str(target))
    assert status == 2 and "is a file, not a folder" in err
    assert target.read_text(encoding="utf-8") == "keep me\n" and snapshot(project.parent) == before


def test_cli_casebook_onto_a_folder_or_below_a_file(project, tmp_path, capsys):
    status, _, err = run(capsys, "casebook", "--casebook", str(project), "--out", str(tmp_path))
    assert status == 2 and "is a folder" in err
    blocker = tmp_path / "file"
    blocker.write_text("keep me\n", encoding="utf-8")
    status, _, err = run(capsys, "casebook", "--casebook", str(project), "--out", str(blocker / "casebook.html"))
    assert status == 2 and "cannot write the casebook" in err
    assert blocker.read_text(encoding="utf-8") == "keep me\n"


def test_cli_extract_of_a_file_that_is_not_utf8(project, tmp_path, capsys):
    source = tmp_path / "gbk.txt"
    source.write_bytes("全区社会组织共333家。".encode("gb18030"))
    status, _, err = run(capsys, "extract", str(source), "--district", "mou", "--casebook", str(project))
    assert status == 2 and "not valid UTF-8" in err


def test_cli_extract_escapes_control_characters_of_the_source(project, tmp_path, capsys):
    # a source's direction mark or control character is not printed raw in the draft, and the draft then
    # fails validation at the quote that holds it
    source = tmp_path / "odd.txt"
    source.write_text("全区共有社会组织\u202e近500家,另有\x85志愿者1200余名。\n", encoding="utf-8")
    status, out, _ = run(capsys, "extract", str(source), "--district", "mou", "--casebook", str(project))
    assert status == 0 and forbidden_character(out) is None and "\\u202e" in out
    (project / "mou.yaml").write_text(out, encoding="utf-8")
    assert any("U+202E" in p.message and p.field.endswith(".quote") for p in problems_of(project))


def test_fs_validate_casebook_never_raises_on_a_path_the_system_refuses(tmp_path):
    (found,) = govcases.validate_casebook(str(tmp_path / "a\x00b"))
    assert "cannot be read" in found.message and forbidden_character(str(found)) is None


def test_every_table_and_figure_is_made_with_a_count_and_a_population_of_zero(project):
    # 0家 and 0人 are valid facts; every ratio over them is missing with its reason, nothing crashes
    import matplotlib.pyplot as plt
    from madeup import MadeUp, add_districts, no_money

    from govcases.analysis import growth, qca
    from govcases.publish.appendix import FIGURES, TABLES

    d = no_money()  # renamed: a grown casebook may hold the made-up district already

    def zeroed(text: str) -> str:
        return text.replace("约64万人", "0人").replace("320家", "0家").replace("countland", "zeroland")

    zero = MadeUp(
        "zeroland",
        "零区",
        "Zeroland District",
        zeroed(d.source_id),
        d.title,
        d.page_date,
        zeroed(d.text),
        zeroed(d.facts),
    )
    add_districts(project.parent, [zero])
    cb = govcases.load_casebook(project)
    for item in TABLES + FIGURES:
        made = item.make(cb)
        if item in FIGURES:
            plt.close(made)
    dens = growth.densities(cb)
    mine = dens[(dens["district"] == zero.district) & (dens["density_from"] == "derived")]
    assert len(mine) and mine["density_low"].isna().all()
    assert mine["how"].str.contains("the population may be zero").all()
    sector = qca.sector_density(cb).set_index("district")
    assert sector.loc[zero.district, "density_low"] != sector.loc[zero.district, "density_low"]  # NaN
