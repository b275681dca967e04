"""Score coded events against gold, as `EVALUATION.md` specifies.

Each asserted event becomes keys built from its entities' scoring keys (`Entity.key()`: the code,
starred for `PRE`/`REB`); keys are sets per document, summed over documents (micro averages).

- dyadic: with a recipient, one `(type, {a, r})` per actor `a` and recipient `r` with `a != r`;
  without one, `(type, {a, b})` when the actors name exactly two distinct keys.
- multilateral: no recipient and three or more distinct actor keys: one `(type, a)` each.
- unilateral: the entities name a single key: `(type, {a})`.
- quad and interaction figures project the dyadic keys (type -> quad class; type dropped).

Choices EVALUATION.md leaves open, made here:

- Entities with an empty code do not enter keys.
- A figure with nothing in gold and nothing in the system (tp = fp = fn = 0) scores 1.0 (nothing
  to find, nothing claimed); otherwise a zero denominator gives 0.0.
- Date accuracy: a true-positive dyadic key is right when any system date for it matches any
  gold date for it under that gold event's precision: `day` within +-1 day, `week` within +-7
  days, `month` the same calendar month, `year` the same year. Gold dates of precision `unknown`
  are not scored; a key whose gold dates are all `unknown` leaves the denominator and is counted
  as `unscored`.
- False assertions count distinct keys (of all three kinds, per document) that the system
  asserted and gold holds only as negated or hypothetical. Keys gold holds only as alleged are
  reported apart (`asserted_alleged`): the codebook codes such acts as alleged, but EVALUATION.md
  does not count them as false assertions.
- Citations are taken from events of every factuality (a citation belongs to the sentence, not to
  the event's factuality); `(doc_id, outlet)` pairs, outlet lower-cased without a leading "www.".
- The scored documents are those with a gold event (of any factuality) plus any declared with
  `documents`; system events of other documents are ignored and counted as `ignored_events`.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from multivector.errors import InputError
from multivector.ontology import EVENT_TYPES, QUAD, QUAD_NAMES
from multivector.records import Event

__all__ = [
    "Counts",
    "DateAccuracy",
    "Key",
    "KeyDiff",
    "Scores",
    "evaluate",
    "event_keys",
    "format_diff",
    "format_scores",
    "key_diff",
    "load_document_ids",
    "load_events",
    "parse_events",
]

DYADIC, MULTILATERAL, UNILATERAL = "dyadic", "multilateral", "unilateral"
NOT_SCORED_FACTUALITY = ("negated", "hypothetical")


@dataclass(frozen=True, slots=True, order=True)
class Key:
    """One scoring key: its kind, event type and sorted participant keys."""

    kind: str
    event_type: str
    parties: tuple[str, ...]

    def __str__(self) -> str:
        if self.kind == MULTILATERAL:
            return f"{self.event_type} [multilateral] {self.parties[0]}"
        return f"{self.event_type} {{{', '.join(self.parties)}}}"


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives and false negatives of one figure, with P, R and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def empty(self) -> bool:
        return self.tp == self.fp == self.fn == 0

    @property
    def precision(self) -> float:
        if self.empty:
            return 1.0
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        if self.empty:
            return 1.0
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True, slots=True)
class DateAccuracy:
    """Dates of true-positive dyadic keys: `correct` of `scored`; `unscored` had no gold date."""

    correct: int = 0
    scored: int = 0
    unscored: int = 0
    #: per finest gold precision of the key: (correct, scored)
    by_precision: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        return self.correct / self.scored if self.scored else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "correct": self.correct,
            "scored": self.scored,
            "unscored": self.unscored,
            "accuracy": round(self.accuracy, 4),
            "by_precision": {
                p: {"correct": c, "scored": s} for p, (c, s) in self.by_precision.items()
            },
        }


@dataclass(frozen=True, slots=True)
class Scores:
    """Every figure of EVALUATION.md with its counts, overall and per event type."""

    dyadic: Counts
    quad: Counts
    interaction: Counts
    multilateral: Counts
    unilateral: Counts
    citation: Counts
    date: DateAccuracy
    false_assertions: int
    false_assertions_by_factuality: Mapping[str, int]
    asserted_alleged: int
    dyadic_by_type: Mapping[str, Counts]
    quad_by_class: Mapping[int, Counts]
    multilateral_by_type: Mapping[str, Counts]
    unilateral_by_type: Mapping[str, Counts]
    documents: int
    gold_events: int
    gold_asserted: int
    system_events: int
    system_asserted: int
    ignored_events: int

    def to_dict(self) -> dict[str, Any]:
        def table(m: Mapping[Any, Counts]) -> dict[str, Any]:
            return {str(k): v.to_dict() for k, v in m.items()}

        return {
            "documents": self.documents,
            "gold_events": self.gold_events,
            "gold_asserted": self.gold_asserted,
            "system_events": self.system_events,
            "system_asserted": self.system_asserted,
            "ignored_events": self.ignored_events,
            "dyadic": self.dyadic.to_dict(),
            "quad": self.quad.to_dict(),
            "interaction": self.interaction.to_dict(),
            "multilateral": self.multilateral.to_dict(),
            "unilateral": self.unilateral.to_dict(),
            "citation": self.citation.to_dict(),
            "date": self.date.to_dict(),
            "false_assertions": self.false_assertions,
            "false_assertions_by_factuality": dict(self.false_assertions_by_factuality),
            "asserted_alleged": self.asserted_alleged,
            "dyadic_by_type": table(self.dyadic_by_type),
            "quad_by_class": table(self.quad_by_class),
            "multilateral_by_type": table(self.multilateral_by_type),
            "unilateral_by_type": table(self.unilateral_by_type),
        }


@dataclass(frozen=True, slots=True)
class KeyDiff:
    """One document's keys that gold has and the system lacks (missed), and the reverse."""

    doc_id: str
    missed: tuple[Key, ...]
    spurious: tuple[Key, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "missed": [str(k) for k in self.missed],
            "spurious": [str(k) for k in self.spurious],
        }


