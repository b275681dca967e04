"""Alignment of a focal country with each power, and its tilt between two powers.

    alignment[P, t] = score[P, t] / (10 * n[P, t])

the mean PLOVER score of the focal country's events with power P in period t, divided by 10:
+1 when every F-P event is material aid, -1 when every one is an armed assault, 0 for neutral
or balanced relations; undefined (null) in a period with no F-P event.

    tilt(P1, P2)[t] = alignment[P1, t] - alignment[P2, t]          in [-2, 2]

positive when F leans toward P1; undefined when either alignment is. Intervals: percentile
intervals of the same formulas over the document-resampled sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from multivector.analysis._common import clean_list
from multivector.analysis.bootstrap import FloatArray, percentile_interval, safe_ratio
from multivector.analysis.engagement import CONFLICT, COOP, SCORE, Engagement, N

SCALE = 10.0  # PLOVER scores run from -10 to +10


@dataclass(frozen=True, slots=True)
class AlignmentSeries:
    """Alignment of the focal country with one power, period by period."""

    focal: str
    power: str
    periods: tuple[date, ...]
    events: tuple[int, ...]
    cooperative: tuple[int, ...]
    conflictual: tuple[int, ...]
    net_cooperation: tuple[float, ...]
    net_ci: tuple[tuple[float, ...], tuple[float, ...]]
    alignment: tuple[float, ...]  # NaN where no event
    alignment_ci: tuple[tuple[float, ...], tuple[float, ...]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "focal": self.focal,
            "power": self.power,
            "events": list(self.events),
            "cooperative": list(self.cooperative),
            "conflictual": list(self.conflictual),
            "net_cooperation": clean_list(self.net_cooperation),
            "net_cooperation_lo": clean_list(self.net_ci[0]),
            "net_cooperation_hi": clean_list(self.net_ci[1]),
            "alignment": clean_list(self.alignment),
            "alignment_lo": clean_list(self.alignment_ci[0]),
            "alignment_hi": clean_list(self.alignment_ci[1]),
        }


@dataclass(frozen=True, slots=True)
class Tilt:
    """alignment(P1) - alignment(P2) per period."""

    focal: str
    toward: str
    away_from: str
    periods: tuple[date, ...]
    tilt: tuple[float, ...]
    ci: tuple[tuple[float, ...], tuple[float, ...]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "focal": self.focal,
            "toward": self.toward,
            "away_from": self.away_from,
            "tilt": clean_list(self.tilt),
            "tilt_lo": clean_list(self.ci[0]),
            "tilt_hi": clean_list(self.ci[1]),
        }


def alignment_values(sums: FloatArray) -> FloatArray:
    """Alignment from sums whose last axis is (n, score, coop, conflict)."""
    return safe_ratio(sums[..., SCORE], SCALE * sums[..., N])


def _pair(lo_hi: tuple[FloatArray, FloatArray]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    return tuple(float(x) for x in lo_hi[0]), tuple(float(x) for x in lo_hi[1])


def alignment(eng: Engagement, power: str) -> AlignmentSeries:
    """The focal country's alignment with `power` (one of `eng.powers`)."""
    i = eng.index(power)
    s = eng.sums[i]
    reps = eng.replicate_sums[:, i]
    return AlignmentSeries(
        focal=eng.focal,
        power=power,
        periods=eng.periods,
        events=tuple(int(x) for x in s[:, N]),
        cooperative=tuple(int(x) for x in s[:, COOP]),
        conflictual=tuple(int(x) for x in s[:, CONFLICT]),
        net_cooperation=tuple(float(x) for x in s[:, SCORE]),
        net_ci=_pair(percentile_interval(reps[..., SCORE])),
        alignment=tuple(float(x) for x in alignment_values(s)),
        alignment_ci=_pair(percentile_interval(alignment_values(reps))),
    )


def tilt(eng: Engagement, toward: str, away_from: str) -> Tilt:
    """alignment(toward) - alignment(away_from), with its interval, per period."""
    i, j = eng.index(toward), eng.index(away_from)
    values = alignment_values(eng.sums[i]) - alignment_values(eng.sums[j])
    reps = alignment_values(eng.replicate_sums[:, i]) - alignment_values(eng.replicate_sums[:, j])
    return Tilt(
        focal=eng.focal,
        toward=toward,
        away_from=away_from,
        periods=eng.periods,
        tilt=tuple(float(x) for x in values),
        ci=_pair(percentile_interval(reps)),
    )
