"""Opening the DuckDB file under its lock, with retries.

DuckDB lets one process open a database file read-write, and while it does, every other
process is refused -- readers included (measured with duckdb 1.x/2.0: "Could not set lock on
file ... Conflicting lock is held"); a read-only opener likewise keeps writers out. The store
therefore never holds the file longer than one unit of work: the writer opens it per batch
(a write transaction of a few milliseconds), and readers open it per query or per
``Store.connect()`` block. Whoever finds the file locked retries with a short, growing backoff
until ``lock_timeout`` runs out, then raises StoreError naming the holder.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import duckdb

from multivector.errors import StoreError

_LOCK_MARKERS = ("Could not set lock", "Conflicting lock", "database is locked")


def is_lock_error(exc: BaseException) -> bool:
    return any(marker in str(exc) for marker in _LOCK_MARKERS)


def open_connection(
    path: Path, *, read_only: bool, lock_timeout: float
) -> duckdb.DuckDBPyConnection:
    """Connect to ``path``, waiting up to ``lock_timeout`` seconds for another process's lock."""
    deadline = time.monotonic() + lock_timeout
    delay = 0.005
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise StoreError(f"cannot open store {path}: {exc}") from exc
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"store {path} stayed locked by another process for {lock_timeout:g}s "
                    f"({exc}); wait for it to finish or raise the lock timeout"
                ) from exc
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 1.6, 0.25)