# --- keys -------------------------------------------------------------------------------------


def event_keys(event: Event) -> set[Key]:
    """The scoring keys of one event (of any factuality), as EVALUATION.md defines them."""
    actors = {k for k in (e.key() for e in event.actor) if k and k != "*"}
    recipients = {k for k in (e.key() for e in event.recipient) if k and k != "*"}
    t = event.event_type
    keys: set[Key] = set()
    if recipients:
        for a in actors:
            for r in recipients:
                if a != r:
                    keys.add(Key(DYADIC, t, tuple(sorted((a, r)))))
    elif len(actors) == 2:
        keys.add(Key(DYADIC, t, tuple(sorted(actors))))
    elif len(actors) >= 3:
        keys.update(Key(MULTILATERAL, t, (a,)) for a in actors)
    everyone = actors | recipients
    if len(everyone) == 1:
        keys.add(Key(UNILATERAL, t, tuple(everyone)))
    return keys


def _as_event(item: Event | Mapping[str, Any], side: str, index: int) -> Event:
    if isinstance(item, Event):
        event = item
    else:
        try:
            event = Event.from_dict(dict(item))
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise InputError(f"{side} event {index}: cannot read it ({exc!r})") from exc
    if event.event_type not in QUAD:
        raise InputError(
            f"{side} event {index} ({event.doc_id}): unknown event_type {event.event_type!r}; "
            f"expected one of {', '.join(EVENT_TYPES)}"
        )
    return event


