"""Typed records passed between pipeline stages.

Frozen, slotted dataclasses; dicts appear only at the edges (`to_dict` / `from_dict`, which
speak the codebook's record format, section 5, plus multivector's own fields). Every field maps
to one Arrow / DuckDB column: strings, numbers, dates as ISO strings, lists of structs.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from multivector.ontology import QUAD, SCORE

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Document:
    """One input document (article, press release, web page)."""

    id: str
    text: str
    published: date | None = None
    title: str = ""
    url: str = ""
    source: str = ""
    origin: str = ""  # file path (and line) or URL the document was read from

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document with its character span in the document text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    """A resolved participant of an event (CODEBOOK section 3)."""

    code: str
    sector: str = ""
    text: str = ""
    span: Span | None = None  # character span in the document text
    name: str = ""  # canonical name from the knowledge base
    why: str = ""  # how the mention was resolved

    def key(self) -> str:
        """The scoring key: the code, starred for separatist authorities and armed groups."""
        return f"{self.code}*" if self.sector in ("PRE", "REB") else self.code

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"code": self.code, "sector": self.sector, "text": self.text}
        if self.span is not None:
            d["span"] = list(self.span)
        if self.name:
            d["name"] = self.name
        if self.why:
            d["why"] = self.why
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entity:
        span = d.get("span")
        return cls(
            code=str(d.get("code") or ""),
            sector=str(d.get("sector") or ""),
            text=str(d.get("text") or ""),
            span=(int(span[0]), int(span[1])) if span else None,
            name=str(d.get("name") or ""),
            why=str(d.get("why") or ""),
        )


@dataclass(frozen=True, slots=True)
class Citation:
    """An in-line cited source: "(Kun.uz, November 28)" -> outlet Kun.uz, date 2022-11-28."""

    outlet: str
    date: str = ""  # ISO date or "" when the citation gives none
    span: Span | None = None
    cross_reference: bool = False  # "see EDM, August 11"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"outlet": self.outlet, "date": self.date}
        if self.span is not None:
            d["span"] = list(self.span)
        if self.cross_reference:
            d["cross_reference"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Citation:
        span = d.get("span")
        return cls(
            outlet=str(d.get("outlet") or ""),
            date=str(d.get("date") or ""),
            span=(int(span[0]), int(span[1])) if span else None,
            cross_reference=bool(d.get("cross_reference", False)),
        )


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event with its evidence (CODEBOOK section 5 plus multivector's fields)."""

    doc_id: str
    event_type: str
    actor: tuple[Entity, ...]
    recipient: tuple[Entity, ...] = ()
    mode: str = ""
    context: tuple[str, ...] = ()
    factuality: str = "asserted"
    date: str = ""
    date_precision: str = "unknown"
    cited: tuple[Citation, ...] = ()
    see_also: tuple[Citation, ...] = ()  # cross-references ("see EDM, August 11")
    evidence: str = ""
    sentence_index: int = -1
    evidence_span: Span | None = None
    trigger: str = ""
    rule: str = ""
    confidence: float = 1.0
    coder: str = ""
    dataset: str = ""  # "" for multivector's own coding; "gdelt", "icews", "polecat" for imports
    source_url: str = ""
    id: str = field(default="")

    @property
    def quad_code(self) -> int:
        return QUAD[self.event_type]

    @property
    def event_scale(self) -> float:
        return SCORE[self.event_type]

    def computed_id(self) -> str:
        """A deterministic id from the document, type, participants, date and evidence span."""
        parts = [
            self.doc_id,
            self.event_type,
            self.mode,
            ",".join(sorted(e.key() for e in self.actor)),
            ",".join(sorted(e.key() for e in self.recipient)),
            self.date,
            str(self.sentence_index),
            self.factuality,
        ]
        return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id or self.computed_id(),
            "doc_id": self.doc_id,
            "event_type": self.event_type,
            "mode": self.mode,
            "context": list(self.context),
            "actor": [e.to_dict() for e in self.actor],
            "recipient": [e.to_dict() for e in self.recipient],
            "factuality": self.factuality,
            "date": self.date,
            "date_precision": self.date_precision,
            "cited": [c.to_dict() for c in self.cited],
            "see_also": [c.to_dict() for c in self.see_also],
            "evidence": self.evidence,
            "sentence_index": self.sentence_index,
            "evidence_span": list(self.evidence_span) if self.evidence_span else None,
            "quad_code": self.quad_code,
            "event_scale": self.event_scale,
            "confidence": round(self.confidence, 4),
            "trigger": self.trigger,
            "rule": self.rule,
            "coder": self.coder,
            "dataset": self.dataset,
            "source_url": self.source_url,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        span = d.get("evidence_span")
        return cls(
            id=str(d.get("id") or ""),
            doc_id=str(d.get("doc_id") or ""),
            event_type=str(d["event_type"]),
            mode=str(d.get("mode") or ""),
            context=tuple(d.get("context") or ()),
            actor=tuple(Entity.from_dict(x) for x in d.get("actor") or ()),
            recipient=tuple(Entity.from_dict(x) for x in d.get("recipient") or ()),
            factuality=str(d.get("factuality") or "asserted"),
            date=str(d.get("date") or ""),
            date_precision=str(d.get("date_precision") or "unknown"),
            cited=tuple(Citation.from_dict(x) for x in d.get("cited") or ()),
            see_also=tuple(Citation.from_dict(x) for x in d.get("see_also") or ()),
            evidence=str(d.get("evidence") or ""),
            sentence_index=int(d.get("sentence_index", -1) if d.get("sentence_index") is not None else -1),
            evidence_span=(int(span[0]), int(span[1])) if span else None,
            trigger=str(d.get("trigger") or ""),
            rule=str(d.get("rule") or ""),
            confidence=float(d.get("confidence", 1.0) if d.get("confidence") is not None else 1.0),
            coder=str(d.get("coder") or ""),
            dataset=str(d.get("dataset") or ""),
            source_url=str(d.get("source_url") or ""),
        )
