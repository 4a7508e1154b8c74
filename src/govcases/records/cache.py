"""The cache of validated records: an unchanged record is never validated twice.

Validating a record (parsing its YAML, checking every fact against the codebook, cleaning its
sources and finding every quote in them) costs far more than reading back what it gave. So the
profile row and fact rows of each valid record are kept, one file per record, under a key that
is the SHA-256 of everything the result depends on:

* the record file's bytes and its name in messages (``casebook/zhenhai.yaml``);
* the codebook's bytes;
* the code: the version of govcases and of the libraries that decide what is valid (pydantic,
  yaml-rs, OpenCC), and the bytes of this package's own source files, because in a development
  checkout the version does not change when the code does.

What else it depends on, the manifest rows of the sources it cites and those sources' bytes, is
only known once the record is parsed, so it is stored in the entry and checked on reading (see
``govcases.records.casebook``): an entry whose sources changed is ignored. A record with problems
is never stored; its problems are found again, with the same messages, at every load.

Entries live in one SQLite file in the user's cache folder
(``platformdirs.user_cache_dir("govcases")``), or in the folder named by the environment variable
``GOVCASES_CACHE_DIR``, or one the caller passes; never inside the project. A load writes its new
entries in one transaction, so processes loading at the same time (test workers, notebook
kernels) see all of them or none. An entry that cannot be read, or whose checksum does not match
its content, is ignored and written again; a database that is not one is replaced.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sqlite3
import warnings
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = ["CACHE_ENV", "RecordCache", "cache_folder"]

#: Environment variable naming the cache folder.
CACHE_ENV = "GOVCASES_CACHE_DIR"

# Bumped when the content of an entry changes shape; older entries are then ignored.
_FORMAT = 1
# Libraries whose behaviour decides whether a record is valid, besides govcases itself.
_LIBRARIES = ("govcases", "pydantic", "pydantic-core", "yaml-rs", "opencc")
_CHECKSUM_BYTES = 16


def cache_folder(cache: Path | str | bool | None = None) -> Path | None:
    """The folder a load keeps validated records in; None when caching is off.

    Parameters
    ----------
    cache : path-like or bool, optional
        As given to :func:`govcases.load_casebook`: a folder, False for no cache, or None (or True)
        for the folder named by ``GOVCASES_CACHE_DIR``, else the user's cache folder.

    Returns
    -------
    pathlib.Path or None
        The folder (it may not exist yet), or None when caching is off.
    """
    if cache is False:
        return None
    if cache is None or cache is True:
        return Path(os.environ.get(CACHE_ENV) or _user_cache_dir())
    return Path(cache)


def _user_cache_dir() -> str:
    import platformdirs  # only when no folder is given

    return platformdirs.user_cache_dir("govcases")


@functools.cache
def code_fingerprint() -> bytes:
    """A digest of the code that validates records: library versions and this package's sources."""
    return fingerprint(Path(__file__).parent)


def fingerprint(package: Path) -> bytes:
    """A digest of the versions of :data:`_LIBRARIES` and of the Python files in ``package``."""
    digest = hashlib.sha256()
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}=={version(name)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{name} not installed\n".encode())
    for path in sorted(package.glob("*.py")):
        data = path.read_bytes()
        digest.update(f"{path.name} {len(data)}\n".encode() + data)
    return digest.digest()


class RecordCache:
    """Validated records in ``<folder>/records.sqlite``, one row each.

    Parameters
    ----------
    folder : pathlib.Path
        The cache folder (see :func:`cache_folder`); created on the first write.
    codebook : bytes
        The codebook file's bytes, part of every key.

    Notes
    -----
    One SQLite file rather than a file per record: creating thousands of small files cost 0.5 to
    2.5 s of system time on a cold load of 3,000 records here, one transaction 0.2 s. SQLite also
    gives what concurrent loads need: a writer's transaction is seen whole or not at all, readers
    never wait for it (write-ahead log), and writers wait for each other (``timeout``).
    Entries are written at the end of a load (:meth:`close`), in one transaction.
    """

    def __init__(self, folder: Path, codebook: bytes):
        self.folder = folder
        self.path = folder / "records.sqlite"
        self._base = hashlib.sha256(code_fingerprint() + hashlib.sha256(codebook).digest())
        self._db: sqlite3.Connection | None = None
        self._pending: dict[str, bytes] = {}
        self._failed = False

    def key(self, label: str, record: bytes) -> str:
        """The key of a record file, from its name in messages and its bytes."""
        digest = self._base.copy()
        digest.update(label.encode() + b"\0")
        digest.update(record)
        return digest.hexdigest()

    def get(self, key: str) -> tuple | None:
        """What :meth:`put` stored under ``key``, or None if there is no usable entry."""
        db = self._connect(create=False)
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as err:
            self._give_up(err)
            return None
        if row is None or type(row[0]) is not bytes:
            return None
        data = row[0]
        checksum, payload = data[:_CHECKSUM_BYTES], data[_CHECKSUM_BYTES:]
        if hashlib.blake2b(payload, digest_size=_CHECKSUM_BYTES).digest() != checksum:
            return None  # damaged: never trusted
        try:
            entry = pickle.loads(payload)
        except Exception:  # a damaged entry whose checksum happened to match; unpickling raises anything
            return None
        if type(entry) is not tuple or len(entry) != 2 or entry[0] != _FORMAT:
            return None
        return entry[1]

    def put(self, key: str, value: tuple) -> None:
        """Store ``value`` (plain tuples, lists, dicts, texts and numbers) under ``key`` at :meth:`close`."""
        # pickle can run code when it reads, so a cache folder must be the user's own, like any
        # other file their Python reads: never the project's, which others may write to.
        payload = pickle.dumps((_FORMAT, value), protocol=pickle.HIGHEST_PROTOCOL)
        self._pending[key] = hashlib.blake2b(payload, digest_size=_CHECKSUM_BYTES).digest() + payload

    def close(self) -> None:
        """Write the entries :meth:`put` was given, in one transaction, and close the database."""
        try:
            if self._pending and not self._failed:
                db = self._connect(create=True)
                if db is not None:
                    try:
                        with db:  # one transaction: other processes see all these entries or none
                            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", self._pending.items())
                    except sqlite3.Error as err:
                        self._give_up(err)
        finally:
            self._pending.clear()
            if self._db is not None:
                self._db.close()
                self._db = None

    def _connect(self, *, create: bool) -> sqlite3.Connection | None:
        if self._db is not None or self._failed:
            return self._db
        if not create and not self.path.exists():
            return None  # nothing cached yet: do not create the folder only to read
        for attempt in (1, 2):
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=60)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
            except sqlite3.DatabaseError as err:
                if attempt == 1 and ("not a database" in str(err) or "malformed" in str(err)):
                    # a damaged cache holds nothing worth keeping: start a new one
                    self.path.unlink(missing_ok=True)
                    continue
                self._give_up(err)
                return None
            except (OSError, sqlite3.Error) as err:
                self._give_up(err)
                return None
            self._db = db
            return db
        return None

    def _give_up(self, err: Exception) -> None:
        """Go on without the cache for the rest of this load, and say so once."""
        self._failed = True
        if self._db is not None:
            self._db.close()
            self._db = None
        warnings.warn(
            f"cannot use the casebook cache {self.path} ({getattr(err, 'strerror', None) or err}); "
            f"records are validated without it: set {CACHE_ENV} to a writable folder, or pass "
            "cache=False to load_casebook",
            stacklevel=3,
        )
