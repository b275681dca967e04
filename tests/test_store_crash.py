"""A killed ingest leaves whole batches only, and re-running gives the uninterrupted store;
readers in other processes can query while an ingest runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from multivector.store import Store
from store_fakes import FakeCoder, make_documents, snapshot

TESTS = Path(__file__).parent
SRC = TESTS.parent / "src"

INGEST = """
import sys
sys.path[:0] = [{tests!r}, {src!r}]
from store_fakes import FakeCoder, make_documents
from multivector.store import Store

def progress(p):
    with open({marker!r}, "w") as fh:
        fh.write(str(p.coded))

Store.open({store!r}).ingest(make_documents({n}), FakeCoder(delay={delay}), batch_size={batch},
                             progress=progress)
"""


def start_ingest(store: Path, marker: Path, n: int, delay: float, batch: int) -> subprocess.Popen:
    code = INGEST.format(tests=str(TESTS), src=str(SRC), marker=str(marker), store=str(store),
                         n=n, delay=delay, batch=batch)  # fmt: skip
    return subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)


def wait_for(marker: Path, at_least: int, proc: subprocess.Popen, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"ingest ended early: {proc.stderr.read() if proc.stderr else ''}")
        try:
            value = int(marker.read_text() or 0)
        except (FileNotFoundError, ValueError):
            value = 0
        if value >= at_least:
            return value
        time.sleep(0.01)
    raise AssertionError("ingest made no progress")


@pytest.mark.slow
def test_sigkill_mid_ingest_then_rerun_equals_uninterrupted(tmp_path):
    n, batch = 200, 10
    killed = tmp_path / "killed.duckdb"
    proc = start_ingest(killed, tmp_path / "marker", n, delay=0.01, batch=batch)
    wait_for(tmp_path / "marker", 60, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    store = Store.open(killed)
    partial = store.counts()
    assert 60 <= partial["coded"] < n, "the kill should land mid-way"
    assert partial["documents"] == partial["coded"], "no document without its commit marker"
    assert partial["coded"] % batch == 0, "batches are whole or absent"
    assert [r.status for r in store.runs()] == ["running"]

    resumed = store.ingest(make_documents(n), FakeCoder(), batch_size=batch)
    assert resumed.coded == n - partial["coded"] and resumed.skipped == partial["coded"]
    assert [r.status for r in store.runs()] == ["interrupted", "completed"]

    clean = Store.open(tmp_path / "clean.duckdb")
    clean.ingest(make_documents(n), FakeCoder(), batch_size=batch)
    assert snapshot(store) == snapshot(clean)


@pytest.mark.slow
def test_reader_queries_while_another_process_ingests(tmp_path):
    path = tmp_path / "shared.duckdb"
    Store.open(path)  # create it so that readers can open it read-only
    proc = start_ingest(path, tmp_path / "marker", 150, delay=0.005, batch=10)
    try:
        wait_for(tmp_path / "marker", 10, proc)
        reader = Store.open(path, read_only=True, lock_timeout=30)
        seen = []
        while proc.poll() is None:
            seen.append(reader.sql("SELECT count(*) FROM coded")[0][0])
            reader.events()  # a heavier read too
            time.sleep(0.02)
    finally:
        proc.wait(timeout=120)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    assert len(seen) >= 5
    assert seen == sorted(seen), "readers see committed batches only, in order"
    assert all(c % 10 == 0 for c in seen)
    assert Store.open(path, read_only=True).counts()["coded"] == 150
