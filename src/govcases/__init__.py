"""govcases: sourced case records on how Chinese districts grow and govern social organizations.

The main entry is :func:`load_casebook`, which validates the records in ``casebook/`` against
their sources and returns tidy pandas tables. Nothing is read at import time.

The package has three layers, each importing only from those below it:

- :mod:`govcases.records`: reading, cleaning and validating records, Chinese quantities, the export;
- :mod:`govcases.analysis`: comparisons as pandas tables;
- :mod:`govcases.publish`: figures, appendix tables, HTML, notebooks and the build.
"""

from importlib.metadata import PackageNotFoundError, version

from govcases import _moved
from govcases.records.casebook import FACT_COLUMNS, Casebook, load_casebook, load_facts, validate_casebook
from govcases.records.criticism import load_source_criticism
from govcases.records.errors import CasebookError, Problem
from govcases.records.quantity import Quantity, QuantityError, parse_quantity

try:
    __version__ = version("govcases")  # one home for the version: pyproject.toml
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

_moved.install()
__getattr__ = _moved.module_getattr

__all__ = [
    "FACT_COLUMNS",
    "Casebook",
    "CasebookError",
    "Problem",
    "Quantity",
    "QuantityError",
    "__version__",
    "load_casebook",
    "load_facts",
    "load_source_criticism",
    "parse_quantity",
    "validate_casebook",
]
