"""What the dashboard shows, as plain JSON-ready dicts: thin adapters over the store and measures.

Every function takes an open DuckDB connection (from ``Store.connect()``) and validated
arguments, and runs parameterised SQL only. The measures themselves come from
`multivector.analysis` and `multivector.report.build_report`; this module only adds what the
dashboard needs beyond them: corpus coverage, the most active dyads, the events behind one
dyad point, an event's full evidence record, and search.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from multivector.analysis import Filters, dyad_series, shifts
from multivector.analysis.filters import DEFAULT_RELATION, base_query
from multivector.analysis.periods import GRANULARITIES, period_start
from multivector.analysis.powers import Power, parse_powers
from multivector.errors import ConfigError, StoreError
from multivector.ontology import EVENT_TYPES, FACTUALITY, QUAD_NAMES

#: A participant code (scoring key): KAZ, EU, NATO, UKR* (separatist authorities).
CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,7}\*?$")
#: A stored event id: hex for coded events, the dataset's id for imports. No slashes, no "..".
EVENT_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")
#: An ingest job id (uuid4 hex).
JOB_ID_RE = re.compile(r"^[0-9a-f]{32}$")

MAX_LIST = 200
MAX_REPLICATES = 1000
MAX_QUERY_CHARS = 200
PARAGRAPH_WINDOW = 700


# --- validation ---------------------------------------------------------------------------------


def check_code(value: str, what: str = "country code") -> str:
    """An upper-cased participant code, or ConfigError (never a path, never SQL)."""
    code = value.strip().upper()
    if not CODE_RE.match(code):
        raise ConfigError(f"bad {what} {value[:40]!r}: use a code such as KAZ, EU or UKR*")
    return code


def check_event_id(value: str) -> str:
    if not EVENT_ID_RE.match(value) or ".." in value:
        raise ConfigError(f"bad event id {value[:40]!r}")
    return value


def parse_day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"bad {name} {value[:20]!r}: write YYYY-MM-DD") from None


def _list(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


@dataclass(frozen=True, slots=True)
class View:
    """The filters of a country or dyad view, as they appear in the URL."""

    start: date | None = None
    end: date | None = None
    granularity: str = "month"
    types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    factuality: tuple[str, ...] = ("asserted",)
    dedup: bool = True
    powers: tuple[Power, ...] | None = None
    replicates: int = 200

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> View:
        """From query parameters ``from, to, granularity, types, sources, factuality, powers,
        dedup, replicates``; ConfigError on a bad value."""
        granularity = (params.get("granularity") or "month").strip().lower()
        if granularity not in GRANULARITIES:
            raise ConfigError(
                f"bad granularity {granularity[:20]!r}: use {', '.join(GRANULARITIES)}"
            )
        types = tuple(t.upper() for t in _list(params.get("types")))
        bad = [t for t in types if t not in EVENT_TYPES]
        if bad:
            raise ConfigError(f"unknown event type {bad[0][:20]!r}: use PLOVER types")
        fact = tuple(f.lower() for f in _list(params.get("factuality"))) or ("asserted",)
        bad = [f for f in fact if f not in FACTUALITY]
        if bad:
            raise ConfigError(f"unknown factuality {bad[0][:20]!r}: use {', '.join(FACTUALITY)}")
        sources = _list(params.get("sources"))
        if any(len(s) > 200 for s in sources) or len(sources) > 50:
            raise ConfigError("too many or too long sources")
        powers = None
        if params.get("powers"):
            powers = parse_powers(params["powers"][:500])
            for p in powers:
                check_code(p.name, "power")
                for c in p.codes:
                    check_code(c, "power code")
        try:
            replicates = int(params.get("replicates") or 200)
        except ValueError:
            raise ConfigError("replicates must be a whole number") from None
        if not 0 <= replicates <= MAX_REPLICATES:
            raise ConfigError(f"replicates must be between 0 and {MAX_REPLICATES}")
        dedup = (params.get("dedup") or "1").lower() not in ("0", "false", "no")
        view = cls(
            start=parse_day(params.get("from"), "from"),
            end=parse_day(params.get("to"), "to"),
            granularity=granularity,
            types=types,
            sources=sources,
            factuality=fact,
            dedup=dedup,
            powers=powers,
            replicates=replicates,
        )
        view.filters()  # validates the combination (from <= to)
        return view

    def filters(self) -> Filters:
        return Filters(
            start=self.start, end=self.end, granularity=self.granularity, types=self.types,
            factuality=self.factuality, sources=self.sources, dedup=self.dedup,
        )  # fmt: skip

    def query(self) -> dict[str, str]:
        """The non-default filters as URL parameters (for links that keep the view)."""
        out: dict[str, str] = {}
        if self.start:
            out["from"] = self.start.isoformat()
        if self.end:
            out["to"] = self.end.isoformat()
        if self.granularity != "month":
            out["granularity"] = self.granularity
        if self.types:
            out["types"] = ",".join(self.types)
        if self.sources:
            out["sources"] = ",".join(self.sources)
        if self.factuality != ("asserted",):
            out["factuality"] = ",".join(self.factuality)
        if not self.dedup:
            out["dedup"] = "0"
        if self.powers is not None:
            out["powers"] = ",".join(
                p.name if p.codes == (p.name,) else f"{p.name}={'+'.join(p.codes)}"
                for p in self.powers
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "granularity": self.granularity,
            "types": list(self.types),
            "sources": list(self.sources),
            "factuality": list(self.factuality),
            "dedup": self.dedup,
            "powers": self.query().get("powers"),
            "replicates": self.replicates,
        }


# --- helpers ------------------------------------------------------------------------------------


def _rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()
) -> list[dict[str, Any]]:
    try:
        cur = con.execute(sql, list(params))
        names = [d[0] for d in cur.description or ()]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    except duckdb.Error as exc:
        raise StoreError(f"query failed: {exc}") from exc


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _jsonable(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _iso(v) for k, v in row.items()}


def stamp(con: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
    """Changes whenever a batch is committed (runs' counters move): the cache key of a view."""
    row = con.execute(
        "SELECT count(*), coalesce(sum(documents), 0), coalesce(sum(events), 0), "
        "max(coalesce(finished, started)) FROM runs"
    ).fetchone()
    return tuple(row) if row else ()


#: A per-connection temporary copy of `event_dyads` (see `materialise`).
WORK_RELATION = "_mv_web_dyads"


def materialise(con: duckdb.DuckDBPyConnection, view: View | None = None) -> str:
    """Copy the `event_dyads` rows a view can use into a temporary table; return its name.

    The view is recomputed by every query that reads it (~0.1 s even on a small store), and a
    page runs a dozen such queries; the measures take any relation with the view's columns,
    so they read this snapshot instead (3-6x faster). Rows outside the view's dates are left
    out: every measure filters them out anyway. Connection-local; gone when it closes.
    """
    clauses, params = [], []
    if view is not None and view.start is not None:
        clauses.append("date >= ?")
        params.append(view.start)
    if view is not None and view.end is not None:
        clauses.append("date <= ?")
        params.append(view.end)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {WORK_RELATION} AS SELECT * FROM {DEFAULT_RELATION}{where}",
            params,
        )
    except duckdb.Error as exc:
        raise StoreError(f"query failed: {exc}") from exc
    return WORK_RELATION


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# --- overview -----------------------------------------------------------------------------------


