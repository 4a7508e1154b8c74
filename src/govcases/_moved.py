"""Old import paths from before the layered layout keep working, with a warning naming the new one.

Until version 0.1 every module sat flat in ``govcases``; notebooks and scripts written then import
``govcases.funding`` or ``from govcases import growth``. Such a name now resolves to a stand-in
module that finds each attribute in the module(s) that hold it today and warns once per name with
the new path, so old code runs and tells its reader what to change.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
import warnings

#: old module name -> the modules that hold its contents now (analysis first, then its figures)
MOVED: dict[str, tuple[str, ...]] = {
    **{
        m: (f"govcases.records.{m}",)
        for m in (
            "casebook",
            "codebook",
            "errors",
            "export",
            "extract",
            "intervals",
            "models",
            "paths",
            "quantity",
            "sources",
            "yamlio",
        )
    },
    **{m: (f"govcases.analysis.{m}",) for m in ("denominators", "seminar")},
    **{
        m: (f"govcases.analysis.{m}", f"govcases.publish.figures.{m}")
        for m in ("overview", "funding", "growth", "registration", "typology", "qca")
    },
    **{m: (f"govcases.publish.{m}",) for m in ("appendix", "build", "casebook_html", "notebooks", "style")},
}


class MovedModule(types.ModuleType):
    """Stand-in for an old module path: each attribute comes from its new home, with a warning."""

    def __init__(self, old: str, new: tuple[str, ...]):
        super().__init__(f"govcases.{old}", f"Moved: see {' and '.join(new)}.")
        self.__new_homes = new

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        for home in self.__new_homes:
            module = importlib.import_module(home)
            if hasattr(module, name):
                warnings.warn(
                    f"{self.__name__}.{name} has moved to {home}.{name}; import it from there",
                    DeprecationWarning,
                    stacklevel=2,
                )
                return getattr(module, name)
        raise AttributeError(f"{self.__name__} has moved to {' and '.join(self.__new_homes)}, and neither has {name!r}")


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        package, _, old = fullname.partition(".")
        if package == "govcases" and old in MOVED:
            return importlib.machinery.ModuleSpec(fullname, self)
        return None

    def create_module(self, spec):
        return MovedModule(spec.name.partition(".")[2], MOVED[spec.name.partition(".")[2]])

    def exec_module(self, module):
        pass


def install() -> None:
    """Put the finder on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())


def module_getattr(name: str):
    """``from govcases import funding`` (old style): the stand-in module for an old name."""
    if name in MOVED:
        return importlib.import_module(f"govcases.{name}")
    raise AttributeError(f"module 'govcases' has no attribute {name!r}")
