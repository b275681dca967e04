"""Measures over the event store: pure functions of a DuckDB connection and a relation name.

Every measure reads the `event_dyads` view (or any relation with its columns), filtered the
same way (`Filters`), and returns frozen results with `to_dict()`. Formulas are stated in each
module's docstring and in `docs/measures.md`.
"""

from multivector.analysis.alignment import AlignmentSeries, Tilt, alignment, tilt
from multivector.analysis.balance import Balance, balance, balance_index
from multivector.analysis.engagement import Engagement, engagement
from multivector.analysis.filters import DEFAULT_RELATION, Filters
from multivector.analysis.powers import Power, default_powers, parse_powers
from multivector.analysis.series import DyadSeries, dyad_series
from multivector.analysis.shifts import Shift, change_points, shifts

__all__ = [
    "DEFAULT_RELATION",
    "AlignmentSeries",
    "Balance",
    "DyadSeries",
    "Engagement",
    "Filters",
    "Power",
    "Shift",
    "Tilt",
    "alignment",
    "balance",
    "balance_index",
    "change_points",
    "default_powers",
    "dyad_series",
    "engagement",
    "parse_powers",
    "shifts",
    "tilt",
]
