"""Citation, licence and changelog files agree with the package metadata and with each other."""

from __future__ import annotations

import hashlib
import re
import tomllib
from importlib import metadata

import yaml
from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def spdx_ids(expression: str) -> set[str]:
    return set(re.split(r"\s+(?:AND|OR|WITH)\s+", expression.strip(" ()")))


def test_citation_file_has_what_cff_1_2_requires_and_matches_the_package():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):
        assert cff.get(key), f"CITATION.cff needs {key!r}"
    assert all(a.get("name") or a.get("family-names") for a in cff["authors"])
    assert str(cff["version"]) == PYPROJECT["version"], "bump CITATION.cff's version with pyproject.toml's"


def test_citation_file_gives_each_part_its_licence():
    """In CFF a list of licences means a choice (OR); our parts are licensed side by side (AND).

    So the software names one licence, and the casebook is a reference of type data with its own;
    together they are the licences of pyproject.toml's expression.
    """
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["license"] == "MIT", "the software's licence, one identifier (a list would mean OR)"
    data = [r for r in cff.get("references", []) if r["type"] == "data"]
    assert len(data) == 1, "CITATION.cff needs one reference of type data: the casebook and its tables"
    assert data[0]["license"] == "CC-BY-4.0"
    assert str(data[0]["version"]) == PYPROJECT["version"]
    assert data[0]["title"] and data[0]["authors"]
    assert {cff["license"], data[0]["license"]} == spdx_ids(PYPROJECT["license"])
    assert " AND " in PYPROJECT["license"] and " OR " not in PYPROJECT["license"]


def test_every_licence_named_has_its_full_text():
    for spdx in spdx_ids(PYPROJECT["license"]):
        assert (ROOT / "LICENSES" / f"{spdx}.txt").is_file(), f"LICENSES/{spdx}.txt is missing"
    named = re.findall(r"LICENSES/[\w.-]+\.txt", (ROOT / "LICENSE").read_text(encoding="utf-8"))
    assert named and all((ROOT / n).is_file() for n in named)
    assert {p.name for p in (ROOT / "LICENSES").iterdir()} == {n.split("/")[1] for n in named}


#: The sections of the CC BY 4.0 legal code, as its plain-text version heads them.
CC_BY_4_SECTIONS = [
    "Section 1 -- Definitions.",
    "Section 2 -- Scope.",
    "Section 3 -- License Conditions.",
    "Section 4 -- Sui Generis Database Rights.",
    "Section 5 -- Disclaimer of Warranties and Limitation of Liability.",
    "Section 6 -- Term and Termination.",
    "Section 7 -- Other Terms and Conditions.",
    "Section 8 -- Interpretation.",
]


def test_cc_by_licence_file_is_the_full_legal_code():
    """Verbatim: creativecommons.org's plain-text legal code (licenses/by/4.0/legalcode.txt), not a summary."""
    path = ROOT / "LICENSES" / "CC-BY-4.0.txt"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("Attribution 4.0 International\n\n=====")
    assert "Creative Commons Attribution 4.0 International Public License" in text
    headings = re.findall(r"^Section \d -- .+$", text, re.MULTILINE)
    assert headings == CC_BY_4_SECTIONS
    definitions = text[text.index(CC_BY_4_SECTIONS[0]) : text.index(CC_BY_4_SECTIONS[1])]
    assert re.findall(r"^  ([a-k])\. ", definitions, re.MULTILINE) == list("abcdefghijk")
    assert text.rstrip().endswith("Creative Commons may be contacted at creativecommons.org.")
    # the published text, byte for byte (18,653 characters); a changed byte is no longer the licence
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == "9ba9550ad48438d0836ddab3da480b3b69ffa0aac7b7878b5a0039e7ab429411"


def test_the_installed_package_carries_the_licence_expression():
    """`make` reinstalls the package when pyproject.toml changes, so its metadata is current."""
    meta = metadata.metadata("govcases")
    assert meta["License-Expression"] == PYPROJECT["license"]
    assert meta["Version"] == PYPROJECT["version"]


def test_changelog_has_an_unreleased_section_above_any_release():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert sections and sections[0] == "Unreleased"
    for title in sections[1:]:
        assert re.fullmatch(r"\d+\.\d+\.\d+ \(\d{4}-\d{2}-\d{2}\)", title), f"release heading {title!r}"


def test_readme_points_to_citation_and_licences():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "CITATION.cff" in readme and "LICENSE" in readme and "CC BY 4.0" in readme
