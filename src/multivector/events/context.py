"""What the coder knows beyond one sentence: the document's parties, its speakers, the
participants named so far; and the records the coder's steps pass around."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from multivector.events.citations import FoundCitation
from multivector.events.dates import DateExpr
from multivector.records import Entity


class MentionLike(Protocol):
    """An actor mention as `multivector.actors.finder.find_mentions` returns it."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def sector(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def why(self) -> str: ...
    @property
    def kind(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Participant:
    """A side of an event as the coder found it: resolved code, the words, how it was found."""

    code: str
    sector: str
    text: str
    start: int
    end: int
    name: str = ""
    why: str = ""

    def entity(self) -> Entity:
        return Entity(self.code, self.sector, self.text, (self.start, self.end), self.name, self.why)

    def key(self) -> str:
        return f"{self.code}*" if self.sector in ("PRE", "REB") else self.code


def participant(m: MentionLike) -> Participant:
    return Participant(m.code, m.sector or "", m.text, m.start, m.end, m.name, m.why)


def dedup_participants(ps: Sequence[Participant]) -> list[Participant]:
    seen: set[str] = set()
    out: list[Participant] = []
    for p in ps:
        k = p.key()
        if k and k not in seen:
            seen.add(k)
            out.append(p)
    return out


@dataclass
class DocContext:
    """What the whole document tells about its participants."""

    doc_id: str
    published: date
    self_code: str = ""  # the publisher's state (a presidential website's country)
    partners: list[str] = field(default_factory=list)  # the main counterparts, most salient first
    participants: list[str] = field(default_factory=list)  # a multilateral meeting's states (3+)
    readout: bool = False  # a press release / readout: undated acts happened on publication day
    speakers: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, code)
    last_states: list[Participant] = field(default_factory=list)  # most recent state mentions
    last_person: Participant | None = None
    person_counts: dict[str, tuple[int, int, Participant]] = field(default_factory=dict)

    def speaker_at(self, offset: int) -> str:
        for s, e, code in self.speakers:
            if s <= offset < e:
                return code
        return ""

    def interlocutor(self, speaker: str) -> str:
        others = [c for c in [self.self_code, *self.partners] if c and c != speaker]
        return others[0] if others else ""

    def pair(self) -> list[str]:
        out = [c for c in [self.self_code, *self.partners] if c]
        return list(dict.fromkeys(out))[:2]

    def recent_states(self, n: int = 2) -> list[str]:
        return list(dict.fromkeys(p.code for p in reversed(self.last_states)))[:n]


@dataclass(frozen=True, slots=True)
class SentenceInput:
    """One parsed sentence with what the document-level stages found in it."""

    index: int
    span: Any  # spaCy Span of the sentence
    offset: int  # character offset of the span's doc in the document text
    mentions: Sequence[MentionLike]
    dates: Sequence[DateExpr]
    citations: Sequence[FoundCitation]
    paragraph: int = 0
    trigger_tokens: frozenset[int] = frozenset()


def salient_partners(codes: Sequence[str], self_code: str) -> list[str]:
    counts = Counter(c for c in codes if c and c != self_code and len(c) == 3 and c.isalpha() and c.isupper())
    return [c for c, _ in counts.most_common()]
