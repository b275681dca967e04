"""Rule-based PLOVER coding of one parsed document.

For every sentence: the trigger lexicon proposes event types; the dependency parse assigns the
actor (the trigger clause's subject) and the other participants (mentions inside the clause);
pronouns and descriptions ("we", "you", "the President", "the parties", "the two countries")
resolve through the document context (who publishes it, who speaks in a transcript, who the
partners are). Factuality, dates and citations are attached, and each event records the
trigger, the rule that fired and a confidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from multivector.events.citations import FoundCitation
from multivector.events.dates import DateExpr
from multivector.events.factuality import factuality_of
from multivector.events.lexicon import Lexicon, Match
from multivector.records import Citation, Entity, Event

STATE_KINDS = frozenset({"state", "capital", "metonym", "person", "title", "organisation", "entity", "demonym", "adjective", "group"})
FIRST_PERSON = frozenset({"we", "i", "us", "me", "our", "my", "ours", "myself", "ourselves"})
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself"})
THIRD_PERSON = frozenset({"he", "she", "him", "her", "his", "its", "it"})
PLURAL_THIRD = frozenset({"they", "them", "their"})
GROUP_NOUNS = frozenset({"party", "parties", "side", "sides", "leader", "leaders", "president", "presidents",
                         "country", "countries", "head", "heads", "state", "states", "government",
                         "governments", "delegation", "delegations", "minister", "ministers", "bilateral"})  # fmt: skip
FUTURE_MARKERS = frozenset({"will", "shall", "'ll"})
FUTURE_VERBS = frozenset({"plan", "intend", "agree", "decide", "hope", "expect", "ready", "prepare", "aim", "propose", "going"})
TO_AGREE = frozenset({"CONSULT", "COOPERATE", "AID", "SUPPORT"})
SPEECH_SUPPORT = frozenset({"thank", "grateful", "gratitude", "congratulate", "congratulation", "condolence",
                            "appreciate", "appreciation", "praise", "commend"})  # fmt: skip


class MentionLike(Protocol):
    start: int
    end: int
    text: str
    code: str
    sector: str
    name: str
    why: str
    kind: str


@dataclass(frozen=True, slots=True)
class Participant:
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


@dataclass
class DocContext:
    """What the whole document tells about its participants."""

    doc_id: str
    published: date
    self_code: str = ""  # the publisher's state (a presidential website's country)
    partners: list[str] = field(default_factory=list)  # the main counterparts, most salient first
    readout: bool = False  # a press release / readout: undated acts happened on publication day
    speakers: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, code)
    last_states: list[Participant] = field(default_factory=list)  # most recent state mentions
    last_person: Participant | None = None

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


@dataclass(frozen=True, slots=True)
class SentenceInput:
    index: int
    span: Any  # spaCy Span of the sentence
    offset: int  # character offset of the span's doc in the document text
    mentions: Sequence[MentionLike]
    dates: Sequence[DateExpr]
    citations: Sequence[FoundCitation]


def _tok_start(tok: Any, offset: int) -> int:
    return int(tok.idx) + offset


def _inside(m: MentionLike, start: int, end: int) -> bool:
    return m.start < end and start < m.end


def _subtree_span(tok: Any, offset: int) -> tuple[int, int]:
    toks = list(tok.subtree)
    return _tok_start(toks[0], offset), _tok_start(toks[-1], offset) + len(toks[-1].text)


def _clause_verb(tok: Any) -> Any:
    cur = tok
    for _ in range(4):
        if cur.pos_ in ("VERB", "AUX"):
            return cur
        if cur.head is cur:
            return cur
        cur = cur.head
    return cur


def _subject(verb: Any) -> Any | None:
    cur = verb
    for _ in range(4):
        for c in cur.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return c
        if cur.dep_ in ("conj", "xcomp", "advcl", "ccomp", "acomp") and cur.head is not cur:
            cur = cur.head
            continue
        if cur.dep_ in ("relcl", "acl") and cur.head is not cur:
            return cur.head
        break
    return None


def _participant(m: MentionLike) -> Participant:
    return Participant(m.code, m.sector or "", m.text, m.start, m.end, m.name, m.why)


class DocumentCoder:
    """Codes the sentences of one document, in order, keeping the discourse context."""

    def __init__(self, lexicon: Lexicon, ctx: DocContext, coder_version: str):
        self.lexicon = lexicon
        self.ctx = ctx
        self.coder_version = coder_version

    # --- participants -------------------------------------------------------------------------

    def _pronoun(self, tok: Any, offset: int, sent_start: int) -> list[Participant]:
        low = tok.lower_
        start = _tok_start(tok, offset)
        end = start + len(tok.text)
        speaker = self.ctx.speaker_at(start)
        if low in FIRST_PERSON:
            code = speaker or self.ctx.self_code
            return [Participant(code, "GOV", tok.text, start, end, why="first person: speaker")] if code else []
        if low in SECOND_PERSON:
            code = self.ctx.interlocutor(speaker or self.ctx.self_code)
            return [Participant(code, "GOV", tok.text, start, end, why="second person: interlocutor")] if code else []
        if low in THIRD_PERSON and self.ctx.last_person is not None:
            p = self.ctx.last_person
            return [Participant(p.code, p.sector, tok.text, start, end, p.name, "pronoun: last person")]
        return []

    def _description(self, tok: Any, offset: int) -> list[Participant]:
        """'the President', 'the parties', 'the two countries', 'the leaders' without a name."""
        lemma = tok.lemma_.lower()
        if lemma not in GROUP_NOUNS and tok.lower_ not in GROUP_NOUNS:
            return []
        start = _tok_start(tok, offset)
        end = start + len(tok.text)
        plural = tok.tag_ in ("NNS", "NNPS") or tok.lower_ in ("bilateral",) or any(
            c.lower_ in ("two", "both") for c in tok.children
        )
        if plural:
            pair = self.ctx.pair()
            if len(pair) < 2:
                recent = list(dict.fromkeys(p.code for p in reversed(self.ctx.last_states)))[:2]
                pair = recent
            return [Participant(c, "GOV", tok.text, start, end, why="description: the two parties") for c in pair]
        if lemma in ("president", "leader", "government", "head") and self.ctx.self_code:
            return [Participant(self.ctx.self_code, "GOV", tok.text, start, end, why="description: publisher")]
        return []

    def _from_tokens(self, toks: Sequence[Any], offset: int, sent_start: int) -> list[Participant]:
        out: list[Participant] = []
        for t in toks:
            low = t.lower_
            if low in FIRST_PERSON or low in SECOND_PERSON or low in THIRD_PERSON:
                out.extend(self._pronoun(t, offset, sent_start))
            elif t.pos_ in ("NOUN", "ADJ") or low == "bilateral":
                out.extend(self._description(t, offset))
        return out

    # --- one trigger ----------------------------------------------------------------------------

    def _code_match(self, s: SentenceInput, match: Match) -> Event | None:
        sent = s.span
        doc = sent.doc
        trig = doc[match.trigger]
        pattern = match.pattern
        verb = _clause_verb(trig)
        subj = _subject(verb)
        offset = s.offset
        rules: list[str] = [pattern.source]

        actor: list[Participant] = []
        subj_span: tuple[int, int] | None = None
        if subj is not None:
            subj_span = _subtree_span(subj, offset)
            actor = [_participant(m) for m in s.mentions if _inside(m, *subj_span) and m.kind != "outlet"]
            if actor:
                rules.append("actor=subject")
            else:
                actor = self._from_tokens(list(subj.subtree), offset, s.offset)
                if actor:
                    rules.append("actor=subject-reference")
        # the clause (for the other participants): the trigger's verb subtree minus the subject
        clause_tok = verb if verb is not None else trig
        c_start, c_end = _subtree_span(clause_tok, offset)
        t_start, t_end = _subtree_span(trig, offset)
        others = [
            _participant(m)
            for m in s.mentions
            if m.kind != "outlet"
            and (_inside(m, c_start, c_end) or _inside(m, t_start, t_end))
            and not (subj_span and _inside(m, *subj_span))
        ]
        if not others:
            # pronouns and descriptions inside the clause ("thank you", "your invitation")
            toks = [t for t in clause_tok.subtree if not (subj is not None and t in set(subj.subtree))]
            others = self._from_tokens(toks, offset, s.offset)
            if others:
                rules.append("other=reference")
        else:
            rules.append("other=clause")
        sent_start = _tok_start(sent[0], offset)
        if not actor:
            # nearest mention before the trigger in the sentence, else the speaker / publisher
            trig_start = _tok_start(trig, offset)
            before = [m for m in s.mentions if m.end <= trig_start and m.kind != "outlet"
                      and not any(o.start == m.start for o in others)]
            if before:
                actor = [_participant(before[-1])]
                rules.append("actor=preceding")
            else:
                speaker = self.ctx.speaker_at(sent_start) or self.ctx.self_code
                if speaker:
                    actor = [Participant(speaker, "GOV", "", sent_start, sent_start, why="speaker or publisher")]
                    rules.append("actor=speaker")
        if not actor:
            return None
        actor_codes = {p.key() for p in actor}
        others = [p for p in others if p.key() not in actor_codes]
        if not others and pattern.shape in ("dir", "recip"):
            speaker = self.ctx.speaker_at(sent_start)
            if speaker and speaker in actor_codes:
                partner = self.ctx.interlocutor(speaker)
            elif actor_codes & {self.ctx.self_code, *self.ctx.partners} and self.ctx.readout:
                partner = next((c for c in self.ctx.pair() if c not in actor_codes), "")
            else:
                partner = ""
            if partner and pattern.event_type not in ("MOBILIZE", "PROTEST", "RETREAT"):
                others = [Participant(partner, "GOV", "", sent_start, sent_start, why="document partner")]
                rules.append("other=document-partner")

        event_type = pattern.event_type
        mode = pattern.mode
        if event_type in TO_AGREE and self._is_future(verb, trig, s):
            if not (event_type == "SUPPORT" and trig.lemma_.lower() in SPEECH_SUPPORT):
                event_type, mode = "AGREE", ""
                rules.append("future->AGREE")
        if event_type == "RETREAT" and self._is_future(verb, trig, s):
            event_type, mode = "CONCEDE", ""
            rules.append("future->CONCEDE")

        factuality = factuality_of(trig, event_type)
        shape = pattern.shape
        if shape == "recip" and event_type in ("CONSULT", "AGREE", "COOPERATE", "SUPPORT") and len(others) >= 1 and not any(
            c.dep_ == "dobj" for c in trig.children
        ):
            # "met with X", "talks with X and Y": reciprocal, one event per separately met partner
            actors, recipients = actor, others
        else:
            actors, recipients = actor, others
        date_iso, precision = self._date_for(trig, s, event_type)
        cited = tuple(
            Citation(c.outlet, c.date, (c.start + 0, c.end + 0), c.cross_reference) for c in s.citations
        )
        confidence = 0.55 + 0.1 * ("actor=subject" in rules) + 0.1 * ("other=clause" in rules) + 0.05 * pattern.size
        evidence_start = sent_start
        evidence_end = _tok_start(sent[-1], offset) + len(sent[-1].text)
        return Event(
            doc_id=self.ctx.doc_id,
            event_type=event_type,
            mode=mode,
            context=(pattern.context,) if pattern.context else (),
            actor=tuple(p.entity() for p in _dedup(actors)),
            recipient=tuple(p.entity() for p in _dedup(recipients)),
            factuality=factuality,
            date=date_iso,
            date_precision=precision,
            cited=cited,
            evidence=sent.text,
            sentence_index=s.index,
            evidence_span=(evidence_start, evidence_end),
            trigger=doc[match.start : match.end].text,
            rule=" ".join(rules),
            confidence=min(confidence, 0.95),
            coder=self.coder_version,
        )

    def _is_future(self, verb: Any, trig: Any, s: SentenceInput) -> bool:
        for v in (verb, trig):
            for c in v.children:
                if c.dep_ == "aux" and c.lower_ in FUTURE_MARKERS:
                    return True
        cur = verb
        for _ in range(2):
            if cur.dep_ in ("xcomp", "ccomp", "acl", "advcl") and cur.head is not cur:
                cur = cur.head
                if cur.lemma_.lower() in FUTURE_VERBS:
                    return True
            else:
                break
        trig_start = _tok_start(trig, s.offset)
        return any(d.future and abs(d.start - trig_start) < 80 for d in s.dates)

    def _date_for(self, trig: Any, s: SentenceInput, event_type: str) -> tuple[str, str]:
        trig_start = _tok_start(trig, s.offset)
        cite_spans = [(c.start, c.end) for c in s.citations]
        candidates = [
            d for d in s.dates
            if not d.future and not any(cs <= d.start < ce for cs, ce in cite_spans)
        ]
        if candidates:
            best = min(candidates, key=lambda d: abs(d.start - trig_start))
            return best.date.isoformat(), best.precision
        dated = [c.date for c in s.citations if c.date]
        if dated:
            return min(dated), "day"
        if self.ctx.readout:
            return self.ctx.published.isoformat(), "day"
        return self.ctx.published.isoformat(), "unknown"

    # --- one sentence ---------------------------------------------------------------------------

    def code_sentence(self, s: SentenceInput) -> list[Event]:
        lemmas = [t.lemma_.lower() for t in s.span]
        base = s.span.start
        matches = self.lexicon.match(lemmas)
        events: list[Event] = []
        for m in matches:
            shifted = Match(m.pattern, m.start + base, m.end + base, m.trigger + base)
            ev = self._code_match(s, shifted)
            if ev is not None:
                events.append(ev)
        self._remember(s)
        return events

    def _remember(self, s: SentenceInput) -> None:
        for m in s.mentions:
            if m.kind == "outlet":
                continue
            p = _participant(m)
            if m.kind in ("person", "title"):
                self.ctx.last_person = p
            if m.kind in ("state", "capital", "metonym", "person", "title", "demonym", "adjective"):
                self.ctx.last_states.append(p)
        del self.ctx.last_states[:-6]


def _dedup(ps: Sequence[Participant]) -> list[Participant]:
    seen: set[str] = set()
    out: list[Participant] = []
    for p in ps:
        k = p.key()
        if k and k not in seen:
            seen.add(k)
            out.append(p)
    return out


def salient_partners(codes: Sequence[str], self_code: str) -> list[str]:
    counts = Counter(c for c in codes if c and c != self_code and len(c) == 3 and c.isalpha() and c.isupper())
    return [c for c, _ in counts.most_common()]
