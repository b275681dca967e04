"""Factuality of an event (CODEBOOK section 4): asserted, alleged, negated or hypothetical.

Decided from the trigger's clause in the dependency parse: a `neg` child or a negative
determiner makes it negated; a conditional, a modal of possibility, or a verb of fear or
intent ("wants to attack", "may try to undermine") makes it hypothetical; a hostile act
reported inside another party's claim ("argues that the US is using ...", "illegally
detained by Russia") is alleged.
"""

from __future__ import annotations

from typing import Any

from multivector.ontology import QUAD

HYPOTHETICAL_AUX = frozenset({"may", "might", "could", "would", "should"})
HYPOTHETICAL_VERBS = frozenset({"want", "try", "attempt", "seek", "threaten", "fear", "risk", "plot", "plan"})
FEAR_WORDS = frozenset({"danger", "fear", "fearful", "afraid", "worry", "worried", "possible", "potential", "likely"})
CONDITIONAL = frozenset({"if", "unless", "whether"})
CLAIM_VERBS = frozenset({"claim", "allege", "argue", "accuse", "assert", "insist", "suggest"})
ALLEGED_ADVERBS = frozenset({"illegally", "allegedly", "reportedly", "unlawfully", "purportedly"})
NEGATORS = frozenset({"not", "n't", "never", "neither", "nor", "no"})


def _clause_head(tok: Any) -> Any:
    """The verb whose clause the token belongs to."""
    cur = tok
    for _ in range(4):
        if cur.pos_ in ("VERB", "AUX") or cur.head == cur:
            return cur
        cur = cur.head
    return cur


def factuality_of(trigger: Any, event_type: str, clause: bool = True, negation_in_pattern: bool = False) -> str:
    """`clause=False` for a noun trigger that is not the object of a light verb: the clause's
    negation or modality is about something else ("has not shown gratitude for the intervention")."""
    if not clause:
        if any(c.lower_ == "no" and c.dep_ == "det" for c in trigger.children):
            return "negated"
        if any(c.lower_ == "any" and c.dep_ == "det" for c in trigger.children):
            return "hypothetical"  # "any agreement between them would be ..."
        if any(c.lemma_ in FEAR_WORDS or c.lower_ in ("future", "possible", "potential") for c in trigger.children):
            return "hypothetical"
        return "asserted"
    verb = _clause_head(trigger)
    chain = [verb]
    # an xcomp ("try to undermine", "wants to attack") or a conj inherits its head's modality
    cur = verb
    for _ in range(3):
        if cur.dep_ in ("xcomp", "ccomp", "advcl", "acl", "relcl") and cur.head != cur:
            cur = cur.head
            chain.append(cur)
        else:
            break
    if not negation_in_pattern and any(
        t.lower_ in ("neither", "nor") and t.dep_ in ("preconj", "cc", "det") for t in verb.subtree
    ):
        return "negated"
    for v in chain[:2]:
        if negation_in_pattern:
            break
        for child in v.children:
            low = child.lower_
            if child.dep_ == "neg" or (child.dep_ in ("advmod", "det", "preconj", "cc") and low in ("never", "neither", "nor")):
                return "negated"
    for w in trigger.children:
        if w.dep_ == "neg" and not negation_in_pattern:
            return "negated"
    if trigger.pos_ == "NOUN" and any(c.lower_ == "no" and c.dep_ == "det" for c in trigger.children):
        return "negated"
    for v in chain:
        for child in v.children:
            if child.dep_ == "aux" and child.lower_ in HYPOTHETICAL_AUX:
                # "could not meet" was handled above; "would like to thank" is a speech act
                if child.lower_ == "would" and v.lemma_ in ("like", "love", "wish"):
                    continue
                return "hypothetical"
            if child.dep_ == "mark" and child.lower_ in CONDITIONAL:
                return "hypothetical"
        if v != verb and v.lemma_ in HYPOTHETICAL_VERBS and QUAD.get(event_type, 1) >= 3:
            return "hypothetical"
        if v.lemma_ in FEAR_WORDS:
            return "hypothetical"
    for v in chain[:1]:
        for child in v.children:
            if child.dep_ == "mark" and child.i >= 2:
                before = " ".join(t.lower_ for t in child.doc[max(0, child.i - 3) : child.i])
                if before.endswith(("the event", "in case", "the case")):
                    return "hypothetical"  # "in the event that either is attacked"
    for anc in trigger.ancestors:
        modal = [c for c in anc.children if c.dep_ == "aux" and c.lower_ in ("may", "might", "could", "would")]
        polite = bool(modal) and modal[0].lower_ == "would" and anc.lemma_ in ("like", "love", "wish")
        if modal and not polite and (QUAD.get(event_type, 1) >= 3 or modal[0].lower_ == "would"):
            return "hypothetical"
        if anc.lemma_ in ("event", "case") and anc.head.lower_ == "in":
            return "hypothetical"  # "in the event that either is attacked"
    for w in trigger.sent:
        if w.lemma_ in FEAR_WORDS and w.i < trigger.i and trigger.i - w.i < 8 and QUAD.get(event_type, 1) >= 3:
            return "hypothetical"
    if QUAD.get(event_type, 1) >= 3 and event_type not in ("ACCUSE", "REQUEST", "REJECT"):
        for v in chain[1:]:
            if v.lemma_ in CLAIM_VERBS:
                return "alleged"
        if any(c.lower_ in ALLEGED_ADVERBS for c in trigger.children) or any(
            c.lower_ in ALLEGED_ADVERBS for c in verb.children
        ):
            return "alleged"
    return "asserted"
