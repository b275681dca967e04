"""The PLOVER ontology as used by the codebook (version 2): types, quads, scores, modes, codes.

Scores follow CODEBOOK.md section 2 (PLOVER manual draft 2.0, with ACCUSE's sign corrected).
"""

from __future__ import annotations

from typing import Final

EVENT_TYPES: Final = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE",
    "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN",
    "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip

QUAD: Final[dict[str, int]] = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}  # fmt: skip

QUAD_NAMES: Final[dict[int, str]] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

SCORE: Final[dict[str, float]] = {
    "AGREE": 2.5, "CONSULT": 2.5, "SUPPORT": 5.0, "CONCEDE": 4.5,
    "COOPERATE": 9.5, "AID": 10.0, "RETREAT": 6.5,
    "REQUEST": 0.0, "ACCUSE": -3.0, "REJECT": -2.0, "THREATEN": -3.5,
    "PROTEST": -5.0, "SANCTION": -6.0, "MOBILIZE": -5.5, "COERCE": -7.0, "ASSAULT": -9.0,
}  # fmt: skip

COOPERATIVE_TYPES: Final = frozenset(t for t, q in QUAD.items() if q in (1, 2))
CONFLICT_TYPES: Final = frozenset(t for t, q in QUAD.items() if q in (3, 4))

MODES: Final[dict[str, frozenset[str]]] = {
    "CONSULT": frozenset({"", "visit", "third-party", "multilateral", "phone"}),
    "REQUEST": frozenset({"", "assist", "change", "yield", "meet"}),
    "ACCUSE": frozenset({"", "disapprove", "investigate", "allege"}),
}

FACTUALITY: Final = ("asserted", "alleged", "negated", "hypothetical")
DATE_PRECISION: Final = ("day", "week", "month", "year", "unknown")

SECTORS: Final = frozenset(
    {"GOV", "MIL", "LEG", "JUD", "COP", "SPY", "PTY", "REB", "BUS", "JRN", "CVL", "REF",
     "OPP", "REL", "EDU", "UNK", "PRE", ""}
)  # fmt: skip

ORGANISATION_CODES: Final = frozenset(
    {"EU", "NATO", "CSTO", "EAEU", "SCO", "CIS", "UN", "OSCE", "OTS", "BRICS", "G7", "G20",
     "ASEAN", "AU", "OPEC", "IMF", "WB", "WTO", "CICA", "WEST", "IGO"}
)  # fmt: skip

#: Sectors that make an entity distinct from its state when scoring (EVALUATION.md "Keys").
STARRED_SECTORS: Final = frozenset({"PRE", "REB"})


def quad_of(event_type: str) -> int:
    """Return the quad class (1-4) of a PLOVER event type."""
    return QUAD[event_type]


def score_of(event_type: str) -> float:
    """Return the PLOVER score (-10..+10) of an event type."""
    return SCORE[event_type]
