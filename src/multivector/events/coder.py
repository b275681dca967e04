"""Rule-based PLOVER coding of one parsed document.

For every sentence the trigger lexicon proposes event types. For each trigger:

1. `_gate`: drop triggers that are part of a name, of another trigger's phrase ("promises of
   support"), or refer back to an event already reported ("during the talks").
2. participants: a noun trigger names its own (`_noun_participants`: "Tokayev's visit", "the
   meeting of the leaders of Russia, Azerbaijan and Armenia", "talks with China"); a verb's come
   from its clause (`_clause_participants`: subject, passive agent, objects, minus relative and
   coordinated clauses). Pronouns and descriptions resolve through the document context.
3. `_fallback_actor`: no named actor — an enclosing clause's subject, co-actors of the clause, the
   transcript's speaker or the publisher.
4. `_adjust` and `_document_partner`: codebook rules (organisations at summits, "we" in a
   bilateral speech) and the readout's partner when a directed act names no recipient.
5. `_build_event`: future acts become AGREE (CONCEDE for retreats), factuality, date, citations.

Every event records the trigger, the rules that fired (`rule`) and a confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from multivector.events.citations import FoundCitation
from multivector.events.context import (
    DocContext,
    MentionLike,
    Participant,
    SentenceInput,
    dedup_participants,
    participant,
)
from multivector.events.factuality import factuality_of
from multivector.events.lexicon import Lexicon, Match
from multivector.events.participants import ORG_CODES, References
from multivector.events.syntax import (
    FUTURE_MARKERS,
    FUTURE_WORDS,
    LIGHT_VERBS,
    TIME_PREPS,
    clause_verb,
    inside,
    is_passive,
    subject,
    subtree_span,
    tok_start,
)
from multivector.ontology import QUAD
from multivector.records import Citation, Entity, Event

#: types a future tense turns into AGREE ("will visit", "plan to cooperate")
TO_AGREE = frozenset({"CONSULT", "COOPERATE", "AID", "SUPPORT"})
#: types whose actors may be the several parties a clause or a noun names together
JOINT_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE", "ASSAULT"})
SPEECH_SUPPORT = frozenset({"thank", "grateful", "gratitude", "congratulate", "congratulation", "condolence",
                            "appreciate", "appreciation", "praise", "commend"})  # fmt: skip


@dataclass
class _Frame:
    """The working state of one trigger while its participants are found."""

    s: SentenceInput
    match: Match
    trig: Any
    verb: Any
    subj: Any
    mentions: list[MentionLike]
    event_type: str
    rules: list[str]
    noun_trigger: bool = False
    light: bool = False
    actor: list[Participant] = field(default_factory=list)
    others: list[Participant] = field(default_factory=list)
    own: list[Participant] = field(default_factory=list)  # a noun's of/between arguments
    partners: list[Participant] = field(default_factory=list)  # a noun's with/to/for arguments
    possessor: list[Participant] = field(default_factory=list)
    no_fallback: bool = False  # the actor is named but unresolved: do not guess another

    @property
    def offset(self) -> int:
        return self.s.offset

    @property
    def trig_start(self) -> int:
        return tok_start(self.trig, self.s.offset)

    @property
    def sent_start(self) -> int:
        return tok_start(self.s.span[0], self.s.offset)

    def within(self, tok: Any) -> list[Participant]:
        """Participants named by mentions inside a token's subtree."""
        a, b = subtree_span(tok, self.s.offset)
        return [participant(m) for m in self.mentions if inside(m, a, b)]


