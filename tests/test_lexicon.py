"""The trigger lexicon: parsing (errors name the line), longest match, gaps, trigger marks."""

from __future__ import annotations

import pytest

from multivector.errors import ConfigError
from multivector.events.lexicon import Lexicon, default_lexicon, parse_lexicon
from multivector.ontology import EVENT_TYPES

ROWS = [
    "# a small lexicon for tests",
    "",
    "CONSULT\t\tdiplomatic\trecip\tmeet",
    "CONSULT\t\tdiplomatic\trecip\ttalk|talks",
    "CONSULT\t\tdiplomatic\trecip\thold * talk|talks",
    "CONSULT\tphone\tdiplomatic\trecip\ttelephone conversation",
    "CONSULT\t\tdiplomatic\trecip\tconversation",
    "SUPPORT\t\tdiplomatic\tdir\tsign * ^agreement|treaty",
    "COOPERATE\t\teconomic\trecip\tagreement",
    "ACCUSE\tdisapprove\t\tdir\tcriticise|criticize",
]


def lex(rows: list[str] = ROWS) -> Lexicon:
    return parse_lexicon("\n".join(rows), "test.tsv")


def found(text: str, lexicon: Lexicon | None = None) -> list[tuple[str, str, str]]:
    """(event type, matched words, trigger word) for each match."""
    words = text.split()
    out = []
    for m in (lexicon or lex()).match(words):
        out.append((m.pattern.event_type, " ".join(words[m.start : m.end]), words[m.trigger]))
    return out


def test_rows_parse_with_their_source_line():
    patterns = lex().patterns
    assert len(patterns) == 8
    first = patterns[0]
    assert (first.event_type, first.mode, first.context, first.shape) == (
        "CONSULT",
        "",
        "diplomatic",
        "recip",
    )
    assert first.source == "test.tsv:3"
    assert patterns[-1].source == "test.tsv:10"
    assert patterns[2].elements == (frozenset({"hold"}), None, frozenset({"talk", "talks"}))
    assert patterns[2].size == 2


@pytest.mark.parametrize(
    "row, message",
    [
        ("CONSULT\t\tdiplomatic\trecip", "expected 5 tab-separated columns, got 4"),
        ("CONSULT\t\tdiplomatic\trecip\tmeet\textra", "expected 5 tab-separated columns, got 6"),
        ("CONSULTING\t\t\trecip\tmeet", "unknown event type 'CONSULTING'"),
        ("CONSULT\t\t\tsideways\tmeet", "shape must be one of"),
        ("CONSULT\t\t\trecip\t* meet", "a gap must follow a word"),
        ("CONSULT\t\t\trecip\thold * * talk", "a gap must follow a word"),
        ("CONSULT\t\t\trecip\thold *", "trailing gap"),
        ("CONSULT\t\t\trecip\t   ", "empty pattern"),
    ],
)
def test_errors_name_file_and_line(row, message):
    text = "# header\n\nCONSULT\t\t\trecip\tmeet\n" + row + "\n"
    with pytest.raises(ConfigError, match=message) as info:
        parse_lexicon(text, "mine.tsv")
    assert str(info.value).startswith("mine.tsv:4: ")


def test_comments_and_blank_lines_are_skipped():
    assert lex(["#", "   ", "\t\t", "# CONSULT\t\t\trecip\tmeet"]).patterns == []


def test_alternatives_and_case():
    assert found("they MEET") == []  # the input is lower-cased lemmas: the caller lowers
    lexicon = lex(["CONSULT\t\t\trecip\tMeet|Talk"])
    assert found("meet", lexicon) == [("CONSULT", "meet", "meet")]


def test_longest_match_wins():
    assert found("a telephone conversation was held") == [
        ("CONSULT", "telephone conversation", "telephone")
    ]
    assert found("they hold talks") == [("CONSULT", "hold talks", "hold")]


def test_gap_spans_up_to_three_tokens():
    assert found("hold a b c talks") == [("CONSULT", "hold a b c talks", "hold")]
    # four tokens apart: only the bare noun matches
    assert found("hold a b c d talks") == [("CONSULT", "talks", "talks")]


def test_marked_trigger_and_covered_words():
    # "agreement" is the trigger of the signing pattern, so the bare COOPERATE noun is covered
    assert found("they sign the trade agreement") == [
        ("SUPPORT", "sign the trade agreement", "agreement")
    ]
    assert found("the agreement holds") == [("COOPERATE", "agreement", "agreement")]


def test_separate_triggers_all_match_in_order():
    got = found("they meet , talk and criticise")
    assert [t for t, _, _ in got] == ["CONSULT", "CONSULT", "ACCUSE"]
    assert [w for _, _, w in got] == ["meet", "talk", "criticise"]


def test_no_match():
    assert found("the weather was fine") == []
    assert lex().match([]) == []


def test_bundled_lexicon_loads_and_uses_known_types():
    lexicon = default_lexicon()
    assert lexicon is default_lexicon()  # cached
    assert len(lexicon.patterns) > 100
    assert {p.event_type for p in lexicon.patterns} <= set(EVENT_TYPES)
    assert all(p.source.startswith("lexicon.tsv:") for p in lexicon.patterns)
    assert found("they hold talks", lexicon)[0][:2] == ("CONSULT", "hold talks")


def test_empty_word_is_an_error():
    with pytest.raises(ConfigError, match="mine.tsv:1"):
        parse_lexicon("CONSULT\t\t\trecip\thold ^\n", "mine.tsv")
