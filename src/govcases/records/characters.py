"""Characters that have no place in hand-written records and manifests: the one check for them.

Control characters (NUL and the other C0 and C1 codes, DEL) and the invisible marks that reorder
text on screen (bidirectional embeddings, overrides, isolates and marks) mean nothing in an id, a
value, a quote or a manifest cell. They are dangerous where they pass: a NUL makes the YAML parser
stop reading (the facts after it vanish without a word), a control character hides a YAML tag
from the tag check, and a right-to-left override makes a table or a message show other text than
it holds. So they are refused wherever people write text for the library, and a message names such
a character by its code point, never prints it.

Tabs, line feeds and carriage returns are layout and stay allowed.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["FORBIDDEN_CHARACTERS", "describe_character", "escape_forbidden", "forbidden_character"]

#: What is refused, as a regular-expression character class: C0 controls except tab, line feed
#: and carriage return; DEL and the C1 controls; the bidirectional marks, embeddings, overrides
#: and isolates (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069).
FORBIDDEN_CHARACTERS = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"

_FORBIDDEN = re.compile(FORBIDDEN_CHARACTERS)


def forbidden_character(text: str) -> int | None:
    r"""The offset of the first forbidden character in ``text``, or None when it holds none.

    Parameters
    ----------
    text : str
        Any text: a whole file, or one value.

    Returns
    -------
    int or None
        Offset of the first character listed in :data:`FORBIDDEN_CHARACTERS`; None if there is none.

    Examples
    --------
    >>> forbidden_character("共333家"), forbidden_character("共\x00333家")
    (None, 1)
    """
    found = _FORBIDDEN.search(text)
    return None if found is None else found.start()


def describe_character(char: str) -> str:
    r"""A character named by its code point and Unicode name, safe to print in any message.

    Parameters
    ----------
    char : str
        One character.

    Returns
    -------
    str
        Such as ``'U+202E (RIGHT-TO-LEFT OVERRIDE)'``; control characters, which have no name,
        are called control characters.

    Examples
    --------
    >>> describe_character("\u202e"), describe_character("\x00")
    ('U+202E (RIGHT-TO-LEFT OVERRIDE)', 'U+0000 (a control character)')
    """
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'a control character')})"


def escape_forbidden(text: str) -> str:
    r"""``text`` with each forbidden character written as a ``\uXXXX`` escape, for text put in a YAML string.

    Parameters
    ----------
    text : str
        The text of a JSON or YAML double-quoted string (without its quotes).

    Returns
    -------
    str
        The text, unchanged where it holds no forbidden character.

    Examples
    --------
    >>> escape_forbidden("a\u202eb")
    'a\\u202eb'
    """
    return _FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
