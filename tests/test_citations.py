"""`find_citations`: in-line cited sources (CODEBOOK section 4), and outlet canonicalisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from multivector.events.citations import FoundCitation, find_citations, outlet_lookup

PUB = date(2022, 12, 1)


@dataclass(frozen=True)
class FakeOutlet:
    """The attributes `outlet_lookup` reads from the knowledge base's outlet records."""

    name: str
    aliases: tuple[str, ...] = ()
    domain: str = ""


OUTLETS = [
    FakeOutlet("Kun.uz", ("Kun",), "kun.uz"),
    FakeOutlet("Eurasia Daily Monitor", ("EDM",)),
    FakeOutlet("Kommersant", ("Kommersant.ru", "Kommersant Daily"), "www.kommersant.ru"),
    FakeOutlet("Le Monde", (), "lemonde.fr"),
    FakeOutlet("Tengrinews", ("Tengri News", "Tengrinnews.kz"), "tengrinews.kz"),
]
LOOKUP = outlet_lookup(OUTLETS)


def pairs(text: str, lookup=LOOKUP) -> list[tuple[str, str]]:
    return [(c.outlet, c.date) for c in find_citations(text, PUB, lookup)]


def test_single_citation_with_span():
    text = "The opposition leader was barred from the ballot (Vlast.kz, November 29)."
    found = find_citations(text, PUB)
    assert found == [FoundCitation("Vlast.kz", "2022-11-29", text.index("("), text.index(")") + 1)]


def test_cluster_gives_one_citation_per_outlet():
    text = (
        "Transit fees were raised again (Orda.kz, November 29; Azernews.az; Trend.az, November 30)."
    )
    assert pairs(text) == [
        ("Orda.kz", "2022-11-29"),
        ("Azernews.az", ""),
        ("Trend.az", "2022-11-30"),
    ]


def test_multi_date_citation_gives_one_citation_per_date():
    text = "Ferry traffic across the Caspian doubled (Caspian-news.az, March 11, November 23, 29)."
    assert pairs(text) == [
        ("Caspian-news.az", "2022-03-11"),
        ("Caspian-news.az", "2022-11-23"),
        ("Caspian-news.az", "2022-11-29"),
    ]


def test_dates_after_publication_are_last_year_and_explicit_years_hold():
    assert pairs("Grain exports resumed (Interfax.kz, December 20).") == [
        ("Interfax.kz", "2021-12-20")
    ]
    assert pairs("Grain exports resumed (Interfax.kz, May 3, 2020).") == [
        ("Interfax.kz", "2020-05-03")
    ]


def test_cross_reference():
    found = find_citations("The question is an old one (see EDM, August 11).", PUB)
    assert [(c.outlet, c.date, c.cross_reference) for c in found] == [("EDM", "2022-08-11", True)]


def test_cross_reference_inside_a_cluster():
    text = "Trade fell (Vedomosti, May 4; see EDM, July 2, 2021)."
    found = find_citations(text, PUB)
    assert [(c.outlet, c.date, c.cross_reference) for c in found] == [
        ("Vedomosti", "2022-05-04", False),
        ("EDM", "2021-07-02", True),
    ]


def test_according_to():
    text = "The border post was moved, according to Kun.uz."
    found = find_citations(text, PUB)
    assert [(c.outlet, c.date) for c in found] == [("Kun.uz", "")]
    assert text[found[0].start : found[0].end].rstrip(".") == "according to Kun.uz"


def test_according_to_before_another_sentence():
    text = "The border post was moved, according to Kun.uz. The Ministry denied it."
    assert pairs(text) == [("Kun.uz", "")]


def test_according_to_at_sentence_start():
    assert pairs("According to Kun.uz, the border post was moved.") == [("Kun.uz", "")]


@pytest.mark.parametrize(
    "text",
    [
        "Armenia asked the bloc (CSTO) for help.",
        "Shelling continued overnight (in Nagorno-Karabakh) despite the truce.",
        "The three states (Kazakhstan, Kyrgyzstan and Tajikistan) share the basin.",
        "Turnout was low (about 69 percent).",
        "The law (adopted in 2019) was repealed.",
        "According to the president, the talks went well.",
    ],
)
def test_prose_is_no_citation(text):
    assert find_citations(text, PUB) == []
    assert find_citations(text, PUB, LOOKUP) == []


def test_lookup_knows_names_aliases_and_domains_and_keeps_the_written_form():
    # the outlet is recorded as the text cites it (scoring compares names case-insensitively
    # without "www."), but only when the knowledge base knows it
    assert LOOKUP("Kommersant") == "Kommersant"
    assert LOOKUP("kommersant.ru") == "kommersant.ru"
    assert LOOKUP("www.Kommersant.ru") == "www.Kommersant.ru"
    assert LOOKUP("KOMMERSANT DAILY") == "KOMMERSANT DAILY"
    assert LOOKUP("  the  Kun ") == "the  Kun"
    assert LOOKUP("Lemonde.fr") == "Lemonde.fr"
    assert LOOKUP("Pravda.ru") is None
    assert LOOKUP("") is None


def test_lookup_corrects_a_misspelt_web_address_to_the_domain():
    assert LOOKUP("Tengrinnews.kz") == "Tengrinews.kz"
    assert LOOKUP("tengrinews.kz") == "tengrinews.kz"  # spelt right: kept as written
    assert LOOKUP("Tengri News") == "Tengri News"  # not a web address: kept as written


def test_first_outlet_wins_a_shared_alias():
    lookup = outlet_lookup(
        [
            FakeOutlet("Vlast", ("Vlastt.kz",), "vlast.kz"),
            FakeOutlet("Other", ("Vlastt.kz",), "else.kz"),
        ]
    )
    assert lookup("Vlastt.kz") == "Vlast.kz"


def test_citations_use_the_lookup():
    text = (
        "Prices rose (kommersant.ru, October 3; see EDM, August 11; Tengrinnews.kz), "
        "as reported by Kun."
    )
    assert pairs(text) == [
        ("kommersant.ru", "2022-10-03"),
        ("EDM", "2022-08-11"),
        ("Tengrinews.kz", ""),
        ("Kun", ""),
    ]
    # without the knowledge base an undated plain name is not an outlet
    assert pairs("Prices rose, as reported by Kun.", lookup=None) == []


def test_known_outlet_without_date_counts():
    assert pairs("Prices rose (Le Monde).") == [("Le Monde", "")]
    assert pairs("Prices rose (Le Monde).", lookup=None) == []


def test_citations_come_in_text_order():
    text = "First (Orda.kz, May 2). Then, according to Kun.uz, more. Last (Trend.az, June 1)."
    assert [c.outlet for c in find_citations(text, PUB, LOOKUP)] == [
        "Orda.kz",
        "Kun.uz",
        "Trend.az",
    ]


def test_day_month_citation_date():
    assert pairs("Exports fell (Interfax.kz, 5 March).") == [("Interfax.kz", "2022-03-05")]
