"""Records: reading, cleaning and validating the casebook, Chinese quantities, intervals, the codebook and the export.

The lowest layer: it imports nothing from :mod:`govcases.analysis` or :mod:`govcases.publish`.
"""
