"""Calendar periods: the buckets every measure aggregates into.

A period is named by its first day. Weeks are ISO weeks (Monday first), which is what DuckDB's
`date_trunc('week', ...)` returns, so Python and SQL agree on every bucket.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

GRANULARITIES: Final = ("week", "month", "quarter")


def period_start(day: date, granularity: str) -> date:
    """Return the first day of the period that contains `day`."""
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    if granularity == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    raise ValueError(f"unknown granularity {granularity!r}")


def next_period(start: date, granularity: str) -> date:
    """Return the first day of the period after the one starting on `start`."""
    if granularity == "week":
        return start + timedelta(days=7)
    step = 1 if granularity == "month" else 3
    month = start.month - 1 + step
    return date(start.year + month // 12, month % 12 + 1, 1)


def period_range(first: date, last: date, granularity: str) -> tuple[date, ...]:
    """Return the starts of every period from the one holding `first` to the one holding `last`."""
    if last < first:
        return ()
    out = []
    current = period_start(first, granularity)
    end = period_start(last, granularity)
    while current <= end:
        out.append(current)
        current = next_period(current, granularity)
    return tuple(out)
