"""One SHA-256 over many files, for saying what an output was made from.

The build's colophon (the casebook alone, and every input of a build) and each notebook's record
of its inputs are digests of this one kind; they differ only in which files they name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

__all__ = ["files_digest"]


def files_digest(files: Iterable[tuple[str, Path]], *, texts: Iterable[str] = ()) -> str:
    """SHA-256 hex digest over labelled files, in the order given, then over some texts.

    Parameters
    ----------
    files : iterable of (label, path)
        Each file's label and bytes go into the digest, so that renaming or moving a file
        changes it as much as editing it does. Labels are the caller's choice (a file name, or
        ``kind/name``); the order is the caller's too, and should be sorted.
    texts : iterable of str
        Further texts that are not files (a notebook's code cells), after the files.

    Returns
    -------
    str
        The SHA-256 digest as 64 lowercase hexadecimal characters.

    Examples
    --------
    >>> files_digest([]) == files_digest([], texts=[]) != files_digest([], texts=[""])
    True
    >>> len(files_digest([], texts=["a"]))
    64
    """
    digest = hashlib.sha256()
    for label, path in files:
        # the NUL after each part keeps ("ab", "c") and ("a", "bc") apart
        digest.update(label.encode() + b"\0" + Path(path).read_bytes() + b"\0")
    for text in texts:
        digest.update(text.encode() + b"\0")
    return digest.hexdigest()
