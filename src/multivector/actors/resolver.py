"""Resolve one mention to an actor code on a date; list organisation members; find office holders.

    resolve("the President of Kazakhstan", date(2015, 6, 1))
    -> Resolution(code="KAZ", sector="GOV", name="Nursultan Nazarbayev", why="...", kind="title", ...)

A mention resolves when one actor mention found in it covers all of it (a leading "the", a
trailing possessive and punctuation aside). When it does not, but every actor named inside it
is the same one ("13 Russian regions"), that actor is returned with a `why` that says so.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from multivector.actors.finder import Mention, find_mentions, holder_at
from multivector.actors.kb import ROLES, KnowledgeBase, load_kb
from multivector.actors.lexicon import fold, words_of
from multivector.errors import ActorDataError, InputError


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a mention stands for: a code and sector from CODEBOOK section 3, and why."""

    code: str
    sector: str
    name: str
    why: str
    kind: str
    kb_version: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_PUNCT = frozenset({"'", '"', "“", "”", ",", ".", ":", ";", "(", ")", "!", "?", "«", "»"})
_LEADING = _PUNCT | {"the"}
_TRAILING = _PUNCT | {"s"}
_CACHE: weakref.WeakKeyDictionary[
    KnowledgeBase, dict[tuple[str, date | None, str], Resolution | None]
]
_CACHE = weakref.WeakKeyDictionary()
_CACHE_SIZE = 200_000


def as_date(value: date | str | None) -> date | None:
    """A date from a `date`, an ISO string or None; a bad string is an InputError."""
    if isinstance(value, datetime):
        return value.date()
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InputError(f"invalid date {value!r}: expected YYYY-MM-DD") from None


def _core_bounds(text: str) -> tuple[int, int]:
    """Character bounds of `text` without a leading "the", a trailing "'s" and edge punctuation."""
    words, folded, starts = words_of(text)
    a, b = 0, len(words)
    while a < b and folded[a] in _LEADING:
        a += 1
    while b > a and folded[b - 1] in _TRAILING:
        if folded[b - 1] == "s" and not (b - 2 >= a and folded[b - 2] == "'"):
            break
        b -= 1
    if a >= b:
        return 0, 0
    if starts is None:
        starts = []
        pos = 0
        for w in words[:b]:
            pos = text.find(w, pos)
            starts.append(pos)
            pos += len(w)
    return starts[a], starts[b - 1] + len(words[b - 1])


def _from_mention(m: Mention, kb: KnowledgeBase, why: str | None = None) -> Resolution:
    return Resolution(m.code, m.sector, m.name, why or m.why, m.kind, kb.version)


def _resolve(
    text: str, day: date | None, context: str | None, kb: KnowledgeBase
) -> Resolution | None:
    ms = find_mentions(text, day, kb)
    lo, hi = _core_bounds(text)
    if len(ms) == 1 and ms[0].start <= lo and ms[0].end >= hi:
        return _from_mention(ms[0], kb)
    if ms:
        codes = {m.code for m in ms}
        if len(codes) == 1:
            m = max(ms, key=lambda m: (m.end - m.start, -m.start))
            return _from_mention(m, kb, f"within {text!r}: {m.why}")
        return None
    if context:
        folded = fold(text).split()
        for m in find_mentions(context, day, kb):
            if (
                m.kind in ("person", "title")
                and m.name
                and folded
                and set(folded) <= set(fold(m.name).replace("-", " ").split())
            ):
                return _from_mention(m, kb, f"named in the context as {m.text!r}: {m.why}")
    return None


def resolve(
    mention: str,
    date: date | str | None,
    context: str | None = None,
    *,
    kb: KnowledgeBase | None = None,
) -> Resolution | None:
    """Resolve `mention` on `date` to a code and sector, or None when nothing matches.

    `context` (the sentence or paragraph around the mention) helps with surnames that the
    date alone leaves ambiguous. An empty mention raises InputError.
    """
    if not isinstance(mention, str) or not mention.strip():
        raise InputError("empty mention: give the words that name an actor, e.g. 'the Kremlin'")
    kb = kb or load_kb()
    day = as_date(date)
    text = " ".join(mention.split())
    cache = _CACHE.get(kb)
    if cache is None:
        cache = _CACHE.setdefault(kb, {})
    key = (text, day, context or "")
    if key in cache:
        return cache[key]
    result = _resolve(text, day, context, kb)
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[key] = result
    return result


def members(org: str, date: date | str | None, *, kb: KnowledgeBase | None = None) -> list[str]:
    """Codes of the member states of `org` (a code, name or alias) on `date`, sorted."""
    kb = kb or load_kb()
    found = kb.org(org.strip())
    if found is None:
        known = " ".join(sorted({g.code for g in kb.organisations if g.code != "IGO"}))
        raise ActorDataError(f"unknown organisation {org!r}; known codes: {known}, or a full name")
    return sorted({m.member for m in kb.members(found, as_date(date))})


def holder(
    code: str, role: str, date: date | str | None, *, kb: KnowledgeBase | None = None
) -> str | None:
    """The name of whoever held `role` for `code` on `date` (the newcomer on a transition day)."""
    kb = kb or load_kb()
    if role not in ROLES and role != "leader":
        raise ActorDataError(f"unknown role {role!r}; expected one of {', '.join(ROLES)} or leader")
    if code not in kb.codes():
        raise ActorDataError(f"unknown code {code!r}: not a state or organisation code")
    h = holder_at(kb, code, role, as_date(date))
    return h.name if h else None


def resolve_lines(
    lines: Iterable[str], *, path: str = "<input>", kb: KnowledgeBase | None = None
) -> Iterator[dict[str, Any]]:
    """Resolve JSON lines {"id", "text", "date"}: one {"id", "code", "sector"} per input line.

    Blank lines are skipped; a line that is not such an object raises InputError naming it.
    """
    kb = kb or load_kb()
    loads = json.loads
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = loads(line)
        except ValueError as exc:
            raise InputError(f"not a JSON object: {exc}", path=path, line=number) from None
        if not isinstance(obj, dict):
            raise InputError('expected an object {"id", "text", "date"}', path=path, line=number)
        text = obj.get("text")
        if not isinstance(text, str):
            raise InputError('"text" must be a string', path=path, line=number)
        if not text.strip():
            raise InputError("empty mention text", path=path, line=number)
        raw_date = obj.get("date")
        try:
            day = as_date(
                raw_date if isinstance(raw_date, str) or raw_date is None else str(raw_date)
            )
        except InputError as exc:
            raise InputError(str(exc), path=path, line=number) from None
        r = resolve(text, day, kb=kb)
        yield {
            "id": obj.get("id"),
            "code": r.code if r else None,
            "sector": r.sector if r else None,
        }
