"""The formulas behind every number of a report, stated once for the report and the docs."""

from __future__ import annotations

from typing import Final

FORMULAS: Final[tuple[tuple[str, str], ...]] = (
    ("Rows counted",
     "Every measure reads the dyad view (one row per unordered pair {a, b} of an event's "
     "participants, b empty for one-sided events) filtered by period, event types, factuality "
     "(asserted only by default) and sources. With de-duplication on, an event reported by "
     "several documents (one cluster) counts once per pair, through its earliest report."),
    ("Period",
     "Events fall in the week (ISO, Monday first), month or quarter of their event date; a "
     "period is named by its first day. Without --from/--to a report covers the span in which "
     "the country's documents were published; events they date earlier (history) fall outside."),
    ("Dyadic series",
     "events[t] = number of F-P events in period t, by PLOVER type and quad class; "
     "net cooperation[t] = sum of the PLOVER scores (-10..+10) of those events; "
     "conflict share[t] = (quad 3 + quad 4 events) / events[t]; "
     "coverage[t] = events involving F in t (with anyone); normalised values divide by "
     "coverage[t]."),
    ("Alignment",
     "alignment(F, P)[t] = net cooperation[t] / (10 x events[t]): the mean PLOVER score of F's "
     "events with P scaled to [-1, +1] (+1 all material aid, -1 all armed assault); undefined "
     "in a period without F-P events. A power that is an organisation counts events with the "
     "organisation's own code and, when member expansion is on, with its member states of that "
     "period; each event counts once per power."),
    ("Tilt",
     "tilt(P1, P2)[t] = alignment(F, P1)[t] - alignment(F, P2)[t], in [-2, +2]; positive when "
     "F leans toward P1; undefined when either alignment is."),
    ("Multi-vector balance",
     "With c_i the number of F's cooperative events (quads 1-2) with power i of k powers and "
     "s_i = c_i / sum c: balance[t] = -sum s_i ln s_i / ln k, in [0, 1]: 1 when cooperation is "
     "spread evenly over all powers, 0 when it goes to one. Defined as 0 when fewer than two "
     "powers have any cooperative event in the period."),
    ("Shifts",
     "Change points in the mean of each power's net cooperation, cooperative-event and "
     "conflictual-event series and of the balance: "
     "exact segmentation (PELT) minimising the within-segment sum of squares plus "
     "2 sigma^2 ln(n) per change (BIC), sigma^2 estimated from the first differences (the "
     "larger of the robust MAD estimate and half the mean squared difference), segments of at "
     "least two periods. A shift is dated at the first period of the new level."),
    ("Uncertainty",
     "Bands are 95% percentile bootstrap intervals: the documents reporting the country's "
     "events (after the filters) are "
     "drawn with replacement (B replicates, fixed seed) and every measure is recomputed from "
     "the re-weighted per-document sums."),
    ("Relations map",
     "Each partner of F over the whole period: number of events, cooperative (quads 1-2) and "
     "conflictual (quads 3-4) events, net cooperation (sum of scores) and mean score / 10; "
     "edge colour by the mean score, width by the number of events."),
)  # fmt: skip
