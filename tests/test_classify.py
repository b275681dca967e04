"""`classify`: the coder's judgement of one actor–recipient pair in one sentence.

Most tests build the coder's events by hand and check the choice (`judge_events`); a few marked
`model` run the real pipeline.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from multivector.cli.classify import read_items
from multivector.cli.main import main
from multivector.errors import InputError
from multivector.events.classify import Judgement, classify, classify_many, judge_events, locate
from multivector.records import Document, Entity, Event


def ent(code: str, sentence: str, words: str) -> Entity:
    start = sentence.index(words)
    return Entity(code, "GOV", words, (start, start + len(words)))


def event(
    event_type: str,
    actor: Sequence[Entity],
    recipient: Sequence[Entity] = (),
    *,
    trigger: str = "",
    confidence: float = 0.8,
    mode: str = "",
) -> Event:
    """An event as the coder would emit it, with the fields `judge_events` reads."""
    return Event(
        doc_id="t",
        event_type=event_type,
        actor=tuple(actor),
        recipient=tuple(recipient),
        trigger=trigger,
        rule=f"test:{event_type}",
        confidence=confidence,
        mode=mode,
    )


# --- locating the pair ------------------------------------------------------------------------


def test_locate_finds_every_occurrence_and_falls_back_to_case():
    s = "Astana and Astana again, then ASTANA."
    assert locate(s, "Astana") == ((0, 6), (11, 17))
    assert locate("the kremlin said", "Kremlin") == ((4, 11),)


@pytest.mark.parametrize("part", ["", "   ", "Beijing"])
def test_locate_rejects_missing_or_empty(part):
    with pytest.raises(InputError, match="actor"):
        locate("Moscow and Astana", part, "actor")


# --- choosing the event -----------------------------------------------------------------------

S1 = "Kazakhstan criticised Russia and thanked China for the loan."


def test_directed_event_whose_participants_overlap_the_pair_wins():
    evs = [
        event("ACCUSE", [ent("KAZ", S1, "Kazakhstan")], [ent("RUS", S1, "Russia")], trigger="criticised"),
        event("SUPPORT", [ent("KAZ", S1, "Kazakhstan")], [ent("CHN", S1, "China")], trigger="thanked"),
    ]  # fmt: skip
    j = judge_events(evs, S1, "Kazakhstan", "China")
    assert (j.event_type, j.quad_code, j.confidence) == ("SUPPORT", 1, 0.8)
    assert j.why.match == "participants" and j.why.trigger == "thanked"
    assert j.why.rule == "test:SUPPORT"
    assert judge_events(evs, S1, "Kazakhstan", "Russia").event_type == "ACCUSE"


def test_reciprocal_event_matches_either_order():
    s = "Tokayev and Mirziyoyev met in Tashkent."
    evs = [event("CONSULT", [ent("KAZ", s, "Tokayev"), ent("UZB", s, "Mirziyoyev")], trigger="met")]
    assert judge_events(evs, s, "Mirziyoyev", "Tokayev").event_type == "CONSULT"
    assert judge_events(evs, s, "Tokayev", "Mirziyoyev").event_type == "CONSULT"


def test_partial_overlap_counts():
    s = "President Tokayev received the Turkish delegation."
    evs = [event("CONSULT", [ent("KAZ", s, "Tokayev")], [ent("TUR", s, "Turkish")],
                 trigger="received", mode="visit")]  # fmt: skip
    j = judge_events(evs, s, "President Tokayev", "the Turkish delegation")
    assert (j.event_type, j.mode) == ("CONSULT", "visit")


def test_most_confident_then_earliest_trigger():
    s = "Astana refused to recognise the vote organised by Moscow."
    a, r = ent("KAZ", s, "Astana"), ent("RUS", s, "Moscow")
    evs = [
        event("SUPPORT", [a], [r], trigger="recognise"),
        event("REJECT", [a], [r], trigger="refused"),
    ]
    assert judge_events(evs, s, "Astana", "Moscow").event_type == "REJECT"
    evs[0] = event("SUPPORT", [a], [r], trigger="recognise", confidence=0.9)
    assert judge_events(evs, s, "Astana", "Moscow").event_type == "SUPPORT"


def test_trigger_between_the_pair_is_the_fallback_at_half_confidence():
    s = "Officials in Astana condemned the strikes on Kyiv."
    # the coder resolved someone else as actor: no participant match
    evs = [event("ACCUSE", [Entity("XXX", "GOV", "", (0, 0))], [ent("UKR", s, "Kyiv")],
                 trigger="condemned", confidence=0.7)]  # fmt: skip
    j = judge_events(evs, s, "Astana", "Kyiv")
    assert j.event_type == "ACCUSE"
    assert j.why.match == "trigger"
    assert j.confidence == pytest.approx(0.35)


def test_reversed_pair_is_not_what_the_actor_did():
    s = "Xi Jinping visited Astana in September."
    evs = [event("CONSULT", [ent("CHN", s, "Xi Jinping")], [ent("KAZ", s, "Astana")],
                 trigger="visited", mode="visit")]  # fmt: skip
    assert judge_events(evs, s, "Xi Jinping", "Astana").event_type == "CONSULT"
    j = judge_events(evs, s, "Astana", "Xi Jinping")
    assert j.event_type is None and j.why.match == "none"


def test_far_trigger_is_no_fallback():
    s = "Kazakhstan and Georgia are far apart, a commentator wrote, though Baku signed many deals."
    evs = [event("SUPPORT", [ent("AZE", s, "Baku")], trigger="signed")]
    j = judge_events(evs, s, "Kazakhstan", "Georgia")
    assert j == Judgement(None, "", None, 0.0, j.why)
    assert "none involving both" in j.why.note


def test_no_events_says_so():
    j = judge_events(
        [], "Astana is cold in winter, and so is Ulaanbaatar.", "Astana", "Ulaanbaatar"
    )
    assert j.event_type is None and j.confidence == 0.0 and j.quad_code is None
    assert "no event" in j.why.note


# --- the CLI's input checks (no model: they run before it loads) -------------------------------


def write(tmp_path: Path, lines: list[str], name: str = "in.jsonl") -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def item(**kw: object) -> str:
    base: dict[str, object] = {
        "id": "x",
        "sentence": "Moscow warned Astana.",
        "actor": "Moscow",
        "recipient": "Astana",
    }
    base.update(kw)
    return json.dumps(base)


@pytest.mark.parametrize(
    "bad, message",
    [
        ("{not json", "malformed JSON"),
        ("[1, 2]", "expected a JSON object"),
        (item(id=""), "missing 'id'"),
        (item(sentence=""), "'sentence'"),
        (item(actor=3), "'actor'"),
        (item(recipient="Beijing"), "recipient 'Beijing' does not occur"),
        (item(id="a"), "duplicate id"),
    ],
)
def test_read_items_names_file_and_line(tmp_path, bad, message):
    p = write(tmp_path, [item(id="a"), "", bad])
    with pytest.raises(InputError, match=message) as info:
        read_items(str(p))
    assert str(info.value).startswith(f"{p}:3: ")


def test_cli_bad_line_exits_1_before_loading_the_model(tmp_path, capsys, monkeypatch):
    import multivector.pipeline

    def no_model(*a: object, **k: object) -> None:
        raise AssertionError("the Coder must not load for bad input")

    monkeypatch.setattr(multivector.pipeline, "Coder", no_model)
    p = write(tmp_path, [item(), item(id="y", actor="Minsk")])
    assert main(["classify", "--input", str(p)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"multivector: error: {p}:2: the actor 'Minsk' does not occur in the sentence"]


def test_cli_empty_and_missing_files(tmp_path, capsys):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    assert main(["classify", "--input", str(empty)]) == 1
    assert str(empty) in capsys.readouterr().err
    assert main(["classify", "--input", str(tmp_path / "nope.jsonl")]) == 1
    assert "no such file" in capsys.readouterr().err


class FakeCoder:
    """Stands in for `Coder`: one ACCUSE from the first word to the last capitalised word."""

    def __init__(self, **kw: object) -> None:
        self.documents = 0

    def code_documents(self, docs):
        for d in docs:
            self.documents += 1
            words = d.text.rstrip(".").split()
            first, last = words[0], words[-1]
            a = Entity("AAA", "GOV", first, (0, len(first)))
            start = d.text.rindex(last)
            r = Entity("BBB", "GOV", last, (start, start + len(last)))
            yield d, [event("ACCUSE", [a], [r], trigger=words[1], mode="disapprove")]

    def code_document(self, doc: Document) -> list[Event]:
        return next(iter(self.code_documents([doc])))[1]


def test_cli_writes_one_judgement_a_line(tmp_path, capsys, monkeypatch):
    import multivector.pipeline

    monkeypatch.setattr(multivector.pipeline, "Coder", FakeCoder)
    p = write(tmp_path, [item(id="one"), item(id=2, sentence="Moscow warned Kyiv.", recipient="Kyiv"),
                         item(id="three", actor="Astana", recipient="Moscow")])  # fmt: skip
    out = tmp_path / "out.jsonl"
    assert main(["classify", "--input", str(p), "-o", str(out)]) == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == {"id": "one", "event_type": "ACCUSE", "mode": "disapprove", "quad_code": 3,
                       "confidence": 0.8}  # fmt: skip
    assert rows[1]["id"] == "2" and rows[1]["event_type"] == "ACCUSE"
    assert rows[2]["event_type"] is None and rows[2]["confidence"] == 0.0
    assert "classified 3 items" in capsys.readouterr().err


def test_classify_many_keeps_order_and_one_coder():
    coder = FakeCoder()
    items = [("Moscow warned Astana.", "Moscow", "Astana"), ("Kyiv thanked Warsaw.", "Kyiv", "Warsaw"),
             ("Kyiv thanked Warsaw.", "Warsaw", "Kyiv")]  # fmt: skip
    got = list(classify_many(items, coder=coder))
    assert [j.event_type for j in got] == ["ACCUSE", "ACCUSE", None]
    assert coder.documents == 3


def test_classify_many_names_the_bad_item():
    with pytest.raises(InputError, match="item 1: the recipient"):
        list(classify_many([("A met B.", "A", "B"), ("A met B.", "A", "C")], coder=FakeCoder()))


# --- the real coder ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def coder():
    from multivector.pipeline import Coder

    return Coder()


@pytest.mark.model
def test_real_coder_judgements(coder):
    published = date(2022, 12, 15)
    j = classify("Tokayev held talks with Macron in Paris on November 29.", "Tokayev", "Macron",
                 coder=coder, published=published)  # fmt: skip
    assert (j.event_type, j.quad_code, j.why.match) == ("CONSULT", 1, "participants")
    assert j.event is not None and j.event.date == "2022-11-29"
    j = classify("Russia shelled Ukrainian cities.", "Russia", "Ukrainian", coder=coder)
    assert j.event_type == "ASSAULT" and j.quad_code == 4
    j = classify(
        "The weather in Astana was mild when Putin landed.", "Astana", "Putin", coder=coder
    )
    assert j.event_type is None and j.confidence == 0.0


@pytest.mark.model
def test_real_classify_many(coder):
    items = [
        ("Xi Jinping visited Kazakhstan in September.", "Xi Jinping", "Kazakhstan"),
        ("Xi Jinping visited Kazakhstan in September.", "Kazakhstan", "Xi Jinping"),
        ("Kazakhstan condemned Russia for the strikes.", "Kazakhstan", "Russia"),
    ]
    got = [(j.event_type, j.mode) for j in classify_many(items, coder=coder)]
    assert got == [("CONSULT", "visit"), (None, ""), ("ACCUSE", "disapprove")]


@pytest.mark.model
def test_passive_agent_is_the_actor(coder):
    j = classify("Two Kazakh journalists were detained by Russian police.", "Russian police",
                 "Kazakh journalists", coder=coder)  # fmt: skip
    assert j.event_type == "COERCE" and j.why.match == "participants"


@pytest.mark.model
def test_refusal_complement_is_not_coded(coder):
    s = "Kazakhstan refused to recognise the annexation of Ukrainian regions by Russia."
    events = coder.code_document(Document(id="r", text=s, published=date(2022, 12, 15)))
    assert [e.event_type for e in events] == ["REJECT"]
