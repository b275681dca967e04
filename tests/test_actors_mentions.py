"""Resolve real mentions from the seed article, the gold codings and the corpus (tests/data).

The file holds mention -> code + sector pairs read by a person; the resolver must get at least
97% of them right. Every miss is listed in the assertion message and in the summary (-rA).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from multivector.actors.kb import bundled_available, load_kb
from multivector.actors.resolver import resolve

MENTIONS = Path(__file__).parent / "data" / "actor_mentions.tsv"
THRESHOLD = 0.97

pytestmark = pytest.mark.skipif(
    not bundled_available(), reason="the bundled actor tables (actors/data/*.csv) are not there yet"
)


@dataclass(frozen=True)
class Case:
    line: int
    mention: str
    day: date
    code: str
    sector: str
    note: str


def load_cases() -> list[Case]:
    cases = []
    with MENTIONS.open(encoding="utf-8", newline="") as f:
        lines = [
            (n, line) for n, line in enumerate(f, 1) if line.strip() and not line.startswith("#")
        ]
    reader = csv.reader((line for _, line in lines), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    assert header == ["mention", "date", "code", "sector", "note"]
    for (n, _), row in zip(lines[1:], reader, strict=True):
        mention, day, code, sector, note = row
        cases.append(Case(n, mention, date.fromisoformat(day), code, sector, note))
    return cases


def test_the_file_is_big_and_varied() -> None:
    cases = load_cases()
    assert len(cases) >= 300
    assert len({(c.mention, c.day) for c in cases}) == len(cases), "duplicate rows"
    notes = " ".join(c.note for c in cases)
    for word in ("metonym", "title", "demonym", "outlet", "possessive", "surname", "capital"):
        assert word in notes
    assert {c.code for c in cases} >= {"CSTO", "EAEU", "SCO", "WEST", "EU", "NATO", "UN"}


def test_resolver_accuracy_on_real_mentions(capsys: pytest.CaptureFixture[str]) -> None:
    kb = load_kb()
    cases = load_cases()
    misses = []
    for c in cases:
        r = resolve(c.mention, c.day, kb=kb)
        got = (r.code, r.sector) if r else None
        if got != (c.code, c.sector):
            found = "nothing" if r is None else f"{r.code}/{r.sector or '-'} ({r.why})"
            misses.append(
                f"  line {c.line}: {c.mention!r} on {c.day}: "
                f"expected {c.code}/{c.sector or '-'}, got {found}"
            )
    accuracy = 1 - len(misses) / len(cases)
    summary = f"actor mentions: {len(cases) - len(misses)}/{len(cases)} right ({accuracy:.1%})"
    with capsys.disabled():  # shown on every run, not only on failure
        print("\n" + summary + ("; misses:\n" + "\n".join(misses) if misses else ""))
    assert accuracy >= THRESHOLD, summary + "; misses:\n" + "\n".join(misses)
