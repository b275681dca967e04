"""Within-document event handling: split separate contacts, merge repeated mentions.

- `split_partners`: "talks with China and the United States" is two CONSULTs (CODEBOOK §1):
  a reciprocal act whose clause names several partners besides the actor becomes one event per
  partner. Directed acts keep their recipient lists (the keys are the same either way).
- `drop_uninformative`: cooperation within one state's own officials is not a relation.
- `dedup_events`: an event is coded once per document however many sentences mention it: same
  type, participants (scoring keys), direction and factuality merge into the first mention, with
  the citations of all mentions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from multivector.ontology import QUAD
from multivector.records import Citation, Event

RECIPROCAL_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})


def split_partners(events: Sequence[Event]) -> list[Event]:
    out: list[Event] = []
    for e in events:
        if e.event_type in RECIPROCAL_TYPES and e.mode != "visit" and len(e.recipient) >= 2 and len(e.actor) == 1:
            for r in e.recipient:
                out.append(replace(e, actor=(*e.actor, r), recipient=()))
        elif e.event_type in RECIPROCAL_TYPES and e.mode != "visit" and len(e.recipient) == 1:
            out.append(replace(e, actor=(*e.actor, *e.recipient), recipient=()))
        else:
            out.append(e)
    return out


def drop_uninformative(events: Sequence[Event]) -> list[Event]:
    """Cooperative acts (quads 1-2) whose participants all resolve to one key say nothing about
    relations: a president meeting his own ministers is routine administration (CODEBOOK §1).
    Conflictual ones stay: a government arresting protesters, a country's mobilisation."""
    out: list[Event] = []
    for e in events:
        keys = {x.key() for x in (*e.actor, *e.recipient)}
        if len(keys) <= 1 and QUAD[e.event_type] <= 2:
            continue
        out.append(e)
    return out


def _key(e: Event) -> tuple[str, frozenset[str], frozenset[str], str]:
    return (
        e.event_type,
        frozenset(a.key() for a in e.actor),
        frozenset(r.key() for r in e.recipient),
        e.factuality,
    )


def dedup_events(events: Sequence[Event]) -> list[Event]:
    merged: dict[tuple[str, frozenset[str], frozenset[str], str], Event] = {}
    for e in events:
        k = _key(e)
        first = merged.get(k)
        if first is None:
            merged[k] = e
            continue
        cites: list[Citation] = list(first.cited)
        seen = {(c.outlet, c.date) for c in cites}
        for c in e.cited:
            if (c.outlet, c.date) not in seen:
                cites.append(c)
                seen.add((c.outlet, c.date))
        merged[k] = replace(first, cited=tuple(cites), confidence=max(first.confidence, e.confidence))
    return list(merged.values())
