"""The appendix figures, one module per topic, one function per figure returning a matplotlib figure.

``from govcases.publish import figures`` then ``figures.funding.fig_normalized(cb)``; the
appendix (:mod:`govcases.publish.appendix`) lists which function makes which file.
"""

from govcases.publish.figures import (
    funding,
    funding_mix,
    growth,
    overview,
    policy_timeline,
    qca,
    registration,
    typology,
)

__all__ = ["funding", "funding_mix", "growth", "overview", "policy_timeline", "qca", "registration", "typology"]
