"""Factuality (CODEBOOK section 4) with the real model: each sentence is coded as a document
and the event on the named trigger is checked."""

from __future__ import annotations

from datetime import date

import pytest

from multivector.records import Document, Event

pytestmark = pytest.mark.model

PUB = date(2022, 12, 15)


@pytest.fixture(scope="module")
def coder():
    from multivector.pipeline import Coder

    return Coder()


def event_on(coder, sentence: str, trigger: str) -> Event:
    events = coder.code_document(Document(id="f", text=sentence, published=PUB))
    hits = [e for e in events if trigger in e.trigger.split() or e.trigger == trigger]
    assert hits, f"no event on {trigger!r}: {[(e.event_type, e.trigger) for e in events]}"
    return hits[0]


@pytest.mark.parametrize(
    "sentence, trigger, event_type, factuality",
    [
        ("Tokayev met Putin in Sochi in October.", "met", "CONSULT", "asserted"),
        ("Tokayev did not meet Putin in Sochi.", "meet", "CONSULT", "negated"),
        ("Tokayev could not meet Putin in Sochi.", "meet", "CONSULT", "negated"),
        ("Tokayev never visited Kyiv.", "visited", "CONSULT", "negated"),
        (
            "Analysts warn that Moscow may try to undermine Kazakhstan.",
            "undermine",
            None,
            "hypothetical",
        ),
        (
            "Kazakhstan would resist if Moscow were to attack it.",
            "attack",
            "ASSAULT",
            "hypothetical",
        ),
        (
            "Officials fear that Russia might invade Kazakhstan.",
            "invade",
            "ASSAULT",
            "hypothetical",
        ),
        (
            "Two Kazakh journalists were illegally detained by Russia.",
            "detained",
            "COERCE",
            "alleged",
        ),
        ("Russia allegedly shelled Ukrainian villages.", "shelled", "ASSAULT", "alleged"),
        ("Tokayev would like to thank Xi Jinping for the visit.", "thank", "SUPPORT", "asserted"),
    ],
)
def test_factuality(coder, sentence, trigger, event_type, factuality):
    e = event_on(coder, sentence, trigger)
    if event_type is not None:
        assert e.event_type == event_type
    assert e.factuality == factuality


def test_claim_is_asserted_and_the_claimed_act_alleged(coder):
    s = "Kyiv claims that Russia attacked its power plants."
    assert event_on(coder, s, "claims").factuality == "asserted"
    assert event_on(coder, s, "attacked").factuality == "alleged"


def test_refusal_worded_with_not_is_asserted(coder):
    e = event_on(
        coder, "Astana will not recognise the referendums organised by Moscow.", "recognise"
    )
    assert (e.event_type, e.factuality) == ("REJECT", "asserted")


def test_neither_nor_is_negated(coder):
    for s in ("Neither Tokayev nor Mirziyoyev met Putin.", "Tokayev met neither Putin nor Xi."):
        assert event_on(coder, s, "met").factuality == "negated"
