"""Bootstrap intervals by resampling documents with replacement.

A document is the unit of sampling: a replicate draws `n_documents` documents with replacement
from the documents behind the focal country's filtered rows (its coverage), so each document gets a weight (how many times it
was drawn), and every per-document sum (events, PLOVER scores, cooperative events...) is
re-added with those weights. A measure then computes its statistic from the re-weighted sums of
each replicate; the interval is the percentile interval of the replicates (2.5% and 97.5% for a
95% level). Seeded: the same data, seed and number of replicates give the same intervals.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

DEFAULT_REPLICATES = 200
DEFAULT_LEVEL = 0.95

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def resample_sums(
    doc_index: IntArray,
    cell_index: IntArray,
    values: FloatArray,
    *,
    n_documents: int,
    n_cells: int,
    replicates: int = DEFAULT_REPLICATES,
    seed: int = 0,
) -> FloatArray:
    """Return per-cell sums of `values` under document resampling, shape (B, n_cells, k).

    `doc_index[i]` (0 <= . < n_documents) and `cell_index[i]` (0 <= . < n_cells) say which
    document and which cell (e.g. period, or power x period) row i of `values` (shape (n, k))
    belongs to. Documents that contribute no row still take part in the draw when
    `n_documents` counts them, which is what makes totals vary between replicates.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 1:
        values = values[:, None]
    k = values.shape[1]
    out = np.zeros((replicates, n_cells, k))
    if n_documents <= 0 or len(values) == 0:
        return out
    # Only documents with rows matter. Of n_documents uniform draws, the number that land on
    # one of the `active` documents with rows is Binomial(n_documents, active / n_documents),
    # and those draws are uniform over the active documents: exact, and O(active) per replicate.
    active = int(doc_index.max()) + 1
    if active > n_documents:
        raise ValueError("doc_index refers to more documents than n_documents")
    rng = np.random.default_rng(seed)
    for r in range(replicates):
        hits = rng.binomial(n_documents, active / n_documents)
        counts = np.bincount(rng.integers(0, active, size=hits), minlength=active)
        weight = counts[doc_index].astype(np.float64)
        for j in range(k):
            out[r, :, j] = np.bincount(cell_index, weights=weight * values[:, j], minlength=n_cells)
    return out


def percentile_interval(
    replicates: FloatArray, level: float = DEFAULT_LEVEL
) -> tuple[FloatArray, FloatArray]:
    """Return (lower, upper) percentile bounds over axis 0, ignoring NaN replicates.

    Linear interpolation between order statistics (numpy's default method). A column where
    every replicate is NaN (the statistic is undefined in all of them) gets NaN.
    """
    x = np.sort(np.asarray(replicates, dtype=np.float64), axis=0)  # NaN sorts last
    shape = x.shape[1:]
    valid = (~np.isnan(x)).sum(axis=0)
    tail = (1.0 - level) / 2.0

    def quantile(q: float) -> FloatArray:
        pos = q * np.maximum(valid - 1, 0)
        below = np.floor(pos).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(valid - 1, 0))
        a = np.take_along_axis(x, below[None, ...], axis=0)[0] if x.shape[0] else np.zeros(shape)
        b = np.take_along_axis(x, above[None, ...], axis=0)[0] if x.shape[0] else np.zeros(shape)
        value = a + (b - a) * (pos - below)
        return np.where(valid > 0, value, np.nan)

    return quantile(tail), quantile(1.0 - tail)


def safe_ratio(num: npt.ArrayLike, den: npt.ArrayLike) -> FloatArray:
    """Elementwise num / den, NaN where den is 0."""
    n = np.asarray(num, dtype=np.float64)
    d = np.asarray(den, dtype=np.float64)
    out = np.full(np.broadcast(n, d).shape, np.nan)
    np.divide(n, d, out=out, where=d != 0)
    return out
