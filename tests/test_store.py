"""The event store: ingest idempotency, coder versions, failures, queries and the dyad view."""

from __future__ import annotations

from datetime import date

import pytest

from multivector.errors import StoreError
from multivector.records import Document, Entity, Event
from multivector.store import EVENT_DYADS_DOC, EventFilter, IngestProgress, Store
from store_fakes import FakeCoder, make_documents, snapshot


@pytest.fixture
def store(tmp_path):
    return Store.open(tmp_path / "s.duckdb")


def doc(i: int, text: str, day: date = date(2022, 3, 1), source: str = "Kremlin") -> Document:
    return Document(id=f"d{i}", text=text, published=day, url=f"http://x/{i}", source=source)


def test_second_ingest_adds_nothing(store):
    docs = make_documents(60)
    first = store.ingest(docs, FakeCoder(), batch_size=16)
    assert (first.seen, first.coded, first.skipped, first.failed) == (60, 60, 0, 0)
    assert first.events > 0
    before = snapshot(store)
    second = store.ingest(docs, FakeCoder(), batch_size=16)
    assert (second.seen, second.coded, second.skipped, second.events) == (60, 0, 60, 0)
    assert snapshot(store) == before
    assert [r.status for r in store.runs()] == ["completed", "completed"]
    assert store.runs()[0].documents == 60 and store.runs()[0].events == first.events


def test_duplicate_ids_in_one_input_are_coded_once(store):
    docs = make_documents(5)
    result = store.ingest(docs + docs, FakeCoder())
    assert (result.coded, result.skipped) == (5, 5)
    assert store.counts()["documents"] == 5


def test_new_coder_version_recodes_and_keeps_old_run(store):
    docs = make_documents(20)
    old = store.ingest(docs, FakeCoder("fake/1"))
    new = store.ingest(docs, FakeCoder("fake/2"))
    assert new.coded == 20 and new.events == old.events
    counts = store.counts()
    assert counts["documents"] == 20 and counts["coded"] == 40
    assert counts["events"] == old.events + new.events
    current = store.events()
    assert {e.coder for e in current} == {"fake/2"}
    assert len(store.events(EventFilter(coder_version="fake/1"))) == old.events
    versions = store.sql("SELECT DISTINCT coder_version FROM event_dyads")
    assert versions == [("fake/2",)]
    assert [r.coder_version for r in store.runs()] == ["fake/1", "fake/2"]
    # the old version again: nothing to do, and the view keeps showing the latest coding
    again = store.ingest(docs, FakeCoder("fake/1"))
    assert again.coded == 0
    assert {e.coder for e in store.events()} == {"fake/2"}


def test_changed_document_is_recoded_in_place(store):
    store.ingest([doc(1, "KAZ met UZB. RUS condemned UKR.")], FakeCoder())
    result = store.ingest([doc(1, "CHN met USA.")], FakeCoder())
    assert result.coded == 1
    events = store.events()
    assert [(e.event_type, [a.code for a in e.actor]) for e in events] == [
        ("CONSULT", ["CHN", "USA"])
    ]
    assert store.counts()["coded"] == 1 and store.counts()["entities"] == 2
    assert store.sql("SELECT text FROM documents") == [("CHN met USA.",)]


def test_a_failing_document_is_reported_and_the_rest_stored(store):
    docs = [doc(i, f"KAZ met UZB. {'BOOM' if i == 3 else ''}") for i in range(8)]
    result = store.ingest(docs, FakeCoder(fail_on="BOOM"), batch_size=4)
    assert (result.coded, result.failed) == (7, 1)
    assert result.failures[0].doc_id == "d3" and "cannot code d3" in result.failures[0].error
    assert store.runs()[-1].status == "completed_with_failures"
    assert store.runs()[-1].failed == 1
    retry = store.ingest(docs, FakeCoder())
    assert (retry.coded, retry.skipped) == (1, 7)


def test_bad_event_date_fails_only_its_document(store):
    class BadDates(FakeCoder):
        def code(self, d):
            return [Event(doc_id=d.id, event_type="CONSULT", actor=(Entity("KAZ"),), date="soon")]

    result = store.ingest([doc(1, "x")], BadDates())
    assert result.failed == 1 and "not an ISO date" in result.failures[0].error


def test_progress_reports_rate_and_eta(store):
    seen: list[IngestProgress] = []
    store.ingest(make_documents(40), FakeCoder(), batch_size=10, progress=seen.append, total=40)
    assert [p.seen for p in seen][-1] == 40
    assert all(a.seen <= b.seen for a, b in zip(seen, seen[1:], strict=False))
    mid = seen[1]
    assert mid.total == 40 and mid.rate > 0 and mid.eta is not None and mid.eta >= 0


