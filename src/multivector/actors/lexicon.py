"""Tokens, folding and the compiled token trie behind the finder and the resolver.

Text is split into word and punctuation tokens with character offsets; each token is folded
(lower case, no diacritics, one apostrophe and one hyphen). Every name in the knowledge base is
tokenised the same way and stored in a trie of folded tokens, with a case pattern that keeps
capitalised names from matching common words ("Turkey" is not "turkey", "US" is not "us").
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from multivector.actors.kb import KnowledgeBase, Office

_TOKEN = re.compile(r"[\w\u0300-\u036f]+|[^\w\s]")

_TRANS = str.maketrans(
    {
        "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'",
        "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
        "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
        "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ð": "d", "þ": "th",
    }
)  # fmt: skip

_FOLDED: dict[str, str] = {}


def fold(s: str) -> str:
    """Lower-case `s`, strip diacritics and unify apostrophes and hyphens."""
    s = unicodedata.normalize("NFKD", s.translate(_TRANS))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def fold_token(w: str) -> str:
    f = _FOLDED.get(w)
    if f is None:
        f = fold(w) if not w.isascii() else w.lower()
        if len(_FOLDED) < 500_000:
            _FOLDED[w] = f
    return f


def _camel_split(w: str, start: int) -> list[tuple[int, int, str]]:
    """Split "JomartPresident" (garbled speaker labels) into "Jomart", "President"."""
    out = []
    s = 0
    for k in range(1, len(w)):
        if w[k].isupper() and w[k - 1].islower():
            out.append((start + s, start + k, w[s:k]))
            s = k
    out.append((start + s, start + len(w), w[s:]))
    return out


def tokenize(text: str) -> tuple[list[int], list[int], list[str]]:
    """Token starts, ends and surface strings of `text`."""
    starts: list[int] = []
    ends: list[int] = []
    words: list[str] = []
    for m in _TOKEN.finditer(text):
        w = m.group()
        if len(w) > 3 and not w[1:].islower() and not w.isupper() and w.isalpha():
            for s, e, part in _camel_split(w, m.start()):
                starts.append(s)
                ends.append(e)
                words.append(part)
            continue
        starts.append(m.start())
        ends.append(m.end())
        words.append(w)
    return starts, ends, words


_CAMEL = re.compile(r"[a-zß-ÿа-я][A-ZÀ-ÞА-Я]")


def words_of(text: str) -> tuple[list[str], list[str], list[int] | None]:
    """Tokens of `text`, their folded forms, and their starts if they were needed to split them.

    The fast path (no "JomartPresident" inside) leaves offsets to be found on demand.
    """
    if _CAMEL.search(text) is not None:
        starts, _, words = tokenize(text)
    else:
        words = _TOKEN.findall(text)
        starts = None
    if starts is None and text.isascii():
        folded = _TOKEN.findall(text.lower())
    else:
        get = _FOLDED.get
        folded = [get(w) or fold_token(w) for w in words]
    return words, folded, starts


# Case patterns, one per token of a name.
ANY, CAP, UPPER = 0, 1, 2


def case_pattern(words: list[str]) -> tuple[int, ...]:
    out = []
    for w in words:
        if len(w) >= 2 and w.isupper() and w.isalpha() and len(w) <= 5:
            out.append(UPPER)
        elif w[:1].isupper():
            out.append(CAP)
        else:
            out.append(ANY)
    return tuple(out)


def case_ok(pattern: tuple[int, ...], words: list[str], i: int) -> bool:
    for k, p in enumerate(pattern):
        if p == ANY:
            continue
        w = words[i + k]
        if p == CAP:
            if not w[:1].isupper():
                return False
        elif not w.isupper():
            return False
    return True


# --------------------------------------------------------------------------- senses

#: Role words. `leader` is the head of state (or of government where there is none listed).
ROLE_NAMES: dict[str, str] = {
    "President": "head_of_state",
    "president": "head_of_state",
    "Head of State": "head_of_state",
    "head of state": "head_of_state",
    "King": "head_of_state",
    "Emir": "head_of_state",
    "Amir": "head_of_state",
    "Sultan": "head_of_state",
    "leader": "leader",
    "Leader": "leader",
    "Prime Minister": "head_of_government",
    "prime minister": "head_of_government",
    "Premier": "head_of_government",
    "premier": "head_of_government",
    "PM": "head_of_government",
    "Chancellor": "head_of_government",
    "Head of Government": "head_of_government",
    "Chairman of the Government": "head_of_government",
    "Vice President": "vice_president",
    "Vice-President": "vice_president",
    "vice president": "vice_president",
    "Deputy Prime Minister": "deputy_head_of_government",
    "First Deputy Prime Minister": "deputy_head_of_government",
    "Vice Premier": "deputy_head_of_government",
    "deputy prime minister": "deputy_head_of_government",
    "Foreign Minister": "foreign_minister",
    "foreign minister": "foreign_minister",
    "Minister of Foreign Affairs": "foreign_minister",
    "Minister for Foreign Affairs": "foreign_minister",
    "Foreign Affairs Minister": "foreign_minister",
    "Foreign Secretary": "foreign_minister",
    "Secretary of State": "foreign_minister",
    "Defence Minister": "defence_minister",
    "Defense Minister": "defence_minister",
    "defence minister": "defence_minister",
    "defense minister": "defence_minister",
    "Minister of Defence": "defence_minister",
    "Minister of Defense": "defence_minister",
    "Minister for Defence": "defence_minister",
    "Defence Secretary": "defence_minister",
    "Secretary of Defense": "defence_minister",
    "Secretary General": "org_head",
    "Secretary-General": "org_head",
    "secretary general": "org_head",
    "Director General": "org_head",
    "Director-General": "org_head",
    "Managing Director": "org_head",
    # Offices with no holder table: they still name the state's government.
    "Minister": "minister",
    "minister": "minister",
    "Deputy Minister": "minister",
    "First Deputy Minister": "minister",
    "Ambassador": "minister",
    "ambassador": "minister",
    "Chairman": "minister",
    "Chairperson": "minister",
    "Acting Chairman": "minister",
    "Head": "minister",
    "Special Representative": "minister",
    "Presidential Envoy": "minister",
    "Speaker": "speaker",
    "Mayor": "minister",
    "Governor": "minister",
    "Prosecutor General": "minister",
}

ROLE_LABEL: dict[str, str] = {
    "head_of_state": "head of state",
    "head_of_government": "head of government",
    "vice_president": "vice president",
    "deputy_head_of_government": "deputy head of government",
    "foreign_minister": "foreign minister",
    "defence_minister": "defence minister",
    "org_head": "head",
    "leader": "leader",
    "minister": "official",
    "speaker": "speaker",
}

HONORIFICS = ("Mr", "Mrs", "Ms", "Mr.", "Mrs.", "Ms.", "Dr", "Dr.", "Madam", "Mister")

#: Capitalised words that are never taken for a surname on their own.
_SURNAME_STOP_WORDS = """may march june april august brown major law king rice bush white black green young little
    long short hill cook rose case bell hope price love gay wood stone frank grant mark will
    guy sall sen park moon lee kim li wang abe all new west east north south president prime
    minister state china alexander pavel ivan peter christian muslim catholic orthodox jewish
    golden good best rich strong power friend grand noble victor justice bank church union
    council court house people nation land city"""
SURNAME_STOP = frozenset(_SURNAME_STOP_WORDS.split())

ROLE_PRIORITY = {r: i for i, r in enumerate(("head_of_state", "head_of_government", "vice_president",
                                              "deputy_head_of_government", "foreign_minister",
                                              "defence_minister", "org_head"))}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Sense:
    """What a name in the trie stands for."""

    kind: str  # state adjective demonym capital city metonym organisation group outlet entity
    #            person surname role agent honorific
    code: str = ""
    sector: str = ""
    name: str = ""  # canonical name (person's key for persons and surnames)
    start: date | None = None
    end: date | None = None
    role: str = ""  # for roles


Entry = tuple[tuple[int, ...], Sense]
Trie = dict[str, Any]


@dataclass(frozen=True, slots=True, eq=False)
class Lexicon:
    """The compiled trie and person index of one knowledge base."""

    root: Trie
    persons: dict[str, tuple[Office, ...]]  # canonical name -> terms by start date
    name_words: dict[str, tuple[str, ...]]  # folded word of a person's names -> persons
    person_words: dict[str, frozenset[str]]  # person -> folded words of their names
    version: str


def _tokens_of(name: str) -> list[str]:
    return tokenize(name)[2]


def _strip_the(words: list[str]) -> list[str]:
    if len(words) > 1 and words[0].lower() == "the":
        return words[1:]
    return words


def _add(root: Trie, name: str, sense: Sense, *, strip_the: bool = True) -> None:
    words = _tokens_of(name.strip())
    if strip_the:
        words = _strip_the(words)
    if not words:
        return
    pattern = case_pattern(words)
    node = root
    for w in words:
        node = node.setdefault(fold_token(w), {})
    entries: list[Entry] = node.setdefault("", [])
    if (pattern, sense) not in entries:
        entries.append((pattern, sense))


def _org_kind(kind: str) -> str:
    return "group" if kind == "group" else "organisation"


def build_lexicon(kb: KnowledgeBase) -> Lexicon:
    root: Trie = {}
    for s in kb.states:
        _add(root, s.name, Sense("state", s.code, "GOV", s.name))
        for n in s.short_names:
            _add(root, n, Sense("state", s.code, "GOV", s.name))
        for n in s.adjectives:
            _add(root, n, Sense("adjective", s.code, "GOV", s.name))
        for n in s.demonyms:
            _add(root, n, Sense("demonym", s.code, "CVL", s.name))
        for n in s.metonyms:
            _add(root, n, Sense("metonym", s.code, "GOV", s.name))
    have_place = {(p.code, fold(p.name)) for p in kb.places}
    for p in kb.places:
        kind = "capital" if p.kind == "capital" else "city"
        _add(root, p.name, Sense(kind, p.code, "GOV", p.name, p.start, p.end))
    for s in kb.states:
        if s.capital and (s.code, fold(s.capital)) not in have_place:
            _add(root, s.capital, Sense("capital", s.code, "GOV", s.capital))
    for g in kb.organisations:
        sense = Sense(_org_kind(g.kind), g.code, "", g.name)
        for n in (g.name, *g.aliases):
            _add(root, n, sense)
    # CODEBOOK section 3: "Western" is the West, "European partners" acting politically the EU.
    for code, word, rule in (("WEST", "Western", ""), ("EU", "European", "needs_agent")):
        org = next((g for g in kb.organisations if g.code == code), None)
        if org is not None:
            _add(root, word, Sense("adjective", code, "", org.name, role=rule))
    for e in kb.entities:
        sense = Sense("entity", e.code, e.sector, e.name, e.start, e.end)
        for n in (e.name, *e.aliases):
            _add(root, n, sense)
    for u in kb.outlets:
        sense = Sense("outlet", u.country, u.sector, u.name)
        for n in (u.name, *u.aliases):
            _add(root, n, sense, strip_the=False)
            _add(root, n, sense)
        if u.domain and u.domain.casefold() != u.name.casefold():
            _add(root, u.domain, sense)
    for a in kb.agents:
        _add(root, a.word, Sense("agent", "", a.sector, a.word))
        if not a.word.endswith("s") and " " not in a.word:
            pass
    for title, role in ROLE_NAMES.items():
        _add(root, title, Sense("role", role=role, name=title), strip_the=False)
    for h in HONORIFICS:
        _add(root, h, Sense("honorific", name=h), strip_the=False)

    persons: dict[str, list[Office]] = {}
    names: dict[str, set[str]] = {}
    for o in kb.offices:
        persons.setdefault(o.name, []).append(o)
        names.setdefault(o.name, set()).update((o.name, *o.aliases))
    surnames: dict[str, set[str]] = {}
    name_words: dict[str, set[str]] = {}
    person_words: dict[str, set[str]] = {}
    for person, all_names in names.items():
        for n in sorted(all_names):
            words = _tokens_of(n)
            person_words.setdefault(person, set()).update(fold_token(w) for w in words)
            for w in words:
                if w[:1].isalpha():
                    name_words.setdefault(fold_token(w), set()).add(person)
            if len(words) == 1:
                _add(root, n, Sense("surname", name=person))
                continue
            _add(root, n, Sense("person", name=person))
            last = words[-1]
            if words[-2] in ("-", "'"):  # Willem-Alexander, not "Alexander"
                continue
            if len(last) >= 4 and last[:1].isupper() and fold_token(last) not in SURNAME_STOP:
                surnames.setdefault(last, set()).add(person)
    for last, people in surnames.items():
        for person in sorted(people):
            _add(root, last, Sense("surname", name=person))
    return Lexicon(
        root=root,
        persons={
            k: tuple(sorted(v, key=lambda o: (o.start or date.min, o.end or date.max)))
            for k, v in persons.items()
        },
        name_words={k: tuple(sorted(v)) for k, v in name_words.items()},
        person_words={k: frozenset(v) for k, v in person_words.items()},
        version=kb.version,
    )


_LEXICONS: weakref.WeakKeyDictionary[KnowledgeBase, Lexicon] = weakref.WeakKeyDictionary()


def lexicon_of(kb: KnowledgeBase) -> Lexicon:
    """The compiled lexicon of `kb`, built once per knowledge base."""
    lex = _LEXICONS.get(kb)
    if lex is None:
        lex = build_lexicon(kb)
        _LEXICONS[kb] = lex
    return lex


def longest(
    lex: Lexicon, folded: list[str], words: list[str], i: int
) -> tuple[int, list[Sense]] | None:
    """The longest name starting at token `i`: (end token, its senses), or None."""
    node = lex.root.get(folded[i])
    best: tuple[int, list[Sense]] | None = None
    j = i
    n = len(folded)
    while node is not None:
        j += 1
        entries = node.get("")
        if entries:
            senses = [s for p, s in entries if case_ok(p, words, i)]
            if senses:
                best = (j, senses)
        if j >= n:
            break
        node = node.get(folded[j])
    return best


def all_senses(senses: Iterable[Sense], kinds: frozenset[str]) -> list[Sense]:
    return [s for s in senses if s.kind in kinds]
