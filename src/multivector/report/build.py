"""Assemble a country report: every measure, the shifts, the partners and the events behind them.

`build_report` runs the measures of `multivector.analysis` over one DuckDB connection and
collects the events behind every chart point for drill-down. `ReportData.to_dict()` is the
report's JSON twin: the HTML (`render_html`) draws exactly these numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from multivector import __version__
from multivector.analysis._common import clean, clean_list, fetch
from multivector.analysis.alignment import AlignmentSeries, Tilt, alignment, tilt
from multivector.analysis.balance import Balance, balance
from multivector.analysis.bootstrap import DEFAULT_REPLICATES, safe_ratio
from multivector.analysis.engagement import (
    Engagement,
    default_window,
    engagement,
    focal_cte,
    joined_cte,
)
from multivector.analysis.filters import (
    DEFAULT_RELATION,
    Filters,
    base_query,
    check_relation,
    focal_condition,
)
from multivector.analysis.powers import (
    DEFAULT_MEMBERSHIP,
    Membership,
    Power,
    default_powers,
    resolver_membership,
)
from multivector.analysis.series import coverage_query
from multivector.analysis.shifts import Shift, shifts
from multivector.errors import StoreError
from multivector.report.methods import FORMULAS

#: Events listed per chart point at most (the strongest first, by |PLOVER score|, then date).
MAX_EVENTS_PER_POINT = 50
#: Events listed around a shift.
MAX_EVENTS_PER_SHIFT = 10
BALANCE_SERIES = "balance"


@dataclass(frozen=True, slots=True)
class Tables:
    """Relation names a report reads (the store's defaults)."""

    dyads: str = DEFAULT_RELATION
    events: str = "events"
    entities: str = "entities"
    citations: str = "citations"
    documents: str = "documents"


@dataclass(frozen=True, slots=True)
class Partner:
    """The focal country's relations with one partner over the whole report period."""

    code: str
    events: int
    cooperative: int
    conflictual: int
    net_cooperation: float

    @property
    def mean_score(self) -> float:
        return self.net_cooperation / (10.0 * self.events) if self.events else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "events": self.events,
            "cooperative": self.cooperative,
            "conflictual": self.conflictual,
            "net_cooperation": self.net_cooperation,
            "mean_score": clean(self.mean_score),
        }


