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
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

from multivector.events.citations import FoundCitation
from multivector.events.dates import DateExpr
from multivector.events.factuality import factuality_of
from multivector.events.lexicon import Lexicon, Match
from multivector.ontology import ORGANISATION_CODES, QUAD
from multivector.records import Citation, Entity, Event

STATE_KINDS = frozenset({"state", "capital", "metonym", "person", "title", "organisation", "entity", "demonym", "adjective", "group"})
FIRST_PERSON = frozenset({"we", "i", "us", "me", "our", "my", "ours", "myself", "ourselves"})
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself"})
THIRD_PERSON = frozenset({"he", "she", "him", "her", "his"})
PLURAL_THIRD = frozenset({"they", "them", "their"})
GROUP_NOUNS = frozenset({"party", "parties", "side", "sides", "leader", "leaders", "president", "presidents",
                         "country", "countries", "head", "heads", "state", "states", "government",
                         "governments", "delegation", "delegations", "minister", "ministers", "bilateral"})  # fmt: skip
FUTURE_MARKERS = frozenset({"will", "shall", "'ll"})
FUTURE_VERBS = frozenset({"willingness", "readiness", "intention", "desire", "opportunity", "plan", "intend", "agree", "decide", "hope", "expect", "ready", "prepare", "aim", "propose", "going"})
TO_AGREE = frozenset({"CONSULT", "COOPERATE", "AID", "SUPPORT"})
PARTICIPANT_HEADS = frozenset({"side", "sides", "leadership", "government", "authorities", "authority",
                               "delegation", "president", "leader", "official", "officials", "minister",
                               "ministry", "people", "party", "counterpart", "counterparts", "colleague",
                               "colleagues", "partner", "partners", "company", "companies", "firm", "firms",
                               "troops", "military", "army", "forces", "force", "peacekeeper",
                               "peacekeepers", "diplomat", "diplomats", "team", "teams", "commentator",
                               "commentators", "border"})  # fmt: skip
MULTI_NOUNS = frozenset({"leader", "colleague", "participant", "guest", "partner", "country", "state"})
ORG_CODES = ORGANISATION_CODES - {"WEST"}
TIME_PREPS = frozenset({"during", "after", "following", "before", "ahead", "prior", "throughout"})
LIGHT_VERBS = frozenset({"confirm", "reaffirm", "declare", "demonstrate", "state", "note", "stress",
                         "emphasise", "emphasize", "underline", "increase", "expand", "deepen", "strengthen", "boost", "develop", "intensify",
                         "step", "hold", "have", "make", "conduct", "express", "show", "continue", "reach",
                         "pay", "give", "extend", "convey", "offer", "launch", "begin", "start",
                         "resume", "carry", "sign", "conclude", "take", "voice", "send", "accept",
                         "receive", "announce", "release", "issue", "adopt", "provide", "deliver"})  # fmt: skip
MODIFIER_KINDS = frozenset({"state", "capital", "metonym", "adjective", "demonym", "organisation", "group"})
LOCATION_PREPS = frozenset({"in", "at", "near", "across", "throughout", "inside", "around", "within"})
SPEECH_SUPPORT = frozenset({"thank", "grateful", "gratitude", "congratulate", "congratulation", "condolence",
                            "appreciate", "appreciation", "praise", "commend"})  # fmt: skip


class MentionLike(Protocol):
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


@dataclass(frozen=True, slots=True)
class SentenceInput:
    index: int
    span: Any  # spaCy Span of the sentence
    offset: int  # character offset of the span's doc in the document text
    mentions: Sequence[MentionLike]
    dates: Sequence[DateExpr]
    citations: Sequence[FoundCitation]
    paragraph: int = 0
    trigger_tokens: frozenset[int] = frozenset()


def _tok_start(tok: Any, offset: int) -> int:
    return int(tok.idx) + offset


class Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def _inside(m: Spanned, start: int, end: int) -> bool:
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
        if cur.dep_ == "relcl" and cur.head is not cur:
            return cur.head
        if cur.dep_ == "acl" and cur.head is not cur:
            poss = next((c for c in cur.head.children if c.dep_ == "poss"), None)
            if poss is not None or cur.head.dep_ != "dobj":
                return poss
            # "we will have the opportunity to talk": the subject of the verb governing the noun
            cur = cur.head.head
            continue
        break
    return None


def _participant(m: MentionLike) -> Participant:
    return Participant(m.code, m.sector or "", m.text, m.start, m.end, m.name, m.why)


class DocumentCoder:
    """Codes the sentences of one document, in order, keeping the discourse context."""

    def __init__(self, lexicon: Lexicon, ctx: DocContext, coder_version: str):
        self._sentence_mentions: list[MentionLike] = []
        self._paragraph = -1
        self._uncited: list[Event] = []
        #: citations found later in the paragraph for events coded earlier, by id(event)
        self.backfill: dict[int, tuple[Citation, ...]] = {}
        self.backfill_dates: dict[int, str] = {}
        self._clause_subject: list[Participant] = []
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
        if low in ("their", "they", "them") and self._clause_subject:
            return [replace(p, text=tok.text, why="pronoun: clause subject") for p in self._clause_subject]
        if low in THIRD_PERSON:
            p = self._salient_person(start)
            if p is not None:
                return [Participant(p.code, p.sector, tok.text, start, end, p.name, "pronoun: salient person")]
        return []

    def _salient_person(self, before: int) -> Participant | None:
        """The person a 'he'/'his' most likely means: one named earlier in the same sentence,
        else the person the document has named most often so far."""
        in_sentence = [m for m in self._sentence_mentions if m.kind in ("person", "title") and m.end <= before]
        if in_sentence:
            return _participant(in_sentence[-1])
        if not self.ctx.person_counts:
            return self.ctx.last_person
        best = max(self.ctx.person_counts.items(), key=lambda kv: (kv[1][0], kv[1][1]))
        return best[1][2]

    def _description(self, tok: Any, offset: int) -> list[Participant]:
        """'the President', 'the parties', 'the two countries', 'the leaders' without a name."""
        lemma = tok.lemma_.lower()
        if lemma not in GROUP_NOUNS and tok.lower_ not in GROUP_NOUNS and lemma not in MULTI_NOUNS:
            return []
        if not any(c.lower_ in ("the", "both", "two") for c in tok.children) and tok.lower_ != "bilateral":
            return []
        if any(c.like_num and c.lower_ != "two" for c in tok.children):
            return []
        if lemma in ("country", "state") and not any(c.lower_ in ("both", "two") for c in tok.children):
            return []
        start = _tok_start(tok, offset)
        end = start + len(tok.text)
        plural = tok.tag_ in ("NNS", "NNPS") or tok.lower_ in ("bilateral",) or any(
            c.lower_ in ("two", "both") for c in tok.children
        )
        if plural and self.ctx.participants and lemma in MULTI_NOUNS:
            return [Participant(c, "GOV", tok.text, start, end, why="description: the meeting's participants")
                    for c in self.ctx.participants]
        if plural:
            named = list(dict.fromkeys(
                m.code for m in self._sentence_mentions if m.end <= start and m.kind != "outlet"
            ))
            recent = list(dict.fromkeys(p.code for p in reversed(self.ctx.last_states)))[:2]
            if len(named) >= 2 and lemma in ("state", "country"):
                pair = named[-2:]
            elif self.ctx.readout:
                pair = self.ctx.pair()
            else:
                pair = recent
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
            if low in FIRST_PERSON or low in SECOND_PERSON or low in THIRD_PERSON or low in PLURAL_THIRD:
                out.extend(self._pronoun(t, offset, sent_start))
            elif t.pos_ in ("NOUN", "ADJ") or low == "bilateral":
                out.extend(self._description(t, offset))
        return out

    # --- one trigger ----------------------------------------------------------------------------

    def _mention_root(self, m: MentionLike, s: SentenceInput) -> Any | None:
        span = s.span.doc.char_span(m.start - s.offset, m.end - s.offset, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    def _eligible(self, m: MentionLike, s: SentenceInput, event_type: str, trig: Any = None,
                  span: tuple[int, int] = (0, 0)) -> bool:
        """Whether a mention can be a participant, not a modifier ("Minsk agreements",
        "Russian language") nor a place where something happens ("talks in Sochi")."""
        if m.kind == "outlet":
            return False
        text = s.span.doc.text
        after = text[m.end - s.offset : m.end - s.offset + 1]
        if after == "$" or text[m.end - s.offset : m.end - s.offset + 4] in ("-led", "-bac"):
            return False
        root = self._mention_root(m, s)
        if root is None:
            return True
        head = root.head
        dep = root.dep_
        # "the Azerbaijan-Armenia border": climb over the other names of a compound
        for _ in range(3):
            h_start = _tok_start(head, s.offset)
            if head is root or not any(o.start <= h_start < o.end for o in s.mentions if o is not m):
                break
            dep = head.dep_
            head = head.head
        if dep in ("compound", "amod", "nmod") and head is not root and head.pos_ in ("NOUN", "PROPN"):
            head_lemma = head.lemma_.lower()
            participant_head = head_lemma in PARTICIPANT_HEADS and not (head_lemma == "border" and QUAD.get(event_type, 1) < 4)
            if not participant_head and m.kind in MODIFIER_KINDS and head is not trig:
                return False
        if root.dep_ == "pobj" and head.lemma_.lower() in LOCATION_PREPS and m.kind in ("state", "capital", "metonym"):
            in_pattern = span[0] <= head.i < span[1]
            if not in_pattern and not (QUAD.get(event_type, 1) == 4 and trig is not None and head.head is trig):
                return False
        return True

    def _code_match(self, s: SentenceInput, match: Match) -> Event | None:
        sent = s.span
        doc = sent.doc
        trig = doc[match.trigger]
        pattern = match.pattern
        event_type = pattern.event_type
        offset = s.offset
        trig_start = _tok_start(trig, offset)
        # a trigger word inside a name ("... for International Cultural Cooperation") is no trigger
        if any(m.start <= trig_start < m.end for m in s.mentions):
            return None
        if trig.pos_ == "PROPN" or (trig.i > sent.start and trig.text[:1].isupper() and trig.pos_ != "PRON"):
            return None
        if trig.dep_ in ("amod", "compound") and match.start <= trig.head.i < match.end:
            trig = trig.head
        elif trig.dep_ == "compound" and trig.head.pos_ in ("NOUN", "PROPN"):
            return None
        # a noun trigger inside another trigger's phrase ("promises of mutual support",
        # "committing their countries to cooperation") is part of that event
        anc = trig.head
        for _ in range(3):
            if anc is trig or anc.head is anc and anc is not trig.head:
                break
            if anc.i in s.trigger_tokens and anc.i != trig.i and trig.pos_ == "NOUN":
                return None
            if anc.dep_ not in ("prep", "pobj", "dobj", "amod", "compound", "conj"):
                break
            if anc.dep_ == "prep" and anc.lower_ not in ("of", "to"):
                break
            anc = anc.head
        if trig.pos_ == "NOUN" and trig.dep_ == "pobj" and trig.head.lower_ in TIME_PREPS:
            return None
        # "refused to recognise", "pledged to support": the governing verb says what was done
        if trig.dep_ == "xcomp" and trig.head.i in s.trigger_tokens and trig.head.lemma_ != "decide":
            return None
        verb = _clause_verb(trig)
        subj = _subject(verb)
        rules: list[str] = [pattern.source]
        mentions = [m for m in s.mentions if self._eligible(m, s, event_type, trig, (match.start, match.end))]
        sent_start = _tok_start(sent[0], offset)

        actor: list[Participant] = []
        others: list[Participant] = []
        subj_span: tuple[int, int] | None = None
        subj_toks: set[Any] = set(subj.subtree) if subj is not None else set()

        # a noun trigger names its own participants: its possessor ("Tokayev's decision", "his
        # conversations"), "of"/"between"/"among" arguments ("the meeting of the leaders of
        # Russia, Azerbaijan and Armenia"); "with" arguments are partners. Its clause's subject is
        # the actor only when the noun is the object of a light verb ("held talks", "expressed
        # gratitude", "reached agreement").
        own: list[Participant] = []
        partners: list[Participant] = []
        possessor: list[Participant] = []
        if event_type == "REQUEST" and trig.dep_ == "aux" and trig.lower_ in ("must", "should"):
            return self._modal_request(s, match, trig, mentions)
        evaluative = event_type == "ACCUSE" and trig.pos_ == "ADJ" and trig.dep_ == "amod"
        if evaluative:
            trig = trig.head
        noun_trigger = trig.pos_ in ("NOUN", "ADJ") and trig is not verb
        self._clause_subject = []
        if noun_trigger and subj is not None:
            cs_start, cs_end = _subtree_span(subj, offset)
            self._clause_subject = [_participant(m) for m in mentions if _inside(m, cs_start, cs_end)]
        if noun_trigger:
            for c in trig.children:
                if c.dep_ == "poss":
                    p_start, p_end = _subtree_span(c, offset)
                    possessor = [_participant(m) for m in mentions if _inside(m, p_start, p_end)]
                    if not possessor:
                        possessor = self._from_tokens([c], offset, s.offset)
                elif c.dep_ == "prep" and c.lower_ in ("of", "between", "among", "by"):
                    a_start, a_end = _subtree_span(c, offset)
                    own.extend(_participant(m) for m in mentions if _inside(m, a_start, a_end))
                elif c.dep_ in ("amod", "compound") and not possessor:
                    a_start, a_end = _subtree_span(c, offset)
                    possessor = [_participant(m) for m in mentions if _inside(m, a_start, a_end)]
                elif c.dep_ == "prep" and (c.lower_ in ("with", "to", "for", "against", "on", "from") or (
                    c.lower_ in ("in", "into") and QUAD.get(event_type, 1) == 4
                )):
                    a_start, a_end = _subtree_span(c, offset)
                    partners.extend(_participant(m) for m in mentions if _inside(m, a_start, a_end))
            if not own and not possessor and any(
                c.lower_ in ("joint", "mutual", "bilateral", "their") for c in trig.children
            ):
                recent = list(dict.fromkeys(p.code for p in reversed(self.ctx.last_states)))
                pair = self.ctx.pair() or recent[:2]
                if len(pair) >= 2:
                    own = [Participant(c, "GOV", trig.text, trig_start, trig_start, why="joint act: the two parties")
                           for c in pair]
        light = noun_trigger and trig.dep_ in ("dobj", "attr", "pobj", "nsubjpass", "conj") and (
            verb is not None and verb.lemma_.lower() in LIGHT_VERBS
        )
        if noun_trigger and not light:
            subj = None
            subj_toks = set()
        if evaluative:
            speaker = self.ctx.speaker_at(trig_start) or self.ctx.self_code
            if not speaker or not (possessor or own or partners):
                return None
            actor = [Participant(speaker, "GOV", "", trig_start, trig_start, why="speaker judges")]
            others = possessor + own + partners
            rules.append("actor=speaker-evaluation")
        elif len(_dedup(own)) >= 2 and event_type in ("CONSULT", "AGREE", "COOPERATE", "ASSAULT", "SUPPORT"):
            actor = _dedup(own)
            others = partners
            rules.append("actors=noun-arguments")
        elif noun_trigger and not light and not possessor and not own and len(_dedup(partners)) >= 2 and event_type in (
            "CONSULT", "AGREE", "COOPERATE", "ASSAULT"
        ):
            actor, others = _dedup(partners), []
            rules.append("actors=noun-arguments")
        elif noun_trigger and not light:
            actor = possessor or own[:1]
            others = partners + own[1:]
            if actor:
                rules.append("actor=noun-possessor" if possessor else "actor=noun-argument")
            elif self.ctx.readout and QUAD.get(event_type, 1) == 1:
                speaker = self.ctx.speaker_at(trig_start) or self.ctx.self_code
                if speaker:
                    actor = [Participant(speaker, "GOV", "", sent_start, sent_start, why="speaker or publisher")]
                    rules.append("actor=speaker")
            if not actor:
                return None
        else:
                agent = next((c for c in verb.children if c.dep_ == "agent"), None) if verb is not None else None
                agent_actor: list[Participant] = []
                if agent is not None:
                    a_start, a_end = _subtree_span(agent, offset)
                    agent_actor = [_participant(m) for m in mentions if _inside(m, a_start, a_end)]
                if agent_actor:
                    # "citizens detained by Russia": the agent acts, the patient undergoes it
                    actor = agent_actor
                    rules.append("actor=passive-agent")
                    if subj is not None:
                        p_start, p_end = _subtree_span(subj, offset)
                    elif verb.dep_ == "acl":
                        p_start, _ = _subtree_span(verb.head, offset)
                        p_end = _tok_start(verb, offset)
                    else:
                        p_start = p_end = 0
                    others = [_participant(m) for m in mentions if _inside(m, p_start, p_end)]
                    subj_span = (a_start, a_end)
                elif subj is not None:
                    subj_span = _subtree_span(subj, offset)
                    if subj.lower_ == "it" and verb is not None and any(c.dep_ == "auxpass" for c in verb.children):
                        actor = self._pair_participants(subj, offset)
                        if actor:
                            rules.append("actor=impersonal-passive")
                    else:
                        actor = [_participant(m) for m in mentions if _inside(m, *subj_span)]
                        if actor:
                            rules.append("actor=subject")
                        else:
                            actor = self._from_tokens(list(subj.subtree), offset, s.offset)
                            if actor:
                                rules.append("actor=subject-reference")
                elif verb is not None and any(c.dep_ == "auxpass" for c in verb.children) and self.ctx.readout:
                    actor = self._pair_participants(trig, offset)
                    if actor:
                        rules.append("actor=agentless-passive")
                # the clause (for the other participants): the verb's subtree minus the subject and
                # minus coordinated clauses ("..., but it is not ...")
                clause_tok = verb if verb is not None else trig
                skip: set[Any] = set(subj_toks)
                for c in clause_tok.children:
                    if (c.dep_ in ("conj", "parataxis") and c.pos_ in ("VERB", "AUX")) or c.dep_ in ("advcl", "relcl"):
                        skip.update(c.subtree)
                    if c.dep_ == "cc":
                        skip.add(c)
                for t in list(clause_tok.subtree):
                    nested = t.dep_ in ("relcl", "advcl") and t is not trig and t is not clause_tok
                    if nested and t not in skip and trig not in set(t.subtree):
                        skip.update(t.subtree)
                clause = [t for t in clause_tok.subtree if t not in skip]
                if trig not in set(clause):
                    clause.extend(t for t in trig.subtree if t not in skip)
                clause_chars = [(_tok_start(t, offset), _tok_start(t, offset) + len(t.text)) for t in clause]
                others = others or [
                    _participant(m) for m in mentions
                    if any(cs < m.end and m.start < ce for cs, ce in clause_chars)
                    and not (subj_span and _inside(m, *subj_span))
                ]
                if others:
                    rules.append("other=clause")
                else:
                    others = self._from_tokens(clause, offset, s.offset)
                    if others:
                        rules.append("other=reference")
                if own and not others:
                    others = own
        passive = verb is not None and any(c.dep_ == "auxpass" for c in verb.children)
        if not actor and not noun_trigger and not passive and pattern.shape != "recip!":
            # the subject of the nearest enclosing clause that names someone ("Moscow might try to
            # use ... those who reside ... to undermine Astana")
            cur = verb if verb is not None else trig
            for _ in range(8):
                if cur.head is cur:
                    break
                cur = cur.head
                if cur.pos_ not in ("VERB", "AUX"):
                    continue
                up = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if up is None or up.lower_ in ("who", "which", "that"):
                    continue
                u_start, u_end = _subtree_span(up, offset)
                found = [_participant(m) for m in mentions if _inside(m, u_start, u_end)]
                if found:
                    actor = found
                    others = [o for o in others if not _inside(o, u_start, u_end)] if others else others
                    rules.append("actor=enclosing-subject")
                    break
        if not actor:
            # an expletive or missing subject: the clause's mentions act together when there are
            # two or more ("There were clashes on the Azerbaijan-Armenia border"), else the
            # nearest mention before the trigger, else the speaker or publisher
            if len(_dedup(others)) >= 2 and event_type in ("ASSAULT", "CONSULT", "COOPERATE", "AGREE"):
                actor, others = _dedup(others), []
                rules.append("actors=clause")
            else:
                before = [m for m in mentions if m.end <= trig_start and not any(o.start == m.start for o in others)]
                if before and (subj is None or subj.dep_ != "expl") and trig.pos_ in ("VERB", "AUX") and self.ctx.readout:
                    actor = [_participant(before[-1])]
                    rules.append("actor=preceding")
                else:
                    speaker = self.ctx.speaker_at(trig_start) or self.ctx.self_code
                    if speaker:
                        actor = [Participant(speaker, "GOV", "", sent_start, sent_start, why="speaker or publisher")]
                        rules.append("actor=speaker")
        if not actor:
            return None
        if event_type == "CONSULT" and noun_trigger:
            # CODEBOOK §3: a summit is a CONSULT among the states present; the organisation is
            # a participant only when its own officials act (as the clause's subject)
            subject_orgs = {p.code for p in actor if "actor=subject" in rules}
            actor = [p for p in actor if p.code not in ORG_CODES or p.code in subject_orgs]
            others = [p for p in others if p.code not in ORG_CODES]
            if not actor:
                return None
        actor = _dedup(actor)
        if (
            pattern.shape.startswith("recip") and len(actor) == 1 and actor[0].text.lower() in ("we", "us", "our")
            and others and all(o.code in ORG_CODES for o in others)
            and len(self.ctx.pair()) == 2 and actor[0].code in self.ctx.pair()
        ):
            other_side = next(c for c in self.ctx.pair() if c != actor[0].code)
            actor.append(Participant(other_side, "GOV", actor[0].text, actor[0].start, actor[0].end, why="'we': both sides"))
            rules.append("we=both-sides")
        if (
            len(actor) >= 3 and self.ctx.participants and self.ctx.self_code
            and self.ctx.self_code not in {p.code for p in actor}
            and event_type in ("CONSULT", "AGREE")
        ):
            actor.insert(0, Participant(self.ctx.self_code, "GOV", "", sent_start, sent_start, why="publisher takes part"))
        actor_codes = {p.key() for p in actor}
        others = [p for p in _dedup(others) if p.key() not in actor_codes]
        if not others and len(actor) < 2 and pattern.shape.endswith("!"):
            return None
        if not others and len(actor) < 2 and pattern.shape in ("dir", "recip"):
            speaker = self.ctx.speaker_at(trig_start)
            if speaker and speaker in actor_codes:
                partner = self.ctx.interlocutor(speaker)
            elif self.ctx.readout and pattern.shape == "dir" and (speaker or self.ctx.self_code) and not (
                actor_codes & {self.ctx.self_code, *self.ctx.partners}
            ):
                partner = speaker or self.ctx.self_code
            elif actor_codes & {self.ctx.self_code, *self.ctx.partners} and self.ctx.readout:
                partner = next((c for c in self.ctx.pair() if c not in actor_codes), "")
            else:
                partner = ""
            if partner and QUAD.get(event_type, 1) <= 3 and event_type not in ("RETREAT",):
                others = [Participant(partner, "GOV", "", sent_start, sent_start, why="document partner")]
                rules.append("other=document-partner")

        mode = pattern.mode
        speech_act = event_type == "SUPPORT" and trig.lemma_.lower() in SPEECH_SUPPORT
        if event_type in TO_AGREE and not speech_act and self._is_future(verb, trig, s):
            event_type, mode = "AGREE", ""
            rules.append("future->AGREE")
        if event_type == "RETREAT" and self._is_future(verb, trig, s):
            event_type, mode = "CONCEDE", ""
            rules.append("future->CONCEDE")

        neg_in_pattern = any(t.lower_ in ("not", "n't", "never") for t in doc[match.start : match.end])
        factuality = factuality_of(
            trig, event_type, clause=not (noun_trigger and not light), negation_in_pattern=neg_in_pattern
        )
        date_iso, precision = self._date_for(trig, s, event_type)
        cited, see_also = _citations_for(trig_start, s.citations)
        confidence = 0.55 + 0.1 * ("actor=subject" in rules) + 0.1 * ("other=clause" in rules) + 0.05 * pattern.size
        evidence_end = _tok_start(sent[-1], offset) + len(sent[-1].text)
        return Event(
            doc_id=self.ctx.doc_id,
            event_type=event_type,
            mode=mode,
            context=(pattern.context,) if pattern.context else (),
            actor=tuple(p.entity() for p in actor),
            recipient=tuple(p.entity() for p in others),
            factuality=factuality,
            date=date_iso,
            date_precision=precision,
            cited=cited,
            see_also=see_also,
            evidence=sent.text,
            sentence_index=s.index,
            evidence_span=(sent_start, evidence_end),
            trigger=doc[match.start : match.end].text,
            rule=" ".join(rules),
            confidence=min(confidence, 0.95),
            coder=self.coder_version,
        )

    def _modal_request(self, s: SentenceInput, match: Match, trig: Any, mentions: Sequence[MentionLike]) -> Event | None:
        """'Kiev must abandon ...', 'the Armenian side should fulfil ...': the speaker (or the
        publisher) asks the modal verb's subject to act."""
        verb = trig.head
        subj = _subject(verb)
        if subj is None:
            return None
        offset = s.offset
        a, b = _subtree_span(subj, offset)
        targets = [_participant(m) for m in mentions if _inside(m, a, b)]
        start = _tok_start(trig, offset)
        speaker = self.ctx.speaker_at(start) or self.ctx.self_code
        targets = [t for t in targets if t.code != speaker]
        if not speaker or not targets:
            return None
        actor = Participant(speaker, "GOV", "", start, start, why="speaker or publisher")
        sent = s.span
        date_iso, precision = self._date_for(trig, s, "REQUEST")
        return Event(
            doc_id=self.ctx.doc_id, event_type="REQUEST", mode="change", context=(),
            actor=(actor.entity(),), recipient=tuple(t.entity() for t in _dedup(targets)),
            factuality="asserted", date=date_iso, date_precision=precision,
            cited=_citations_for(start, s.citations)[0],
            see_also=_citations_for(start, s.citations)[1],
            evidence=sent.text, sentence_index=s.index,
            evidence_span=(_tok_start(sent[0], offset), _tok_start(sent[-1], offset) + len(sent[-1].text)),
            trigger=trig.text, rule=f"{match.pattern.source} modal-request", confidence=0.6,
            coder=self.coder_version,
        )

    def _pair_participants(self, tok: Any, offset: int) -> list[Participant]:
        start = _tok_start(tok, offset)
        return [Participant(c, "GOV", "", start, start, why="document participants") for c in self.ctx.pair()]

    def _is_future(self, verb: Any, trig: Any, s: SentenceInput) -> bool:
        for v in (verb, trig):
            for c in v.children:
                if c.dep_ == "aux" and c.lower_ in FUTURE_MARKERS:
                    return True
        cur = verb
        for _ in range(3):
            if cur.dep_ in ("xcomp", "ccomp", "acl", "advcl", "dobj", "pobj", "prep") and cur.head is not cur:
                cur = cur.head
                if cur.lemma_.lower() in FUTURE_VERBS or any(
                    c.dep_ == "aux" and c.lower_ in FUTURE_MARKERS for c in cur.children
                ):
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
        cited, _ = _citations_for(trig_start, s.citations)
        dated = [c.date for c in cited if c.date]
        if dated:
            return min(dated), "day"
        if self.ctx.readout:
            return self.ctx.published.isoformat(), "day"
        return self.ctx.published.isoformat(), "unknown"

    # --- one sentence ---------------------------------------------------------------------------

    def code_sentence(self, s: SentenceInput) -> list[Event]:
        lemmas = [t.lemma_.lower() for t in s.span]
        base = s.span.start
        matches = self.lexicon.match(lemmas, [t.pos_ for t in s.span])
        self._sentence_mentions = list(s.mentions)
        s = replace(s, trigger_tokens=frozenset(m.trigger + base for m in matches))
        events: list[Event] = []
        for m in matches:
            shifted = Match(m.pattern, m.start + base, m.end + base, m.trigger + base)
            ev = self._code_match(s, shifted)
            if ev is not None:
                events.append(ev)
                if ev.factuality == "alleged":
                    accusation = self._allegation(ev, s)
                    if accusation is not None:
                        events.append(accusation)
        self._attach_backwards(s, events)
        self._remember(s)
        return events

    def _attach_backwards(self, s: SentenceInput, events: list[Event]) -> None:
        """A citation in a sentence that states no event backs the uncited events of the
        sentences before it in the same paragraph ("A visited B. C talked to D (Source, date).")."""
        if s.paragraph != self._paragraph:
            self._paragraph = s.paragraph
            self._uncited = []
        if events:
            if any(e.cited for e in events):
                self._uncited = []
            else:
                self._uncited.extend(events)
            return
        cites = [c for c in s.citations if not c.cross_reference]
        if not cites or not self._uncited:
            return
        extra = tuple(Citation(c.outlet, c.date, (c.start, c.end)) for c in cites)
        dated = sorted(c.date for c in extra if c.date)
        for e in self._uncited:
            self.backfill[id(e)] = extra
            if dated and e.date_precision == "unknown":
                self.backfill_dates[id(e)] = dated[0]
        self._uncited = []

    def _allegation(self, ev: Event, s: SentenceInput) -> Event | None:
        """CODEBOOK §4: a hostile act known only from a party's claim is alleged; the claim
        itself is that party's ACCUSE (mode allege), asserted."""
        start = ev.evidence_span[0] if ev.evidence_span else 0
        speaker = self.ctx.speaker_at(start) or self.ctx.self_code
        if not speaker or speaker in {a.code for a in ev.actor}:
            return None
        return replace(
            ev, event_type="ACCUSE", mode="allege", context=(), factuality="asserted",
            actor=(Entity(speaker, "GOV", "", None, "", "speaker or publisher"),), recipient=ev.actor,
            rule=f"{ev.rule} alleged-act->ACCUSE", confidence=ev.confidence * 0.9,
        )

    def _remember(self, s: SentenceInput) -> None:
        for m in s.mentions:
            if m.kind == "outlet":
                continue
            p = _participant(m)
            if m.kind in ("person", "title"):
                self.ctx.last_person = p
                key = m.name or m.text
                n, _, _ = self.ctx.person_counts.get(key, (0, 0, p))
                self.ctx.person_counts[key] = (n + 1, m.start, p)
            if m.kind in ("state", "capital", "metonym", "person", "title", "demonym", "adjective"):
                self.ctx.last_states.append(p)
        del self.ctx.last_states[:-6]


def _citations_for(
    position: int, citations: Sequence[FoundCitation]
) -> tuple[tuple[Citation, ...], tuple[Citation, ...]]:
    """The citation cluster that backs an act: the first one after its trigger in the sentence
    ("X did Y (Source, date), while Z ... (Other, date)"), else the last one before it. Cross
    references ("see EDM, August 11") go to `see_also`."""
    if not citations:
        return (), ()
    clusters: dict[int, list[FoundCitation]] = {}
    for c in citations:
        clusters.setdefault(c.start, []).append(c)
    starts = sorted(clusters)
    after = [st for st in starts if st >= position]
    chosen = clusters[after[0]] if after else clusters[starts[-1]]
    cited = tuple(Citation(c.outlet, c.date, (c.start, c.end)) for c in chosen if not c.cross_reference)
    see = tuple(Citation(c.outlet, c.date, (c.start, c.end), True) for c in chosen if c.cross_reference)
    return cited, see


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
