r"""TeX formulas of the notebooks' Markdown as MathML, so the HTML report needs no MathJax.

Browsers draw MathML themselves (MathML Core: Chromium 109, Firefox, Safari), so a formula
written ``$r = (N_1 / N_0)^{1/t} - 1$`` in a notebook reaches the reader of the HTML report
with no script and no network. The notebooks use a small part of TeX, and this module reads that
part: letters, numbers, operators, groups ``{...}``, sub- and superscripts, ``\frac``,
``\sqrt``, ``\text``, Greek letters and the relations and operators in :data:`COMMANDS`. Anything
else is an error naming the formula, never a formula drawn wrong: add the command here, or write
the formula with those that are.

Each formula keeps its TeX source as a MathML annotation (what a screen reader or a copy can use).
"""

from __future__ import annotations

import re
from html import escape

__all__ = ["COMMANDS", "markdown_with_mathml", "tex_to_mathml"]

#: TeX commands read, with the character each is drawn as and the MathML element that holds it.
COMMANDS: dict[str, tuple[str, str]] = {
    "in": ("∈", "mo"),
    "notin": ("∉", "mo"),
    "le": ("≤", "mo"),
    "leq": ("≤", "mo"),
    "ge": ("≥", "mo"),
    "geq": ("≥", "mo"),
    "ne": ("≠", "mo"),
    "neq": ("≠", "mo"),
    "approx": ("≈", "mo"),
    "times": ("×", "mo"),
    "cdot": ("⋅", "mo"),
    "pm": ("±", "mo"),
    "to": ("→", "mo"),
    "infty": ("∞", "mi"),
    "ln": ("ln", "mi"),
    "log": ("log", "mi"),
    "exp": ("exp", "mi"),
    "min": ("min", "mi"),
    "max": ("max", "mi"),
    **{
        name: (chr(code), "mi")
        for name, code in {
            "alpha": 0x3B1,
            "beta": 0x3B2,
            "gamma": 0x3B3,
            "delta": 0x3B4,
            "epsilon": 0x3B5,
            "lambda": 0x3BB,
            "mu": 0x3BC,
            "pi": 0x3C0,
            "rho": 0x3C1,
            "sigma": 0x3C3,
            "tau": 0x3C4,
            "theta": 0x3B8,
            "Delta": 0x394,
            "Sigma": 0x3A3,
        }.items()
    },
}
_SPACES = {",", ";", ":", " ", "!", "quad", "qquad"}
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|(\d+(?:\.\d+)?)|([A-Za-z])|(\s+)|(.)", re.S)
_OPERATORS = set("+-=/()[],.<>|!:;'*")


class _Parser:
    def __init__(self, tex: str):
        self.tex = tex
        self.tokens = [m for m in _TOKEN.finditer(tex) if not m.group(4)]
        self.i = 0

    def error(self, what: str) -> ValueError:
        return ValueError(
            f"formula ${self.tex}$: {what}; govcases.publish.mathml reads a small part of TeX "
            "(see its COMMANDS): add what is missing there, or write the formula with what it reads"
        )

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def sequence(self, closing: str | None = None) -> str:
        items = []
        while (token := self.peek()) is not None:
            if token.group(5) == "}":
                if closing != "}":
                    raise self.error("a } with no { before it")
                self.i += 1
                return _row(items)
            items.append(self.scripted())
        if closing:
            raise self.error("a { that is never closed")
        return _row(items)

    def scripted(self) -> str:
        base = self.atom()
        sub = sup = None
        while (token := self.peek()) is not None and token.group(5) in ("_", "^"):
            self.i += 1
            if self.peek() is None:
                raise self.error(f"nothing after {token.group(5)}")
            arg = self.atom()
            if token.group(5) == "_":
                sub = arg
            else:
                sup = arg
        if sub is not None and sup is not None:
            return f"<msubsup>{base}{sub}{sup}</msubsup>"
        if sub is not None:
            return f"<msub>{base}{sub}</msub>"
        if sup is not None:
            return f"<msup>{base}{sup}</msup>"
        return base

    def group(self) -> str:
        token = self.peek()
        if token is None or token.group(5) != "{":
            raise self.error("a command's argument must be in braces")
        self.i += 1
        return self.sequence("}")

    def text_group(self) -> str:
        token = self.peek()
        if token is None or token.group(5) != "{":
            raise self.error(r"\text needs its text in braces")
        depth, start = 0, token.start()
        for j in range(self.i, len(self.tokens)):
            ch = self.tokens[j].group(5)
            depth += ch == "{"
            depth -= ch == "}"
            if depth == 0:
                self.i = j + 1
                return f"<mtext>{escape(self.tex[start + 1 : self.tokens[j].start()])}</mtext>"
        raise self.error(r"the braces of \text are never closed")

    def atom(self) -> str:
        token = self.peek()
        self.i += 1
        command, number, letter, _, other = token.groups()
        if number is not None:
            return f"<mn>{number}</mn>"
        if letter is not None:
            return f"<mi>{letter}</mi>"
        if command is not None:
            if command in _SPACES:
                return '<mspace width="0.2em"></mspace>'
            if command in ("{", "}", "%", "$", "&", "#", "_"):
                return f"<mo>{escape(command)}</mo>"
            if command == "frac":
                return f"<mfrac>{self.group()}{self.group()}</mfrac>"
            if command == "sqrt":
                return f"<msqrt>{self.group()}</msqrt>"
            if command in ("text", "mathrm", "textrm"):
                return self.text_group()
            if command in COMMANDS:
                char, element = COMMANDS[command]
                return f"<{element}>{char}</{element}>"
            raise self.error(f"the command \\{command} is not read")
        if other == "{":
            return self.sequence("}")
        if other in _OPERATORS:
            return f"<mo>{escape(chr(0x2212) if other == '-' else other)}</mo>"
        raise self.error(f"the character {other!r} is not read")