class DocumentCoder(References):
    """Codes the sentences of one document, in order, keeping the discourse context."""

    def __init__(self, lexicon: Lexicon, ctx: DocContext, coder_version: str):
        super().__init__(ctx)
        self.lexicon = lexicon
        self.coder_version = coder_version
        self._paragraph = -1
        self._uncited: list[Event] = []
        #: citations found later in the paragraph for events coded earlier, by id(event)
        self.backfill: dict[int, tuple[Citation, ...]] = {}
        self.backfill_dates: dict[int, str] = {}

    # --- one sentence ---------------------------------------------------------------------------

    def code_sentence(self, s: SentenceInput) -> list[Event]:
        lemmas = [t.lemma_.lower() for t in s.span]
        base = s.span.start
        matches = self.lexicon.match(lemmas, [t.pos_ for t in s.span])
        self._sentence_mentions = list(s.mentions)
        s = replace(s, trigger_tokens=frozenset(m.trigger + base for m in matches))
        events: list[Event] = []
        for m in matches:
            ev = self._code_match(s, Match(m.pattern, m.start + base, m.end + base, m.trigger + base))
            if ev is None:
                continue
            events.append(ev)
            if ev.factuality == "alleged":
                accusation = self._allegation(ev)
                if accusation is not None:
                    events.append(accusation)
        self._attach_backwards(s, events)
        self._remember(s)
        return events

    # --- one trigger ----------------------------------------------------------------------------

    def _code_match(self, s: SentenceInput, match: Match) -> Event | None:
        trig = self._gate(s, match)
        if trig is None:
            return None
        event_type = match.pattern.event_type
        mentions = [m for m in s.mentions if self.eligible(m, s, event_type, trig, (match.start, match.end))]
        if event_type == "REQUEST" and trig.dep_ == "aux" and trig.lower_ in ("must", "should"):
            return self._modal_request(s, match, trig, mentions)
        evaluative = event_type == "ACCUSE" and trig.pos_ == "ADJ" and trig.dep_ == "amod"
        if evaluative:
            trig = trig.head  # "the irresponsible policy of the G7": the policy is judged
        verb = clause_verb(trig)
        f = _Frame(s, match, trig, verb, subject(verb), mentions, event_type, [match.pattern.source])
        f.noun_trigger = trig.pos_ in ("NOUN", "ADJ") and trig != verb
        f.light = f.noun_trigger and trig.dep_ in ("dobj", "attr", "pobj", "nsubjpass", "conj") and (
            verb.lemma_.lower() in LIGHT_VERBS
        )
        self._clause_subject = f.within(f.subj) if f.noun_trigger and f.subj is not None else []
        if f.noun_trigger:
            self._noun_arguments(f)
            if not f.light:
                f.subj = None  # the clause's subject is not the noun's actor
        if evaluative:
            f.actor = self.speaker_participant(f.trig_start, "speaker judges")
            f.others = f.possessor + f.own + f.partners
            if not f.actor or not f.others:
                return None
            f.rules.append("actor=speaker-evaluation")
        elif f.noun_trigger and not f.light or len(dedup_participants(f.own)) >= 2:
            if not self._noun_participants(f):
                return None
        else:
            self._clause_participants(f)
        self._fallback_actor(f)
        if not f.actor or not self._adjust(f):
            return None
        if not f.others and len(f.actor) < 2 and match.pattern.shape.endswith("!"):
            return None  # the pattern needs a partner named in the sentence
        self._document_partner(f)
        return self._build_event(f)

    def _gate(self, s: SentenceInput, match: Match) -> Any | None:
        """The trigger token, or None when the match is not an act of its own."""
        sent = s.span
        trig = sent.doc[match.trigger]
        trig_start = tok_start(trig, s.offset)
        # a trigger word inside a name ("... for International Cultural Cooperation") is no trigger
        if any(m.start <= trig_start < m.end for m in s.mentions):
            return None
        if trig.pos_ == "PROPN" or (trig.i > sent.start and trig.text[:1].isupper() and trig.pos_ != "PRON"):
            return None
        if trig.dep_ in ("amod", "compound") and match.start <= trig.head.i < match.end:
            trig = trig.head  # "draft treaty": the treaty is the trigger
        elif trig.dep_ == "compound" and trig.head.pos_ in ("NOUN", "PROPN"):
            return None  # "life support facilities"
        # a noun inside another trigger's phrase ("promises of mutual support", "committing their
        # countries to cooperation") is part of that event
        anc = trig.head
        for _ in range(3):
            if anc == trig or (anc.head == anc and anc != trig.head):
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
        return trig

    # --- participants ---------------------------------------------------------------------------

    def _noun_arguments(self, f: _Frame) -> None:
        """A noun's possessor ("Tokayev's decision", "his conversations", "Western sanctions"),
        its of/between/among/by arguments and its with/to/for/against/on/from partners."""
        for c in f.trig.children:
            if c.dep_ == "relcl" and not f.possessor:
                # "the assistance the CSTO provided at the request of Kazakhstan"
                doer = next((g for g in c.children if g.dep_ == "nsubj"), None)
                found = f.within(doer) if doer is not None else []
                if found:
                    f.possessor = found
                    done_to = [p for p in f.within(c) if p.key() not in {x.key() for x in found}]
                    f.partners.extend(done_to)
            if c.dep_ == "poss":
                f.possessor = f.within(c) or self.from_tokens([c], f.offset)
            elif c.dep_ == "prep" and c.lower_ in ("of", "between", "among", "by"):
                f.own.extend(f.within(c))
            elif c.dep_ in ("amod", "compound") and not f.possessor:
                f.possessor = f.within(c)
            elif c.dep_ == "prep" and (
                c.lower_ in ("with", "to", "for", "against", "on", "from")
                or (c.lower_ in ("in", "into") and (QUAD.get(f.event_type, 1) == 4 or f.event_type == "AID"))
            ):
                f.partners.extend(f.within(c))
        if not f.own and not f.possessor and any(
            c.lower_ in ("joint", "mutual", "bilateral", "their") for c in f.trig.children
        ):
            pair = self.ctx.pair() or self.ctx.recent_states()
            if len(pair) >= 2:
                f.own = [Participant(c, "GOV", f.trig.text, f.trig_start, f.trig_start, why="joint act: the two parties")
                         for c in pair]

    def _noun_participants(self, f: _Frame) -> bool:
        own = dedup_participants(f.own)
        partners = dedup_participants(f.partners)
        joint = f.event_type in JOINT_TYPES or f.event_type == "SUPPORT"
        if len(own) >= 2 and joint:
            f.actor, f.others = own, f.partners
            f.rules.append("actors=noun-arguments")
            return True
        if f.light:  # a light verb's object with one argument: the clause decides
            self._clause_participants(f)
            return True
        if not f.possessor and not own and len(partners) >= 2 and f.event_type in JOINT_TYPES:
            f.actor, f.others = partners, []  # "clashes on the Azerbaijan-Armenia border"
            f.rules.append("actors=noun-arguments")
            return True
        f.actor = f.possessor or f.own[:1]
        f.others = f.partners + f.own[1:]
        if f.actor:
            f.rules.append("actor=noun-possessor" if f.possessor else "actor=noun-argument")
        elif self.ctx.readout and QUAD.get(f.event_type, 1) == 1:
            f.actor = self.speaker_participant(f.trig_start)
            if f.actor:
                f.rules.append("actor=speaker")
        return bool(f.actor)

    def _clause_participants(self, f: _Frame) -> None:
        verb, subj = f.verb, f.subj
        subj_span: tuple[int, int] | None = None
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        agent_actor = f.within(agent) if agent is not None else []
        if agent_actor:
            # "citizens detained by Russia": the agent acts, the patient undergoes it
            f.actor = agent_actor
            f.rules.append("actor=passive-agent")
            if subj is not None:
                p_start, p_end = subtree_span(subj, f.offset)
            elif verb.dep_ == "acl":
                p_start, _ = subtree_span(verb.head, f.offset)
                p_end = tok_start(verb, f.offset)
            else:
                p_start = p_end = 0
            f.others = [participant(m) for m in f.mentions if inside(m, p_start, p_end)]
            subj_span = subtree_span(agent, f.offset)
        elif subj is not None:
            subj_span = subtree_span(subj, f.offset)
            if subj.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                # "leaders who speak to Moscow": the noun the clause describes acts
                head = verb.head
                h_start, h_end = tok_start(head.left_edge, f.offset), tok_start(verb, f.offset)
                f.actor = [participant(m) for m in f.mentions if inside(m, h_start, h_end)]
                f.no_fallback = True
                if f.actor:
                    f.rules.append("actor=relative-head")
            elif subj.lower_ == "it" and is_passive(verb):
                f.actor = self.pair_participants(subj, f.offset)  # "It was agreed to ..."
                if f.actor:
                    f.rules.append("actor=impersonal-passive")
            else:
                f.actor = [participant(m) for m in f.mentions if inside(m, *subj_span)]
                if f.actor:
                    f.rules.append("actor=subject")
                else:
                    f.actor = self.from_tokens(list(subj.subtree), f.offset)
                    if f.actor:
                        f.rules.append("actor=subject-reference")
        elif is_passive(verb) and self.ctx.readout:
            f.actor = self.pair_participants(f.trig, f.offset)
            if f.actor:
                f.rules.append("actor=agentless-passive")
        clause = self._clause_tokens(f)
        if not f.others:
            # the verb's own arguments first ("thanked Mr Draghi for the investigation of crimes
            # committed by the Russian military" names Draghi, not Russia), else the whole clause
            f.others = self._in_tokens(f, _core_arguments(f.verb, f.trig, f.event_type), subj_span)
            if f.others:
                f.rules.append("other=argument")
            else:
                multilateral = f.match.pattern.mode == "multilateral"  # a list of attendees
                reachable = [p for p in self._in_tokens(f, clause, subj_span) if multilateral or self._reaches(f, p)]
                f.others = reachable
                if f.others:
                    f.rules.append("other=clause")
        if not f.others:
            f.others = self.from_tokens(clause, f.offset)
            if f.others:
                f.rules.append("other=reference")
        if f.own and not f.others:
            f.others = f.own

    @staticmethod
    def _reaches(f: _Frame, p: Participant) -> bool:
        """Whether a mention in the clause is an argument of the act rather than a detail of
        something else: its path up to the verb crosses no preposition of a noun that is not
        itself a trigger ("agree on sanctions on Russia": Russia is a detail of the sanctions)."""
        span = f.s.span.doc.char_span(p.start - f.offset, p.end - f.offset, alignment_mode="expand")
        if span is None or not len(span):
            return False
        cur = span.root
        for _ in range(10):
            if cur == f.verb or cur == f.trig or cur.head == cur:
                return True
            in_match = f.match.start <= cur.head.i < f.match.end  # "held talks with Macron"
            if (
                cur.dep_ == "prep" and cur.head.pos_ in ("NOUN", "PROPN", "PRON")
                and cur.head.i not in f.s.trigger_tokens and not in_match
            ):
                return False
            cur = cur.head
        return False

    @staticmethod
    def _in_tokens(f: _Frame, toks: Sequence[Any], exclude: tuple[int, int] | None) -> list[Participant]:
        chars = [(tok_start(t, f.offset), tok_start(t, f.offset) + len(t.text)) for t in toks]
        return [
            participant(m) for m in f.mentions
            if any(cs < m.end and m.start < ce for cs, ce in chars) and not (exclude and inside(m, *exclude))
        ]

    @staticmethod
    def _clause_tokens(f: _Frame) -> list[Any]:
        """The trigger's clause minus its subject, coordinated clauses and relative or adverbial
        clauses that do not contain the trigger ("..., but it is not ...")."""
        top, trig = f.verb, f.trig
        skip: set[Any] = set(f.subj.subtree) if f.subj is not None else set()
        for c in top.children:
            if (c.dep_ in ("conj", "parataxis") and c.pos_ in ("VERB", "AUX")) or c.dep_ in ("advcl", "relcl"):
                skip.update(c.subtree)
            if c.dep_ == "cc":
                skip.add(c)
        for t in list(top.subtree):
            nested = t.dep_ in ("relcl", "advcl") and t != trig and t != top
            if nested and t not in skip and trig not in set(t.subtree):
                skip.update(t.subtree)
        clause = [t for t in top.subtree if t not in skip]
        if trig not in set(clause):
            clause.extend(t for t in trig.subtree if t not in skip)
        return clause

    def _fallback_actor(self, f: _Frame) -> None:
        if f.actor or f.no_fallback:
            return
        if not f.noun_trigger and not is_passive(f.verb) and f.match.pattern.shape != "recip!":
            # the subject of the nearest enclosing clause that names someone ("Moscow might try to
            # use ... those who reside ... to undermine Astana")
            cur = f.verb
            for _ in range(8):
                if cur.head == cur:
                    break
                cur = cur.head
                if cur.pos_ not in ("VERB", "AUX"):
                    continue
                up = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if up is None or up.lower_ in ("who", "which", "that"):
                    continue
                u_start, u_end = subtree_span(up, f.offset)
                found = f.within(up)
                if found:
                    f.actor = found
                    f.others = [o for o in f.others if not inside(o, u_start, u_end)]
                    f.rules.append("actor=enclosing-subject")
                    return
        # an expletive or missing subject: the clause's mentions act together when there are two
        # or more ("There were clashes ..."), else (in a readout) the nearest mention before the
        # trigger, else the speaker or publisher
        if len(dedup_participants(f.others)) >= 2 and f.event_type in JOINT_TYPES:
            f.actor, f.others = dedup_participants(f.others), []
            f.rules.append("actors=clause")
            return
        before = [m for m in f.mentions if m.end <= f.trig_start and not any(o.start == m.start for o in f.others)]
        expletive = f.subj is not None and f.subj.dep_ == "expl"
        if before and not expletive and f.trig.pos_ in ("VERB", "AUX") and self.ctx.readout:
            f.actor = [participant(before[-1])]
            f.rules.append("actor=preceding")
            return
        f.actor = self.speaker_participant(f.trig_start)
        if f.actor:
            f.rules.append("actor=speaker")

    def _adjust(self, f: _Frame) -> bool:
        """Codebook rules on the found participants; False drops the event."""
        if f.event_type == "CONSULT" and (f.noun_trigger or f.match.pattern.mode == "multilateral"):
            # CODEBOOK §3: a summit is a CONSULT among the states present; the organisation is a
            # participant only when its own officials act (as the clause's subject)
            subject_orgs = {p.code for p in f.actor if "actor=subject" in f.rules}
            f.actor = [p for p in f.actor if p.code not in ORG_CODES or p.code in subject_orgs]
            f.others = [p for p in f.others if p.code not in ORG_CODES]
            if not f.actor:
                return False
        f.actor = dedup_participants(f.actor)
        pair = self.ctx.pair()
        first = f.actor[0]
        if (
            f.match.pattern.shape.startswith("recip") and len(f.actor) == 1
            and first.text.lower() in ("we", "us", "our") and f.others
            and all(o.code in ORG_CODES for o in f.others) and len(pair) == 2 and first.code in pair
        ):
            # "we will talk to our colleagues from the EAEU": both sides of a bilateral meeting
            other_side = next(c for c in pair if c != first.code)
            f.actor.append(Participant(other_side, "GOV", first.text, first.start, first.end, why="'we': both sides"))
            f.rules.append("we=both-sides")
        if (
            len(f.actor) >= 3 and self.ctx.participants and self.ctx.self_code
            and self.ctx.self_code not in {p.code for p in f.actor} and f.event_type in ("CONSULT", "AGREE")
        ):
            f.actor.insert(0, Participant(self.ctx.self_code, "GOV", "", f.sent_start, f.sent_start,
                                          why="publisher takes part"))
        codes = {p.key() for p in f.actor}
        f.others = [p for p in dedup_participants(f.others) if p.key() not in codes]
        return True

    def _document_partner(self, f: _Frame) -> None:
        """A directed or reciprocal act with no named counterpart: in a transcript the speaker's
        interlocutor, in a readout the document's other party (or the publisher when a third
        party acts)."""
        shape = f.match.pattern.shape
        if f.others or len(f.actor) >= 2 or shape not in ("dir", "recip"):
            return
        codes = {p.key() for p in f.actor}
        parties = {self.ctx.self_code, *self.ctx.partners}
        speaker = self.ctx.speaker_at(f.trig_start)
        if speaker and speaker in codes:
            partner = self.ctx.interlocutor(speaker)
        elif self.ctx.readout and shape == "dir" and (speaker or self.ctx.self_code) and not codes & parties:
            # a third party acting with no named target: toward the publisher or speaker
            partner = speaker or self.ctx.self_code
            if partner and QUAD.get(f.event_type, 1) == 4:
                f.others = [Participant(partner, "GOV", "", f.sent_start, f.sent_start, why="publisher as target")]
                f.rules.append("other=publisher-target")
                return
        elif codes & parties and self.ctx.readout:
            partner = next((c for c in self.ctx.pair() if c not in codes), "")
        else:
            partner = ""
        if partner and QUAD.get(f.event_type, 1) <= 3 and f.event_type != "RETREAT":
            f.others = [Participant(partner, "GOV", "", f.sent_start, f.sent_start, why="document partner")]
            f.rules.append("other=document-partner")

    # --- the event ------------------------------------------------------------------------------

    def _build_event(self, f: _Frame) -> Event:
        s, trig, pattern = f.s, f.trig, f.match.pattern
        event_type, mode = f.event_type, pattern.mode
        speech_act = event_type == "SUPPORT" and trig.lemma_.lower() in SPEECH_SUPPORT
        if event_type in TO_AGREE and not speech_act and self._is_future(f.verb, trig, s):
            event_type, mode = "AGREE", ""
            f.rules.append("future->AGREE")
        if event_type == "RETREAT" and self._is_future(f.verb, trig, s):
            event_type, mode = "CONCEDE", ""
            f.rules.append("future->CONCEDE")
        doc = s.span.doc
        negation_in_pattern = any(t.lower_ in ("not", "n't", "never") for t in doc[f.match.start : f.match.end])
        factuality = factuality_of(
            trig, event_type, clause=not (f.noun_trigger and not f.light), negation_in_pattern=negation_in_pattern
        )
        cited, see_also = _citations_for(f.trig_start, s.citations)
        date_iso, precision = self._date_for(trig, s, cited)
        confidence = 0.55 + 0.1 * ("actor=subject" in f.rules) + 0.1 * ("other=argument" in f.rules) + 0.05 * pattern.size
        return Event(
            doc_id=self.ctx.doc_id,
            event_type=event_type,
            mode=mode,
            context=(pattern.context,) if pattern.context else (),
            actor=tuple(p.entity() for p in f.actor),
            recipient=tuple(p.entity() for p in f.others),
            factuality=factuality,
            date=date_iso,
            date_precision=precision,
            cited=cited,
            see_also=see_also,
            evidence=s.span.text,
            sentence_index=s.index,
            evidence_span=_sentence_span(s),
            trigger=doc[f.match.start : f.match.end].text,
            rule=" ".join(f.rules),
            confidence=min(confidence, 0.95),
            coder=self.coder_version,
        )

    def _modal_request(self, s: SentenceInput, match: Match, trig: Any, mentions: Sequence[MentionLike]) -> Event | None:
        """'Kiev must abandon ...', 'the Armenian side should fulfil ...': the speaker (or the
        publisher) asks the modal verb's subject to act."""
        subj = subject(trig.head)
        if subj is None:
            return None
        a, b = subtree_span(subj, s.offset)
        start = tok_start(trig, s.offset)
        speaker = self.ctx.speaker_at(start) or self.ctx.self_code
        targets = [participant(m) for m in mentions if inside(m, a, b) and m.code != speaker]
        if not speaker or not targets:
            return None
        actor = Participant(speaker, "GOV", "", start, start, why="speaker or publisher")
        cited, see_also = _citations_for(start, s.citations)
        date_iso, precision = self._date_for(trig, s, cited)
        return Event(
            doc_id=self.ctx.doc_id, event_type="REQUEST", mode="change", context=(),
            actor=(actor.entity(),), recipient=tuple(t.entity() for t in dedup_participants(targets)),
            factuality="asserted", date=date_iso, date_precision=precision, cited=cited, see_also=see_also,
            evidence=s.span.text, sentence_index=s.index, evidence_span=_sentence_span(s),
            trigger=trig.text, rule=f"{match.pattern.source} modal-request", confidence=0.6,
            coder=self.coder_version,
        )

    def _is_future(self, verb: Any, trig: Any, s: SentenceInput) -> bool:
        for v in (verb, trig):
            if any(c.dep_ == "aux" and c.lower_ in FUTURE_MARKERS for c in v.children):
                return True
        cur = verb
        for _ in range(3):
            if cur.dep_ not in ("xcomp", "ccomp", "acl", "advcl", "dobj", "pobj", "prep") or cur.head == cur:
                break
            cur = cur.head
            if cur.lemma_.lower() in FUTURE_WORDS or any(
                c.dep_ == "aux" and c.lower_ in FUTURE_MARKERS for c in cur.children
            ):
                return True
        trig_start = tok_start(trig, s.offset)
        return any(d.future and abs(d.start - trig_start) < 80 for d in s.dates)

    def _date_for(self, trig: Any, s: SentenceInput, cited: Sequence[Citation]) -> tuple[str, str]:
        """The nearest past time expression outside citations; else the backing citation's date;
        else publication (precision `day` in a readout, `unknown` elsewhere)."""
        trig_start = tok_start(trig, s.offset)
        cite_spans = [(c.start, c.end) for c in s.citations]
        candidates = [d for d in s.dates if not d.future and not any(cs <= d.start < ce for cs, ce in cite_spans)]
        if candidates:
            best = min(candidates, key=lambda d: abs(d.start - trig_start))
            return best.date.isoformat(), best.precision
        dated = [c.date for c in cited if c.date]
        if dated:
            return min(dated), "day"
        return self.ctx.published.isoformat(), "day" if self.ctx.readout else "unknown"

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

    def _allegation(self, ev: Event) -> Event | None:
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
            p = participant(m)
            if m.kind in ("person", "title"):
                self.ctx.last_person = p
                key = m.name or m.text
                n, _, _ = self.ctx.person_counts.get(key, (0, 0, p))
                self.ctx.person_counts[key] = (n + 1, m.start, p)
            if m.kind in ("state", "capital", "metonym", "person", "title", "demonym", "adjective"):
                self.ctx.last_states.append(p)
        del self.ctx.last_states[:-6]


