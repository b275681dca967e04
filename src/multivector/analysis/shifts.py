"""Shifts: change points in the mean of a series (PELT with a BIC-style penalty).

The series x_1..x_n is cut into segments that minimise

    sum over segments of  sum_i (x_i - mean of segment)^2   +   penalty * (number of cuts)

with penalty = 2 * sigma^2 * ln(n) (the Schwarz/BIC penalty for a mean change in Gaussian noise:
each cut adds a location and a mean). sigma^2 is estimated from the first differences, which a
level shift barely affects: the larger of the robust MAD estimate (MAD(diff x) / (0.6745 sqrt 2))^2
and the mean-square-successive-difference estimate mean((diff x)^2) / 2 (sparse event series
have a MAD of zero), floored at 1% of the series' variance. The search is exact (optimal partitioning) with
PELT's pruning (Killick, Fearnhead and Eckley 2012); segments are at least `min_size` periods
long. A change point is reported at the first period of the new segment.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from multivector.analysis.bootstrap import FloatArray


@dataclass(frozen=True, slots=True)
class Shift:
    """A change in the mean of a series: the first period of the new level."""

    series: str
    index: int
    period: date
    before: float  # mean of the segment before
    after: float  # mean of the segment from `period` on
    delta: float  # after - before

    def to_dict(self) -> dict[str, Any]:
        return {
            "series": self.series,
            "index": self.index,
            "period": self.period.isoformat(),
            "before": self.before,
            "after": self.after,
            "delta": self.delta,
        }


def default_penalty(x: FloatArray) -> float:
    """2 * sigma^2 * ln(n) with the robust sigma of the module docstring."""
    n = len(x)
    if n < 2:
        return math.inf
    diffs = np.diff(x)
    mad = float(np.median(np.abs(diffs - np.median(diffs))))
    robust = (mad / (0.6745 * math.sqrt(2.0))) ** 2
    successive = float(np.mean(diffs * diffs)) / 2.0
    variance = max(robust, successive, 0.01 * float(np.var(x)))
    return 2.0 * variance * math.log(n)


def change_points(
    values: Sequence[float] | FloatArray, *, penalty: float | None = None, min_size: int = 2
) -> tuple[int, ...]:
    """Return the indices where a new segment starts (sorted, never 0).

    NaN values are treated as 0 (a period with nothing to measure). A constant series, or one
    shorter than two segments, has no change point.
    """
    x = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0)
    n = len(x)
    min_size = max(1, min_size)
    if n < 2 * min_size or float(np.ptp(x)) == 0.0:
        return ()
    beta = default_penalty(x) if penalty is None else float(penalty)
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])

    def cost(starts: np.ndarray, end: int) -> np.ndarray:
        length = end - starts
        seg = s1[end] - s1[starts]
        return (s2[end] - s2[starts]) - seg * seg / length

    best = np.full(n + 1, np.inf)
    best[0] = -beta
    last = np.zeros(n + 1, dtype=np.int64)
    candidates = np.array([0], dtype=np.int64)
    for t in range(min_size, n + 1):
        ok = candidates[t - candidates >= min_size]
        total = best[ok] + cost(ok, t) + beta
        k = int(np.argmin(total))
        best[t] = total[k]
        last[t] = ok[k]
        young = candidates[t - candidates < min_size]
        keep = ok[best[ok] + cost(ok, t) <= best[t] + 1e-9 * abs(best[t])]
        candidates = np.concatenate([keep, young, [t]])
    cuts = []
    t = n
    while t > 0:
        t = int(last[t])
        if t > 0:
            cuts.append(t)
    return tuple(sorted(cuts))


def shifts(
    series: str,
    periods: Sequence[date],
    values: Sequence[float] | FloatArray,
    *,
    penalty: float | None = None,
    min_size: int = 2,
) -> tuple[Shift, ...]:
    """Change points of `values` (one per period) as `Shift`s with segment means."""
    x = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0)
    cuts = change_points(x, penalty=penalty, min_size=min_size)
    bounds = [0, *cuts, len(x)]
    out = []
    for j, cut in enumerate(cuts):
        before = float(np.mean(x[bounds[j] : cut]))
        after = float(np.mean(x[cut : bounds[j + 2]]))
        out.append(Shift(series, cut, periods[cut], before, after, after - before))
    return tuple(out)
