"""Source criticism as data: genre, authorship, purpose, incentive and limits of each narrative source.

The table lives beside the records in ``casebook/source-criticism.yaml`` (:data:`CRITICISM_FILE`),
written by people. :func:`load_source_criticism` reads and checks it against the casebook's
sources, and returns one row for every narrative source the casebook cites: a source without an
entry gets a row that says so (``assessed`` False), never a silent gap.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import Field, ValidationError

from govcases.records.codebook import pydantic_problems
from govcases.records.errors import CasebookError
from govcases.records.models import _Strict
from govcases.records.paths import project_paths
from govcases.records.sources import load_manifest
from govcases.records.yamlio import read_yaml

__all__ = ["CRITICISM_COLUMNS", "CRITICISM_FILE", "load_source_criticism"]

#: The file, in the casebook folder (its name can never be a district slug, so it is not read as a record).
CRITICISM_FILE = "source-criticism.yaml"

GENRES = ("news_report", "news_feature", "official_experience_report", "journal_article_outsider")
CARRIERS = ("original_page", "unknown_site", "document_site_repost", "content_farm_repost")
INCENTIVES = ("high", "moderate", "low")

#: Columns of the table, with their meaning (also the export's descriptions).
CRITICISM_COLUMNS: dict[str, str] = {
    "source_id": "Source id (data/raw/manifest.csv)",
    "district": "District the source describes",
    "assessed": "Whether the source has an entry in casebook/source-criticism.yaml",
    "genre": (
        "What the text was written as: news_report, news_feature, official_experience_report (经验材料), "
        "journal_article_outsider"
    ),
    "carrier": (
        "How we hold it: original_page, unknown_site (relation to the original not known), document_site_repost, "
        "content_farm_repost"
    ),
    "author": "Author as far as known",
    "publisher": "Publisher of the original and of the copy we hold, as far as known",
    "purpose": "What the text was written to do",
    "incentive": "Incentive to present success: high, moderate or low",
    "incentive_reason": "Why",
    "repost_chain": "From the original to the file we hold, and what each step did to the text",
    "cannot_tell": "What the source cannot tell us",
}


class _Entry(_Strict):
    source: str = Field(min_length=1)
    genre: Literal[GENRES]
    carrier: Literal[CARRIERS]
    author: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    purpose: str = Field(min_length=1)
    incentive: Literal[INCENTIVES]
    incentive_reason: str = Field(min_length=1)
    repost_chain: str = Field(min_length=1)
    cannot_tell: str = Field(min_length=1)


class _File(_Strict):
    sources: list[_Entry]


def load_source_criticism(cb) -> pd.DataFrame:
    """The source-criticism table of a casebook, checked, one row per narrative source it cites.

    Parameters
    ----------
    cb : Casebook
        A validated casebook; the table is read from :data:`CRITICISM_FILE` in its folder.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CRITICISM_COLUMNS`, sorted by source id: every source the casebook cites
        that is not an external table (its manifest row names a district). A source without an
        entry has ``assessed`` False and empty cells; a casebook without the file gets such rows
        for every source.

    Raises
    ------
    CasebookError
        If the file breaks its shape (unknown keys, a genre or incentive not in the lists, an empty
        field), names a source the manifest does not list, or lists a source twice; each problem
        with its file, line and field.

    Examples
    --------
    >>> import govcases
    >>> t = load_source_criticism(govcases.load_casebook()).set_index("source_id")
    >>> t.loc["minhang-2015-ji", ["genre", "incentive"]].tolist()
    ['journal_article_outsider', 'moderate']
    """
    narrative = cb.sources[cb.sources["district"].notna()].sort_values("source_id")
    path = cb.root / CRITICISM_FILE
    entries: dict[str, _Entry] = {}
    if path.is_file():
        doc, problems = read_yaml(path, str(path.relative_to(cb.root.parent)))
        if doc is None:
            raise CasebookError(problems)
        try:
            model = _File.model_validate(doc.data)
        except ValidationError as err:
            raise CasebookError(pydantic_problems(doc, err)) from None
        # any source of the manifest: a single record's casebook cites only its own
        known = set(load_manifest(project_paths(cb.root)[1]))
        for i, entry in enumerate(model.sources):
            at = ("sources", i, "source")
            if entry.source in entries:
                problems.append(doc.problem(at, f"source '{entry.source}' is listed twice", "keep one entry"))
            elif entry.source not in known:
                problems.append(
                    doc.problem(
                        at,
                        f"source '{entry.source}' is not in the manifest",
                        "use a source id from data/raw/manifest.csv",
                    )
                )
            entries[entry.source] = entry
        if problems:
            raise CasebookError(problems)
    rows = []
    for _, src in narrative.iterrows():
        entry = entries.get(src["source_id"])
        row = {"source_id": src["source_id"], "district": src["district"], "assessed": entry is not None}
        for col in list(CRITICISM_COLUMNS)[3:]:
            row[col] = getattr(entry, col) if entry is not None else None
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(CRITICISM_COLUMNS))
    for col in CRITICISM_COLUMNS:
        out[col] = out[col].astype("boolean" if col == "assessed" else "string")
    return out.reset_index(drop=True)
