"""Who takes part: pronouns, descriptions and which mentions of a sentence can be participants.

`References` resolves words that name no actor themselves — "we", "you", "his", "their", "the
President", "the parties", "the two countries", "the leaders" — through the document context,
and decides whether a mention is a participant or only a modifier ("the Minsk agreements", "the
Russian language") or a place ("talks in Sochi").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from multivector.events.context import (
    DocContext,
    MentionLike,
    Participant,
    SentenceInput,
    participant,
)
from multivector.events.syntax import LOCATION_PREPS, tok_start
from multivector.ontology import ORGANISATION_CODES, QUAD

FIRST_PERSON = frozenset({"we", "i", "us", "me", "our", "my", "ours", "myself", "ourselves"})
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself"})
THIRD_PERSON = frozenset({"he", "she", "him", "her", "his"})
PLURAL_THIRD = frozenset({"they", "them", "their"})
PRONOUNS = FIRST_PERSON | SECOND_PERSON | THIRD_PERSON | PLURAL_THIRD
GROUP_NOUNS = frozenset({"party", "parties", "side", "sides", "leader", "leaders", "president", "presidents",
                         "country", "countries", "head", "heads", "state", "states", "government",
                         "governments", "delegation", "delegations", "minister", "ministers", "bilateral"})  # fmt: skip
#: plural nouns that mean all participants of a multilateral meeting ("colleagues", "the leaders")
MULTI_NOUNS = frozenset({"leader", "colleague", "participant", "guest", "partner", "country", "state"})
#: nouns a state adjective turns into an actor ("the Russian side", "Kazakh troops")
PARTICIPANT_HEADS = frozenset({"side", "sides", "leadership", "government", "authorities", "authority",
                               "delegation", "president", "leader", "official", "officials", "minister",
                               "ministry", "people", "party", "counterpart", "counterparts", "colleague",
                               "colleagues", "partner", "partners", "company", "companies", "firm", "firms",
                               "troops", "military", "army", "forces", "force", "peacekeeper",
                               "peacekeepers", "diplomat", "diplomats", "team", "teams", "commentator",
                               "commentators", "border"})  # fmt: skip
MODIFIER_KINDS = frozenset({"state", "capital", "metonym", "adjective", "demonym", "organisation", "group"})
ORG_CODES = ORGANISATION_CODES - {"WEST"}


class References:
    """Pronoun and description resolution over one document, sentence by sentence."""

    def __init__(self, ctx: DocContext):
        self.ctx = ctx
        self._sentence_mentions: list[MentionLike] = []
        self._clause_subject: list[Participant] = []

    def _pronoun(self, tok: Any, offset: int) -> list[Participant]:
        low = tok.lower_
        start = tok_start(tok, offset)
        end = start + len(tok.text)
        speaker = self.ctx.speaker_at(start)
        if low in FIRST_PERSON:
            code = speaker or self.ctx.self_code
            return [Participant(code, "GOV", tok.text, start, end, why="first person: speaker")] if code else []
        if low in SECOND_PERSON:
            code = self.ctx.interlocutor(speaker or self.ctx.self_code)
            return [Participant(code, "GOV", tok.text, start, end, why="second person: interlocutor")] if code else []
        if low in PLURAL_THIRD and self._clause_subject:
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
            return participant(in_sentence[-1])
        if not self.ctx.person_counts:
            return self.ctx.last_person
        best = max(self.ctx.person_counts.items(), key=lambda kv: (kv[1][0], kv[1][1]))
        return best[1][2]

    def _description(self, tok: Any, offset: int) -> list[Participant]:
        """'the President', 'the parties', 'the two countries', 'the leaders' without a name."""
        lemma = tok.lemma_.lower()
        if lemma not in GROUP_NOUNS and tok.lower_ not in GROUP_NOUNS and lemma not in MULTI_NOUNS:
            return []
        dets = {c.lower_ for c in tok.children}
        if not dets & {"the", "both", "two"} and tok.lower_ != "bilateral":
            return []
        if any(c.like_num and c.lower_ != "two" for c in tok.children):
            return []
        if lemma in ("country", "state") and not dets & {"both", "two"}:
            return []
        start = tok_start(tok, offset)
        end = start + len(tok.text)
        plural = tok.tag_ in ("NNS", "NNPS") or tok.lower_ == "bilateral" or bool(dets & {"two", "both"})
        if plural and self.ctx.participants and lemma in MULTI_NOUNS:
            return [Participant(c, "GOV", tok.text, start, end, why="description: the meeting's participants")
                    for c in self.ctx.participants]
        if plural:
            named = list(dict.fromkeys(m.code for m in self._sentence_mentions if m.end <= start and m.kind != "outlet"))
            if len(named) >= 2 and lemma in ("state", "country"):
                pair = named[-2:]
            elif self.ctx.readout:
                pair = self.ctx.pair()
            else:
                pair = self.ctx.recent_states()
            if len(pair) < 2:
                pair = self.ctx.recent_states()
            return [Participant(c, "GOV", tok.text, start, end, why="description: the two parties") for c in pair]
        if lemma in ("president", "leader", "government", "head") and self.ctx.self_code:
            return [Participant(self.ctx.self_code, "GOV", tok.text, start, end, why="description: publisher")]
        return []

    def from_tokens(self, toks: Sequence[Any], offset: int) -> list[Participant]:
        """Participants named by pronouns and descriptions among `toks`."""
        out: list[Participant] = []
        for t in toks:
            if t.lower_ in PRONOUNS:
                out.extend(self._pronoun(t, offset))
            elif t.pos_ in ("NOUN", "ADJ") or t.lower_ == "bilateral":
                out.extend(self._description(t, offset))
        return out

    def pair_participants(self, tok: Any, offset: int) -> list[Participant]:
        start = tok_start(tok, offset)
        return [Participant(c, "GOV", "", start, start, why="document participants") for c in self.ctx.pair()]

    def speaker_participant(self, at: int, why: str = "speaker or publisher") -> list[Participant]:
        speaker = self.ctx.speaker_at(at) or self.ctx.self_code
        return [Participant(speaker, "GOV", "", at, at, why=why)] if speaker else []

    # --- eligibility --------------------------------------------------------------------------

    @staticmethod
    def _mention_root(m: MentionLike, s: SentenceInput) -> Any | None:
        span = s.span.doc.char_span(m.start - s.offset, m.end - s.offset, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    def eligible(self, m: MentionLike, s: SentenceInput, event_type: str, trig: Any, span: tuple[int, int]) -> bool:
        """Whether a mention can be a participant, not a modifier ("Minsk agreements",
        "Russian language") nor a place where something happens ("talks in Sochi")."""
        if m.kind == "outlet":
            return False
        text = s.span.doc.text
        rel_end = m.end - s.offset
        if text[rel_end : rel_end + 1] == "$" or text[rel_end : rel_end + 4] in ("-led", "-bac"):
            return False
        root = self._mention_root(m, s)
        if root is None:
            return True
        head, dep = root.head, root.dep_
        # "the Azerbaijan-Armenia border": climb over the other names of a compound
        for _ in range(3):
            h_start = tok_start(head, s.offset)
            if head == root or not any(o.start <= h_start < o.end for o in s.mentions if o is not m):
                break
            dep, head = head.dep_, head.head
        if dep in ("compound", "amod", "nmod") and head != root and head.pos_ in ("NOUN", "PROPN"):
            head_lemma = head.lemma_.lower()
            participant_head = head_lemma in PARTICIPANT_HEADS and not (
                head_lemma == "border" and QUAD.get(event_type, 1) < 4
            )
            if not participant_head and m.kind in MODIFIER_KINDS and head != trig:
                return False
        if root.dep_ == "pobj" and head.lemma_.lower() in LOCATION_PREPS and m.kind in ("state", "capital", "metonym"):
            in_pattern = span[0] <= head.i < span[1]  # "arrived in Kazakhstan"
            # "war in Ukraine", "peacekeepers in Kazakhstan": the place is the target
            target = (QUAD.get(event_type, 1) == 4 or event_type == "AID") and head.head == trig
            if not in_pattern and not target:
                return False
        return True
