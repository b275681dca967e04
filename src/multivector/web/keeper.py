"""Keep the store's DuckDB database open while the server is using it.

`Store` opens a connection per unit of work and closes it after, so that other processes can
take the file between units. Inside one process every connection to a file shares one
database instance, which DuckDB creates on the first connect and destroys on the last close.
Observed with duckdb 2.0.1 (Python): when threads connect and close concurrently, a connection
can land on an instance that is still being set up, and the store's writer then fails with
"Catalog Error: Table Function with name python_arrow_scan does not exist" on its
``con.register(...)`` (the dashboard's ingest job failed in 2 of 3 runs with 3 reader threads).

`Keeper.hold()` keeps one connection open while any request or ingest job is in progress:
the instance is created once, under a lock, before anyone else connects, and outlives all
the short per-request connections. It also makes requests cheap: creating the instance and
closing it (which checkpoints) cost ~100 ms, which every request paid when it was the only
one. The connection stays open ``linger`` seconds after the last user leaves, then closes, and
the file is free for other processes (a CLI ingest, a report) again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from multivector.store.connection import open_connection


class Keeper:
    """A reference-counted connection that keeps the database instance alive."""

    def __init__(self, path: Path, *, lock_timeout: float, linger: float = 2.0) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self.linger = linger
        self._lock = threading.Lock()
        self._users = 0
        self._con: duckdb.DuckDBPyConnection | None = None
        self._timer: threading.Timer | None = None

    @contextmanager
    def hold(self, lock_timeout: float | None = None) -> Iterator[None]:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._con is None:
                self._con = open_connection(
                    self.path, read_only=False,
                    lock_timeout=self.lock_timeout if lock_timeout is None else lock_timeout,
                )  # fmt: skip
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self._con is not None:
                    if self.linger > 0:
                        self._timer = threading.Timer(self.linger, self._close_if_idle)
                        self._timer.daemon = True
                        self._timer.start()
                    else:
                        self._close()

    def _close_if_idle(self) -> None:
        with self._lock:
            if self._users == 0:
                self._close()

    def _close(self) -> None:
        """Close the kept connection (the caller holds the lock)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._con is not None:
            con, self._con = self._con, None
            con.close()

    def close(self) -> None:
        """Close now if nobody uses it (at shutdown)."""
        with self._lock:
            if self._users == 0:
                self._close()

    @property
    def open(self) -> bool:
        with self._lock:
            return self._con is not None