@dataclass(frozen=True, slots=True)
class ShiftEvents:
    """A detected shift with the events of its period and the period before."""

    shift: Shift
    events: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self.shift.to_dict(), "events": list(self.events)}


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything a report shows; `to_dict()` is its JSON twin."""

    country: str
    powers: tuple[Power, ...]
    filters: Filters
    periods: tuple[date, ...]
    coverage: tuple[int, ...]
    alignments: tuple[AlignmentSeries, ...]
    tilts: tuple[Tilt, ...]
    balance: Balance
    shifts: tuple[ShiftEvents, ...]
    partners: tuple[Partner, ...]
    #: series key (power name, or "partner:CODE") -> period (ISO, or "all") -> event ids
    points: Mapping[str, Mapping[str, tuple[str, ...]]]
    #: event id -> drill-down record (type, date, participants, evidence, cited, document)
    events: Mapping[str, Mapping[str, Any]]
    coder_versions: tuple[tuple[str, str, int], ...]  # (coder_version, dataset, events)
    corpus: Mapping[str, Any]
    membership: str
    replicates: int
    seed: int
    version: str = field(default=__version__)

    def alignment_for(self, power: str) -> AlignmentSeries:
        return next(a for a in self.alignments if a.power == power)

    def _series_dict(self, a: AlignmentSeries) -> dict[str, Any]:
        """A power's series plus the values normalised by the country's coverage."""
        d = a.to_dict()
        d["conflict_share"] = clean_list(safe_ratio(a.conflictual, a.events))
        d["net_normalised"] = clean_list(safe_ratio(a.net_cooperation, self.coverage))
        d["events_normalised"] = clean_list(safe_ratio(a.events, self.coverage))
        return d

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "generated_by": f"multivector {self.version}",
            "filters": self.filters.to_dict(),
            "powers": [p.to_dict() for p in self.powers],
            "membership": self.membership,
            "periods": [p.isoformat() for p in self.periods],
            "coverage": list(self.coverage),
            "series": {a.power: self._series_dict(a) for a in self.alignments},
            "tilts": [t.to_dict() for t in self.tilts],
            "balance": self.balance.to_dict(),
            "shifts": [s.to_dict() for s in self.shifts],
            "partners": [p.to_dict() for p in self.partners],
            "points": {k: {p: list(ids) for p, ids in v.items()} for k, v in self.points.items()},
            "events": {k: dict(v) for k, v in self.events.items()},
            "coder_versions": [
                {"coder_version": c, "dataset": d, "events": n} for c, d, n in self.coder_versions
            ],
            "corpus": dict(self.corpus),
            "bootstrap": {"replicates": self.replicates, "seed": self.seed, "level": 0.95},
            "methods": [{"measure": m, "formula": f} for m, f in FORMULAS],
        }


def _partners(
    con: duckdb.DuckDBPyConnection, relation: str, filters: Filters, focal: str
) -> tuple[Partner, ...]:
    cte, params = focal_cte(relation, filters, focal)
    rows = fetch(
        con,
        f"{cte}, u AS (SELECT DISTINCT partner, unit, quad_code, event_scale FROM f) "
        "SELECT partner, count(*), count(*) FILTER (WHERE quad_code <= 2), "
        "count(*) FILTER (WHERE quad_code >= 3), sum(event_scale) FROM u "
        "GROUP BY partner ORDER BY count(*) DESC, partner",
        params,
    )
    return tuple(Partner(r[0], int(r[1]), int(r[2]), int(r[3]), float(r[4] or 0.0)) for r in rows)


def _pick(rows: Sequence[tuple[str, date, float]]) -> tuple[str, ...]:
    """The event ids of one point, strongest (|score|) first, then by date and id."""
    ranked = sorted(rows, key=lambda r: (-abs(r[2] or 0.0), r[1], r[0]))
    return tuple(r[0] for r in ranked[:MAX_EVENTS_PER_POINT])


def _points(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    eng: Engagement,
) -> dict[str, dict[str, tuple[str, ...]]]:
    """Event ids behind each (power, period) point and each partner of the relations map."""
    grouped: dict[tuple[str, str], list[tuple[str, date, float]]] = {}
    periods = set(eng.periods)
    if eng.code_rows:
        cte, params = joined_cte(relation, eng.filters, eng.focal, eng.code_rows)
        sql = (
            f"{cte} SELECT power, period, min(event_id), min(date), min(event_scale) "
            "FROM j GROUP BY power, period, unit"
        )
        for power, period, event_id, day, scale in fetch(con, sql, params):
            if period in periods:
                grouped.setdefault((power, period.isoformat()), []).append((event_id, day, scale))
    cte, params = focal_cte(relation, eng.filters, eng.focal)
    sql = f"{cte} SELECT partner, min(event_id), min(date), min(event_scale) FROM f GROUP BY partner, unit"
    for partner, event_id, day, scale in fetch(con, sql, params):
        grouped.setdefault((f"partner:{partner}", "all"), []).append((event_id, day, scale))
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for (key, period), rows in sorted(grouped.items()):
        out.setdefault(key, {})[period] = _pick(rows)
    return out


def _try_fetch(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any]
) -> list[tuple[Any, ...]] | None:
    """Like fetch, but None when a drill-down table is missing (e.g. a bare Parquet export)."""
    try:
        return fetch(con, sql, params)
    except StoreError:
        return None


def _event_details(
    con: duckdb.DuckDBPyConnection, tables: Tables, ids: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Drill-down records for `ids`: type, date, participants, evidence, cited, document."""
    if not ids:
        return {}
    id_list = sorted(set(ids))
    out: dict[str, dict[str, Any]] = {
        i: {"event_id": i, "participants": [], "cited": [], "evidence": "", "document": {}}
        for i in id_list
    }
    dy = check_relation(tables.dyads)
    for event_id, etype, day, scale, doc_id, fact in fetch(
        con,
        f"SELECT event_id, min(event_type), min(date), min(event_scale), min(doc_id), "
        f"min(factuality) FROM {dy} WHERE event_id IN (SELECT unnest(?)) GROUP BY event_id",
        [id_list],
    ):
        out[event_id].update(
            event_type=etype,
            date=day.isoformat() if day else None,
            score=scale,
            doc_id=doc_id,
            factuality=fact,
        )
    ev = check_relation(tables.events)
    rows = _try_fetch(
        con, f"SELECT event_id, evidence FROM {ev} WHERE event_id IN (SELECT unnest(?))", [id_list]
    )
    for event_id, evidence in rows or ():
        out[event_id]["evidence"] = evidence or ""
    en = check_relation(tables.entities)
    rows = _try_fetch(
        con,
        f"SELECT DISTINCT event_id, role, position, code, sector, text FROM {en} "
        "WHERE event_id IN (SELECT unnest(?)) ORDER BY event_id, role, position",
        [id_list],
    )
    for event_id, role, _, code, sector, text in rows or ():
        out[event_id]["participants"].append(
            {"role": role, "code": code, "sector": sector or "", "text": text or ""}
        )
    ci = check_relation(tables.citations)
    rows = _try_fetch(
        con,
        f"SELECT DISTINCT event_id, outlet, date FROM {ci} "
        "WHERE event_id IN (SELECT unnest(?)) ORDER BY event_id, outlet, date",
        [id_list],
    )
    for event_id, outlet, day in rows or ():
        out[event_id]["cited"].append({"outlet": outlet, "date": str(day or "")})
    doc_ids = sorted({str(d["doc_id"]) for d in out.values() if d.get("doc_id")})
    do = check_relation(tables.documents)
    rows = _try_fetch(
        con,
        f"SELECT doc_id, title, url, source, published FROM {do} "
        "WHERE doc_id IN (SELECT unnest(?))",
        [doc_ids],
    )
    docs = {
        r[0]: {
            "doc_id": r[0],
            "title": r[1] or "",
            "url": r[2] or "",
            "source": r[3] or "",
            "published": r[4].isoformat() if r[4] else None,
        }
        for r in rows or ()
    }
    for d in out.values():
        d["document"] = docs.get(d.get("doc_id") or "", {"doc_id": d.get("doc_id")})
    return out


