"""Which codebook indicators each analysis reads, declared in one place.

A record may use any indicator of the codebook, but an analysis only sees the indicators its code
selects. This table says which those are, module by module, so that a new indicator's author can
see at once whether an analysis will pick it up or must be told (``casebook/README.md``,
"Extending the codebook"), and so that ``govcases validate`` can warn about facts that no analysis
reads. ``tests/test_reads.py`` keeps the table honest: every indicator an analysis module names in
its code is declared for it here, and nothing is declared that the module does not name.

An analysis reads an indicator when its code selects facts of that indicator by id, or (``categories``)
selects facts by codebook category, which takes in every indicator of the category, a new one
included (only those counted in ``category_units`` where the selection also asks for a unit).
The overview's coverage and category tables and the seminar casebook list every fact; they are
listings, not analyses, and do not count as reading an indicator.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["READS", "indicators_read", "unread_indicators"]

#: analysis module -> {"indicators": ids it selects by name, "categories": categories it selects whole,
#: "category_units": if given, the category selection takes only indicators counted in one of these units}
READS: dict[str, dict[str, tuple[str, ...]]] = {
    # Table 1 (comparison.FEATURES). Its qualifier_sensitivity also scans every quantity fact for pairs the
    # codebook lets stand side by side; like the coverage table that is a listing, not a reading of indicators.
    "comparison": {
        "indicators": (
            "community_work_items",
            "competition_feature",
            "direct_registration",
            "direct_registration_category",
            "dual_track_registration",
            "federation_first_established",
            "filing_system",
            "funding_amount",
            "funding_instrument",
            "funding_model",
            "funding_total_all_instruments",
            "hub_feature",
            "hub_network_tiers",
            "incubator_area",
            "incubator_count",
            "incubator_site_area",
            "orgs_community_filed",
            "orgs_registered_and_filed",
            "party_building_feature",
            "purchase_count",
            "rating_count",
            "registration_procedure_after",
            "registration_procedure_change",
            "separation_feature",
            "supervision_feature",
            "transfer_instrument",
        ),
    },
    "denominators": {
        "indicators": ("land_area", "population_managed", "population_resident"),
    },
    "funding": {
        "indicators": (
            "funding_amount",
            "funding_instrument",
            "funding_model",
            "funding_recipients",
            "funding_total_all_instruments",
            "insured_sum",
            "orgs_community_level",
            "orgs_registered",
            "orgs_registered_and_filed",
            "orgs_total_scope_unstated",
            "rating_count",
        ),
    },
    "growth": {
        "indicators": (
            "growth_multiple",
            "growth_rate_annual_avg",
            "growth_rate_yoy",
            "orgs_community_level",
            "orgs_per_10k_residents",
            "orgs_registered",
            "orgs_registered_and_filed",
            "orgs_total_scope_unstated",
            "ratio_district_wide_to_community_groups",
        ),
        # derived growth pairs any two stock counts, counted in organizations, of one indicator
        "categories": ("organizations",),
        "category_units": ("organizations",),
    },
    "overview": {
        "indicators": ("model_name",),
    },
    "qca": {
        "indicators": (
            "direct_registration",
            "orgs_per_10k_residents",
            "orgs_registered",
            "orgs_registered_and_filed",
            "orgs_total_scope_unstated",
        ),
    },
    "registration": {
        "indicators": (
            "direct_registration",
            "direct_registration_category",
            "dual_track_registration",
            "federation_first_established",
            "filing_system",
            "funding_instrument",
            "growth_rate_yoy",
            "hub_feature",
            "incubator_count",
            "party_building_feature",
            "policy_document",
            "registration_procedure_after",
            "registration_procedure_before",
            "registration_procedure_change",
            "registrations_count",
            "supervision_feature",
            "transfer_instrument",
        ),
    },
    "typology": {
        "indicators": (
            "coordination_body",
            "direct_registration",
            "direct_registration_category",
            "dual_track_registration",
            "federation_first_established",
            "filing_system",
            "funding_amount",
            "funding_instrument",
            "funding_recipients",
            "hub_feature",
            "hub_network_tiers",
            "incubator_area",
            "incubator_count",
            "orgs_community_filed",
            "orgs_registered_and_filed",
            "rating_count",
            "registration_procedure_after",
            "registration_procedure_change",
            "supervision_feature",
            "transfer_instrument",
        ),
    },
}


def indicators_read(codebook: pd.DataFrame, reads=None) -> dict[str, tuple[str, ...]]:
    """Which analyses read each indicator of a codebook.

    Parameters
    ----------
    codebook : pandas.DataFrame
        The codebook as a table, with columns ``indicator``, ``category`` and ``unit`` (unit keys
        joined by ``|``; ``cb.codebook.table()``).
    reads : mapping, optional
        The declaration to use; default :data:`READS`.

    Returns
    -------
    dict of str to tuple of str
        Every indicator of the codebook, in codebook order, with the sorted names of the analysis
        modules that read it (empty when none does).

    Examples
    --------
    >>> import govcases
    >>> read = indicators_read(govcases.load_casebook().codebook.table())
    >>> read["funding_amount"]
    ('comparison', 'funding', 'typology')
    """
    reads = READS if reads is None else reads
    out = {}
    for indicator, category, unit in zip(codebook["indicator"], codebook["category"], codebook["unit"]):
        units = set(filter(None, str(unit).split("|")))
        out[indicator] = tuple(
            sorted(
                module
                for module, rule in reads.items()
                if indicator in rule.get("indicators", ())
                or (
                    category in rule.get("categories", ())
                    and ("category_units" not in rule or units & set(rule["category_units"]))
                )
            )
        )
    return out


def unread_indicators(cb, reads=None) -> pd.DataFrame:
    """Indicators that facts of the casebook use and no analysis reads.

    Such facts are validated, exported and listed (coverage, the seminar casebook), but no
    comparison uses them. That is not an error: an indicator may be coded first and analysed
    later. ``govcases validate`` prints these as warnings.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    reads : mapping, optional
        The declaration to use; default :data:`READS`.

    Returns
    -------
    pandas.DataFrame
        One row per unread indicator with facts, sorted by indicator: ``indicator``, ``label_en``,
        ``n_facts`` (facts using it) and ``districts`` (the districts whose records use it,
        sorted, joined by ", ").

    Examples
    --------
    >>> import govcases
    >>> u = unread_indicators(govcases.load_casebook())
    >>> list(u.columns)
    ['indicator', 'label_en', 'n_facts', 'districts']
    """
    book = cb.codebook.table()
    read = indicators_read(book, reads)
    labels = dict(zip(book["indicator"], book["label_en"]))
    facts = cb.facts[~cb.facts["indicator"].map(lambda i: bool(read.get(i)))]
    rows = [
        {
            "indicator": indicator,
            "label_en": labels.get(indicator, ""),
            "n_facts": len(group),
            "districts": ", ".join(sorted(set(group["district"]))),
        }
        for indicator, group in facts.groupby("indicator", sort=True)
    ]
    return pd.DataFrame(rows, columns=["indicator", "label_en", "n_facts", "districts"])
