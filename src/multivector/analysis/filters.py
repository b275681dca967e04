"""One set of filters for every measure, turned into a parameterised WHERE clause.

Every measure reads the same relation (by default the store's `event_dyads` view: one row per
unordered dyad {a, b} of an event, `a_code <= b_code`, `b_code` NULL for unilateral events) and
filters it the same way. `base_query` is the common table all measures start from: the filtered
rows with their `period` (first day of the week, month or quarter) and their counting `unit`.

With `dedup=True` (the default) an event reported by several documents (one `cluster_id`) counts
once per dyad: the earliest report (by date, then event id, as the store names clusters) stands
for the cluster and its `unit` is the cluster id. With `dedup=False` every row counts and the
unit is the event id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from multivector.analysis.periods import GRANULARITIES
from multivector.errors import ConfigError
from multivector.ontology import EVENT_TYPES, FACTUALITY

DEFAULT_RELATION = "event_dyads"
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}$")


@dataclass(frozen=True, slots=True)
class Filters:
    """What rows a measure reads and how it buckets them in time."""

    countries: tuple[str, ...] = ()  # keep rows where a_code or b_code is one of these
    start: date | None = None  # event date, inclusive
    end: date | None = None  # event date, inclusive
    granularity: str = "month"
    types: tuple[str, ...] = ()  # PLOVER event types; empty = all
    factuality: tuple[str, ...] = ("asserted",)
    sources: tuple[str, ...] = ()  # document sources; empty = all
    dedup: bool = True  # count clusters (one event reported many times) instead of rows

    def __post_init__(self) -> None:
        if self.granularity not in GRANULARITIES:
            raise ConfigError(
                f"unknown granularity {self.granularity!r}: use one of {', '.join(GRANULARITIES)}"
            )
        bad = [t for t in self.types if t not in EVENT_TYPES]
        if bad:
            raise ConfigError(f"unknown event type(s) {', '.join(bad)}: use PLOVER types")
        bad = [f for f in self.factuality if f not in FACTUALITY]
        if bad:
            raise ConfigError(
                f"unknown factuality {', '.join(bad)}: use one of {', '.join(FACTUALITY)}"
            )
        if not self.factuality:
            raise ConfigError("factuality filter is empty: name at least one value")
        if self.start and self.end and self.start > self.end:
            raise ConfigError(f"--from {self.start} is after --to {self.end}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "countries": list(self.countries),
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "granularity": self.granularity,
            "types": list(self.types),
            "factuality": list(self.factuality),
            "sources": list(self.sources),
            "dedup": self.dedup,
        }


def check_relation(relation: str) -> str:
    """Return `relation` if it is a plain (optionally schema-qualified) SQL name."""
    if not _IDENT.match(relation):
        raise ConfigError(f"relation name {relation!r} is not a plain SQL identifier")
    return relation


def _in(column: str, values: tuple[str, ...], params: list[Any]) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join('?' for _ in values)})"


def where_clause(filters: Filters) -> tuple[str, list[Any]]:
    """Return `(sql, params)`: the WHERE conditions (without the keyword) for `filters`."""
    params: list[Any] = []
    parts = ["date IS NOT NULL", _in("factuality", filters.factuality, params)]
    if filters.start is not None:
        parts.append("date >= ?")
        params.append(filters.start)
    if filters.end is not None:
        parts.append("date <= ?")
        params.append(filters.end)
    if filters.types:
        parts.append(_in("event_type", filters.types, params))
    if filters.sources:
        parts.append(_in("source", filters.sources, params))
    if filters.countries:
        a = _in("a_code", filters.countries, params)
        b = _in("b_code", filters.countries, params)
        parts.append(f"({a} OR {b})")
    return " AND ".join(parts), params


def focal_condition(focal: str) -> tuple[str, list[Any]]:
    """Rows that involve `focal` on either side."""
    return "(a_code = ? OR b_code = ?)", [focal, focal]


def base_query(
    relation: str, filters: Filters, condition: str = "", condition_params: Sequence[Any] = ()
) -> tuple[str, list[Any]]:
    """Return `(sql, params)` for the filtered rows every measure aggregates.

    Columns: the relation's columns used by the measures plus `period` (DATE, first day of the
    period) and `unit` (what one count stands for: a cluster with dedup, else an event).
    `condition` (SQL over the relation's columns) narrows the rows before de-duplication; it
    must only test `a_code`/`b_code` (the de-duplication keys) or whole-cluster properties, so
    that it keeps or drops a cluster's rows for one dyad together and the result equals
    filtering afterwards, only faster.
    """
    where, params = where_clause(filters)
    if condition:
        where = f"{where} AND {condition}"
        params = [*params, *condition_params]
    unit = "coalesce(cluster_id, event_id)" if filters.dedup else "event_id"
    qualify = (
        "QUALIFY row_number() OVER (PARTITION BY coalesce(cluster_id, event_id), a_code, b_code"
        " ORDER BY date, event_id) = 1"
        if filters.dedup
        else ""
    )
    sql = (
        "SELECT event_id, doc_id, date, event_type, quad_code, event_scale, a_code, b_code, "
        "actor_code, recipient_code, directed, source, published, coder_version, dataset, "
        "CAST(date_trunc(?, date) AS DATE) AS period, "
        f"{unit} AS unit "
        f"FROM {check_relation(relation)} WHERE {where} {qualify}"
    )
    return sql, [filters.granularity, *params]
