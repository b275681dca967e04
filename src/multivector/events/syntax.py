"""Helpers over spaCy's dependency parse shared by the coder's stages, and the word lists
they use. Tokens are spaCy `Token`s; character offsets are into the document text (a parsed
chunk's offset plus the token's index in it)."""

from __future__ import annotations

from typing import Any, Protocol

FUTURE_MARKERS = frozenset({"will", "shall", "'ll"})
#: governing words that put an act in the future ("plan to visit", "readiness to cooperate")
FUTURE_WORDS = frozenset({"proposal", "initiative", "willingness", "readiness", "intention", "desire", "opportunity", "plan", "intend",
                          "agree", "decide", "hope", "expect", "ready", "prepare", "aim", "propose", "going"})  # fmt: skip
#: verbs whose object noun carries the event ("held talks", "expressed gratitude")
LIGHT_VERBS = frozenset({"confirm", "reaffirm", "declare", "demonstrate", "state", "note", "stress",
                         "emphasise", "emphasize", "underline", "increase", "expand", "deepen",
                         "strengthen", "boost", "develop", "intensify", "step", "hold", "have", "make",
                         "conduct", "express", "show", "continue", "reach", "pay", "give", "extend",
                         "convey", "offer", "launch", "begin", "start", "resume", "carry", "sign",
                         "conclude", "take", "voice", "send", "accept", "receive", "announce", "release",
                         "issue", "adopt", "provide", "deliver"})  # fmt: skip
#: a noun trigger after these refers back to an event already reported ("during the talks")
TIME_PREPS = frozenset({"during", "after", "following", "before", "ahead", "prior", "throughout"})
LOCATION_PREPS = frozenset({"in", "at", "near", "across", "throughout", "inside", "around", "within"})


class Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def tok_start(tok: Any, offset: int) -> int:
    return int(tok.idx) + offset


def inside(m: Spanned, start: int, end: int) -> bool:
    """Whether `m` overlaps the character range [start, end)."""
    return m.start < end and start < m.end


def subtree_span(tok: Any, offset: int) -> tuple[int, int]:
    toks = list(tok.subtree)
    return tok_start(toks[0], offset), tok_start(toks[-1], offset) + len(toks[-1].text)


def clause_verb(tok: Any) -> Any:
    """The verb of the clause a token belongs to (the token itself when it is one)."""
    cur = tok
    for _ in range(4):
        if cur.pos_ in ("VERB", "AUX") or cur.head == cur:
            return cur
        cur = cur.head
    return cur


def subject(verb: Any) -> Any | None:
    """The subject of a verb, inherited through coordination and control ("X met Y and signed",
    "X wants to visit"), the noun a relative clause modifies, or the possessor of the noun an
    infinitive modifies ("his desire to develop")."""
    cur = verb
    for _ in range(4):
        for c in cur.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return c
        if cur.dep_ in ("conj", "xcomp", "advcl", "ccomp", "acomp") and cur.head != cur:
            cur = cur.head
            continue
        if cur.dep_ == "relcl" and cur.head != cur:
            return cur.head
        if cur.dep_ == "acl" and cur.head != cur:
            poss = next((c for c in cur.head.children if c.dep_ == "poss"), None)
            if poss is not None or cur.head.dep_ != "dobj":
                return poss
            # "we will have the opportunity to talk": the subject of the verb governing the noun
            cur = cur.head.head
            continue
        break
    return None


def is_passive(verb: Any) -> bool:
    return verb is not None and any(c.dep_ == "auxpass" for c in verb.children)
