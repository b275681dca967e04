"""Records <-> Arrow tables for the store's tables (one Arrow column per DuckDB column)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from multivector.errors import StoreError
from multivector.ontology import QUAD, SCORE
from multivector.records import Citation, Document, Entity, Event
from multivector.store.dedup import dedup_key

DOCUMENT_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()), ("content_hash", pa.string()), ("title", pa.string()),
        ("url", pa.string()), ("source", pa.string()), ("published", pa.date32()),
        ("text", pa.string()), ("origin", pa.string()), ("ingested", pa.timestamp("us")),
    ]
)  # fmt: skip

EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()), ("doc_id", pa.string()), ("coder_version", pa.string()),
        ("run_id", pa.string()), ("event_type", pa.string()), ("mode", pa.string()),
        ("context", pa.list_(pa.string())), ("factuality", pa.string()), ("date", pa.date32()),
        ("date_precision", pa.string()), ("evidence", pa.string()),
        ("sentence_index", pa.int32()), ("evidence_start", pa.int32()),
        ("evidence_end", pa.int32()), ("quad_code", pa.int32()), ("event_scale", pa.float64()),
        ("confidence", pa.float64()), ("trigger", pa.string()), ("rule", pa.string()),
        ("dataset", pa.string()), ("source_url", pa.string()), ("cluster_id", pa.string()),
        ("dedup_key", pa.string()),
    ]
)  # fmt: skip

ENTITY_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()), ("role", pa.string()), ("position", pa.int32()),
        ("code", pa.string()), ("sector", pa.string()), ("text", pa.string()),
        ("name", pa.string()), ("why", pa.string()), ("span_start", pa.int32()),
        ("span_end", pa.int32()),
    ]
)  # fmt: skip

CITATION_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()), ("position", pa.int32()), ("outlet", pa.string()),
        ("date", pa.string()), ("span_start", pa.int32()), ("span_end", pa.int32()),
        ("cross_reference", pa.bool_()),
    ]
)  # fmt: skip

EVENT_COLUMNS = tuple(EVENT_SCHEMA.names)


def parse_date(value: str, *, what: str) -> date | None:
    """An ISO date string (or "") as a date; StoreError when it is not one."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise StoreError(f"{what}: date {value!r} is not an ISO date (YYYY-MM-DD)") from exc


