"""A short, bounded run of the dashboard load test (benchmarks/web_load.py): zero errors."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("httpx")
pytest.importorskip("uvicorn")

pytestmark = pytest.mark.slow
SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "web_load.py"


def load_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("web_load", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["web_load"] = module
    spec.loader.exec_module(module)
    return module


def test_short_load_run_has_no_errors(capsys: pytest.CaptureFixture[str]) -> None:
    web_load = load_module()
    result = web_load.run(seconds=5, clients=10, docs=120, ingest_docs=80, delay=0.005)
    out = capsys.readouterr().out
    assert "p50" in out and "p99" in out
    assert result["errors"] == 0, result["error_samples"]
    assert result["requests"] > 20
    assert result["ingest"]["coded"] > 0 and result["ingest"]["ran"]
    assert set(result["by_kind"]) >= {"country", "event", "search", "overview"}


def test_load_is_bounded_to_loopback() -> None:
    web_load = load_module()
    assert web_load.HOST == "127.0.0.1"
    with pytest.raises(SystemExit):
        web_load.run(seconds=5, clients=web_load.MAX_CLIENTS + 1)
    with pytest.raises(SystemExit):
        web_load.run(seconds=web_load.MAX_SECONDS + 1, clients=1)
