"""Cross-document dedup: ten reports of one visit are one event with ten mentions.

Every event row is kept (each is a mention); dedup only assigns ``cluster_id``. Two events can
share a cluster only when their *dedup key* is equal, and the key holds the dataset, the coder
version, the event type, the factuality and the participants:

- directed events (with recipients): the set of actor keys and the set of recipient keys, so
  KAZ->UZB and UZB->KAZ never merge;
- reciprocal and unilateral events: the set of actor keys;

(keys are scoring keys: code, starred for PRE/REB). Dates: events with precision ``day`` or
``week`` merge when they fall within ``window_days`` of the cluster's earliest event; events
of any other precision merge only with events of identical date and precision; undated events
never merge. Clusters are computed greedily over the events of one key sorted by (date,
event_id), each cluster spanning at most ``window_days`` from its first event, and named after
that first event. The result depends only on the set of events, not on the order in which they
were ingested, so resumed and uninterrupted ingests agree.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import duckdb
import pyarrow as pa

from multivector.records import Event

#: Date precisions that merge within the window (others merge only on identical dates).
WINDOW_PRECISIONS = frozenset({"day", "week"})


def participant_signature(event: Event) -> str:
    """The participants part of the dedup key (direction kept for directed events)."""
    actors = sorted({e.key() for e in event.actor})
    recipients = sorted({e.key() for e in event.recipient})
    if recipients:
        return "A:" + ",".join(actors) + ">R:" + ",".join(recipients)
    return "P:" + ",".join(actors)


def dedup_key(event: Event, *, dataset: str, coder_version: str) -> str | None:
    """The key within which ``event`` may be merged, or None when it never merges.

    Imported datasets (GDELT, ICEWS, POLECAT) are event lists their producers already
    deduplicated: each row stays its own cluster, which also keeps large imports linear.
    """
    if not event.date or dataset:
        return None
    if event.date_precision in WINDOW_PRECISIONS:
        when = "~"
    else:
        when = f"={event.date_precision}:{event.date}"
    parts = [dataset, coder_version, event.event_type, event.factuality,
             participant_signature(event), when]  # fmt: skip
    return json.dumps(parts, ensure_ascii=False, separators=(",", ":"))


def assign_clusters(
    rows: Iterable[tuple[str, str | None, date | None]], window_days: int
) -> dict[str, str]:
    """Map each event id to its cluster id, from (event_id, dedup_key, date) rows."""
    result: dict[str, str] = {}
    groups: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for event_id, key, day in rows:
        if key is None or day is None:
            result[event_id] = event_id
        else:
            groups[key].append((day, event_id))
    for members in groups.values():
        members.sort()
        start: date | None = None
        cluster = ""
        for day, event_id in members:
            if start is None or (day - start).days > window_days:
                start, cluster = day, event_id
            result[event_id] = cluster
    return result


def recluster(con: duckdb.DuckDBPyConnection, keys: Iterable[str], window_days: int) -> int:
    """Recompute the clusters of every stored event sharing one of ``keys``; return rows changed.

    Runs inside the caller's transaction (the batch's), so clusters commit with the batch.
    """
    key_list = sorted(set(keys))
    if not key_list:
        return 0
    keys_table = pa.table({"dedup_key": pa.array(key_list, pa.string())})
    con.register("_mv_keys", keys_table)
    try:
        rows = con.execute(
            "SELECT event_id, dedup_key, date, cluster_id FROM events "
            "WHERE dedup_key IN (SELECT dedup_key FROM _mv_keys)"
        ).fetchall()
    finally:
        con.unregister("_mv_keys")
    current = {(r[0], r[1]): r[3] for r in rows}
    mapping = assign_clusters(((r[0], r[1], r[2]) for r in rows), window_days)
    changed = [
        (eid, key, mapping[eid]) for (eid, key), cid in current.items() if mapping[eid] != cid
    ]
    if not changed:
        return 0
    update = pa.table(
        {
            "event_id": pa.array([c[0] for c in changed], pa.string()),
            "dedup_key": pa.array([c[1] for c in changed], pa.string()),
            "cluster_id": pa.array([c[2] for c in changed], pa.string()),
        }
    )
    con.register("_mv_clusters", update)
    try:
        con.execute(
            "UPDATE events SET cluster_id = m.cluster_id FROM _mv_clusters m "
            "WHERE events.event_id = m.event_id AND events.dedup_key = m.dedup_key"
        )
    finally:
        con.unregister("_mv_clusters")
    return len(changed)