def test_query_filters(store):
    store.ingest(
        [
            doc(1, "KAZ met UZB.", date(2022, 3, 1), "Kremlin"),
            doc(2, "RUS condemned UKR.", date(2022, 3, 5), "President of Ukraine"),
            doc(3, "EU sanctioned RUS. RUS* condemned UKR.", date(2022, 4, 1), "Kremlin"),
        ],
        FakeCoder(),
    )
    types = lambda f: sorted(e.event_type for e in store.events(f))  # noqa: E731
    assert types(EventFilter(countries=("KAZ",))) == ["CONSULT"]
    assert types(EventFilter(countries=("RUS",))) == ["ACCUSE", "SANCTION"]
    assert types(EventFilter(countries=("RUS*",))) == ["ACCUSE"]
    assert types(EventFilter(countries=("RUS",), with_countries=("EU",))) == ["SANCTION"]
    assert types(EventFilter(date_from=date(2022, 3, 2), date_to=date(2022, 3, 31))) == ["ACCUSE"]
    assert types(EventFilter(types=("accuse",))) == ["ACCUSE", "ACCUSE"]
    assert types(EventFilter(sources=("ukraine",))) == ["ACCUSE"]
    assert types(EventFilter(factuality=("negated",))) == []
    assert len(store.events(EventFilter(limit=2))) == 2
    records = store.query_events(EventFilter(countries=("KAZ",)))
    assert records[0].source == "Kremlin" and records[0].published == date(2022, 3, 1)
    assert [e.date for e in store.events()] == sorted(e.date for e in store.events())


def test_events_read_back_equal_what_was_coded(store):
    d = doc(1, "KAZ met UZB. RUS* condemned UKR. (Kun.uz)")
    coded = FakeCoder().code(d)
    store.ingest([d], FakeCoder())
    back = store.events()
    assert len(back) == len(coded)
    for original, stored in zip(coded, back, strict=True):
        assert stored.id
        assert stored.to_dict() | {"id": ""} == original.to_dict() | {"id": "", "source_url": d.url}


def test_add_events_is_idempotent_by_id(store):
    events = [
        Event(doc_id="g1", event_type="ASSAULT", actor=(Entity("RUS", "MIL"),),
              recipient=(Entity("UKR"),), date="2022-02-24", date_precision="day", id="gdelt-1"),
        Event(doc_id="g2", event_type="CONSULT", actor=(Entity("KAZ"), Entity("UZB")),
              date="2022-02-25", date_precision="day", id="gdelt-2"),
    ]  # fmt: skip
    assert store.add_events(events, dataset="gdelt") == 2
    assert store.add_events(events, dataset="gdelt") == 0
    assert {e.id for e in store.events(EventFilter(datasets=("gdelt",)))} == {"gdelt-1", "gdelt-2"}
    rows = store.sql("SELECT dataset, a_code, b_code, source FROM event_dyads ORDER BY a_code")
    assert rows == [("gdelt", "KAZ", "UZB", None), ("gdelt", "RUS", "UKR", None)]
    with pytest.raises(StoreError):
        store.add_events(events, dataset="")


DYAD_COLUMNS = [
    ("event_id", "VARCHAR"), ("cluster_id", "VARCHAR"), ("doc_id", "VARCHAR"),
    ("coder_version", "VARCHAR"), ("dataset", "VARCHAR"), ("date", "DATE"),
    ("date_precision", "VARCHAR"), ("event_type", "VARCHAR"), ("quad_code", "INTEGER"),
    ("event_scale", "DOUBLE"), ("factuality", "VARCHAR"), ("mode", "VARCHAR"),
    ("a_code", "VARCHAR"), ("b_code", "VARCHAR"), ("actor_code", "VARCHAR"),
    ("recipient_code", "VARCHAR"), ("directed", "BOOLEAN"), ("source", "VARCHAR"),
    ("published", "DATE"),
]  # fmt: skip


def test_event_dyads_view_contract(store):
    with store.connect() as con:
        described = [(r[0], r[1]) for r in con.execute("DESCRIBE event_dyads").fetchall()]
    assert described == DYAD_COLUMNS
    for name, _ in DYAD_COLUMNS:
        assert name in EVENT_DYADS_DOC

    class Dyads(FakeCoder):
        def code(self, d):
            day = "2022-03-01"
            e = lambda code, sector="GOV": Entity(code, sector, code)  # noqa: E731
            return [
                Event(doc_id=d.id, event_type="ACCUSE", actor=(e("RUS"), e("BLR")),
                      recipient=(e("UKR"),), date=day, date_precision="day"),
                Event(doc_id=d.id, event_type="CONSULT", actor=(e("KAZ"), e("UZB"), e("KGZ"), e("KAZ")),
                      date=day, date_precision="day"),
                Event(doc_id=d.id, event_type="MOBILIZE", actor=(e("RUS", "MIL"), e("RUS")),
                      date=day, date_precision="day"),
                Event(doc_id=d.id, event_type="SUPPORT", actor=(e("RUS"),),
                      recipient=(e("UKR", "PRE"),), date=day, date_precision="day"),
            ]  # fmt: skip

    store.ingest([doc(1, "x", source="Kremlin")], Dyads())
    rows = store.sql(
        "SELECT event_type, a_code, b_code, actor_code, recipient_code, directed, quad_code, "
        "event_scale, source, published FROM event_dyads ORDER BY event_type, a_code, b_code"
    )
    p = ("Kremlin", date(2022, 3, 1))
    assert rows == [
        ("ACCUSE", "BLR", "UKR", "BLR", "UKR", True, 3, -3.0, *p),
        ("ACCUSE", "RUS", "UKR", "RUS", "UKR", True, 3, -3.0, *p),
        ("CONSULT", "KAZ", "KGZ", None, None, False, 1, 2.5, *p),
        ("CONSULT", "KAZ", "UZB", None, None, False, 1, 2.5, *p),
        ("CONSULT", "KGZ", "UZB", None, None, False, 1, 2.5, *p),
        ("MOBILIZE", "RUS", None, "RUS", None, False, 4, -5.5, *p),
        ("SUPPORT", "RUS", "UKR*", "RUS", "UKR*", True, 1, 5.0, *p),
    ]


