"""Analysis: comparisons computed from a validated casebook, as pandas tables.

Built on :mod:`govcases.records` only; nothing here draws, writes files or reads notebooks.
"""