@dataclass(slots=True)
class _Side:
    """Keys, dates and citations of one side (gold or system), per document."""

    asserted: dict[str, set[Key]] = field(default_factory=lambda: defaultdict(set))
    other: dict[str, dict[str, set[Key]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    dates: dict[tuple[str, Key], set[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(set)
    )
    citations: set[tuple[str, str]] = field(default_factory=set)
    events: int = 0
    n_asserted: int = 0
    ignored: int = 0


def _collect(
    items: Iterable[Event | Mapping[str, Any]], side: str, scope: set[str] | None
) -> _Side:
    out = _Side()
    for i, item in enumerate(items, 1):
        event = _as_event(item, side, i)
        if scope is not None and event.doc_id not in scope:
            out.ignored += 1
            continue
        out.events += 1
        doc = event.doc_id
        for c in event.cited:
            outlet = _outlet(c.outlet)
            if outlet:
                out.citations.add((doc, outlet))
        keys = event_keys(event)
        if event.factuality == "asserted":
            out.n_asserted += 1
            out.asserted[doc].update(keys)
            for k in keys:
                if k.kind == DYADIC:
                    out.dates[(doc, k)].add((event.date, event.date_precision))
        else:
            out.other[doc][event.factuality].update(keys)
    return out


def _outlet(name: str) -> str:
    o = name.strip().lower()
    return o[4:] if o.startswith("www.") else o


# --- dates ------------------------------------------------------------------------------------


def _parse_date(s: str) -> date | None:
    s = s.strip()
    try:
        if len(s) >= 10:
            return date.fromisoformat(s[:10])
        if len(s) == 7:
            return date.fromisoformat(s + "-01")
        if len(s) == 4:
            return date(int(s), 1, 1)
    except ValueError:
        return None
    return None


_TOLERANCE = {"day": 1, "week": 7}
_PRECISION_ORDER = ("day", "week", "month", "year")


def _date_matches(system: date, gold: date, precision: str) -> bool:
    if precision in _TOLERANCE:
        return abs((system - gold).days) <= _TOLERANCE[precision]
    if precision == "month":
        return (system.year, system.month) == (gold.year, gold.month)
    return system.year == gold.year  # "year"


def _date_accuracy(gold: _Side, system: _Side, tps: Iterable[tuple[str, Key]]) -> DateAccuracy:
    correct = scored = unscored = 0
    by: dict[str, list[int]] = {}
    for doc, key in tps:
        golds = [
            (d, p)
            for d, p in ((_parse_date(ds), p) for ds, p in gold.dates[(doc, key)])
            if d is not None and p in _PRECISION_ORDER
        ]
        if not golds:
            unscored += 1
            continue
        finest = min((p for _, p in golds), key=_PRECISION_ORDER.index)
        sys_dates = [d for d in (_parse_date(ds) for ds, _ in system.dates[(doc, key)]) if d]
        ok = any(_date_matches(s, g, p) for s in sys_dates for g, p in golds)
        scored += 1
        correct += ok
        tally = by.setdefault(finest, [0, 0])
        tally[0] += ok
        tally[1] += 1
    ordered = {p: (by[p][0], by[p][1]) for p in _PRECISION_ORDER if p in by}
    return DateAccuracy(correct, scored, unscored, ordered)


# --- scoring ----------------------------------------------------------------------------------


def _count(gold: set[Any], system: set[Any]) -> Counts:
    return Counts(len(gold & system), len(system - gold), len(gold - system))


def _by(gold: set[tuple[str, Key]], system: set[tuple[str, Key]], group: Any) -> dict[Any, Counts]:
    g: dict[Any, set[Any]] = defaultdict(set)
    s: dict[Any, set[Any]] = defaultdict(set)
    for x in gold:
        g[group(x)].add(x)
    for x in system:
        s[group(x)].add(x)
    return {k: _count(g[k], s[k]) for k in sorted(set(g) | set(s))}


def _flat(side: _Side, docs: Iterable[str], kind: str) -> set[tuple[str, Key]]:
    return {(d, k) for d in docs for k in side.asserted.get(d, ()) if k.kind == kind}


def evaluate(
    gold: Iterable[Event | Mapping[str, Any]],
    system: Iterable[Event | Mapping[str, Any]],
    documents: Iterable[str] | None = None,
) -> Scores:
    """Score `system` events against `gold` events (records or dicts in the codebook format).

    The scored documents are the doc_ids of the gold events plus `documents` (to declare gold
    documents that have no events); system events of other documents are ignored and counted.
    """
    g = _collect(gold, "gold", None)
    docs = set(g.asserted) | set(g.other) | set(documents or ())
    s = _collect(system, "system", docs)
    order = sorted(docs)

    dy_g, dy_s = _flat(g, order, DYADIC), _flat(s, order, DYADIC)
    ml_g, ml_s = _flat(g, order, MULTILATERAL), _flat(s, order, MULTILATERAL)
    un_g, un_s = _flat(g, order, UNILATERAL), _flat(s, order, UNILATERAL)

    def quad(x: tuple[str, Key]) -> tuple[str, int, tuple[str, ...]]:
        return (x[0], QUAD[x[1].event_type], x[1].parties)

    def pair(x: tuple[str, Key]) -> tuple[str, tuple[str, ...]]:
        return (x[0], x[1].parties)

    def of_type(x: tuple[str, Key]) -> str:
        return x[1].event_type

    quad_g, quad_s = {quad(x) for x in dy_g}, {quad(x) for x in dy_s}
    quad_by: dict[int, Counts] = {}
    for q in sorted(QUAD_NAMES):
        gq = {x for x in quad_g if x[1] == q}
        sq = {x for x in quad_s if x[1] == q}
        if gq or sq:
            quad_by[q] = _count(gq, sq)

    false_by: dict[str, int] = {f: 0 for f in NOT_SCORED_FACTUALITY}
    false_total = alleged = 0
    for d in order:
        asserted_g = g.asserted.get(d, set())
        other = g.other.get(d, {})
        claimed = s.asserted.get(d, set()) - asserted_g
        hits = set()
        for f in NOT_SCORED_FACTUALITY:
            found = claimed & other.get(f, set())
            false_by[f] += len(found)
            hits |= found
        false_total += len(hits)
        alleged += len((claimed & other.get("alleged", set())) - hits)

    return Scores(
        dyadic=_count(dy_g, dy_s),
        quad=_count(quad_g, quad_s),
        interaction=_count({pair(x) for x in dy_g}, {pair(x) for x in dy_s}),
        multilateral=_count(ml_g, ml_s),
        unilateral=_count(un_g, un_s),
        citation=_count(g.citations, s.citations),
        date=_date_accuracy(g, s, sorted(dy_g & dy_s)),
        false_assertions=false_total,
        false_assertions_by_factuality=false_by,
        asserted_alleged=alleged,
        dyadic_by_type=_by(dy_g, dy_s, of_type),
        quad_by_class=quad_by,
        multilateral_by_type=_by(ml_g, ml_s, of_type),
        unilateral_by_type=_by(un_g, un_s, of_type),
        documents=len(docs),
        gold_events=g.events,
        gold_asserted=g.n_asserted,
        system_events=s.events,
        system_asserted=s.n_asserted,
        ignored_events=s.ignored,
    )


def key_diff(
    gold: Iterable[Event | Mapping[str, Any]],
    system: Iterable[Event | Mapping[str, Any]],
    documents: Iterable[str] | None = None,
) -> list[KeyDiff]:
    """Per scored document, the asserted keys the system missed and those it added (spurious).

    Documents whose keys agree are left out; documents are scored as in `evaluate`.
    """
    g = _collect(gold, "gold", None)
    docs = set(g.asserted) | set(g.other) | set(documents or ())
    s = _collect(system, "system", docs)
    out = []
    for d in sorted(docs):
        gk, sk = g.asserted.get(d, set()), s.asserted.get(d, set())
        if gk != sk:
            out.append(KeyDiff(d, tuple(sorted(gk - sk)), tuple(sorted(sk - gk))))
    return out


# --- files ------------------------------------------------------------------------------------


def parse_events(lines: Iterable[str], origin: str) -> Iterator[dict[str, Any]]:
    """Parse JSON Lines of events; a malformed line raises InputError naming origin:line."""
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"malformed JSON: {exc}", path=origin, line=n) from exc
        if not isinstance(obj, dict):
            raise InputError(
                f"expected an event object, got {type(obj).__name__}", path=origin, line=n
            )
        doc_id = obj.get("doc_id")
        if not isinstance(doc_id, str) or not doc_id:
            raise InputError("event has no doc_id", path=origin, line=n)
        if obj.get("event_type") not in QUAD:
            raise InputError(
                f"unknown event_type {obj.get('event_type')!r}; expected one of "
                f"{', '.join(EVENT_TYPES)}",
                path=origin,
                line=n,
            )
        for side in ("actor", "recipient"):
            value = obj.get(side, [])
            if value is not None and not (
                isinstance(value, list) and all(isinstance(e, dict) for e in value)
            ):
                raise InputError(f"{side!r} must be a list of entity objects", path=origin, line=n)
        yield obj


def _is_documents_file(path: Path) -> bool:
    return path.name.startswith("documents")


def _jsonl_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.jsonl") if not p.name.startswith("."))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError("no such file", path=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})",
            path=str(path),
        ) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from exc


def load_events(path: str | Path) -> list[dict[str, Any]]:
    """Read events from a JSON Lines file, `-` (stdin), or a folder of `*.jsonl` files.

    In a folder, files whose names start with `documents` are document lists, not events, and
    are skipped (see `load_document_ids`). Malformed lines raise InputError with file:line.
    """
    if str(path) == "-":
        return list(parse_events(sys.stdin, "<stdin>"))
    p = Path(path)
    if p.is_dir():
        files = [f for f in _jsonl_in(p) if not _is_documents_file(f)]
        if not files:
            raise InputError("folder holds no *.jsonl event files", path=str(p))
        return [e for f in files for e in parse_events(_read_text(f).splitlines(), str(f))]
    return list(parse_events(_read_text(p).splitlines(), str(p)))


def load_document_ids(path: str | Path) -> list[str]:
    """Document ids from a JSON Lines file of documents (`id` or `doc_id` per line).

    Given a folder, reads the files in it whose names start with `documents` (none: empty list).
    """
    p = Path(path)
    files = [f for f in _jsonl_in(p) if _is_documents_file(f)] if p.is_dir() else [p]
    ids: list[str] = []
    for f in files:
        for n, line in enumerate(_read_text(f).splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"malformed JSON: {exc}", path=str(f), line=n) from exc
            doc_id = obj.get("id", obj.get("doc_id")) if isinstance(obj, dict) else None
            if not isinstance(doc_id, str) or not doc_id:
                raise InputError("document has no 'id'", path=str(f), line=n)
            ids.append(doc_id)
    return ids


# --- text -------------------------------------------------------------------------------------


def _row(name: str, c: Counts, width: int) -> str:
    return (
        f"{name:<{width}} {c.tp:>6} {c.fp:>6} {c.fn:>6} "
        f"{c.precision:>7.3f} {c.recall:>7.3f} {c.f1:>7.3f}"
    )


def _table(title: str, rows: Iterable[tuple[str, Counts]]) -> list[str]:
    rows = list(rows)
    if not rows:
        return []
    width = max(14, len(title), *(len(n) for n, _ in rows))
    head = f"{title:<{width}} {'tp':>6} {'fp':>6} {'fn':>6} {'P':>7} {'R':>7} {'F1':>7}"
    return [head, "-" * len(head), *(_row(n, c, width) for n, c in rows)]


def format_scores(scores: Scores) -> str:
    """A plain-text report of every figure with tp/fp/fn, P, R and F1, overall and per type."""
    s = scores
    lines = [
        f"documents {s.documents}; gold events {s.gold_events} ({s.gold_asserted} asserted); "
        f"system events {s.system_events} ({s.system_asserted} asserted); "
        f"ignored system events {s.ignored_events} (documents not in gold)",
        "",
        *_table(
            "figure",
            [
                ("dyadic", s.dyadic),
                ("quad", s.quad),
                ("interaction", s.interaction),
                ("multilateral", s.multilateral),
                ("unilateral", s.unilateral),
                ("citation", s.citation),
            ],
        ),
        "",
    ]
    d = s.date
    parts = ", ".join(f"{p} {c}/{n}" for p, (c, n) in d.by_precision.items())
    lines.append(
        f"date accuracy  {d.correct}/{d.scored} = {d.accuracy:.3f}"
        + (f" ({parts})" if parts else "")
        + f"; {d.unscored} true-positive keys unscored (gold precision unknown)"
    )
    fb = ", ".join(f"{f} {n}" for f, n in s.false_assertions_by_factuality.items())
    lines.append(
        f"false assertions  {s.false_assertions} ({fb}); "
        f"asserted where gold has only alleged: {s.asserted_alleged}"
    )
    for title, table in (
        ("dyadic by type", s.dyadic_by_type.items()),
        ("quad by class", ((f"{q} {QUAD_NAMES[q]}", c) for q, c in s.quad_by_class.items())),
        ("multilateral by type", s.multilateral_by_type.items()),
        ("unilateral by type", s.unilateral_by_type.items()),
    ):
        block = _table(title, table)
        if block:
            lines += ["", *block]
    return "\n".join(lines)


def format_diff(diffs: Iterable[KeyDiff]) -> str:
    """Missed (`-`) and spurious (`+`) keys per document, one key a line."""
    lines: list[str] = []
    for diff in diffs:
        lines.append(f"{diff.doc_id}: {len(diff.missed)} missed, {len(diff.spurious)} spurious")
        lines += [f"  - {k}" for k in diff.missed]
        lines += [f"  + {k}" for k in diff.spurious]
    return "\n".join(lines) if lines else "no differences"
