"""Checks of the bundled actor knowledge base (src/multivector/actors/data)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import pytest

from multivector.actors.kb import KnowledgeBase, Office, _alias_claims, bundled_available, load_kb
from multivector.actors.resolver import holder, members, resolve
from multivector.ontology import ORGANISATION_CODES, SECTORS

pytestmark = pytest.mark.skipif(
    not bundled_available(), reason="the bundled actor tables (actors/data/*.csv) are not there yet"
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def _where(o: Office) -> str:
    return o.origin.rsplit("/", 1)[-1]


def test_version_and_size(kb: KnowledgeBase) -> None:
    assert kb.version != "unversioned"
    assert len(kb.states) >= 190  # UN members and observers, Kosovo
    assert {"KAZ", "RUS", "XKX", "PSE", "VAT"} <= {s.code for s in kb.states}
    assert len(kb.offices) > 1000


def test_every_office_term_has_a_start_date(kb: KnowledgeBase) -> None:
    missing = [f"{_where(o)} {o.name} ({o.code} {o.role})" for o in kb.offices if o.start is None]
    assert not missing, "office terms without a start date:\n" + "\n".join(missing)


@pytest.mark.parametrize("role", ["head_of_state", "head_of_government"])
def test_heads_never_overlap_by_more_than_a_transition_day(kb: KnowledgeBase, role: str) -> None:
    by_code: dict[str, list[Office]] = defaultdict(list)
    for o in kb.offices:
        if o.role == role:
            by_code[o.code].append(o)
    clashes = []
    for terms in by_code.values():
        for i, a in enumerate(terms):
            for b in terms[i + 1 :]:
                if a.name == b.name:
                    continue
                start = max(a.start or date.min, b.start or date.min)
                end = min(a.end or date.max, b.end or date.max)
                if end >= start and (end - start).days + 1 > 1:
                    clashes.append(
                        f"{_where(a)} {a.name} / {_where(b)} {b.name} ({start} to {end})"
                    )
    assert not clashes, f"{role} terms overlap:\n" + "\n".join(clashes)


def test_every_code_used_exists(kb: KnowledgeBase) -> None:
    states = {s.code for s in kb.states}
    codes = states | ORGANISATION_CODES
    bad = [f"{_where(o)} {o.code}" for o in kb.offices if o.code not in codes]
    bad += [f"{p.origin} {p.code}" for p in kb.places if p.code not in states]
    # Members are states, or blocs that sit at the table (the EU in the G7 and the G20).
    bad += [f"{m.origin} {m.member}" for m in kb.memberships if m.member not in codes]
    bad += [f"{e.origin} {e.code}" for e in kb.entities if e.code not in codes]
    bad += [f"{u.origin} {u.country}" for u in kb.outlets if u.country not in codes]
    bad += [f"{a.origin} {a.sector}" for a in kb.agents if a.sector not in SECTORS]
    assert not bad, "unknown codes:\n" + "\n".join(bad)
    assert {g.code for g in kb.organisations} >= ORGANISATION_CODES - {"IGO"}
    orgs = {g.code for g in kb.organisations} | {g.name for g in kb.organisations}
    assert not [m.origin for m in kb.memberships if m.org not in orgs]


def test_state_offices_have_gov_and_org_heads_none(kb: KnowledgeBase) -> None:
    states = {s.code for s in kb.states}
    bad = [
        _where(o)
        for o in kb.offices
        if (o.code in states and o.sector != "GOV") or (o.code not in states and o.sector != "")
    ]
    assert not bad, "offices with the wrong sector: " + ", ".join(bad)


def test_no_name_names_two_actors(kb: KnowledgeBase) -> None:
    """A name may change its sense over time (Taliban: REB, then GOV), never its code."""
    claims: dict[str, set[tuple[str, str]]] = defaultdict(set)
    tables: dict[str, tuple[Any, ...]] = {
        "states": kb.states,
        "places": kb.places,
        "organisations": kb.organisations,
        "entities": kb.entities,
        "outlets": kb.outlets,
    }
    for table, rows in tables.items():
        for row in rows:
            for name, target in _alias_claims(table, row):
                claims[name].add((target.split("/")[0], row.origin.rsplit("/", 1)[-1]))
    clashes = [f"{n!r}: {sorted(v)}" for n, v in claims.items() if len({t for t, _ in v}) > 1]
    assert not clashes, "names of two actors:\n" + "\n".join(clashes)


def test_known_facts(kb: KnowledgeBase) -> None:
    assert members("CSTO", date(2022, 1, 10), kb=kb) == ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]
    assert members("EAEU", date(2022, 1, 10), kb=kb) == ["ARM", "BLR", "KAZ", "KGZ", "RUS"]
    assert "UZB" in members("CSTO", date(2008, 1, 1), kb=kb)  # rejoined 2006-2012
    assert "IRN" not in members("SCO", date(2022, 1, 10), kb=kb)
    assert holder("KAZ", "head_of_state", date(2015, 6, 1), kb=kb) == "Nursultan Nazarbayev"
    assert holder("KAZ", "head_of_state", date(2022, 11, 28), kb=kb) == "Kassym-Jomart Tokayev"
    assert holder("RUS", "head_of_state", date(2022, 1, 10), kb=kb) == "Vladimir Putin"
    nur = [p for p in kb.places if p.name == "Nur-Sultan"]
    assert nur and nur[0].code == "KAZ" and nur[0].start and nur[0].start.year == 2019


@pytest.mark.parametrize(
    ("mention", "day", "code", "sector"),
    [
        ("Kassym-Jomart Tokayev", "2022-01-10", "KAZ", "GOV"),
        ("the Kazakhstani leader", "2022-01-10", "KAZ", "GOV"),
        ("Akorda", "2022-01-10", "KAZ", "GOV"),
        ("Astana", "2022-11-28", "KAZ", "GOV"),
        ("Nur-Sultan", "2021-05-01", "KAZ", "GOV"),
        ("the Kremlin", "2022-01-10", "RUS", "GOV"),
        ("CSTO", "2022-01-10", "CSTO", ""),
        ("ODKB", "2022-01-10", "CSTO", ""),
        ("the EAEU", "2022-01-10", "EAEU", ""),
        ("Eurasian Economic Community", "2022-01-10", "EAEU", ""),
        ("the Shanghai Cooperation Organisation", "2022-01-10", "SCO", ""),
        ("Kasparov.ru", "2022-11-29", "RUS", "JRN"),
        ("Kun.uz", "2022-11-29", "UZB", "JRN"),
        ("President of Kazakhstan", "2015-06-01", "KAZ", "GOV"),
        ("Russia's Foreign Minister", "2022-01-10", "RUS", "GOV"),
        ("the Donetsk People's Republic", "2022-02-22", "UKR", "PRE"),
        ("the West", "2022-01-10", "WEST", ""),
        ("Erdoğan", "2022-01-10", "TUR", "GOV"),
    ],
)
def test_issue_examples(kb: KnowledgeBase, mention: str, day: str, code: str, sector: str) -> None:
    r = resolve(mention, day, kb=kb)
    assert r is not None, mention
    assert (r.code, r.sector) == (code, sector), r.why


def test_nur_sultan_and_nazarbayev_by_date(kb: KnowledgeBase) -> None:
    r = resolve("the President of Kazakhstan", "2015-06-01", kb=kb)
    assert r is not None and r.name == "Nursultan Nazarbayev"
    r = resolve("Nur-Sultan", "2021-05-01", kb=kb)
    assert r is not None and "2019" in r.why and "not on" not in r.why
    r = resolve("Nur-Sultan", "2023-05-01", kb=kb)
    assert r is not None and r.code == "KAZ" and "not on" in r.why