def stored_event_id(event: Event, coder_version: str, ordinal: int) -> str:
    """The id under which a coded event is stored: unique per coder version and document.

    ``ordinal`` counts earlier events of the same document with the same base id, so two
    identical-looking events of one document keep two rows.
    """
    base = event.id or event.computed_id()
    raw = f"{coder_version}|{base}|{ordinal}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def assign_ids(events: Sequence[Event], coder_version: str) -> list[str]:
    """Stored ids for the events of one document (deterministic, collision-free)."""
    seen: dict[str, int] = {}
    ids = []
    for event in events:
        base = event.id or event.computed_id()
        ordinal = seen.get(base, 0)
        seen[base] = ordinal + 1
        ids.append(stored_event_id(event, coder_version, ordinal))
    return ids


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event ready to be written: the record plus where it belongs."""

    event_id: str
    event: Event
    coder_version: str
    run_id: str
    dataset: str


def documents_table(docs: Iterable[Document], ingested: datetime) -> pa.Table:
    rows: dict[str, list[Any]] = {name: [] for name in DOCUMENT_SCHEMA.names}
    for doc in docs:
        rows["doc_id"].append(doc.id)
        rows["content_hash"].append(doc.content_hash)
        rows["title"].append(doc.title)
        rows["url"].append(doc.url)
        rows["source"].append(doc.source)
        rows["published"].append(doc.published)
        rows["text"].append(doc.text)
        rows["origin"].append(doc.origin)
        rows["ingested"].append(ingested)
    return pa.table(rows, schema=DOCUMENT_SCHEMA)


def _span(span: tuple[int, int] | None) -> tuple[int | None, int | None]:
    return (span[0], span[1]) if span is not None else (None, None)


def event_tables(stored: Iterable[StoredEvent]) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Arrow tables (events, entities, citations) for ``stored``; StoreError on bad values."""
    ev: dict[str, list[Any]] = {name: [] for name in EVENT_SCHEMA.names}
    en: dict[str, list[Any]] = {name: [] for name in ENTITY_SCHEMA.names}
    ci: dict[str, list[Any]] = {name: [] for name in CITATION_SCHEMA.names}
    for s in stored:
        e = s.event
        if e.event_type not in QUAD:
            raise StoreError(f"event {s.event_id} of {e.doc_id}: unknown type {e.event_type!r}")
        start, end = _span(e.evidence_span)
        key = dedup_key(e, dataset=s.dataset, coder_version=s.coder_version)
        values = {
            "event_id": s.event_id, "doc_id": e.doc_id, "coder_version": s.coder_version,
            "run_id": s.run_id, "event_type": e.event_type, "mode": e.mode,
            "context": list(e.context), "factuality": e.factuality,
            "date": parse_date(e.date, what=f"event of {e.doc_id}"),
            "date_precision": e.date_precision, "evidence": e.evidence,
            "sentence_index": e.sentence_index, "evidence_start": start, "evidence_end": end,
            "quad_code": QUAD[e.event_type], "event_scale": SCORE[e.event_type],
            "confidence": e.confidence, "trigger": e.trigger, "rule": e.rule,
            "dataset": s.dataset, "source_url": e.source_url,
            "cluster_id": s.event_id if key is None else None, "dedup_key": key,
        }  # fmt: skip
        for name, value in values.items():
            ev[name].append(value)
        for role, side in (("actor", e.actor), ("recipient", e.recipient)):
            for position, ent in enumerate(side):
                s0, s1 = _span(ent.span)
                for name, value in zip(
                    ENTITY_SCHEMA.names,
                    (s.event_id, role, position, ent.code, ent.sector, ent.text, ent.name,
                     ent.why, s0, s1),
                    strict=True,
                ):  # fmt: skip
                    en[name].append(value)
        for position, cit in enumerate(e.cited):
            s0, s1 = _span(cit.span)
            for name, value in zip(
                CITATION_SCHEMA.names,
                (s.event_id, position, cit.outlet, cit.date, s0, s1, cit.cross_reference),
                strict=True,
            ):
                ci[name].append(value)
    try:
        return (
            pa.table(ev, schema=EVENT_SCHEMA),
            pa.table(en, schema=ENTITY_SCHEMA),
            pa.table(ci, schema=CITATION_SCHEMA),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as exc:
        raise StoreError(f"events cannot be stored: {exc}") from exc


def _opt_span(a: int | None, b: int | None) -> tuple[int, int] | None:
    return (int(a), int(b)) if a is not None and b is not None else None


def events_from_rows(
    event_rows: list[dict[str, Any]],
    entity_rows: list[dict[str, Any]],
    citation_rows: list[dict[str, Any]],
) -> list[Event]:
    """Rebuild Events (in ``event_rows`` order) from rows of the three tables."""
    actors: dict[str, list[tuple[int, Entity]]] = {}
    recipients: dict[str, list[tuple[int, Entity]]] = {}
    cited: dict[str, list[tuple[int, Citation]]] = {}
    for r in entity_rows:
        ent = Entity(
            code=r["code"], sector=r["sector"] or "", text=r["text"] or "",
            span=_opt_span(r["span_start"], r["span_end"]), name=r["name"] or "",
            why=r["why"] or "",
        )  # fmt: skip
        target = actors if r["role"] == "actor" else recipients
        target.setdefault(r["event_id"], []).append((r["position"], ent))
    for r in citation_rows:
        cit = Citation(
            outlet=r["outlet"], date=r["date"] or "",
            span=_opt_span(r["span_start"], r["span_end"]),
            cross_reference=bool(r["cross_reference"]),
        )  # fmt: skip
        cited.setdefault(r["event_id"], []).append((r["position"], cit))
    out = []
    for r in event_rows:
        eid = r["event_id"]
        out.append(
            Event(
                id=eid, doc_id=r["doc_id"], event_type=r["event_type"],
                actor=tuple(x for _, x in sorted(actors.get(eid, []), key=lambda p: p[0])),
                recipient=tuple(x for _, x in sorted(recipients.get(eid, []), key=lambda p: p[0])),
                mode=r["mode"] or "", context=tuple(r["context"] or ()),
                factuality=r["factuality"] or "",
                date=r["date"].isoformat() if r["date"] is not None else "",
                date_precision=r["date_precision"] or "",
                cited=tuple(x for _, x in sorted(cited.get(eid, []), key=lambda p: p[0])),
                evidence=r["evidence"] or "", sentence_index=r["sentence_index"],
                evidence_span=_opt_span(r["evidence_start"], r["evidence_end"]),
                trigger=r["trigger"] or "", rule=r["rule"] or "",
                confidence=r["confidence"], coder=r["coder_version"],
                dataset=r["dataset"], source_url=r["source_url"] or "",
            )
        )  # fmt: skip
    return out