def _row(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"<mrow>{''.join(items)}</mrow>"


def tex_to_mathml(tex: str, *, display: bool = False) -> str:
    r"""A TeX formula as a MathML ``<math>`` element, with its source as an annotation.

    Parameters
    ----------
    tex : str
        The formula without its dollar signs, such as ``r_{low} = (387/244)^{1/3.003} - 1``.
    display : bool
        Whether the formula stands on its own line (``$$...$$``) rather than in the text.

    Returns
    -------
    str
        One line of markup: ``<math>`` (``display="block"`` when ``display``) holding the formula
        and, in a ``<semantics>`` element, its TeX source.

    Raises
    ------
    ValueError
        If the formula uses TeX this module does not read, naming the formula and the command.

    Examples
    --------
    >>> tex_to_mathml("N_0").split("<annotation")[0]
    '<math><semantics><msub><mi>N</mi><mn>0</mn></msub>'
    """
    body = _Parser(tex).sequence()
    block = ' display="block"' if display else ""
    source = escape(tex)
    return (
        f"<math{block}><semantics>{body}"
        f'<annotation encoding="application/x-tex">{source}</annotation></semantics></math>'
    )


# code spans and fenced blocks are left alone; \$ is a dollar sign, not a formula
_MARKDOWN = re.compile(
    r"(?P<fence>^```.*?^```)|(?P<code>`[^`\n]*`)|\$\$(?P<display>.+?)\$\$|(?<!\\)\$(?P<inline>[^$\n]+?)\$", re.S | re.M
)
# characters Markdown would read inside the markup (emphasis, escapes, dollars, code): written as entities
_MARKDOWN_ENTITIES = {"*": "&#42;", "_": "&#95;", "\\": "&#92;", "$": "&#36;", "`": "&#96;", "~": "&#126;"}


def markdown_with_mathml(text: str) -> str:
    r"""Markdown with every ``$...$`` and ``$$...$$`` formula replaced by MathML.

    Parameters
    ----------
    text : str
        The source of a Markdown cell.

    Returns
    -------
    str
        The same Markdown, each formula (outside code spans and fenced code) written as inline
        MathML markup in which no character is left for Markdown to read.

    Raises
    ------
    ValueError
        If a formula uses TeX that :func:`tex_to_mathml` does not read.

    Examples
    --------
    >>> markdown_with_mathml("cost `$5`, rate $r$") == "cost `$5`, rate " + tex_to_mathml("r")
    True
    """

    def replace(m: re.Match) -> str:
        if m.group("fence") or m.group("code"):
            return m.group(0)
        display = m.group("display") is not None
        markup = tex_to_mathml((m.group("display") if display else m.group("inline")).strip(), display=display)
        return "".join(_MARKDOWN_ENTITIES.get(c, c) for c in markup)

    return _MARKDOWN.sub(replace, text)
