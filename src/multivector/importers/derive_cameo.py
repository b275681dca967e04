"""Derive the packaged CAMEO -> PLOVER table from the OEDA's CAMEO2PLOVER-2021.txt.

The source (PLOVER manual draft 0.8, 2021, CC BY-SA 4.0, Open Event Data Alliance) lists
``CODE: TYPE, MODE, CONTEXT # description`` lines under ``NN: TYPE`` headings. The derivation:

- every coded line becomes a row (``cameo,event_type,mode,context``); the first line wins
  when a code repeats; a heading ``NN: TYPE`` gives the root code ``NN`` (first heading wins:
  ``08`` is CONCEDE, the root of CAMEO "Yield");
- modes are lower-cased; ``ease`` is dropped (the source notes it is no longer a mode); a mode
  that is really a context name (``175: ASSAULT, pro_autocracy, military``) moves to context;
  for the types whose modes the codebook lists (CONSULT, REQUEST, ACCUSE) any other mode is
  dropped;
- contexts are the source's ``;``-separated names, written ``;``-joined without spaces;
- CAMEO codes the source leaves out are added: 01 (MAKE STATEMENT: no PLOVER type, an empty
  event_type) and 02 (APPEAL), whose codes mirror 10 (DEMAND) one for one, so 02x takes the row
  of the matching 10x code (020 <- 100, 0211 <- 1011, ...).

Run ``python -m multivector.importers.derive_cameo SOURCE > cameo2plover.csv`` to rebuild the
packaged file; a test checks the packaged file against this derivation.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from multivector.ontology import EVENT_TYPES, MODES

HEADER = (
    "# CAMEO -> PLOVER event types, modes and contexts for multivector's importers.\n"
    "# Derived from CAMEO2PLOVER-2021.txt (PLOVER manual draft 0.8, 17 September 2021,\n"
    "# edited by Philip Schrodt), Open Event Data Alliance, licensed CC BY-SA 4.0\n"
    "# (https://creativecommons.org/licenses/by-sa/4.0/); this derived table is shared under\n"
    "# the same licence. Changes: see ATTRIBUTION.md in this folder and\n"
    "# multivector/importers/derive_cameo.py. Rows with an empty event_type have no PLOVER type.\n"
)

#: CAMEO 01x MAKE STATEMENT: no PLOVER type.
STATEMENT_CODES = ("01", "010", "011", "012", "013", "014", "015", "016", "017", "018", "019")
DROPPED_MODES = frozenset({"ease"})

Row = tuple[str, str, str, str]


def _parse(text: str) -> tuple[dict[str, Row], set[str]]:
    rows: dict[str, Row] = {}
    contexts: set[str] = set()
    raw: list[tuple[str, str, str, list[str]]] = []
    for line in text.splitlines():
        body = line.split("#", 1)[0].strip()
        if not body or ":" not in body:
            continue
        code, rest = (p.strip() for p in body.split(":", 1))
        if not code.isdigit():
            continue
        fields = [f.strip() for f in rest.split(",", 2)]
        fields += [""] * (3 - len(fields))
        event_type = fields[0].upper()
        if event_type not in EVENT_TYPES:
            raise ValueError(f"{code}: unknown PLOVER type {event_type!r}")
        ctx = [c.strip() for c in fields[2].split(";") if c.strip()]
        contexts.update(ctx)
        raw.append((code, event_type, fields[1].lower(), ctx))
    for code, event_type, mode, ctx in raw:
        if code in rows:
            continue
        if mode in contexts:
            ctx = [mode, *[c for c in ctx if c != mode]]
            mode = ""
        if mode in DROPPED_MODES:
            mode = ""
        if event_type in MODES and mode not in MODES[event_type]:
            mode = ""
        rows[code] = (code, event_type, mode, ";".join(ctx))
    return rows, contexts


def derive(text: str) -> list[Row]:
    """The table's rows, sorted by code (CAMEO codes sort correctly as strings)."""
    rows, _ = _parse(text)
    for code in STATEMENT_CODES:
        rows.setdefault(code, (code, "", "", ""))
    rows.setdefault("02", ("02", *rows["10"][1:]))
    for code, row in list(rows.items()):
        if code.startswith("10") and len(code) >= 3:
            mirrored = "02" + code[2:]
            rows.setdefault(mirrored, (mirrored, *row[1:]))
    return [rows[c] for c in sorted(rows)]


def render(rows: Iterable[Row]) -> str:
    out = [HEADER, "cameo,event_type,mode,context\n"]
    out.extend(",".join(row) + "\n" for row in rows)
    return "".join(out)


def main(argv: list[str]) -> int:  # pragma: no cover - a maintenance script
    if len(argv) != 1:
        sys.stderr.write("usage: python -m multivector.importers.derive_cameo CAMEO2PLOVER.txt\n")
        return 2
    with open(argv[0], encoding="utf-8") as fh:
        sys.stdout.write(render(derive(fh.read())))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
