"""The scorer of EVALUATION.md: each figure pinned by a small hand-made case."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

from multivector.errors import InputError
from multivector.evaluate import (
    Counts,
    Key,
    evaluate,
    event_keys,
    format_diff,
    format_scores,
    key_diff,
    load_document_ids,
    load_events,
)
from multivector.records import Citation, Entity, Event

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV_EVENTS = SHARED / "gold" / "dev" / "events.jsonl"
needs_shared = pytest.mark.skipif(not DEV_EVENTS.exists(), reason="../shared not present")


def ent(code: str) -> dict[str, str]:
    """'RUS' -> a GOV entity; 'UKR/PRE' -> an entity with that sector."""
    code, _, sector = code.partition("/")
    return {"code": code, "sector": sector or "GOV", "text": code}


def ev(
    doc: str,
    etype: str,
    actors: str,
    recipients: str = "",
    *,
    factuality: str = "asserted",
    date: str = "2022-01-10",
    precision: str = "day",
    cited: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "doc_id": doc,
        "event_type": etype,
        "actor": [ent(a) for a in actors.split()],
        "recipient": [ent(r) for r in recipients.split()],
        "factuality": factuality,
        "date": date,
        "date_precision": precision,
        "cited": [{"outlet": o, "date": ""} for o in cited],
    }


def counts(c: Counts) -> tuple[int, int, int]:
    return (c.tp, c.fp, c.fn)


# --- keys -------------------------------------------------------------------------------------


def keys_of(d: dict[str, Any]) -> set[str]:
    return {str(k) for k in event_keys(Event.from_dict(d))}


def test_dyadic_key_is_an_unordered_pair() -> None:
    assert keys_of(ev("d", "ACCUSE", "UKR", "RUS")) == {"ACCUSE {RUS, UKR}"}
    assert keys_of(ev("d", "CONSULT", "UZB RUS")) == {"CONSULT {RUS, UZB}"}


def test_recipient_pairs_skip_actor_equal_to_recipient() -> None:
    assert keys_of(ev("d", "SANCTION", "RUS", "RUS UKR")) == {"SANCTION {RUS, UKR}"}
    assert keys_of(ev("d", "AID", "RUS BLR", "SYR")) == {"AID {BLR, SYR}", "AID {RUS, SYR}"}


def test_actor_equal_to_recipient_only_is_unilateral() -> None:
    assert keys_of(ev("d", "COERCE", "RUS", "RUS")) == {"COERCE {RUS}"}


def test_pre_and_reb_are_starred() -> None:
    assert keys_of(ev("d", "SUPPORT", "RUS", "UKR/PRE")) == {"SUPPORT {RUS, UKR*}"}
    assert keys_of(ev("d", "ASSAULT", "KAZ/REB", "KAZ")) == {"ASSAULT {KAZ, KAZ*}"}
    assert keys_of(ev("d", "COERCE", "RUS/MIL", "RUS/GOV")) == {"COERCE {RUS}"}


def test_three_actors_without_recipient_are_multilateral() -> None:
    assert keys_of(ev("d", "CONSULT", "RUS KAZ KGZ")) == {
        "CONSULT [multilateral] KAZ",
        "CONSULT [multilateral] KGZ",
        "CONSULT [multilateral] RUS",
    }


def test_two_actors_of_one_state_are_unilateral() -> None:
    assert keys_of(ev("d", "MOBILIZE", "RUS/MIL RUS/GOV")) == {"MOBILIZE {RUS}"}
    assert keys_of(ev("d", "MOBILIZE", "RUS")) == {"MOBILIZE {RUS}"}


# --- figures ----------------------------------------------------------------------------------


@needs_shared
def test_gold_against_itself_scores_one() -> None:
    gold = load_events(DEV_EVENTS)
    s = evaluate(gold, gold)
    for c in (s.dyadic, s.quad, s.interaction, s.multilateral, s.unilateral, s.citation):
        assert c.fp == c.fn == 0
        assert c.f1 == 1.0
    assert s.dyadic.tp > 100
    assert s.date.accuracy == 1.0 and s.date.scored > 0
    assert s.false_assertions == 0 and s.ignored_events == 0
    assert s.documents == 12


@needs_shared
def test_seed_gold_against_itself_scores_one() -> None:
    gold = load_events(SHARED / "gold" / "seed.jsonl")
    s = evaluate(gold, gold)
    assert s.dyadic.f1 == s.citation.f1 == s.unilateral.f1 == 1.0
    assert s.citation.tp > 10


def test_micro_counts_and_f1() -> None:
    gold = [
        ev("a", "CONSULT", "RUS KAZ"),
        ev("a", "ACCUSE", "RUS", "UKR"),
        ev("b", "AID", "USA", "UKR"),
    ]
    system = [
        ev("a", "CONSULT", "KAZ", "RUS"),  # same unordered pair, right type
        ev("a", "REJECT", "RUS", "UKR"),  # same quad (3), wrong type
        ev("b", "AID", "USA", "UKR"),
        ev("b", "AID", "USA", "UKR"),  # duplicates count once
        ev("b", "SANCTION", "USA", "RUS"),
    ]
    s = evaluate(gold, system)
    assert counts(s.dyadic) == (2, 2, 1)
    assert s.dyadic.precision == 0.5 and s.dyadic.recall == pytest.approx(2 / 3)
    assert s.dyadic.f1 == pytest.approx(4 / 7)
    assert counts(s.quad) == (3, 1, 0)
    assert counts(s.interaction) == (3, 1, 0)
    assert counts(s.dyadic_by_type["ACCUSE"]) == (0, 0, 1)
    assert counts(s.dyadic_by_type["REJECT"]) == (0, 1, 0)
    assert counts(s.dyadic_by_type["AID"]) == (1, 0, 0)
    assert counts(s.quad_by_class[3]) == (1, 0, 0)
    assert counts(s.quad_by_class[4]) == (0, 1, 0)
    assert s.system_events == 5 and s.system_asserted == 5


def test_keys_are_sets_per_document() -> None:
    gold = [ev("a", "CONSULT", "RUS KAZ"), ev("b", "CONSULT", "RUS KAZ")]
    system = [ev("a", "CONSULT", "RUS KAZ"), ev("a", "CONSULT", "KAZ", "RUS")]
    assert counts(evaluate(gold, system).dyadic) == (1, 0, 1)


def test_multilateral_is_scored_apart_from_dyadic() -> None:
    gold = [ev("a", "CONSULT", "RUS KAZ KGZ TJK")]
    system = [ev("a", "CONSULT", "RUS KAZ KGZ"), ev("a", "CONSULT", "RUS TJK")]
    s = evaluate(gold, system)
    assert counts(s.multilateral) == (3, 0, 1)
    assert counts(s.multilateral_by_type["CONSULT"]) == (3, 0, 1)
    assert counts(s.dyadic) == (0, 1, 0)


def test_unilateral() -> None:
    gold = [ev("a", "MOBILIZE", "RUS"), ev("a", "PROTEST", "KAZ/CVL")]
    system = [ev("a", "MOBILIZE", "RUS/MIL"), ev("a", "COERCE", "KAZ")]
    s = evaluate(gold, system)
    assert counts(s.unilateral) == (1, 1, 1)
    assert counts(s.unilateral_by_type["COERCE"]) == (0, 1, 0)


def test_pre_starring_separates_state_and_separatists() -> None:
    gold = [ev("a", "SUPPORT", "RUS", "UKR/PRE")]
    assert counts(evaluate(gold, [ev("a", "SUPPORT", "RUS", "UKR")]).dyadic) == (0, 1, 1)
    assert counts(evaluate(gold, [ev("a", "SUPPORT", "RUS", "UKR/PRE")]).dyadic) == (1, 0, 0)
    # the sector matters only for PRE/REB
    assert counts(evaluate(gold, [ev("a", "SUPPORT", "RUS/MIL", "UKR/PRE")]).dyadic) == (1, 0, 0)


def test_only_asserted_events_are_scored() -> None:
    gold = [ev("a", "CONSULT", "RUS TJK", factuality="negated"), ev("a", "AID", "RUS", "SYR")]
    system = [ev("a", "AID", "RUS", "SYR"), ev("a", "ASSAULT", "RUS", "UKR", factuality="alleged")]
    s = evaluate(gold, system)
    assert counts(s.dyadic) == (1, 0, 0)
    assert s.gold_asserted == 1 and s.system_asserted == 1


def test_date_accuracy_rules() -> None:
    gold = [
        ev("a", "CONSULT", "RUS KAZ", date="2022-01-10", precision="day"),
        ev("a", "AID", "RUS", "KAZ", date="2022-01-10", precision="day"),
        ev("a", "AGREE", "RUS KAZ", date="2022-01-01", precision="month"),
        ev("a", "SUPPORT", "RUS KAZ", date="2022-01-01", precision="month"),
        ev("a", "COOPERATE", "RUS KAZ", date="2022-01-03", precision="week"),
        ev("a", "SANCTION", "USA", "RUS", date="2021-01-01", precision="year"),
        ev("a", "ACCUSE", "RUS", "USA", date="2022-01-10", precision="unknown"),
    ]
    system = [
        ev("a", "CONSULT", "RUS KAZ", date="2022-01-11"),  # day, +1: right
        ev("a", "AID", "RUS", "KAZ", date="2022-01-12"),  # day, +2: wrong
        ev("a", "AGREE", "RUS KAZ", date="2022-01-31"),  # same month: right
        ev("a", "SUPPORT", "RUS KAZ", date="2022-02-01"),  # next month: wrong
        ev("a", "COOPERATE", "RUS KAZ", date="2022-01-10"),  # week, +7: right
        ev("a", "SANCTION", "USA", "RUS", date="2021-12-31"),  # same year: right
        ev("a", "ACCUSE", "RUS", "USA", date="1999-01-01"),  # unknown: not scored
        ev("a", "REJECT", "RUS", "USA", date="2022-01-10"),  # false positive: not scored
    ]
    d = evaluate(gold, system).date
    assert (d.correct, d.scored, d.unscored) == (4, 6, 1)
    assert d.accuracy == pytest.approx(4 / 6)
    assert dict(d.by_precision) == {"day": (1, 2), "week": (1, 1), "month": (1, 2), "year": (1, 1)}


def test_date_matches_any_gold_date_of_the_key() -> None:
    gold = [
        ev("a", "CONSULT", "RUS KAZ", date="2022-01-10"),
        ev("a", "CONSULT", "KAZ", "RUS", date="2022-03-01", precision="unknown"),
        ev("a", "CONSULT", "RUS KAZ", date="2022-02-20"),
    ]
    system = [ev("a", "CONSULT", "RUS KAZ", date="2022-02-21"), ev("a", "CONSULT", "RUS KAZ")]
    d = evaluate(gold, system).date
    assert (d.correct, d.scored, d.unscored) == (1, 1, 0)
    bad = [ev("a", "CONSULT", "RUS KAZ", date="not a date")]
    assert evaluate(gold, bad).date.correct == 0


def test_citation_f1_normalises_outlets() -> None:
    gold = [
        ev("a", "CONSULT", "RUS KAZ", cited=("Kun.uz", "www.Kremlin.ru")),
        ev("a", "ASSAULT", "RUS", "KAZ", factuality="hypothetical", cited=("Fondsk.ru",)),
    ]
    system = [
        ev("a", "AGREE", "RUS KAZ", cited=("kun.uz", "kremlin.ru", "Fondsk.ru", "TASS")),
        ev("a", "AID", "RUS", "KAZ", cited=("KUN.UZ",)),
    ]
    s = evaluate(gold, system)
    assert counts(s.citation) == (3, 1, 0)


def test_false_assertions() -> None:
    gold = [
        ev("a", "COOPERATE", "KAZ RUS", factuality="negated"),
        ev("a", "ASSAULT", "RUS", "KAZ", factuality="hypothetical"),
        ev("a", "COERCE", "RUS", "KAZ", factuality="hypothetical"),
        ev("a", "COERCE", "RUS", "KAZ"),  # also asserted: not a false assertion
        ev("a", "SANCTION", "WEST", "RUS", factuality="alleged"),
        ev("a", "CONSULT", "RUS TJK KGZ", factuality="negated"),
    ]
    system = [
        ev("a", "COOPERATE", "RUS KAZ"),
        ev("a", "ASSAULT", "RUS", "KAZ"),
        ev("a", "ASSAULT", "RUS", "KAZ"),
        ev("a", "COERCE", "RUS", "KAZ"),
        ev("a", "SANCTION", "WEST", "RUS"),
        ev("a", "CONSULT", "RUS TJK KGZ"),
        ev("a", "ASSAULT", "RUS", "KAZ", factuality="hypothetical"),
    ]
    s = evaluate(gold, system)
    assert s.false_assertions == 5  # COOPERATE, ASSAULT, three multilateral CONSULT keys
    assert dict(s.false_assertions_by_factuality) == {"negated": 4, "hypothetical": 1}
    assert s.asserted_alleged == 1


def test_ignored_documents_and_declared_documents() -> None:
    gold = [ev("a", "CONSULT", "RUS KAZ")]
    system = [ev("a", "CONSULT", "RUS KAZ"), ev("z", "AID", "RUS", "SYR"), ev("y", "AID", "X Y")]
    s = evaluate(gold, system)
    assert s.ignored_events == 2 and s.system_events == 1
    assert counts(s.dyadic) == (1, 0, 0)
    s = evaluate(gold, system, documents=["a", "z"])
    assert s.ignored_events == 1 and s.documents == 2
    assert counts(s.dyadic) == (1, 1, 0)


def test_empty_figure_scores_one_and_missing_everything_scores_zero() -> None:
    s = evaluate([ev("a", "CONSULT", "RUS KAZ")], [])
    assert s.multilateral.f1 == 1.0 and s.multilateral.empty
    assert s.dyadic.f1 == 0.0 and counts(s.dyadic) == (0, 0, 1)


def test_accepts_event_records() -> None:
    e = Event(
        doc_id="a",
        event_type="CONSULT",
        actor=(Entity("RUS", "GOV"), Entity("KAZ", "GOV")),
        cited=(Citation("Kun.uz"),),
    )
    s = evaluate([e], [ev("a", "CONSULT", "KAZ RUS", cited=("kun.uz",))])
    assert s.dyadic.f1 == s.citation.f1 == 1.0


def test_unknown_event_type_is_an_input_error() -> None:
    bad = ev("a", "CHAT", "RUS KAZ")
    with pytest.raises(InputError, match=r"system event 1 \(a\): unknown event_type 'CHAT'"):
        evaluate([ev("a", "CONSULT", "RUS KAZ")], [bad])


def test_to_dict_is_json_and_table_has_every_figure() -> None:
    gold = [ev("a", "CONSULT", "RUS KAZ"), ev("a", "MOBILIZE", "RUS")]
    s = evaluate(gold, [ev("a", "CONSULT", "RUS KAZ")])
    d = json.loads(json.dumps(s.to_dict()))
    assert d["dyadic"] == {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert d["unilateral"]["fn"] == 1 and d["dyadic_by_type"]["CONSULT"]["tp"] == 1
    assert d["quad_by_class"]["1"]["tp"] == 1
    text = format_scores(s)
    for word in ("dyadic", "quad", "interaction", "multilateral", "unilateral", "citation"):
        assert word in text
    assert "date accuracy  1/1 = 1.000" in text
    assert "false assertions  0" in text
    assert "1 verbal cooperation" in text and "MOBILIZE" in text


def test_key_diff() -> None:
    gold = [ev("a", "CONSULT", "RUS KAZ"), ev("b", "AID", "RUS", "SYR")]
    system = [ev("a", "CONSULT", "RUS KAZ"), ev("b", "AID", "RUS", "IRN")]
    diffs = key_diff(gold, system)
    assert len(diffs) == 1
    assert diffs[0].doc_id == "b"
    assert diffs[0].missed == (Key("dyadic", "AID", ("RUS", "SYR")),)
    assert [str(k) for k in diffs[0].spurious] == ["AID {IRN, RUS}"]
    assert format_diff(diffs) == "b: 1 missed, 1 spurious\n  - AID {RUS, SYR}\n  + AID {IRN, RUS}"
    assert format_diff([]) == "no differences"


# --- files ------------------------------------------------------------------------------------


def write(path: Path, lines: list[Any]) -> Path:
    path.write_text(
        "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines), "utf-8"
    )
    return path


def test_load_events_reports_file_and_line(tmp_path: Path) -> None:
    p = write(tmp_path / "eval_bad.jsonl", [ev("a", "AID", "RUS", "SYR"), "", "{oops"])
    with pytest.raises(InputError, match=r"eval_bad.jsonl:3: malformed JSON: Expecting"):
        load_events(p)
    write(p, ["[1, 2]"])
    with pytest.raises(InputError, match=r":1: expected an event object, got list"):
        load_events(p)
    write(p, [{"event_type": "AID"}])
    with pytest.raises(InputError, match=r":1: event has no doc_id"):
        load_events(p)
    write(p, [{"doc_id": "a", "event_type": "HUG"}])
    with pytest.raises(InputError, match=r":1: unknown event_type 'HUG'"):
        load_events(p)
    write(p, [{"doc_id": "a", "event_type": "AID", "actor": "RUS"}])
    with pytest.raises(InputError, match=r":1: 'actor' must be a list of entity objects"):
        load_events(p)
    with pytest.raises(InputError, match=r"missing.jsonl: no such file"):
        load_events(tmp_path / "missing.jsonl")


def test_gold_folder_reads_events_and_declares_documents(tmp_path: Path) -> None:
    write(tmp_path / "events.jsonl", [ev("a", "AID", "RUS", "SYR")])
    write(tmp_path / "more.jsonl", [ev("b", "AID", "RUS", "IRN")])
    write(tmp_path / "documents.jsonl", [{"id": "a", "text": "x"}, {"id": "c", "text": "y"}])
    assert [e["doc_id"] for e in load_events(tmp_path)] == ["a", "b"]
    assert load_document_ids(tmp_path) == ["a", "c"]
    with pytest.raises(InputError, match=r"documents.jsonl:1: document has no 'id'"):
        load_document_ids(write(tmp_path / "documents.jsonl", [{"text": "x"}]))


# --- command line -----------------------------------------------------------------------------


def run_cli(argv: list[str]) -> int:
    """Run through the real dispatcher when every command module exists, else just ours."""
    if all(importlib.util.find_spec(f"multivector.cli.{m}") for m in ("code", "actors")):
        from multivector.cli.main import main

        return main(argv)
    import argparse

    from multivector.cli import evaluate as command
    from multivector.errors import MultivectorError

    parser = argparse.ArgumentParser(prog="multivector")
    command.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except MultivectorError as exc:
        print(f"multivector: error: {exc}")
        return 1


def test_cli_table_json_and_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = write(
        tmp_path / "gold.jsonl", [ev("a", "CONSULT", "RUS KAZ"), ev("a", "AID", "RUS", "SYR")]
    )
    system = write(
        tmp_path / "system.jsonl", [ev("a", "CONSULT", "RUS KAZ"), ev("q", "AID", "X", "Y")]
    )
    docs = write(tmp_path / "docs.jsonl", [{"id": "b", "text": "nothing happened"}])

    assert run_cli(["evaluate", "--gold", str(gold), "--system", str(system)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\ndyadic +1 +0 +1 +1\.000 +0\.500 +0\.667\n", out)
    assert "ignored system events 1" in out

    argv = ["evaluate", "--gold", str(gold), "--system", str(system), "--json", "--diff"]
    assert run_cli([*argv, "--documents", str(docs)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["dyadic"]["tp"] == 1 and d["documents"] == 2 and d["ignored_events"] == 1
    assert d["diff"] == [{"doc_id": "a", "missed": ["AID {RUS, SYR}"], "spurious": []}]

    assert run_cli(["evaluate", "--gold", str(gold), "--system", str(system), "--diff"]) == 0
    assert "a: 1 missed, 0 spurious\n  - AID {RUS, SYR}" in capsys.readouterr().out

    write(system, ["not json"])
    assert run_cli(["evaluate", "--gold", str(gold), "--system", str(system)]) == 1
    captured = capsys.readouterr()
    assert "system.jsonl:1: malformed JSON" in captured.err + captured.out