def _corpus(
    con: duckdb.DuckDBPyConnection, tables: Tables, filters: Filters, focal: str
) -> dict[str, Any]:
    """What the report covers: documents behind it, and the store's documents by source."""
    base, params = base_query(tables.dyads, filters, *focal_condition(focal))
    first, last, docs, events = fetch(
        con,
        f"WITH base AS ({base}) SELECT min(date), max(date), count(DISTINCT doc_id), "
        "count(DISTINCT unit) FROM base",
        params,
    )[0]
    out: dict[str, Any] = {
        "first_event": first.isoformat() if first else None,
        "last_event": last.isoformat() if last else None,
        "documents_with_events": int(docs or 0),
        "events": int(events or 0),
    }
    do = check_relation(tables.documents)
    rows = _try_fetch(
        con,
        f"SELECT coalesce(source, ''), count(*), min(published), max(published) FROM {do} "
        "GROUP BY 1 ORDER BY 2 DESC, 1",
        [],
    )
    if rows is not None:
        out["store_documents"] = sum(int(r[1]) for r in rows)
        out["sources"] = [
            {
                "source": r[0],
                "documents": int(r[1]),
                "first": r[2].isoformat() if r[2] else None,
                "last": r[3].isoformat() if r[3] else None,
            }
            for r in rows
        ]
    return out