def overview(con: duckdb.DuckDBPyConnection, *, top: int = 12) -> dict[str, Any]:
    """Corpus coverage, the most active countries and dyads, and recent shifts."""
    counts = _rows(
        con,
        "SELECT (SELECT count(*) FROM documents) AS documents, "
        "(SELECT count(DISTINCT coalesce(source, '')) FROM documents) AS sources, "
        "(SELECT count(*) FROM current_events) AS events, "
        "(SELECT count(DISTINCT coalesce(cluster_id, event_id)) FROM current_events) AS clusters, "
        "(SELECT min(published) FROM documents) AS first_published, "
        "(SELECT max(published) FROM documents) AS last_published, "
        "(SELECT min(date) FROM current_events) AS first_event, "
        "(SELECT max(date) FROM current_events) AS last_event",
    )[0]
    sources = _rows(
        con,
        "SELECT coalesce(source, '') AS source, count(*) AS documents, "
        "min(published) AS first, max(published) AS last FROM documents "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 25",
    )
    relation = materialise(con)
    base, params = base_query(relation, Filters())
    dyads = _rows(
        con,
        f"WITH base AS ({base}) SELECT a_code AS a, b_code AS b, count(*) AS events, "
        "count(*) FILTER (WHERE quad_code <= 2) AS cooperative, "
        "count(*) FILTER (WHERE quad_code >= 3) AS conflictual, "
        "sum(event_scale) AS net_cooperation, max(date) AS last_event FROM base "
        "WHERE b_code IS NOT NULL AND a_code <> b_code "
        "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?",
        [*params, top],
    )
    countries = _rows(
        con,
        f"WITH base AS ({base}), sides AS (SELECT a_code AS code, unit FROM base "
        "UNION SELECT b_code, unit FROM base WHERE b_code IS NOT NULL) "
        "SELECT code, count(DISTINCT unit) AS events FROM sides "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?",
        [*params, top * 2],
    )
    found = []
    for d in dyads[:6]:
        series = dyad_series(con, d["a"], d["b"], Filters(), replicates=0, relation=relation)
        for s in shifts(f"{d['a']}-{d['b']}", series.periods, series.net_cooperation):
            found.append({**s.to_dict(), "a": d["a"], "b": d["b"]})
    found.sort(key=lambda s: (s["period"], abs(s["delta"])), reverse=True)
    runs = _rows(
        con,
        "SELECT run_id, coder_version, started, finished, documents, events, failed, status "
        "FROM runs ORDER BY started DESC LIMIT 8",
    )
    return {
        "corpus": _jsonable(counts),
        "sources": [_jsonable(s) for s in sources],
        "countries": countries,
        "dyads": [_jsonable(d) for d in dyads],
        "shifts": found[:10],
        "runs": [_jsonable(r) for r in runs],
    }


