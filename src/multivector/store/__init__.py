"""The event store: an embedded DuckDB file (no server), Parquet export/import, dedup.

Public surface: `Store`, `EventFilter`, `EventRecord`, `IngestProgress`, `IngestResult`,
`IngestFailure`, `RunInfo`, `default_store_path`. Table layout and the `event_dyads` view that
the measures read are documented in `multivector.store.schema` (`EVENT_DYADS_DOC`).
"""

from multivector.store.core import STORE_ENV, RunInfo, Store, default_store_path
from multivector.store.query import EventFilter, EventRecord
from multivector.store.schema import EVENT_DYADS_DOC
from multivector.store.writer import CoderLike, IngestFailure, IngestProgress, IngestResult

__all__ = [
    "EVENT_DYADS_DOC",
    "STORE_ENV",
    "CoderLike",
    "EventFilter",
    "EventRecord",
    "IngestFailure",
    "IngestProgress",
    "IngestResult",
    "RunInfo",
    "Store",
    "default_store_path",
]
