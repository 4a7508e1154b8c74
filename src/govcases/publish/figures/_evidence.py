"""Evidence carried by a figure: which facts each plotted mark draws on, for hovers and captions.

A figure function calls :func:`mark` on the artists it draws from facts. The artist gets an SVG
id (matplotlib's ``gid``), and the figure remembers, for that id, the facts and a hover text: the
Chinese quote, our English rendering, the source and the period of each fact.
:func:`govcases.publish.build.save_figure` then writes the hover text into the SVG as a
``<title>`` element of the mark's group (a browser shows it on hover) with the fact ids in a
``data-facts`` attribute; the facts of all marks make the figure's caption of evidence.
"""

from __future__ import annotations

import pandas as pd

from govcases.records.casebook import Casebook

__all__: list[str] = []

ATTRIBUTE = "govcases_evidence"
#: Facts quoted in full in one hover text; a mark drawn from more (a count of facts) names the rest by id.
HOVER_FACTS = 4


def _store(fig) -> dict:
    store = getattr(fig, ATTRIBUTE, None)
    if store is None:
        store = {"facts": [], "marks": {}}
        setattr(fig, ATTRIBUTE, store)
    return store


def mark(fig, cb: Casebook, artists, fact_ids, *, chinese: bool = False) -> None:
    """Tie plotted ``artists`` (one or a list) to the facts ``fact_ids`` they are drawn from."""
    ids = [str(i) for i in ([fact_ids] if isinstance(fact_ids, str) else fact_ids) if isinstance(i, str) and i]
    if not ids:
        return
    store = _store(fig)
    for i in ids:
        if i not in store["facts"]:
            store["facts"].append(i)
    items = artists if isinstance(artists, (list, tuple)) else [artists]
    text = hover_text(cb, ids, chinese=chinese)
    for artist in _flatten(items):
        gid = f"mark{len(store['marks']) + 1}"
        artist.set_gid(gid)
        store["marks"][gid] = {"facts": ids, "title": text}


def use_facts(fig, fact_ids) -> None:
    """Record facts a figure draws on without a mark of their own (a count in a heatmap cell)."""
    store = _store(fig)
    for i in fact_ids:
        if isinstance(i, str) and i and i not in store["facts"]:
            store["facts"].append(i)


def _flatten(items):
    for a in items:
        if a is None:
            continue
        if isinstance(a, (list, tuple)):
            yield from _flatten(a)
        elif hasattr(a, "lines") and hasattr(a, "has_xerr"):  # an ErrorbarContainer
            line, caps, bars = a.lines
            yield from _flatten([line, *caps, *bars])
        else:
            yield a


def hover_text(cb: Casebook, fact_ids, *, chinese: bool = False) -> str:
    """The text shown on hover: per fact its quote, English rendering, source and period."""
    facts = cb.facts_by_id
    titles = (
        dict(zip(cb.sources[cb.sources.columns[0]], cb.sources["title"]))
        if len(cb.sources.columns) and "title" in cb.sources.columns
        else {}
    )
    parts = []
    shown = [i for i in fact_ids if i in facts.index][:HOVER_FACTS]
    for fid in shown:
        # .at per field: a whole row as a Series (.loc) cost most of a build's hover texts
        source = str(facts.at[fid, "source"])
        t = titles.get(source)
        title = "" if t is None or pd.isna(t) else str(t)
        period = f"{facts.at[fid, 'period_start']} – {facts.at[fid, 'period_end']}"
        text = facts.at[fid, "period_text"]
        if not pd.isna(text) and str(text):
            period += f" ({text})"
        parts.append(
            "\n".join(
                [
                    f"「{facts.at[fid, 'quote']}」",
                    str(facts.at[fid, "english"]),
                    ("来源：" if chinese else "Source: ") + (f"{title} [{source}]" if title else source),
                    ("时期：" if chinese else "Period: ") + period,
                    ("事实：" if chinese else "Fact: ") + str(fid),
                ]
            )
        )
    rest = [i for i in fact_ids if i in facts.index][HOVER_FACTS:]
    if rest:
        parts.append((f"另有 {len(rest)} 条事实：" if chinese else f"… and {len(rest)} more facts: ") + ", ".join(rest))
    return "\n\n".join(parts)


def evidence_caption(cb: Casebook, fact_ids, *, chinese: bool = False) -> str:
    """A caption's note of evidence: the fact ids and the sources they come from."""
    facts = cb.facts_by_id
    ids = [i for i in fact_ids if i in facts.index]
    if not ids:
        return "与个别事实无关。" if chinese else "Drawn from no single fact."
    sources = sorted({str(facts.loc[i, "source"]) for i in ids})
    if len(ids) == len(facts):
        if chinese:
            return f"依据：个案库全部 {len(ids)} 条事实；来源 {', '.join(sources)}。"
        return f"Evidence: all {len(ids)} facts of the casebook; sources {', '.join(sources)}."
    head = "依据的事实" if chinese else "Evidence: facts"
    src = "来源" if chinese else "sources"
    return f"{head} {', '.join(sorted(ids))}; {src} {', '.join(sources)}."


def figure_facts(fig) -> list[str]:
    """The facts a figure was drawn from (in the order first used)."""
    return list(_store(fig)["facts"])
