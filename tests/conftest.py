"""Shared fixtures: where ../shared lives, and one real Coder per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"the shared data folder {SHARED} is not there")
    return SHARED


@pytest.fixture(scope="session")
def coder():  # type: ignore[no-untyped-def]
    from multivector.pipeline import Coder

    return Coder()