#: prepositions whose object is a participant of a verb's act ("talks with", "grateful to")
_ARGUMENT_PREPS = frozenset({"with", "to", "against", "on", "from", "into", "toward", "towards", "between", "among"})
#: a noun phrase's own parts, without its prepositional or clausal modifiers
_CORE_DEPS = frozenset({"compound", "amod", "poss", "det", "nummod", "case", "conj", "cc", "appos", "nmod", "punct"})


def _core(tok: Any) -> list[Any]:
    out = [tok]
    for c in tok.children:
        if c.dep_ in _CORE_DEPS:
            out.extend(_core(c))
    return out


def _core_arguments(verb: Any, trig: Any, event_type: str) -> list[Any]:
    """The tokens of a verb's direct arguments: objects, datives, attributes and the objects of
    participant prepositions, each without its own modifiers."""
    heads: list[Any] = []
    for v in {verb, trig}:
        for c in v.children:
            if c.dep_ in ("dobj", "dative", "attr", "oprd", "pobj"):
                heads.append(c)
            elif c.dep_ in ("prep", "agent") and (
                c.lower_ in _ARGUMENT_PREPS or (c.lower_ in ("in", "at") and QUAD.get(event_type, 1) == 4)
            ):
                heads.extend(g for g in c.children if g.dep_ == "pobj")
    return [t for h in heads for t in _core(h)]


def _sentence_span(s: SentenceInput) -> tuple[int, int]:
    sent = s.span
    return tok_start(sent[0], s.offset), tok_start(sent[-1], s.offset) + len(sent[-1].text)


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
