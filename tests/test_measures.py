"""Measures: hand-computed small cases and property tests (conservation, bounds)."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyad_fixture import Ev, build
from multivector.analysis import (
    Filters,
    Power,
    alignment,
    balance,
    balance_index,
    change_points,
    dyad_series,
    engagement,
    parse_powers,
    shifts,
    tilt,
)
from multivector.analysis.bootstrap import percentile_interval, resample_sums
from multivector.analysis.filters import base_query, check_relation
from multivector.analysis.periods import period_range, period_start
from multivector.errors import ConfigError, StoreError
from multivector.ontology import EVENT_TYPES, QUAD, SCORE

D = date


def small() -> list[Ev]:
    return [
        Ev("e1", "d1", D(2022, 1, 5), "CONSULT", ("KAZ", "RUS")),
        Ev("e2", "d1", D(2022, 1, 6), "ACCUSE", ("RUS",), ("KAZ",)),
        Ev("e3", "d2", D(2022, 2, 6), "AID", ("CHN",), ("KAZ",)),
        Ev("e4", "d3", D(2022, 3, 6), "AID", ("CHN",), ("KAZ", "UZB")),
        Ev("e5", "d3", D(2022, 3, 7), "ASSAULT", ("RUS",), ("KAZ",), factuality="hypothetical"),
        Ev("e6", "d4", D(2022, 3, 8), "MOBILIZE", ("KAZ",)),
    ]


# -- periods and filters ----------------------------------------------------------------------


def test_period_start_and_range() -> None:
    assert period_start(D(2022, 2, 24), "week") == D(2022, 2, 21)
    assert period_start(D(2022, 2, 24), "month") == D(2022, 2, 1)
    assert period_start(D(2022, 2, 24), "quarter") == D(2022, 1, 1)
    assert period_range(D(2021, 11, 15), D(2022, 2, 1), "month") == (
        D(2021, 11, 1), D(2021, 12, 1), D(2022, 1, 1), D(2022, 2, 1),
    )  # fmt: skip
    assert period_range(D(2022, 1, 1), D(2022, 12, 31), "quarter")[-1] == D(2022, 10, 1)
    assert period_range(D(2022, 2, 1), D(2022, 1, 1), "month") == ()


def test_week_periods_agree_with_duckdb() -> None:
    con = build(small())
    days = [r[0] for r in con.execute("SELECT DISTINCT date FROM event_dyads").fetchall()]
    for g in ("week", "month", "quarter"):
        sql, params = base_query(
            "event_dyads", Filters(granularity=g, factuality=("asserted", "hypothetical"))
        )
        got = {
            r[0]: r[1] for r in con.execute(f"SELECT date, period FROM ({sql})", params).fetchall()
        }
        assert all(got[d] == period_start(d, g) for d in days)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"granularity": "day"},
        {"types": ("HUG",)},
        {"factuality": ("maybe",)},
        {"factuality": ()},
        {"start": D(2022, 2, 1), "end": D(2022, 1, 1)},
    ],
)
def test_bad_filters_raise_config_error(kwargs: dict) -> None:
    with pytest.raises(ConfigError):
        Filters(**kwargs)


def test_relation_name_must_be_an_identifier() -> None:
    assert check_relation("main.event_dyads") == "main.event_dyads"
    with pytest.raises(ConfigError):
        check_relation("event_dyads; DROP TABLE events")


def test_missing_view_is_a_store_error() -> None:
    import duckdb

    with pytest.raises(StoreError):
        dyad_series(duckdb.connect(), "KAZ", "RUS")


# -- dyadic series ------------------------------------------------------------------------------


def test_dyad_series_hand_computed() -> None:
    s = dyad_series(build(small()), "KAZ", "RUS", replicates=0)
    assert s.periods == (D(2022, 1, 1), D(2022, 2, 1), D(2022, 3, 1))
    assert s.events == (2, 0, 0)  # the hypothetical assault is filtered out
    assert dict(s.counts) == {"ACCUSE": (1, 0, 0), "CONSULT": (1, 0, 0)}
    assert s.quad == ((1, 0, 0), (0, 0, 0), (1, 0, 0), (0, 0, 0))
    assert s.net_cooperation == (2.5 - 3.0, 0.0, 0.0)
    assert s.conflict_share[0] == 0.5 and math.isnan(s.conflict_share[1])
    # coverage of KAZ: e1, e2 in January; e3 in February; e4, e6 in March
    assert s.coverage == (2, 1, 2)
    assert s.events_normalised == (1.0, 0.0, 0.0)
    assert s.net_normalised[0] == pytest.approx(-0.25)
    assert math.isnan(s.net_ci[0][0])  # no replicates, no interval


def test_dyad_series_filters() -> None:
    con = build(small())
    every = Filters(factuality=("asserted", "hypothetical"))
    assert dyad_series(con, "RUS", "KAZ", every, replicates=0).events == (2, 0, 1)
    only = Filters(types=("ACCUSE",))
    assert sum(dyad_series(con, "KAZ", "RUS", only, replicates=0).events) == 1
    window = Filters(start=D(2022, 2, 1), end=D(2022, 4, 30))
    s = dyad_series(con, "KAZ", "RUS", window, replicates=0)
    assert s.periods == (D(2022, 2, 1), D(2022, 3, 1), D(2022, 4, 1)) and sum(s.events) == 0
    assert (
        sum(dyad_series(con, "KAZ", "RUS", Filters(sources=("nowhere",)), replicates=0).events) == 0
    )
    with pytest.raises(ConfigError):
        dyad_series(con, "KAZ", "KAZ")


def test_dedup_counts_clusters_once() -> None:
    events = [
        Ev("e1", "d1", D(2022, 1, 5), "CONSULT", ("KAZ", "RUS"), cluster_id="c1"),
        Ev("e2", "d2", D(2022, 1, 6), "CONSULT", ("KAZ", "RUS"), cluster_id="c1"),
        Ev("e3", "d3", D(2022, 1, 7), "AID", ("RUS",), ("KAZ",)),
    ]
    con = build(events)
    assert dyad_series(con, "KAZ", "RUS", replicates=0).events == (2,)
    assert dyad_series(con, "KAZ", "RUS", Filters(dedup=False), replicates=0).events == (3,)


def test_bootstrap_interval_brackets_the_estimate() -> None:
    events = [
        Ev(
            f"e{i}",
            f"d{i}",
            D(2022, 1 + i % 3, 3),
            "COOPERATE" if i % 4 else "ACCUSE",
            ("KAZ", "RUS"),
        )
        for i in range(60)
    ]
    s = dyad_series(build(events), "KAZ", "RUS", replicates=200, seed=7)
    for v, lo, hi in zip(s.net_cooperation, *s.net_ci, strict=True):
        assert lo <= v <= hi
    again = dyad_series(build(events), "KAZ", "RUS", replicates=200, seed=7)
    assert np.allclose(again.net_ci, s.net_ci)  # seeded


def test_resample_sums_draws_documents_with_replacement() -> None:
    docs = np.arange(10, dtype=np.int64)
    sums = resample_sums(
        docs, np.zeros(10, dtype=np.int64), np.ones(10), n_documents=10, n_cells=1, replicates=50
    )
    assert sums.shape == (50, 1, 1)
    assert np.all(sums[:, 0, 0] == 10)  # 10 draws, each document holds one event
    lo, hi = percentile_interval(np.full((0, 3), 1.0))
    assert np.isnan(lo).all() and np.isnan(hi).all()


# -- alignment, tilt, members --------------------------------------------------------------------


def test_alignment_and_tilt_hand_computed() -> None:
    eng = engagement(build(small()), "KAZ", parse_powers("RUS,CHN,USA"), replicates=0)
    rus, chn = alignment(eng, "RUS"), alignment(eng, "CHN")
    assert rus.events == (2, 0, 0) and rus.cooperative == (1, 0, 0) and rus.conflictual == (1, 0, 0)
    assert rus.alignment[0] == pytest.approx((2.5 - 3.0) / 20)
    assert math.isnan(rus.alignment[1])
    assert chn.alignment[1:] == (1.0, 1.0)  # AID scores +10
    t = tilt(eng, "CHN", "RUS")
    assert all(math.isnan(x) for x in t.tilt)  # never both defined in one month
    eng2 = engagement(
        build(small()), "KAZ", parse_powers("RUS,CHN"), Filters(granularity="quarter"), replicates=0
    )
    assert tilt(eng2, "CHN", "RUS").tilt[0] == pytest.approx(1.0 - (-0.025))


def test_bloc_and_member_expansion() -> None:
    events = [
        Ev("e1", "d1", D(2022, 1, 5), "CONSULT", ("KAZ", "FRA")),
        Ev("e2", "d1", D(2022, 1, 6), "SUPPORT", ("KAZ",), ("FRA", "DEU")),
        Ev("e3", "d2", D(2022, 1, 7), "AID", ("EU",), ("KAZ",)),
        Ev("e4", "d2", D(2022, 3, 7), "COOPERATE", ("KAZ", "GBR")),
    ]
    con = build(events)

    def members(org: str, on: date) -> list[str]:
        return {"EU": ["DEU", "FRA"] + (["GBR"] if on < D(2020, 2, 1) else [])}.get(org, [])

    plain = engagement(con, "KAZ", parse_powers("EU"), replicates=0, membership=members)
    assert alignment(plain, "EU").events == (1, 0, 0)
    expanded = engagement(
        con, "KAZ", parse_powers("EU", expand_members=True), replicates=0, membership=members
    )
    # e2 touches FRA and DEU but counts once; GBR left the EU before 2022
    assert alignment(expanded, "EU").events == (3, 0, 0)
    bloc = engagement(
        con, "KAZ", [Power("WEST", ("EU", "GBR", "USA"))], replicates=0, membership=None
    )
    assert alignment(bloc, "WEST").events == (1, 0, 1)
    assert "not available" in bloc.membership


def test_parse_powers() -> None:
    assert parse_powers("rus, CHN ,WEST=USA+gbr") == (
        Power("RUS", ("RUS",)), Power("CHN", ("CHN",)), Power("WEST", ("USA", "GBR")),
    )  # fmt: skip
    with pytest.raises(ConfigError):
        parse_powers("RUS,RUS")
    with pytest.raises(ConfigError):
        parse_powers(" , ")


# -- balance ------------------------------------------------------------------------------------


def test_balance_index_hand_computed() -> None:
    assert balance_index(np.array([3.0, 3.0])) == pytest.approx(1.0)
    assert balance_index(np.array([5.0, 0.0, 0.0])) == 0.0  # one power only
    assert balance_index(np.array([0.0, 0.0, 0.0])) == 0.0  # no engagement
    assert balance_index(np.array([4.0])) == 0.0  # a single power
    expected = -(0.5 * math.log(0.5) + 2 * 0.25 * math.log(0.25)) / math.log(3)
    assert balance_index(np.array([2.0, 1.0, 1.0])) == pytest.approx(expected)


def test_balance_series() -> None:
    eng = engagement(
        build(small()),
        "KAZ",
        parse_powers("RUS,CHN"),
        Filters(granularity="quarter"),
        replicates=50,
    )
    b = balance(eng)
    # one cooperative event with RUS (CONSULT), two with CHN (AID x2)
    expected = -(1 / 3 * math.log(1 / 3) + 2 / 3 * math.log(2 / 3)) / math.log(2)
    assert b.balance[0] == pytest.approx(expected)
    assert b.cooperative == ((1,), (2,))
    assert 0.0 <= b.ci[0][0] <= b.ci[1][0] <= 1.0


@settings(database=None)
@given(st.lists(st.lists(st.integers(0, 50), min_size=3, max_size=3), min_size=1, max_size=6))
def test_balance_index_stays_in_unit_interval(counts: list[list[int]]) -> None:
    values = balance_index(np.array(counts, dtype=float).T)
    assert np.all(values >= 0.0) and np.all(values <= 1.0)


# -- shifts -------------------------------------------------------------------------------------


def test_change_point_on_a_step() -> None:
    assert change_points([0, 0, 0, 0, 0, 5, 5, 5, 5, 5]) == (5,)
    assert change_points([1.0] * 12) == ()
    assert change_points([1.0, 2.0, 1.0]) == ()  # too short for two segments


def test_change_point_on_noisy_step_and_no_false_alarm() -> None:
    rng = np.random.default_rng(3)
    x = np.r_[rng.normal(2.0, 1.0, 14), rng.normal(-6.0, 1.0, 10)]
    assert change_points(x) == (14,)
    assert change_points(rng.normal(0, 1, 60)) == ()


def test_shifts_report_dates_and_means() -> None:
    periods = period_range(D(2021, 10, 1), D(2022, 6, 1), "month")
    values = [3.0, 4.0, 3.0, 4.0, -40.0, -45.0, -38.0, -42.0, -41.0]
    (s,) = shifts("net_cooperation:RUS", periods, values)
    assert s.period == D(2022, 2, 1) and s.index == 4
    assert s.before == pytest.approx(3.5) and s.after == pytest.approx(-41.2)


def test_change_point_found_in_a_synthetic_dyad_series() -> None:
    events = []
    for m in range(1, 13):
        for i in range(6):
            kind = "CONSULT" if m < 7 else "ASSAULT"
            events.append(Ev(f"e{m}-{i}", f"d{m}-{i}", D(2021, m, 1 + i), kind, ("RUS", "UKR")))
    s = dyad_series(build(events), "UKR", "RUS", replicates=0)
    found = shifts("net", s.periods, s.net_cooperation)
    assert [x.period for x in found] == [D(2021, 7, 1)]


# -- property tests: conservation ---------------------------------------------------------------

CODES = ("KAZ", "RUS", "CHN", "USA")


@st.composite
def event_lists(draw: st.DrawFn) -> list[Ev]:
    n = draw(st.integers(0, 25))
    out = []
    for i in range(n):
        event_type = draw(st.sampled_from(EVENT_TYPES))
        actors = tuple(draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=2)))
        recipients = tuple(draw(st.lists(st.sampled_from(CODES), max_size=2)))
        out.append(
            Ev(
                event_id=f"e{i}",
                doc_id=f"d{draw(st.integers(0, 5))}",
                day=D(2022, draw(st.integers(1, 12)), draw(st.integers(1, 28))),
                event_type=event_type,
                actors=actors,
                recipients=recipients,
                factuality=draw(st.sampled_from(("asserted", "asserted", "hypothetical"))),
                # one cluster is one event: its reports share the type
                cluster_id=draw(st.sampled_from((None, f"{event_type}-1", f"{event_type}-2"))),
            )
        )
    return out


def _expected_rows(events: list[Ev], a: str, b: str, dedup: bool) -> Counter:
    """Matching dyad rows per event type, computed without SQL."""
    from dyad_fixture import dyad_rows

    lo, hi = sorted((a, b))
    seen = set()
    out: Counter = Counter()
    for ev in events:
        if ev.factuality != "asserted":
            continue
        for row in dyad_rows(ev, "s", ev.day):
            if (row[12], row[13]) != (lo, hi):
                continue
            key = (ev.cluster_id or ev.event_id) if dedup else ev.event_id
            if dedup and key in seen:
                continue
            seen.add(key)
            out[ev.event_type] += 1
    return out


@settings(
    max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(event_lists(), st.sampled_from(("week", "month", "quarter")), st.booleans())
def test_series_conserve_event_counts(events: list[Ev], granularity: str, dedup: bool) -> None:
    con = build(events)
    filters = Filters(granularity=granularity, dedup=dedup)
    for a, b in (("KAZ", "RUS"), ("CHN", "USA")):
        s = dyad_series(con, a, b, filters, replicates=0)
        expected = _expected_rows(events, a, b, dedup)
        assert {t: sum(c) for t, c in s.counts if sum(c)} == dict(expected)
        assert sum(s.events) == sum(expected.values()) == sum(map(sum, s.quad))
        assert sum(s.net_cooperation) == pytest.approx(
            sum(SCORE[t] * n for t, n in expected.items())
        )
        for q in (1, 2, 3, 4):
            assert sum(s.quad[q - 1]) == sum(n for t, n in expected.items() if QUAD[t] == q)


@settings(
    max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(event_lists())
def test_engagement_balance_bounds_and_counts(events: list[Ev]) -> None:
    con = build(events)
    eng = engagement(
        con,
        "KAZ",
        parse_powers("RUS,CHN,USA"),
        Filters(dedup=False),
        replicates=20,
        membership=None,
    )
    b = balance(eng)
    assert all(0.0 <= v <= 1.0 for v in b.balance)
    assert all(0.0 <= v <= 1.0 for v in (*b.ci[0], *b.ci[1]) if not math.isnan(v))
    for power in ("RUS", "CHN", "USA"):
        expected = sum(
            1 for ev in events
            if ev.factuality == "asserted"
            and any({"KAZ", power} == {r[12], r[13]} for r in __import__("dyad_fixture").dyad_rows(ev, "s", ev.day))
        )  # fmt: skip
        assert sum(alignment(eng, power).events) == expected


def test_default_window_covers_the_publication_span() -> None:
    from multivector.analysis.engagement import default_window

    docs = {"d1": (D(2022, 1, 20), "s", "t", ""), "d2": (D(2022, 3, 2), "s", "t", "")}
    con = build(
        [
            Ev("e1", "d1", D(1994, 12, 5), "AGREE", ("UKR", "RUS")),  # history the text narrates
            Ev("e2", "d1", D(2022, 1, 19), "CONSULT", ("UKR", "RUS")),
            Ev("e3", "d2", D(2022, 3, 1), "ASSAULT", ("RUS",), ("UKR",)),
        ],
        docs=docs,
    )
    f = default_window(con, "event_dyads", Filters(), "UKR")
    assert (f.start, f.end) == (D(2022, 1, 1), D(2022, 3, 31))
    assert default_window(con, "event_dyads", Filters(start=D(1990, 1, 1)), "UKR").start == D(
        1990, 1, 1
    )
    assert sum(dyad_series(con, "UKR", "RUS", f, replicates=0).events) == 2


def test_resampling_matches_drawing_documents_with_replacement() -> None:
    # one document with a row among 4: its weight is Binomial(4, 1/4): mean 1, variance 0.75
    sums = resample_sums(
        np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64), np.ones(1),
        n_documents=4, n_cells=1, replicates=4000, seed=1,
    )  # fmt: skip
    w = sums[:, 0, 0]
    assert abs(w.mean() - 1.0) < 0.06 and abs(w.var() - 0.75) < 0.08
    assert w.max() <= 4
