"""The jinja2 environment that lays out the HTML pages from the templates in ``templates/``.

Python prepares plain data (strings, numbers, lists and dicts); the templates decide the markup,
the prose and, through the CSS files beside them, the look. Someone who edits only wording or
colours edits only files in ``src/govcases/publish/templates/``.

Every value put into a page is HTML-escaped unless a filter below marks it as markup on purpose,
so a record's text can never become markup: autoescaping is on for every ``.html`` template.
"""

from __future__ import annotations

import functools
import re

from markupsafe import Markup, escape

from govcases.publish.prose import count_words

__all__ = ["render"]

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _words(ident: str) -> str:
    """An id as words: ``venture_philanthropy`` -> ``venture philanthropy``."""
    return str(ident).replace("_", " ").replace("-", " ")


def _breakable(ident: str) -> Markup:
    """An escaped id that may wrap after its underscores (so table columns can stay narrow)."""
    return Markup("_<wbr>").join(escape(part) for part in str(ident).split("_"))


def _is_cjk(text) -> bool:
    return bool(_CJK.search(str(text)))


@functools.cache
def environment():
    """One environment per process: templates are compiled once and cached by jinja2."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("govcases.publish", "templates"),
        autoescape=select_autoescape(["html"]),
        # a misspelled variable in a template is an error, not an empty string in the page
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(words=_words, breakable=_breakable, count_words=count_words)
    env.tests["cjk"] = _is_cjk
    return env


def render(name: str, /, **context) -> str:
    """Render one of the package's jinja2 templates into text.

    Parameters
    ----------
    name : str
        Path of the template inside ``src/govcases/publish/templates/``, such as
        ``"report/index.html"``; positional only, so a template variable may also be called ``name``.
    **context : object
        The values the template refers to, by the names it uses. A name the template uses but
        the call leaves out is an error (jinja2's ``StrictUndefined``), never an empty string.

    Returns
    -------
    str
        The rendered page or text. In ``.html`` templates every value is HTML-escaped unless a
        filter marks it as markup.
    """
    return environment().get_template(name).render(**context)