def test_dedup_clusters_reports_of_one_event(store):
    docs = [
        doc(1, "KAZ met UZB.", date(2022, 3, 1)),
        doc(2, "UZB met KAZ.", date(2022, 3, 2)),  # same participants, other order
        doc(3, "KAZ met UZB.", date(2022, 3, 4)),
        doc(4, "KAZ met UZB.", date(2022, 3, 9)),  # outside the 3-day window: a new event
        doc(5, "KAZ condemned UZB.", date(2022, 3, 1)),  # other type
        doc(6, "UZB condemned KAZ.", date(2022, 3, 1)),  # other direction
        doc(7, "KAZ condemned UZB.", date(2022, 3, 2)),
    ]
    store.ingest(docs, FakeCoder(), batch_size=2)
    rows = store.sql("SELECT doc_id, cluster_id, event_id FROM events ORDER BY doc_id")
    cluster = {d: c for d, c, _ in rows}
    ids = {d: e for d, _, e in rows}
    assert cluster["d1"] == cluster["d2"] == cluster["d3"] == ids["d1"]
    assert cluster["d4"] == ids["d4"]
    assert cluster["d5"] == cluster["d7"] == ids["d5"]
    assert cluster["d6"] == ids["d6"]
    n = store.sql("SELECT count(DISTINCT cluster_id), count(*) FROM event_dyads")
    assert n == [(4, 7)]


def test_dedup_window_is_configurable(tmp_path):
    docs = [doc(1, "KAZ met UZB.", date(2022, 3, 1)), doc(2, "KAZ met UZB.", date(2022, 3, 2))]
    s = Store.open(tmp_path / "w0.duckdb")
    s.ingest(docs, FakeCoder(), dedup_window_days=0)
    assert s.sql("SELECT count(DISTINCT cluster_id) FROM events") == [(2,)]


def test_open_errors(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        Store.open(tmp_path / "missing.duckdb", read_only=True)
    with pytest.raises(StoreError, match="directory"):
        Store.open(tmp_path)
    s = Store.open(tmp_path / "s.duckdb")
    ro = Store.open(tmp_path / "s.duckdb", read_only=True)
    with pytest.raises(StoreError, match="read-only"), ro.transaction():
        pass
    assert s.counts()["events"] == 0


def test_default_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MULTIVECTOR_STORE", str(tmp_path / "env.duckdb"))
    with Store.open() as s:
        assert s.path == tmp_path / "env.duckdb"
    assert (tmp_path / "env.duckdb").exists()
    monkeypatch.delenv("MULTIVECTOR_STORE")
    monkeypatch.chdir(tmp_path)
    assert str(Store.open().path) == "multivector.duckdb"


def test_parquet_export_import_roundtrip(store, tmp_path):
    store.ingest(make_documents(80), FakeCoder(), batch_size=16)
    store.add_events(
        [Event(doc_id="g", event_type="AID", actor=(Entity("USA"),), recipient=(Entity("UKR"),),
               id="g1")],
        dataset="gdelt",
    )  # fmt: skip
    counts = store.export_parquet(tmp_path / "export")
    assert (tmp_path / "export" / "events").is_dir()
    assert any((tmp_path / "export" / "events").glob("year=2022/month=*/*.parquet"))
    assert any((tmp_path / "export" / "events").glob("year=0/month=0/*.parquet"))
    other = Store.open(tmp_path / "other.duckdb")
    added = other.import_parquet(tmp_path / "export")
    assert added == counts
    assert snapshot(other) == snapshot(store)
    assert other.sql("SELECT * FROM runs ORDER BY run_id") == store.sql(
        "SELECT * FROM runs ORDER BY run_id"
    )
    assert other.import_parquet(tmp_path / "export") == {t: 0 for t in counts}
    with pytest.raises(StoreError, match="not empty"):
        store.export_parquet(tmp_path / "export")
    with pytest.raises(StoreError, match="manifest"):
        other.import_parquet(tmp_path)
