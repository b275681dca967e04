"""The real Coder end to end into the store (loads the spaCy model: marked `model`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from multivector.store import EventFilter, Store

DEV = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev" / "documents.jsonl"


@pytest.mark.model
def test_real_coder_ingest_is_idempotent(tmp_path):
    pipeline = pytest.importorskip("multivector.pipeline")
    from multivector.ingest import read_documents

    if not DEV.exists():
        pytest.skip("../shared/gold/dev/documents.jsonl is not available")
    try:
        coder = pipeline.Coder()
    except Exception as exc:  # noqa: BLE001 -- no model installed: skip, don't fail
        pytest.skip(f"the real Coder cannot load: {exc}")
    docs = list(read_documents([DEV]))[:3]
    store = Store.open(tmp_path / "real.duckdb")
    first = store.ingest(docs, coder, batch_size=2)
    assert first.coded == 3 and first.failed == 0 and first.events > 0
    again = store.ingest(docs, coder)
    assert again.coded == 0 and again.skipped == 3
    events = store.events(EventFilter(doc_ids=(docs[0].id,)))
    assert events and all(e.coder == coder.version for e in events)
    assert store.sql("SELECT count(*) FROM event_dyads")[0][0] > 0
