"""`find_dates`: time expressions resolved against the publication date (CODEBOOK section 4)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from multivector.events.dates import DateExpr, find_dates

PUB = date(2022, 12, 1)  # a Thursday


def one(text: str, published: date = PUB) -> DateExpr:
    found = find_dates(text, published)
    assert len(found) == 1, found
    return found[0]


def test_month_day_takes_the_publication_year():
    d = one("The two presidents spoke by phone on November 28.")
    assert (d.date, d.precision, d.future) == (date(2022, 11, 28), "day", False)
    assert d.text == "November 28"


def test_month_day_after_publication_is_last_year():
    d = one("The pipeline stopped on December 20.")
    assert d.date == date(2021, 12, 20)


def test_year_inferred_across_new_year():
    d = one("Ministers met in Baku on December 29.", published=date(2023, 1, 4))
    assert d.date == date(2022, 12, 29)
    d = one("The vote was held on 2 January.", published=date(2023, 1, 3))
    assert d.date == date(2023, 1, 2)


def test_next_day_is_tolerated_as_the_same_year():
    d = one("Ministers meet on December 2.")
    assert d.date == date(2022, 12, 2) and d.future


def test_explicit_year_and_day_month_order():
    assert one("They signed it on November 10, 2020.").date == date(2020, 11, 10)
    assert one("They signed it on 3 March 2021.").date == date(2021, 3, 3)
    assert one("Elections were held on 20 November.").date == date(2022, 11, 20)


def test_this_week_is_its_monday():
    d = one("Talks resumed this week.")
    assert (d.date, d.precision) == (date(2022, 11, 28), "week")
    d = one("Talks resumed last week.")
    assert (d.date, d.precision) == (date(2022, 11, 21), "week")


def test_yesterday_and_today():
    assert (one("The envoy left yesterday.").date, one("The envoy left yesterday.").precision) == (
        date(2022, 11, 30),
        "day",
    )
    assert one("The envoy arrives today.").date == PUB


def test_in_june_is_a_month():
    d = one("The border reopened in June.")
    assert (d.date, d.precision) == (date(2022, 6, 1), "month")
    # a month after the publication month is last year's
    assert one("The border reopened in December.", published=date(2022, 7, 5)).date == date(
        2021, 12, 1
    )


def test_in_june_with_a_year():
    d = one("The border reopened in June 2021.")
    assert (d.date, d.precision, d.text) == (date(2021, 6, 1), "month", "in June 2021")


def test_nearly_a_year_ago_is_a_month():
    d = one("The unrest began nearly a year ago.")
    assert (d.date, d.precision) == (date(2021, 12, 1), "month")


def test_years_ago_is_a_year():
    d = one("The republic became independent 31 years ago.")
    assert (d.date, d.precision) == (date(1991, 1, 1), "year")
    d = one("The treaty was signed twenty years ago.")
    assert (d.date, d.precision) == (date(2002, 1, 1), "year")


def test_weeks_and_days_ago():
    assert one("The convoy left two weeks ago.").date == date(2022, 11, 14)
    assert one("The convoy left 3 days ago.").date == date(2022, 11, 28)


def test_next_year_is_future():
    d = one("The summit will be held next year.")
    assert (d.date, d.precision, d.future) == (date(2023, 1, 1), "year", True)
    assert one("The forum opens next month.").future


def test_weekday_is_the_last_one():
    assert one("The ministers spoke on Monday.").date == date(2022, 11, 28)
    assert one("The ministers spoke on Thursday.").date == PUB


def test_may_the_modal_verb_is_no_date():
    assert find_dates("Moscow may respond with tariffs.", PUB) == []
    assert find_dates("The committee May decide later.", PUB) == []  # capitalised by mistake
    assert one("Moscow responded in May.").date == date(2022, 5, 1)
    assert one("Moscow responded on May 5.").date == date(2022, 5, 5)


def test_in_year():
    d = one("Relations soured in 2014.")
    assert (d.date, d.precision, d.future) == (date(2014, 1, 1), "year", False)
    assert one("Talks will resume in 2024.").future


def test_several_expressions_in_order_without_overlap():
    found = find_dates(
        "After the vote on November 20, 2022 and the talks in June, they met yesterday.", PUB
    )
    assert [d.text for d in found] == ["November 20, 2022", "in June", "yesterday"]
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


def test_nothing_in_plain_text():
    assert find_dates("Astana and Tashkent agreed to cooperate more closely.", PUB) == []


def test_far_past_does_not_crash():
    assert find_dates("The city was founded 2500 years ago.", PUB) == []


# --- property: resolved past dates never fall after publication --------------------------------

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December", "Jan.", "Sept", "Dec."]  # fmt: skip

phrases = st.one_of(
    st.builds(lambda m, d: f"on {m} {d}", st.sampled_from(MONTH_NAMES), st.integers(1, 31)),
    st.builds(
        lambda m, d, y: f"on {m} {d}, {y}",
        st.sampled_from(MONTH_NAMES),
        st.integers(1, 31),
        st.integers(1990, 2035),
    ),  # fmt: skip
    st.builds(lambda d, m: f"on {d} {m}", st.integers(1, 31), st.sampled_from(MONTH_NAMES)),
    st.builds(lambda m: f"in {m}", st.sampled_from(MONTH_NAMES)),
    st.builds(lambda m, y: f"in {m} {y}", st.sampled_from(MONTH_NAMES), st.integers(1990, 2035)),
    st.builds(lambda y: f"since {y}", st.integers(1990, 2035)),
    st.builds(
        lambda n, u: f"{n} {u} ago",
        st.integers(0, 60),
        st.sampled_from(["day", "days", "week", "weeks", "month", "months", "year", "years"]),
    ),  # fmt: skip
    st.builds(
        lambda w, u: f"{w} {u}",
        st.sampled_from(
            [
                "this",
                "last",
                "next",
                "the past",
                "the previous",
                "earlier this",
                "later this",
                "the current",
            ]
        ),
        st.sampled_from(["week", "month", "year"]),
    ),  # fmt: skip
    st.sampled_from(
        [
            "yesterday",
            "today",
            "last night",
            "the day before yesterday",
            "on Monday",
            "last Friday",
            "this Sunday",
            "nearly a year ago",
            "a decade ago",
        ]
    ),  # fmt: skip
)


@settings(max_examples=300, deadline=None)
@given(
    published=st.dates(min_value=date(1995, 1, 1), max_value=date(2030, 12, 31)),
    parts=st.lists(phrases, min_size=1, max_size=4),
)
def test_resolved_past_dates_never_after_publication(published, parts):
    text = "The delegations met " + ", then ".join(parts) + "."
    for d in find_dates(text, published):
        assert text[d.start : d.end] == d.text
        assert d.precision in ("day", "week", "month", "year")
        if not d.future:
            assert d.date <= published + timedelta(days=1), (text, d)
