"""Publishing: figures, appendix tables, the seminar casebook, the HTML report, notebooks and the build.

The top layer: it reads records and analysis results and writes to ``build/``.
"""