# --- events -------------------------------------------------------------------------------------


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def event_summaries(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> list[dict[str, Any]]:
    """One line per event (in ``ids`` order): type, date, participants, evidence, document.

    Three small indexed reads joined here rather than one query with correlated aggregates,
    which DuckDB ran ~10x slower.
    """
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    rows = _rows(
        con,
        "SELECT event_id, event_type, mode, date, date_precision, factuality, "
        "event_scale AS score, evidence, doc_id, coder_version, dataset FROM events "
        f"WHERE event_id IN ({_marks(ids)})",
        ids,
    )
    sides: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for e in _rows(
        con,
        "SELECT event_id, role, position, code, sector FROM entities "
        f"WHERE event_id IN ({_marks(ids)})",
        ids,
    ):
        key = e["code"] + ("*" if e["sector"] in ("PRE", "REB") else "")
        sides.setdefault((e["event_id"], e["role"]), []).append((e["position"], key))
    doc_ids = sorted({r["doc_id"] for r in rows if r["doc_id"]})
    docs = {
        r["doc_id"]: r
        for r in (
            _rows(
                con,
                "SELECT doc_id, title, source, published FROM documents "
                f"WHERE doc_id IN ({_marks(doc_ids)})",
                doc_ids,
            )
            if doc_ids
            else []
        )
    }
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["event_id"] in out:
            continue
        doc = docs.get(r["doc_id"], {})
        out[r["event_id"]] = _jsonable(
            {
                **r,
                "title": doc.get("title"),
                "source": doc.get("source"),
                "published": doc.get("published"),
                "actors": "+".join(k for _, k in sorted(sides.get((r["event_id"], "actor"), [])))
                or None,
                "recipients": "+".join(
                    k for _, k in sorted(sides.get((r["event_id"], "recipient"), []))
                )
                or None,
            }
        )
    return [out[i] for i in ids if i in out]


def dyad(con: duckdb.DuckDBPyConnection, a: str, b: str, view: View) -> dict[str, Any]:
    """The A-B series (A's coverage normalises) with its shifts."""
    if a == b:
        raise ConfigError(f"a dyad needs two different codes, got {a} twice")
    relation = materialise(con, view)
    series = dyad_series(con, a, b, view.filters(), replicates=view.replicates, relation=relation)
    found = shifts("net_cooperation", series.periods, series.net_cooperation)
    return {
        "view": view.to_dict(),
        "series": series.to_dict(),
        "shifts": [s.to_dict() for s in found],
    }


def dyad_events(
    con: duckdb.DuckDBPyConnection,
    a: str,
    b: str,
    view: View,
    period: date | None,
    *,
    limit: int = MAX_LIST,
) -> dict[str, Any]:
    """The events behind one point of the A-B series (or all of them): strongest first."""
    base, params = base_query(materialise(con, view), view.filters())
    lo, hi = sorted((a, b))
    sql = (
        f"WITH base AS ({base}) SELECT event_id, abs(event_scale) AS strength, date FROM base "
        "WHERE a_code = ? AND b_code = ?"
    )
    args: list[Any] = [*params, lo, hi]
    if period is not None:
        sql += " AND period = ?"
        args.append(period_start(period, view.granularity))
    sql += " ORDER BY strength DESC, date, event_id LIMIT ?"
    args.append(limit)
    ids = [r["event_id"] for r in _rows(con, sql, args)]
    return {
        "a": a,
        "b": b,
        "period": period_start(period, view.granularity).isoformat() if period else None,
        "view": view.to_dict(),
        "events": event_summaries(con, ids),
    }


def _paragraph(text: str, start: int | None, end: int | None, evidence: str) -> dict[str, Any]:
    """The paragraph around the evidence, split into before / evidence / after (raw text)."""
    if not text:
        return {"before": "", "match": evidence, "after": "", "located": False}
    ok = start is not None and end is not None and 0 <= start < end <= len(text)
    if not ok and evidence:
        found = text.find(evidence)
        if found >= 0:
            start, end, ok = found, found + len(evidence), True
    if not ok or start is None or end is None:
        return {"before": "", "match": evidence, "after": "", "located": False}
    p0 = text.rfind("\n\n", 0, start)
    p0 = 0 if p0 < 0 else p0 + 2
    p1 = text.find("\n\n", end)
    p1 = len(text) if p1 < 0 else p1
    p0 = max(p0, start - PARAGRAPH_WINDOW)
    p1 = min(p1, end + PARAGRAPH_WINDOW)
    return {
        "before": ("…" if p0 > 0 and text[p0 - 1] not in "\n" else "") + text[p0:start],
        "match": text[start:end],
        "after": text[end:p1] + ("…" if p1 < len(text) and text[p1] != "\n" else ""),
        "located": True,
    }


def event_detail(con: duckdb.DuckDBPyConnection, event_id: str) -> dict[str, Any] | None:
    """Everything known about one event: evidence in its paragraph, participants and how they
    were resolved, factuality, date, citations, every report of it, coder and rule."""
    rows = _rows(
        con,
        "SELECT e.*, d.title, d.url, d.source, d.published, d.text AS doc_text, d.origin, "
        "r.started AS run_started, r.status AS run_status "
        "FROM events e LEFT JOIN documents d ON d.doc_id = e.doc_id "
        "LEFT JOIN runs r ON r.run_id = e.run_id "
        "WHERE e.event_id = ? ORDER BY r.started DESC",
        [event_id],
    )
    if not rows:
        return None
    # Every report of the event (its dedup cluster), each flagged current or superseded.
    reports = _rows(
        con,
        "WITH m AS (SELECT event_id, doc_id, date, evidence, coder_version, dataset FROM events "
        "  WHERE cluster_id = ? OR event_id = ?) "
        "SELECT m.*, (m.dataset <> '' OR EXISTS (SELECT 1 FROM latest_coded l "
        "  WHERE l.doc_id = m.doc_id AND l.coder_version = m.coder_version)) AS is_current, "
        "d.title, d.source, d.url, d.published FROM m "
        "LEFT JOIN documents d ON d.doc_id = m.doc_id "
        "ORDER BY m.date NULLS LAST, m.doc_id, m.event_id LIMIT ?",
        [rows[0]["cluster_id"] or event_id, event_id, MAX_LIST],
    )
    current = {(m["event_id"], m["coder_version"]) for m in reports if m["is_current"]}
    r = next((x for x in rows if (x["event_id"], x["coder_version"]) in current), rows[0])
    r["is_current"] = (r["event_id"], r["coder_version"]) in current
    entities = _rows(
        con,
        "SELECT role, position, code, sector, text, name, why, span_start, span_end "
        "FROM entities WHERE event_id = ? ORDER BY role, position",
        [event_id],
    )
    cited = _rows(
        con,
        "SELECT outlet, date, span_start, span_end, cross_reference FROM citations "
        "WHERE event_id = ? ORDER BY position",
        [event_id],
    )
    mentions = [
        {k: v for k, v in m.items() if k != "is_current"} for m in reports if m["is_current"]
    ]
    participants: dict[str, list[dict[str, Any]]] = {"actor": [], "recipient": []}
    for ent in entities:
        key = ent["code"] + ("*" if ent["sector"] in ("PRE", "REB") else "")
        participants.setdefault(ent["role"], []).append({**ent, "key": key})
    doc_text = r.pop("doc_text") or ""
    paragraph = _paragraph(doc_text, r["evidence_start"], r["evidence_end"], r["evidence"] or "")
    quad = r["quad_code"]
    return {
        "event_id": r["event_id"],
        "event_type": r["event_type"],
        "mode": r["mode"] or "",
        "context": list(r["context"] or []),
        "quad_code": quad,
        "quad_name": QUAD_NAMES.get(int(quad)) if quad is not None else None,
        "score": r["event_scale"],
        "factuality": r["factuality"],
        "date": _iso(r["date"]),
        "date_precision": r["date_precision"],
        "evidence": r["evidence"] or "",
        "evidence_span": (
            [r["evidence_start"], r["evidence_end"]] if r["evidence_start"] is not None else None
        ),
        "sentence_index": r["sentence_index"],
        "paragraph": paragraph,
        "actors": participants["actor"],
        "recipients": participants["recipient"],
        "cited": [_jsonable(c) for c in cited],
        "trigger": r["trigger"] or "",
        "rule": r["rule"] or "",
        "confidence": r["confidence"],
        "coder_version": r["coder_version"],
        "dataset": r["dataset"] or "",
        "run": {
            "run_id": r["run_id"],
            "started": _iso(r["run_started"]),
            "status": r["run_status"],
        },
        "current": bool(r["is_current"]),
        "cluster_id": r["cluster_id"] or r["event_id"],
        "source_url": r["source_url"] or "",
        "document": {
            "doc_id": r["doc_id"],
            "title": r["title"] or "",
            "url": r["url"] or "",
            "source": r["source"] or "",
            "published": _iso(r["published"]),
            "origin": r["origin"] or "",
            "in_store": r["title"] is not None or bool(doc_text),
        },
        "mentions": [_jsonable(m) for m in mentions],
    }


# --- search -------------------------------------------------------------------------------------


def search(
    con: duckdb.DuckDBPyConnection,
    q: str,
    *,
    country: str | None = None,
    event_type: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Events whose evidence, trigger, document title or participants match ``q`` (a plain
    substring, case-insensitive; ``%`` and ``_`` match themselves)."""
    q = q.strip()
    if len(q) > MAX_QUERY_CHARS:
        raise ConfigError(f"search text is over {MAX_QUERY_CHARS} characters")
    if event_type:
        event_type = event_type.strip().upper()
        if event_type not in EVENT_TYPES:
            raise ConfigError(f"unknown event type {event_type[:20]!r}")
    if not 1 <= limit <= MAX_LIST or offset < 0:
        raise ConfigError(f"limit must be 1..{MAX_LIST} and offset 0 or more")
    clauses: list[str] = []
    params: list[Any] = []
    if q:
        like = _like(q)
        clauses.append(
            "(e.evidence ILIKE ? ESCAPE '\\' OR e.trigger ILIKE ? ESCAPE '\\' "
            "OR d.title ILIKE ? ESCAPE '\\' OR e.event_type = ? OR EXISTS (SELECT 1 FROM entities k "
            "WHERE k.event_id = e.event_id AND (k.code = ? OR k.text ILIKE ? ESCAPE '\\' "
            "OR k.name ILIKE ? ESCAPE '\\')))"
        )
        params += [like, like, like, q.upper(), q.upper(), like, like]
    if country:
        clauses.append(
            "EXISTS (SELECT 1 FROM entity_keys k WHERE k.event_id = e.event_id AND k.key = ?)"
        )
        params.append(country)
    if event_type:
        clauses.append("e.event_type = ?")
        params.append(event_type)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    found = _rows(
        con,
        "SELECT e.event_id, count(*) OVER () AS total FROM current_events e "
        f"LEFT JOIN documents d ON d.doc_id = e.doc_id{where} "
        "ORDER BY e.date DESC NULLS LAST, e.event_id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    if found:
        total = found[0]["total"]
    else:
        total = _rows(
            con,
            "SELECT count(*) AS n FROM current_events e LEFT JOIN documents d "
            f"ON d.doc_id = e.doc_id{where}",
            params,
        )[0]["n"]
    rows = event_summaries(con, [f["event_id"] for f in found])
    return {
        "q": q,
        "country": country,
        "type": event_type,
        "total": int(total),
        "limit": limit,
        "offset": offset,
        "events": rows,
    }
