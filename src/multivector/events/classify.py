"""The coder's judgement of one dyad in one sentence: what did the actor do to the recipient?

    classify(sentence, actor, recipient)        -> Judgement
    classify_many([(sentence, actor, recipient), ...]) -> Iterator[Judgement]
    judge_events(events, sentence, actor, recipient)   -> Judgement  (no model: pure)

`actor` and `recipient` are substrings of `sentence` (every occurrence counts). The sentence is
coded as a one-sentence document by the real pipeline (`Coder.code_document`: lexicon,
participants, factuality), and the judgement is taken from its events:

1. participants: an event one of whose actor entities overlaps the actor substring and one of
   whose other entities (recipient, or co-actor of a reciprocal act) overlaps the recipient
   substring. Among several, the most confident wins, then the earliest trigger (the main verb of
   "refused to recognise" comes before its complement).
2. trigger: failing that, an event whose trigger lies between the two substrings, or within
   `NEAR` characters of them, and whose participants are not the pair the other way round. Its
   confidence is halved: the coder did not tie the pair to it.
3. none: `event_type` None, confidence 0. The coder saw no event between these two.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from multivector.errors import InputError
from multivector.ontology import QUAD
from multivector.records import Document, Entity, Event

if TYPE_CHECKING:
    from multivector.pipeline import Coder

__all__ = ["NEAR", "Judgement", "Why", "classify", "classify_many", "judge_events", "locate"]

#: How far (in characters) outside the actor–recipient stretch a trigger may lie for rule 2.
NEAR = 30
#: Rule 2's confidence is the event's confidence times this.
TRIGGER_ONLY_FACTOR = 0.5

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Why:
    """How the judgement was reached."""

    match: str  # "participants" | "trigger" | "none"
    trigger: str = ""  # the trigger words of the chosen event
    rule: str = ""  # the coder's rule trace ("lexicon.tsv:10 actor=subject other=clause")
    note: str = ""  # a sentence for people


@dataclass(frozen=True, slots=True)
class Judgement:
    """What the coder says the actor did to the recipient; `event_type` None when nothing."""

    event_type: str | None
    mode: str
    quad_code: int | None
    confidence: float
    why: Why
    factuality: str = ""
    event: Event | None = None


def locate(sentence: str, part: str, role: str = "span") -> tuple[Span, ...]:
    """Every occurrence of `part` in `sentence` (case-insensitively when no exact one).

    Raises InputError when `part` is empty or does not occur.
    """
    if not part or not part.strip():
        raise InputError(f"the {role} is empty; give the words of the sentence that name it")
    needle = part.strip()
    spans = tuple((m.start(), m.end()) for m in re.finditer(re.escape(needle), sentence))
    if not spans:
        spans = tuple(
            (m.start(), m.end()) for m in re.finditer(re.escape(needle), sentence, re.IGNORECASE)
        )
    if not spans:
        raise InputError(f"the {role} {part!r} does not occur in the sentence")
    return spans


def _overlaps(entity: Entity, spans: Sequence[Span]) -> bool:
    if entity.span is None:
        return False
    s, e = entity.span
    return s < e and any(s < pe and ps < e for ps, pe in spans)


def _touches(entities: Iterable[Entity], spans: Sequence[Span]) -> bool:
    return any(_overlaps(x, spans) for x in entities)


def _directed(event: Event, actor: Sequence[Span], recipient: Sequence[Span]) -> bool:
    """An actor entity overlaps `actor` and another entity overlaps `recipient`."""
    for i, a in enumerate(event.actor):
        if not _overlaps(a, actor):
            continue
        others = [*event.recipient, *(x for j, x in enumerate(event.actor) if j != i)]
        if _touches(others, recipient):
            return True
    return False


def _trigger_spans(sentence: str, trigger: str) -> list[Span]:
    if not trigger:
        return []
    pattern = r"(?<!\w)" + re.escape(trigger) + r"(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, sentence)]


def _distance(span: Span, lo: int, hi: int) -> int:
    """0 inside [lo, hi), else the characters between `span` and that stretch."""
    s, e = span
    if e <= lo:
        return lo - e
    if s >= hi:
        return s - hi
    return 0


def _judgement(event: Event, match: str, confidence: float, note: str) -> Judgement:
    return Judgement(
        event_type=event.event_type,
        mode=event.mode,
        quad_code=QUAD[event.event_type],
        confidence=round(confidence, 4),
        why=Why(match, event.trigger, event.rule, note),
        factuality=event.factuality,
        event=event,
    )


def _first_trigger(sentence: str, event: Event) -> int:
    found = _trigger_spans(sentence, event.trigger)
    return found[0][0] if found else len(sentence)


def judge_events(events: Sequence[Event], sentence: str, actor: str, recipient: str) -> Judgement:
    """Pick, from the events coded for `sentence`, the one the actor did to the recipient."""
    a_spans = locate(sentence, actor, "actor")
    r_spans = locate(sentence, recipient, "recipient")

    direct = [e for e in events if _directed(e, a_spans, r_spans)]
    if direct:
        best = min(direct, key=lambda e: (-e.confidence, _first_trigger(sentence, e)))
        return _judgement(
            best, "participants", best.confidence,
            f"the coder's {best.event_type} event has {actor!r} as actor and {recipient!r} "
            "as a participant",
        )  # fmt: skip

    lo = min(s for s, _ in (*a_spans, *r_spans))
    hi = max(e for _, e in (*a_spans, *r_spans))
    near: list[tuple[int, float, int, Event]] = []
    for e in events:
        if _directed(e, r_spans, a_spans) and not _touches(e.actor, a_spans):
            continue  # the pair the other way round: not what the actor did
        spans = _trigger_spans(sentence, e.trigger)
        if not spans:
            continue
        dist = min(_distance(sp, lo, hi) for sp in spans)
        if dist <= NEAR:
            near.append((dist, -e.confidence, min(s for s, _ in spans), e))
    if near:
        near.sort(key=lambda t: (t[0], t[1], t[2]))
        best = near[0][3]
        return _judgement(
            best, "trigger", best.confidence * TRIGGER_ONLY_FACTOR,
            f"the coder did not tie {actor!r} and {recipient!r} to an event; its "
            f"{best.event_type} trigger {best.trigger!r} lies between or near them",
        )  # fmt: skip

    what = "no event at all" if not events else f"{len(events)} event(s), none involving both"
    return Judgement(
        event_type=None,
        mode="",
        quad_code=None,
        confidence=0.0,
        why=Why("none", note=f"the coder found {what} of {actor!r} and {recipient!r}"),
    )


def _document(sentence: str, published: date | None, index: int = 0) -> Document:
    if not sentence or not sentence.strip():
        raise InputError("the sentence is empty")
    return Document(id=f"classify-{index}", text=sentence, published=published)


def classify(
    sentence: str,
    actor: str,
    recipient: str,
    *,
    coder: Coder | None = None,
    published: date | None = None,
) -> Judgement:
    """The coder's judgement of what `actor` did to `recipient` in `sentence`.

    `published` resolves dates and tense (default: today, as for any undated document). Pass a
    `coder` to reuse a loaded model; otherwise one is built (seconds).
    """
    locate(sentence, actor, "actor")
    locate(sentence, recipient, "recipient")
    doc = _document(sentence, published)
    if coder is None:
        from multivector.pipeline import Coder

        coder = Coder()
    return judge_events(coder.code_document(doc), sentence, actor, recipient)


def classify_many(
    items: Iterable[tuple[str, str, str]],
    *,
    coder: Coder | None = None,
    published: date | None = None,
) -> Iterator[Judgement]:
    """`classify` over (sentence, actor, recipient) triples with one Coder, parsed in batches.

    Judgements come in the order of `items`. A bad item raises InputError (naming its index)
    when the iteration reaches it.
    """
    if coder is None:
        from multivector.pipeline import Coder

        coder = Coder()
    pending: dict[str, tuple[str, str, str]] = {}

    def docs() -> Iterator[Document]:
        for i, (sentence, actor, recipient) in enumerate(items):
            try:
                locate(sentence, actor, "actor")
                locate(sentence, recipient, "recipient")
                doc = _document(sentence, published, i)
            except InputError as exc:
                raise InputError(f"item {i}: {exc}") from None
            pending[doc.id] = (sentence, actor, recipient)
            yield doc

    for doc, events in coder.code_documents(docs()):
        sentence, actor, recipient = pending.pop(doc.id)
        yield judge_events(events, sentence, actor, recipient)
