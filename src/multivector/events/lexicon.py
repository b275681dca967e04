"""The PLOVER trigger lexicon: lemma patterns that signal an event type (data/lexicon.tsv).

A pattern is a sequence of lemma alternatives with optional gaps (`*`, up to three tokens).
`Lexicon.match(lemmas)` returns every match, longest first, without overlaps on the trigger
token, so "hold talks" wins over "talk" and "telephone conversation" over "conversation".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from multivector.errors import ConfigError
from multivector.ontology import EVENT_TYPES

LEXICON_VERSION = "lexicon/1"
_GAP = 3
_SHAPES = frozenset({"recip", "dir", "uni", "recip!", "dir!"})


@dataclass(frozen=True, slots=True)
class Pattern:
    event_type: str
    mode: str
    context: str
    shape: str
    elements: tuple[frozenset[str] | None, ...]  # None is a gap
    trigger_index: int
    source: str  # "lexicon.tsv:LINE"

    @property
    def size(self) -> int:
        return sum(1 for e in self.elements if e is not None)


@dataclass(frozen=True, slots=True)
class Match:
    pattern: Pattern
    start: int  # first token index
    end: int  # one past the last token index
    trigger: int  # token index of the trigger


class Lexicon:
    def __init__(self, patterns: list[Pattern]):
        self.patterns = patterns
        self._by_first: dict[str, list[Pattern]] = {}
        for p in sorted(patterns, key=lambda p: -p.size):
            first = p.elements[0]
            assert first is not None
            for lemma in first:
                self._by_first.setdefault(lemma.split("/")[0], []).append(p)

    def match(self, lemmas: list[str], pos: list[str] | None = None) -> list[Match]:
        """Match over lemmas; `pos` (coarse tags, e.g. "VERB") enables `lemma/POS` elements."""
        tagged = [f"{lemma}/{p}" for lemma, p in zip(lemmas, pos, strict=True)] if pos else lemmas
        found: list[Match] = []
        for i, lemma in enumerate(lemmas):
            for p in self._by_first.get(lemma, ()):
                m = self._match_at(p, lemmas, i, tagged)
                if m is not None:
                    found.append(m)
        # keep the longest pattern per trigger token; drop matches covered by a longer one
        found.sort(key=lambda m: (-m.pattern.size, -(m.end - m.start), m.start))
        kept: list[Match] = []
        used_triggers: set[int] = set()
        covered: set[int] = set()
        for m in found:
            if m.trigger in used_triggers or m.trigger in covered:
                continue
            kept.append(m)
            used_triggers.add(m.trigger)
            covered.update(range(m.start, m.end))
        kept.sort(key=lambda m: m.start)
        return kept

    @staticmethod
    def _match_at(p: Pattern, lemmas: list[str], i: int, tagged: list[str] | None = None) -> Match | None:
        tagged = tagged or lemmas
        positions: list[int] = []
        j = i
        k = 0
        elements = p.elements
        while k < len(elements):
            el = elements[k]
            if el is None:
                nxt = elements[k + 1]
                assert nxt is not None
                for skip in range(0, _GAP + 1):
                    if j + skip < len(lemmas) and (lemmas[j + skip] in nxt or tagged[j + skip] in nxt):
                        j += skip
                        break
                else:
                    return None
                k += 1
                continue
            if j >= len(lemmas) or (lemmas[j] not in el and tagged[j] not in el):
                return None
            positions.append(j)
            j += 1
            k += 1
        return Match(p, i, j, positions[p.trigger_index])


def _alt(a: str) -> str:
    """'release/VERB' keeps its tag in upper case; plain lemmas are lower-cased."""
    lemma, _, tag = a.partition("/")
    return f"{lemma.lower()}/{tag.upper()}" if tag else lemma.lower()


def _parse_pattern(text: str, where: str) -> tuple[tuple[frozenset[str] | None, ...], int]:
    elements: list[frozenset[str] | None] = []
    trigger = 0
    n_tokens = 0
    for tok in text.split():
        if tok == "*":
            if not elements or elements[-1] is None:
                raise ConfigError(f"{where}: a gap must follow a word")
            elements.append(None)
            continue
        if tok.startswith("^"):
            trigger = n_tokens
            tok = tok[1:]
        alternatives = frozenset(_alt(a) for a in tok.split("|") if a)
        if not alternatives:
            raise ConfigError(f"{where}: empty word in pattern {text!r}")
        elements.append(alternatives)
        n_tokens += 1
    if not elements or elements[-1] is None:
        raise ConfigError(f"{where}: empty pattern or trailing gap")
    return tuple(elements), trigger


def parse_lexicon(text: str, name: str = "lexicon.tsv") -> Lexicon:
    patterns: list[Pattern] = []
    rows = csv.reader(text.splitlines(), delimiter="\t")
    for lineno, row in enumerate(rows, start=1):
        if not row or row[0].startswith("#") or not "".join(row).strip():
            continue
        where = f"{name}:{lineno}"
        if len(row) != 5:
            raise ConfigError(f"{where}: expected 5 tab-separated columns, got {len(row)}")
        event_type, mode, context, shape, pattern = (c.strip() for c in row)
        if event_type not in EVENT_TYPES:
            raise ConfigError(f"{where}: unknown event type {event_type!r}")
        if shape not in _SHAPES:
            raise ConfigError(f"{where}: shape must be one of {sorted(_SHAPES)}, got {shape!r}")
        elements, trigger = _parse_pattern(pattern, where)
        patterns.append(Pattern(event_type, mode, context, shape, elements, trigger, where))
    return Lexicon(patterns)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    text = resources.files("multivector.events").joinpath("data/lexicon.tsv").read_text("utf-8")
    return parse_lexicon(text)
