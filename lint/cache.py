"""The per-file result cache: an unchanged file is neither decoded, parsed nor shingled again.

An entry holds one file's per-document hits and corpus signatures.  Its key is the
hash of the file's bytes, its report path, and the fingerprint of the active rule
set (codes, kinds, parameters and the doclint version), so editing a file, changing
a rule parameter or upgrading doclint each make the old entry unreachable.

Storage is one SQLite file: worker processes read it concurrently, and only the
parent process writes, once per run, in one transaction.  It keeps a rollback
journal, not a write-ahead log: the journal of a transaction that only adds pages is
small, while a write-ahead log takes the run's whole write and then copies it into
the file again (at 1 GB of corpus, 2 GB of entries in 4 s instead of 12 s).  A cache
that cannot be opened or written is not an error: the run simply goes on without it.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from lint import __version__
from lint.compiled import PACKAGE

SCHEMA = 2  # 2: entries are plain pickles (the shingle hashes that fill them do not compress)
FILE_NAME = f"results-v{SCHEMA}.sqlite"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of doclint's own source, so that a changed check never serves stale results.
    (The package's folder, not this module's: compiled, this module lies in lint/_compiled.)"""
    h = hashlib.sha256()
    package = Path(PACKAGE).resolve()
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def ruleset_key(rules: Iterable[Any]) -> str:
    """What every entry depends on besides the file itself: version, code, rules, parameters."""
    h = hashlib.sha256(f"doclint {__version__} cache {SCHEMA} {code_fingerprint()}".encode())
    for rule in sorted(rules, key=lambda r: r.code):
        h.update(f"\0{rule.code}\0{rule.kind}\0{rule.params!r}".encode())
    return h.hexdigest()


def entry_key(data: bytes, path: str, ruleset: str) -> str:
    h = hashlib.blake2b(data, digest_size=20)
    h.update(b"\0" + path.encode("utf-8", "surrogateescape") + b"\0" + ruleset.encode())
    return h.hexdigest()


def _read_only(folder: Path) -> bool:
    try:
        return folder.stat().st_mode & 0o222 == 0
    except OSError:
        return False


class Cache:
    """Read from any process; write from the one that owns the run."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.path = self.directory / FILE_NAME
        self._conn: sqlite3.Connection | None = None
        self._pid: int | None = None
        self._broken = False

    def writable(self) -> bool:
        """Make the cache folder if it may be made; every writer of the folder asks this first."""
        if self._broken:
            return False
        try:
            if not self.directory.exists() and _read_only(self.directory.parent):
                # A folder nobody may write to (a mounted or archived corpus) is left
                # as it is, even when running as root, who could write anyway.
                self._broken = True
                return False
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by doclint: the cache is never committed.\n*\n")
        except OSError:
            self._broken = True
            return False
        return True

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._broken:
            return None
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        if create and not self.writable():
            return None
        try:
            if not create and not self.path.exists():
                return None
            if create:
                self._drop_old_schemas()
            conn = sqlite3.connect(self.path, timeout=30)
            conn.execute("PRAGMA journal_mode=DELETE")  # a cache written in WAL mode before turns back
            conn.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        except (OSError, sqlite3.Error):
            self._broken = True
            return None
        self._conn, self._pid = conn, os.getpid()
        return conn

    def _drop_old_schemas(self) -> None:
        """Files of an earlier cache format: nothing reads them any more."""
        for old in self.directory.glob("results-v*.sqlite*"):
            if not old.name.startswith(FILE_NAME):
                old.unlink(missing_ok=True)

    def get(self, key: str) -> Any | None:
        conn = self._connect(create=False)
        if conn is None:
            return None
        try:
            row = conn.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
            return pickle.loads(row[0]) if row else None
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            return None  # a damaged or foreign entry is a miss, not a failure

    def put_many(self, items: Iterable[tuple[str, Any]]) -> int:
        """Store the entries in one transaction, pickled one at a time as SQLite takes
        them: a corpus's entries are as large as its signatures, gigabytes at 1 GB."""
        items = iter(items)
        first = next(items, None)
        if first is None:
            return 0
        conn = self._connect(create=True)
        if conn is None:
            return 0
        stored = 0

        def rows() -> Iterator[tuple[str, bytes]]:
            nonlocal stored
            for key, value in itertools.chain([first], items):
                stored += 1
                yield key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

        try:
            with conn:
                conn.executemany("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", rows())
        except sqlite3.Error:
            return 0
        return stored

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None
