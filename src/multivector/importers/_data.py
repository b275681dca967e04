"""Reading the packaged CSV tables under ``importers/data`` (``#`` lines are comments)."""

from __future__ import annotations

import csv
from importlib import resources


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of ``importers/data/<name>`` as dicts keyed by its header."""
    text = resources.files("multivector.importers").joinpath("data", name).read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]
