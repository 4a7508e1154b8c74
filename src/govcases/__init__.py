"""govcases: sourced case records on how Chinese districts grow and govern social organizations.

The main entry is :func:`load_casebook`, which validates the records in ``casebook/`` against
their sources and returns tidy pandas tables. Nothing is read at import time.
"""

from .casebook import FACT_COLUMNS, Casebook, load_casebook, load_facts, validate_casebook
from .errors import CasebookError, Problem
from .quantity import Quantity, QuantityError, parse_quantity

__version__ = "0.1.0"

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
    "parse_quantity",
    "validate_casebook",
]
