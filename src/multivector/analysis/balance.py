"""The multi-vector balance: how evenly cooperation is spread across the powers.

For focal F, powers P_1..P_k (k >= 2) and period t, with c_i = coop[P_i, t] (F's cooperative
events, quads 1-2, with P_i) and shares s_i = c_i / sum_j c_j:

    balance[t] = -sum_i s_i ln(s_i) / ln(k)          (terms with s_i = 0 count 0)

the Shannon entropy of the shares normalised by its maximum: 1 when cooperation is spread
evenly over all k powers, near 0 when it goes to one. Defined as 0 when fewer than two powers
have any cooperative event in the period (including none at all), and 0 when k < 2. Always in
[0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from multivector.analysis._common import clean_list
from multivector.analysis.bootstrap import FloatArray, percentile_interval
from multivector.analysis.engagement import COOP, Engagement


def balance_index(engagement: FloatArray) -> FloatArray:
    """Normalised entropy over axis 0 (the powers) of non-negative engagement counts.

    `engagement` has shape (k, ...); the result has shape (...). See the module docstring.
    """
    c = np.clip(np.asarray(engagement, dtype=np.float64), 0.0, None)
    k = c.shape[0]
    if k < 2:
        return np.zeros(c.shape[1:])
    total = c.sum(axis=0)
    shares = np.divide(c, total, out=np.zeros_like(c), where=total > 0)
    logs = np.log(shares, out=np.zeros_like(shares), where=shares > 0)
    h = -(shares * logs).sum(axis=0) / np.log(k)
    h = np.where((c > 0).sum(axis=0) >= 2, h, 0.0)
    return np.clip(h, 0.0, 1.0)


@dataclass(frozen=True, slots=True)
class Balance:
    """The balance index per period, with the cooperative engagement behind it."""

    focal: str
    powers: tuple[str, ...]
    periods: tuple[date, ...]
    balance: tuple[float, ...]
    ci: tuple[tuple[float, ...], tuple[float, ...]]
    cooperative: tuple[tuple[int, ...], ...]  # per power, per period

    def to_dict(self) -> dict[str, Any]:
        return {
            "focal": self.focal,
            "powers": list(self.powers),
            "balance": clean_list(self.balance),
            "balance_lo": clean_list(self.ci[0]),
            "balance_hi": clean_list(self.ci[1]),
            "cooperative": {p: list(c) for p, c in zip(self.powers, self.cooperative, strict=True)},
        }


def balance(eng: Engagement) -> Balance:
    """The focal country's multi-vector balance over `eng.periods`."""
    coop = eng.sums[..., COOP]  # (k, T)
    values = balance_index(coop)
    reps = eng.replicate_sums[..., COOP]  # (B, k, T)
    rep_values = balance_index(np.moveaxis(reps, 1, 0)) if reps.shape[0] else reps[:, 0]
    lo, hi = percentile_interval(rep_values)
    return Balance(
        focal=eng.focal,
        powers=eng.names,
        periods=eng.periods,
        balance=tuple(float(x) for x in values),
        ci=(tuple(float(x) for x in lo), tuple(float(x) for x in hi)),
        cooperative=tuple(tuple(int(x) for x in row) for row in coop),
    )