def _coder_versions(
    con: duckdb.DuckDBPyConnection, relation: str, filters: Filters, focal: str
) -> tuple[tuple[str, str, int], ...]:
    base, params = base_query(relation, filters, *focal_condition(focal))
    rows = fetch(
        con,
        f"WITH base AS ({base}) SELECT coalesce(coder_version, ''), coalesce(dataset, ''), "
        "count(DISTINCT unit) FROM base GROUP BY 1, 2 ORDER BY 1, 2",
        params,
    )
    return tuple((str(r[0]), str(r[1]), int(r[2])) for r in rows)


def _shift_events(
    points: Mapping[str, Mapping[str, tuple[str, ...]]],
    keys: Sequence[str],
    periods: Sequence[date],
    index: int,
    scores: Mapping[str, float],
) -> tuple[str, ...]:
    around = [periods[i].isoformat() for i in (index - 1, index) if 0 <= i < len(periods)]
    ids = {e for k in keys for p in around for e in points.get(k, {}).get(p, ())}
    ranked = sorted(ids, key=lambda e: (-abs(scores.get(e, 0.0) or 0.0), e))
    return tuple(ranked[:MAX_EVENTS_PER_SHIFT])


def build_report(
    con: duckdb.DuckDBPyConnection,
    country: str,
    powers: Sequence[Power] | None = None,
    filters: Filters | None = None,
    *,
    tilt_pairs: Sequence[tuple[str, str]] | None = None,
    tables: Tables | None = None,
    replicates: int = DEFAULT_REPLICATES,
    seed: int = 0,
    membership: Membership | None = DEFAULT_MEMBERSHIP,
) -> ReportData:
    """Measure `country` against `powers` (default: `default_powers`) and collect the evidence.

    An open start or end of `filters` is closed at the publication span of the country's
    documents (`default_window`). `tilt_pairs` defaults to the first power against each other
    power.
    """
    tables = tables or Tables()
    filters = default_window(con, tables.dyads, filters or Filters(), country)
    if membership is DEFAULT_MEMBERSHIP:
        membership = resolver_membership()
    if powers is None:
        powers = default_powers(country, filters.end, membership)
    eng = engagement(
        con,
        country,
        powers,
        filters,
        relation=tables.dyads,
        replicates=replicates,
        seed=seed,
        membership=membership,
    )
    names = eng.names
    alignments = tuple(alignment(eng, p) for p in names)
    if tilt_pairs is None:
        tilt_pairs = [(names[0], other) for other in names[1:]]
    tilts = tuple(tilt(eng, a, b) for a, b in tilt_pairs)
    bal = balance(eng)

    pos = {p: i for i, p in enumerate(eng.periods)}
    coverage = [0] * len(eng.periods)
    for period, n in fetch(con, *coverage_query(tables.dyads, filters, country)):
        if period in pos:
            coverage[pos[period]] = int(n)

    points = _points(con, tables.dyads, eng)
    ids = [e for v in points.values() for lst in v.values() for e in lst]
    details = _event_details(con, tables, ids)
    scores = {k: float(v.get("score") or 0.0) for k, v in details.items()}

    found: list[ShiftEvents] = []
    for a in alignments:
        for name, values in (
            ("net_cooperation", a.net_cooperation),
            ("conflictual", a.conflictual),
            ("cooperative", a.cooperative),
        ):
            for s in shifts(f"{name}:{a.power}", eng.periods, values):
                found.append(
                    ShiftEvents(s, _shift_events(points, [a.power], eng.periods, s.index, scores))
                )
    for s in shifts(BALANCE_SERIES, eng.periods, bal.balance):
        found.append(ShiftEvents(s, _shift_events(points, names, eng.periods, s.index, scores)))

    return ReportData(
        country=country,
        powers=eng.powers,
        filters=filters,
        periods=eng.periods,
        coverage=tuple(coverage),
        alignments=alignments,
        tilts=tilts,
        balance=bal,
        shifts=tuple(found),
        partners=_partners(con, tables.dyads, filters, country),
        points=points,
        events=details,
        coder_versions=_coder_versions(con, tables.dyads, filters, country),
        corpus=_corpus(con, tables, filters, country),
        membership=eng.membership,
        replicates=replicates,
        seed=seed,
    )
