"""The comparative conclusion of the funding notebook, written from its tables, never from typed numbers.

Every count and name in the sentences comes from :func:`govcases.analysis.funding.payer_mix`,
:func:`~govcases.analysis.funding.mechanism_mix`, :func:`~govcases.analysis.funding.model_components`
and :func:`~govcases.analysis.funding.incomparable` of the casebook given, so the text stays true when
the casebook grows.
"""

from __future__ import annotations

from govcases.analysis.funding import incomparable, mechanism_mix, model_components, payer_mix
from govcases.publish.prose import count_words, names, share
from govcases.records.casebook import Casebook

__all__ = ["funding_conclusion"]


def funding_conclusion(cb: Casebook) -> str:
    """What differs, what is shared and what the evidence cannot settle about funding, as Markdown.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    str
        Three paragraphs of Markdown (differs, shared, cannot settle).

    Examples
    --------
    >>> import govcases
    >>> text = funding_conclusion(govcases.load_casebook().select(["minhang"]))
    >>> "Minhang District" in text and "states no sum" in text
    True
    """
    n = len(cb.districts)
    payers, mechs = payer_mix(cb), mechanism_mix(cb)
    stated = payers[(payers["status"] == "sum stated") & (payers["key"] != "unstated")]
    by_district = []
    for d in cb.districts:
        labels = list(stated.loc[stated["district"] == d, "label"])
        if labels:
            by_district.append(f"{names(cb, [d])}: {', '.join(labels)}")
    no_sum = [d for d in cb.districts if not (payers.loc[payers["district"] == d, "sum_facts"] != "").any()]
    differs = "**What differs.** Who pays, where a source says so with a sum: " + (
        "; ".join(by_district) + "." if by_district else "no source names a payer with a sum."
    )
    models = model_components(cb)
    for model, parts in models.groupby("model", sort=True):
        district = parts["district"].iloc[0]
        differs += (
            f" {names(cb, [district])} frames its own mix as {model} "
            f"({count_words(len(parts))} components, each tied to an instrument it names); "
            "that frame is one among others, not a scale the other districts are measured on."
        )
    named = mechs[mechs["status"].isin(["sum stated", "named, no sum"])]
    counts = named.groupby("label")["district"].nunique().sort_values(ascending=False)
    widest = counts[counts == counts.max()] if len(counts) else counts
    shared = "**What is shared.** " + (
        "; ".join(
            f"{label[0].upper() + label[1:]} is named by {share(int(k), n, 'districts')}" for label, k in widest.items()
        )
        + "."
        if len(widest)
        else "No mechanism is named by any source."
    )
    rest = counts[counts < counts.max()] if len(counts) else counts
    if len(rest):
        shared += " Less widely: " + "; ".join(f"{label} ({share(int(k), n)})" for label, k in rest.items()) + "."
    issues = incomparable(cb)
    cannot = (
        "**What the evidence cannot settle.** Which district spends more: the sums differ in payer, basis, period "
        f"and reach, and the rule-based checks find {count_words(len(issues))} kinds of comparison the sources "
        "do not allow (section 8)."
    )
    beyond = issues[issues["issue"] == "reach beyond the district"]
    if len(beyond):
        cannot += (
            f" Money that reaches beyond its district ({names(cb, beyond['districts'].iloc[0].split(', '))}: "
            "a call open to a wider area) is not divided by the district's organizations or residents at all."
        )
    if no_sum:
        cannot += f" {names(cb, no_sum)} states no sum, which does not mean it pays nothing."
    cannot += (
        f" The composition is what {share(n, n, 'sources') if n > 1 else 'the source'} report, one document per "
        "district: a payer or mechanism left blank is silence, and a few cases cannot show which mix works better."
    )
    return "\n\n".join([differs, shared, cannot])
