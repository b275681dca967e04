"""Property tests: dedup never merges different events; Parquet round trips lose nothing."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from multivector.ontology import DATE_PRECISION, EVENT_TYPES, FACTUALITY
from multivector.records import Citation, Entity, Event
from multivector.store import Store
from multivector.store.dedup import assign_clusters, participant_signature
from store_fakes import snapshot

CODES = ("KAZ", "UZB", "RUS", "UKR", "EU")
SECTORS = ("GOV", "MIL", "PRE", "REB", "")
text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)
span = st.none() | st.tuples(st.integers(0, 10_000), st.integers(0, 10_000))
day = st.dates(date(2021, 1, 1), date(2021, 2, 15))


@st.composite
def entities(draw):
    return Entity(
        code=draw(st.sampled_from(CODES)), sector=draw(st.sampled_from(SECTORS)), text=draw(text),
        span=draw(span), name=draw(text), why=draw(text),
    )  # fmt: skip


@st.composite
def rich_events(draw):
    when = draw(st.none() | day)
    return Event(
        doc_id=draw(st.sampled_from(["a", "b", "c"])),
        event_type=draw(st.sampled_from(EVENT_TYPES)),
        actor=tuple(draw(st.lists(entities(), min_size=0, max_size=3))),
        recipient=tuple(draw(st.lists(entities(), max_size=2))),
        mode=draw(text), context=tuple(draw(st.lists(text, max_size=3))),
        factuality=draw(st.sampled_from(FACTUALITY)),
        date=when.isoformat() if when else "",
        date_precision=draw(st.sampled_from(DATE_PRECISION)),
        cited=tuple(draw(st.lists(st.builds(
            Citation, outlet=text, date=st.sampled_from(["", "2022-11-28"]), span=span,
            cross_reference=st.booleans()), max_size=2))),
        evidence=draw(text), sentence_index=draw(st.integers(-1, 500)),
        evidence_span=draw(span), trigger=draw(text), rule=draw(text),
        confidence=draw(st.floats(0, 1, allow_nan=False)), coder=draw(st.sampled_from(["", "x/1"])),
        source_url=draw(text), id=draw(st.sampled_from(["", "fixed"])) + draw(st.uuids()).hex[:6],
    )  # fmt: skip


@st.composite
def plain_events(draw):
    """Events that differ only in what dedup looks at."""
    when = draw(day)
    return Event(
        doc_id=f"doc{draw(st.integers(0, 20))}",
        event_type=draw(st.sampled_from(["CONSULT", "ACCUSE", "AID"])),
        actor=tuple(Entity(c, draw(st.sampled_from(["GOV", "PRE"])))
                    for c in draw(st.lists(st.sampled_from(CODES[:3]), min_size=1, max_size=2, unique=True))),
        recipient=tuple(Entity(c) for c in draw(st.lists(st.sampled_from(CODES[:3]), max_size=1))),
        factuality=draw(st.sampled_from(["asserted", "negated"])),
        date=when.isoformat(),
        date_precision=draw(st.sampled_from(["day", "day", "week", "month", "unknown"])),
        id=draw(st.uuids()).hex[:12],
    )  # fmt: skip


def check_clusters(events: list[Event], clusters: dict[str, str], window: int) -> None:
    by_id = {e.id: e for e in events}
    members: dict[str, list[Event]] = {}
    for eid, cid in clusters.items():
        members.setdefault(cid, []).append(by_id[eid])
    for cid, group in members.items():
        first = by_id[cid]
        assert first in group, "a cluster is named after one of its events"
        for e in group:
            assert e.event_type == first.event_type
            assert participant_signature(e) == participant_signature(first)
            assert {x.key() for x in e.actor} == {x.key() for x in first.actor}
            assert {x.key() for x in e.recipient} == {x.key() for x in first.recipient}
            assert e.factuality == first.factuality
            gap = date.fromisoformat(e.date) - date.fromisoformat(first.date)
            if e.date_precision in ("day", "week") and first.date_precision in ("day", "week"):
                assert timedelta(0) <= gap <= timedelta(days=window)
            else:
                assert (e.date, e.date_precision) == (first.date, first.date_precision)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(plain_events(), max_size=25, unique_by=lambda e: e.id), st.integers(0, 5),
       st.integers(1, 24))  # fmt: skip
def test_dedup_never_merges_different_events(events, window, split):
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "s.duckdb")
        # in two imports, to check that incremental clustering equals clustering all at once
        store.add_events(events[:split], dataset="t", dedup_window_days=window)
        store.add_events(events[split:], dataset="t", dedup_window_days=window)
        clusters = dict(store.sql("SELECT event_id, cluster_id FROM events"))
    assert set(clusters) == {e.id for e in events}
    check_clusters(events, clusters, window)
    from multivector.store.dedup import dedup_key

    direct = assign_clusters(
        ((e.id, dedup_key(e, dataset="t", coder_version="t"), date.fromisoformat(e.date))
         for e in events), window)  # fmt: skip
    assert clusters == direct


@settings(max_examples=200, deadline=None)
@given(st.lists(plain_events(), max_size=40, unique_by=lambda e: e.id), st.integers(0, 5))
def test_assign_clusters_is_order_independent_and_safe(events, window):
    from multivector.store.dedup import dedup_key

    rows = [(e.id, dedup_key(e, dataset="", coder_version="v"), date.fromisoformat(e.date))
            for e in events]  # fmt: skip
    clusters = assign_clusters(rows, window)
    assert assign_clusters(list(reversed(rows)), window) == clusters
    check_clusters(events, clusters, window)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rich_events(), min_size=1, max_size=12, unique_by=lambda e: (e.id, e.coder)))
def test_parquet_round_trip_loses_nothing(events):
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "a.duckdb")
        other = Store.open(Path(tmp) / "b.duckdb")
        with store.connect(), other.connect():  # one connection each for the whole example
            check_round_trip(events, store, other, Path(tmp) / "export")


def check_round_trip(events: list[Event], store: Store, other: Store, export: Path) -> None:
    assert store.add_events(events, dataset="prop") == len(events)
    back = {(e.id, e.coder): e for e in store.events()}
    for e in events:
        assert back[(e.id, e.coder or "prop")] == _expected(e)
    store.export_parquet(export)
    other.import_parquet(export)
    assert snapshot(other) == snapshot(store)
    assert sorted(other.events(), key=repr) == sorted(store.events(), key=repr)


def _expected(e: Event) -> Event:
    from dataclasses import replace

    return replace(e, dataset="prop", coder=e.coder or "prop")
