"""Find actor mentions in raw text: names, titles, metonyms, demonyms, organisations, outlets.

`find_mentions(text, date)` tokenises the text once, looks every token up in the compiled trie
of the knowledge base (longest name first) and combines what it finds with a few patterns:

    [the] ROLE of [the] STATE|ORG [NAME]          President of the Republic of Azerbaijan Ilham Aliyev
    [the] ADJ|STATE's|METONYM ROLE [NAME]         Kazakhstani President Kassym-Jomart Tokayev
    ROLE|Mr NAME                                  Defence Minister Sergei Shoigu, Mr Putin
    [the] ADJ|DEMONYM|STATE's AGENT               Russian commentators, Kazakhstan's military
    [the] AGENT of|from [the] STATE               the Armed Forces of Ukraine
    NAME, SURNAME, STATE, CAPITAL, METONYM, ORG, ENTITY, OUTLET

Mentions never overlap; each carries its character span, code, sector and why it matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from multivector.actors.kb import KnowledgeBase, Office, load_kb
from multivector.actors.lexicon import (
    ROLE_LABEL,
    ROLE_PRIORITY,
    Lexicon,
    Sense,
    lexicon_of,
    longest,
    words_of,
)
from multivector.ontology import ORGANISATION_CODES

KINDS = frozenset(
    {"state", "capital", "metonym", "person", "title", "organisation", "outlet", "entity",
     "adjective", "demonym", "group"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor named in a text: its character span and what it resolves to."""

    start: int
    end: int
    text: str
    code: str
    sector: str
    name: str
    why: str
    kind: str


# Which sense wins when one name has several (lower first).
_PRIORITY = {
    k: i
    for i, k in enumerate(
        ("entity", "outlet", "organisation", "group", "state", "capital", "city", "metonym",
         "adjective", "demonym", "person", "surname", "role", "honorific", "agent")
    )
}  # fmt: skip
_PLACE_KINDS = frozenset({"state", "capital", "city", "metonym"})
_PREFIX_KINDS = frozenset({"state", "capital", "city", "metonym", "adjective", "demonym",
                           "organisation", "group", "entity"})  # fmt: skip
_TARGET_KINDS = frozenset(
    {"state", "capital", "city", "metonym", "organisation", "group", "entity"}
)
_THE_KINDS = frozenset({"state", "metonym", "organisation", "group", "entity", "outlet", "title"})
_NAME_STOP_WORDS = """the a an on in at and of he she his her it its this that these those but or for to with by
    from as was is has had said says also during after before when while who which january
    february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday"""
_NAME_STOP = frozenset(_NAME_STOP_WORDS.split())
_MENTION_KIND = {"city": "metonym"}
_NOT_AFTER_OUTLET = frozenset({"v", "light", "vaccine", "vaccines"})
_NAME_LINKS = frozenset({"of", "for", "and", "the", "-", ",", "on", "'", "s", "&"})


def _active(s: Sense, day: date | None) -> bool:
    if day is None:
        return True
    return (s.start is None or s.start <= day) and (s.end is None or day <= s.end)


def _label(role: str) -> str:
    return ROLE_LABEL.get(role, role.replace("_", " "))


def _term_at(terms: tuple[Office, ...], day: date | None) -> tuple[Office, bool] | None:
    """The office a person holds on `day` (most senior first) and whether it is current."""
    if not terms:
        return None
    if day is None:
        current = [t for t in terms if t.end is None]
        if current:
            return min(current, key=lambda t: ROLE_PRIORITY.get(t.role, 99)), True
        return terms[-1], False
    active = [t for t in terms if t.covers(day)]
    if active:
        return min(
            active,
            key=lambda t: (ROLE_PRIORITY.get(t.role, 99), -(t.start or date.min).toordinal()),
        ), True
    before = [t for t in terms if t.end is not None and t.end < day]
    if before:
        return max(before, key=lambda t: t.end or date.min), False
    return terms[0], False


def _prominent(terms: tuple[Office, ...]) -> bool:
    """A former head of state or government for a year or more (not an acting one)."""
    days = sum(
        ((t.end or date.today()) - (t.start or date(2000, 1, 1))).days
        for t in terms
        if t.role in ("head_of_state", "head_of_government")
    )
    return days >= 365


def _seniority(terms: tuple[Office, ...], day: date | None) -> int:
    hit = _term_at(terms, day)
    return ROLE_PRIORITY.get(hit[0].role, 99) if hit else 99


def person_resolution(lex: Lexicon, person: str, day: date | None) -> tuple[str, str, str] | None:
    """(code, sector, why) for a person on `day`; None if the person has no terms."""
    hit = _term_at(lex.persons.get(person, ()), day)
    if hit is None:
        return None
    term, current = hit
    role = _label(term.role)
    if current:
        since = f" since {term.start}" if term.start else ""
        return term.code, term.sector, f"{person}: {role} of {term.code}{since}"
    sector = "" if term.sector == "GOV" else term.sector
    if term.end is not None and (day is None or term.end < day):
        return term.code, sector, f"{person}: former {role} of {term.code} (until {term.end})"
    return term.code, sector, f"{person}: not yet {role} of {term.code} (from {term.start})"


def holder_at(kb: KnowledgeBase, code: str, role: str, day: date | None) -> Office | None:
    """The holder of `role` for `code` on `day` (the newer one on a transition day)."""
    if role == "leader":
        return holder_at(kb, code, "head_of_state", day) or holder_at(
            kb, code, "head_of_government", day
        )
    terms = kb.terms(code, role)
    if day is None:
        live = [t for t in terms if t.end is None]
    else:
        live = [t for t in terms if t.covers(day)]
    if not live:
        return None
    names = {t.name for t in live}
    if len(names) > 1 and role == "deputy_head_of_government":
        return None
    return max(live, key=lambda t: t.start or date.min)


class _Scan:
    """One pass over one text."""

    __slots__ = (
        "text",
        "day",
        "kb",
        "lex",
        "starts",
        "_pos",
        "words",
        "folded",
        "n",
        "memo",
        "out",
        "named",
        "strangers",
        "last_end",
    )

    def __init__(self, text: str, day: date | None, kb: KnowledgeBase, lex: Lexicon) -> None:
        self.text = text
        self.day = day
        self.kb = kb
        self.lex = lex
        self.words, self.folded, starts = words_of(text)
        self.starts: list[int] = starts or []
        self._pos = 0 if starts is None else len(text)
        self.n = len(self.words)
        self.memo: dict[int, tuple[int, list[Sense]] | None] = {}
        self.out: list[Mention] = []
        self.named: set[str] = set()  # people named in full so far
        self.strangers: set[str] = set()  # surnames of people the tables lack ("Novak")
        self.last_end = -1  # token after the last mention emitted

    # ----------------------------------------------------------------- lookups

    def start(self, i: int) -> int:
        """Character offset of token i (found on demand: most tokens never need one)."""
        starts = self.starts
        if i >= len(starts):
            find = self.text.find
            words = self.words
            pos = self._pos
            for k in range(len(starts), i + 1):
                pos = find(words[k], pos)
                starts.append(pos)
                pos += len(words[k])
            self._pos = pos
        return starts[i]

    def end(self, i: int) -> int:
        return self.start(i) + len(self.words[i])

    def atom(self, i: int) -> tuple[int, list[Sense]] | None:
        if i >= self.n:
            return None
        if i in self.memo:
            return self.memo[i]
        hit = longest(self.lex, self.folded, self.words, i)
        self.memo[i] = hit
        return hit

    def f(self, i: int) -> str:
        return self.folded[i] if i < self.n else ""

    def best(self, senses: list[Sense], kinds: frozenset[str]) -> Sense | None:
        """The winning sense among `kinds`, or None when it is ambiguous between codes."""
        cands = [s for s in senses if s.kind in kinds]
        if not cands:
            return None
        top = min(_PRIORITY[s.kind] for s in cands)
        cands = [s for s in cands if _PRIORITY[s.kind] == top]
        if len({s.code for s in cands}) > 1:
            dated = [s for s in cands if _active(s, self.day)]
            if dated and len({s.code for s in dated}) == 1:
                return dated[0]
            return None
        if len(cands) > 1:
            dated = [s for s in cands if _active(s, self.day)]
            if dated:
                return dated[0]
        return cands[0]

    def person_at(self, i: int, role: str = "") -> tuple[int, str] | None:
        """A known person starting at token i: a full name, or a surname that is unambiguous.

        A surname alone names someone in office on the day (among namesakes in office with
        one code, the most senior); failing that, the one person of that name in the knowledge
        base if they were a head of state or government. After a title (`role`), it may name
        whoever held that title, and any word of a holder's name will do ("President Xi").
        """
        hit = self.atom(i)
        if hit is None:
            return self._name_word(i, role) if role else None
        j, senses = hit
        full = sorted({s.name for s in senses if s.kind == "person"})
        if len(full) == 1:
            self.named.add(full[0])
            return j, full[0]
        people = full or sorted({s.name for s in senses if s.kind == "surname"})
        if not people:
            return self._name_word(i, role) if role else None
        if not full:
            known = [p for p in people if p in self.named]
            if self._after_unknown_name(i):
                if not known:
                    self.strangers.add(self.folded[i])
                return None  # "Alexander Novak" is not Katalin Novák
            if len(known) == 1:
                return j, known[0]  # the surname of someone named in full before
            if self.folded[i] in self.strangers:
                return None  # ... nor, later in the text, is "Novak"
        terms = self.lex.persons
        day = self.day
        live = [
            p
            for p in people
            if any((t.end is None) if day is None else t.covers(day) for t in terms.get(p, ()))
        ]
        if role in ROLE_PRIORITY or role == "leader":
            roles = {"head_of_state", "head_of_government"} if role == "leader" else {role}
            fits = [p for p in (live or people) if any(t.role in roles for t in terms.get(p, ()))]
            if len(fits) == 1:
                return j, fits[0]
        if len(live) == 1:
            return j, live[0]
        if len(live) > 1:
            codes = set()
            for p in live:
                hit_term = _term_at(terms.get(p, ()), day)
                if hit_term is not None:
                    codes.add((hit_term[0].code, hit_term[0].sector))
            if len(codes) == 1:
                return j, min(live, key=lambda p: _seniority(terms.get(p, ()), day))
            return None
        if len(people) == 1 and _prominent(terms.get(people[0], ())) and not full:
            nxt = self.words[j] if j < self.n else ""
            if not (nxt[:1].isupper() and nxt.isalpha()):  # "Diogo Lacerda" is someone else
                return j, people[0]
        if full and len(people) == 1:
            return j, people[0]
        return None

    def _after_unknown_name(self, i: int) -> bool:
        if i == 0:
            return False
        w = self.words[i - 1]
        if not (w[:1].isupper() and w.isalpha()) or self.folded[i - 1] in _NAME_STOP:
            return False
        if i >= 2 and self.words[i - 2] in (".", "!", "?", ":", '"', "“"):
            return False
        if self.last_end == i:  # "the United Kingdom Johnson": a mention, not a given name
            return False
        return self.atom(i - 1) is None

    def _name_word(self, i: int, role: str) -> tuple[int, str] | None:
        """After a title, one word of the name of whoever held it that day ("President Xi")."""
        if i >= self.n or role not in ROLE_PRIORITY:
            return None
        w = self.words[i]
        if not (w[:1].isupper() and w.isalpha()):
            return None
        if i + 1 < self.n and self.words[i + 1][:1].isupper() and self.words[i + 1].isalpha():
            return None  # "Alexander Novak": a full name we do not know
        people = self.lex.name_words.get(self.folded[i], ())
        day = self.day
        fits = [
            p
            for p in people
            if any(
                t.role == role and ((t.end is None) if day is None else t.covers(day))
                for t in self.lex.persons[p]
            )
        ]
        if len(fits) != 1:
            return None
        # "the Emir of Qatar Tamim bin Hamad Al Thani": take the rest of his name along.
        own = self.lex.person_words.get(fits[0], frozenset())
        j = i + 1
        while j < self.n and self.folded[j] in own:
            j += 1
        while j > i + 1 and not self.words[j - 1][:1].isalpha():
            j -= 1
        return j, fits[0]

    def unknown_name(self, i: int) -> int:
        """End of a run of 2-4 capitalised words that name no known actor (else i)."""
        j = i
        words = 0
        while j < self.n and words < 4:
            w = self.words[j]
            if w == "-" and words and j + 1 < self.n and self.words[j + 1][:1].isalpha():
                j += 1
                continue
            if not (w[:1].isupper() and w.isalpha()) or self.folded[j] in _NAME_STOP:
                break
            if self.atom(j) is not None:
                break
            words += 1
            j += 1
        return j if words >= 2 else i

    def possessive(self, j: int) -> int:
        """Skip "'s" (or a bare "'" after a plural) at token j."""
        if self.f(j) == "'":
            if self.f(j + 1) == "s" and self.start(j + 1) == self.end(j):
                return j + 2
            if self.words[j - 1].endswith("s"):
                return j + 1
        return j

    # ----------------------------------------------------------------- emitting

    def emit(self, a: int, b: int, code: str, sector: str, name: str, why: str, kind: str) -> None:
        self.last_end = b
        s, e = self.start(a), self.end(b - 1)
        self.out.append(
            Mention(s, e, self.text[s:e], code, sector, name, why, _MENTION_KIND.get(kind, kind))
        )

    def place_why(self, s: Sense) -> str:
        state = self.kb.state(s.code)
        sname = state.name if state else s.code
        if s.kind == "state":
            return f"state name of {sname}"
        if s.kind == "adjective":
            return f"adjective of {sname}"
        if s.kind == "demonym":
            return f"people of {sname}"
        if s.kind == "metonym":
            return f"metonym for the government of {sname}"
        if s.kind in ("capital", "city"):
            what = "capital" if s.kind == "capital" else "city"
            if s.start or s.end:
                span = f"{s.start or '…'} to {s.end or 'now'}"
                if _active(s, self.day):
                    return f"{what} {s.name} of {sname} (its name {span})"
                return f"{what} {s.name} of {sname} (a name used {span}, not on {self.day})"
            return f"{what} {s.name} of {sname}"
        if s.kind == "entity":
            return f"{s.name}: {s.sector or 'entity'} of {s.code}"
        if s.kind == "outlet":
            return f"outlet {s.name} ({s.code}, {s.sector})"
        if s.kind in ("organisation", "group"):
            return f"organisation {s.name} ({s.code})"
        return s.kind

    # ----------------------------------------------------------------- patterns

    def title(self, first: int, role: Sense, target: Sense, k: int, words_end: int) -> int:
        """Emit a title mention for `role` of `target` spanning first..k, plus a name after it."""
        r = role.role
        is_org = target.code in ORGANISATION_CODES
        code = target.code
        if is_org:
            r = "org_head" if r in ("head_of_state", "minister", "leader", "org_head") else r
        sector = "" if is_org else (target.sector if target.kind == "entity" else "GOV")
        end = words_end
        named = self.person_at(k, r) if k < self.n else None
        name = ""
        if named is not None:
            end, name = named
            why = f"{role.name} of {target.name or code}: {name}"
        else:
            unknown_end = self.unknown_name(k)
            if unknown_end > k:
                end = unknown_end
                self.strangers.add(self.folded[unknown_end - 1])
                name = self.text[self.start(k) : self.end(unknown_end - 1)]
                phrase = self.text[self.start(first) : self.end(k - 1)]
                why = f"{phrase} ({target.name or code}): {name}, not in the knowledge base"
            else:
                h = None
                if r in ROLE_PRIORITY or r == "leader":
                    h = holder_at(self.kb, code, r, self.day) if code != "IGO" else None
                name = h.name if h else ""
                on = f" on {self.day}" if self.day else ""
                label = _label(r)
                what = role.name if role.name.lower() == label else f"{role.name} ({label})"
                why = f"{what} of {target.name or code}{on}" + (f": {name}" if name else "")
        self.emit(first, end, code, sector, name, why, "title")
        return end

    def of_target(self, p: int, kinds: frozenset[str]) -> tuple[Sense, int] | None:
        """From token p, over a capitalised name ("Economy", "the Board of Naftogaz"), to
        "of [the] TARGET": the target and the token after it."""
        limit = min(self.n, p + 16)
        while p < limit:
            fw = self.folded[p]
            if fw == "of":
                q = p + 1 + (self.f(p + 1) == "the")
                hit = self.atom(q)
                target = self.best(hit[1], kinds) if hit else None
                if target is not None and hit is not None:
                    return target, hit[0]
            w = self.words[p]
            if not (w[:1].isupper() or fw in _NAME_LINKS):
                return None
            p += 1
        return None

    def role_first(self, first: int, k: int, role: Sense, j: int) -> int | None:
        # ROLE of [the] TARGET [NAME]
        if self.f(j) == "of":
            q = j + 1 + (self.f(j + 1) == "the")
            hit = self.atom(q)
            target = self.best(hit[1], _TARGET_KINDS) if hit else None
            if target is not None and hit is not None:
                return self.title(first, role, target, hit[0], hit[0])
            if role.role in (
                "minister",
                "deputy_head_of_government",
                "speaker",
                "org_head",
                "head_of_state",
            ):
                # Minister of Economy of Azerbaijan, Chairman of the Board of X of Ukraine
                found = self.of_target(j + 1, _TARGET_KINDS)
                if found is not None:
                    return self.title(first, role, found[0], found[1], found[1])
            return None
        # ROLE - Minister for ... of Ukraine (compound titles)
        if self.f(j) == "-" and role.role in ROLE_PRIORITY:
            hit = self.atom(j + 1)
            if hit and any(s.kind == "role" for s in hit[1]):
                inner = next(s for s in hit[1] if s.kind == "role")
                end = self.role_first(first, j + 1, inner, hit[0])
                if end is not None:
                    return end
        # ROLE [Mr] NAME
        p = j
        hit = self.atom(p)
        if hit and any(s.kind == "honorific" for s in hit[1]):
            p = hit[0]
        named = self.person_at(p, role.role)
        if named is not None:
            end, person = named
            res = person_resolution(self.lex, person, self.day)
            if res is not None:
                code, sector, why = res
                terms = self.lex.persons.get(person, ())
                if (
                    not sector
                    and role.role in ROLE_PRIORITY
                    and role.role != "org_head"
                    and not any(t.role == role.role for t in terms)
                ):
                    # The text gives an office the knowledge base does not list: trust it.
                    sector, why = (
                        "GOV",
                        f"{role.name} {person} ({code}; this office is not in the knowledge base)",
                    )
                else:
                    why = f"{role.name} {why}"
                self.emit(k, end, code, sector, person, why, "title")
                return end
        return None

    def prefixed(self, first: int, k: int, x: Sense, j: int) -> int | None:
        """Patterns that start with a state, adjective, metonym or organisation."""
        p = self.possessive(j)
        hit = self.atom(p)
        bloc = x.kind == "adjective" and x.code in ORGANISATION_CODES
        if bloc and not (hit and any(s.kind == "agent" for s in hit[1])):
            nxt = self.words[j] if j < self.n else ""
            if x.role == "needs_agent" or (nxt[:1].isupper() and nxt.isalpha()):
                return None  # "European security", "Western Ukraine"
        if hit is not None:
            senses = hit[1]
            role = next((s for s in senses if s.kind == "role"), None)
            if role is not None and x.kind != "demonym":
                return self.title(first, role, x, hit[0], hit[0])
            agent = next((s for s in senses if s.kind == "agent"), None)
            if agent is not None:
                end = hit[0]
                while True:  # "military personnel": one agent phrase
                    more = self.atom(end)
                    if more is None or not any(s.kind == "agent" for s in more[1]):
                        break
                    end = more[0]
                is_org = x.code in ORGANISATION_CODES
                # Organisations have no sector; separatist and armed groups keep theirs.
                sector = "" if is_org else x.sector if x.kind == "entity" else agent.sector
                start = first if x.kind not in ("demonym",) else k
                why = f"{self.place_why(x)} + {agent.name!r} ({agent.sector})"
                self.emit(start, end, x.code, sector, x.name, why, x.kind)
                return end
        # "Russian and Turkmenistani representatives", "Russian-Turkish military"
        if x.kind == "adjective" and self.f(j) in ("and", "-", ",", "/"):
            hit2 = self.atom(j + 1)
            y = self.best(hit2[1], frozenset({"adjective"})) if hit2 else None
            if y is not None and hit2 is not None:
                hit3 = self.atom(hit2[0])
                agent = next((s for s in hit3[1] if s.kind == "agent"), None) if hit3 else None
                if agent is not None and hit3 is not None:
                    why = f" + {agent.name!r} ({agent.sector})"
                    self.emit(
                        k, j, x.code, agent.sector, x.name, self.place_why(x) + why, "adjective"
                    )
                    self.emit(
                        j + 1,
                        hit3[0],
                        y.code,
                        agent.sector,
                        y.name,
                        self.place_why(y) + why,
                        "adjective",
                    )
                    return hit3[0]
        # Organisation (ACRONYM)
        end = j
        if x.kind in ("organisation", "group") and self.f(j) == "(":
            inner = self.atom(j + 1)
            if (
                inner
                and self.f(inner[0]) == ")"
                and any(s.code == x.code and s.name == x.name for s in inner[1])
            ):
                end = inner[0] + 1
        start = first if x.kind in _THE_KINDS and self.f(end) != "-" else k
        name = x.name
        if x.kind in ("capital", "city"):  # the actor is the state's government, not the city
            state = self.kb.state(x.code)
            name = state.name if state else x.name
        self.emit(start, end, x.code, x.sector, name, self.place_why(x), x.kind)
        return end

    def agent_first(self, first: int, agent: Sense, j: int) -> int | None:
        # [the] AGENT of|from [the] STATE: "the Armed Forces of Ukraine"
        if self.f(j) not in ("of", "from", "in"):
            return None
        kinds = _PLACE_KINDS | frozenset({"organisation", "group"})
        q = j + 1 + (self.f(j + 1) == "the")
        hit = self.atom(q)
        x = self.best(hit[1], kinds) if hit else None
        end = hit[0] if hit else q
        if x is None and self.f(j) == "of":
            # "the Ministry of Foreign Affairs of Ukraine"
            found = self.of_target(j + 1, kinds)
            if found is not None:
                x, end = found
        if x is None:
            return None
        is_org = x.code in ORGANISATION_CODES
        why = f"{agent.name!r} ({agent.sector}) of {self.place_why(x)}"
        self.emit(first, end, x.code, "" if is_org else agent.sector, x.name, why, x.kind)
        return end

    def parse(self, i: int) -> int | None:
        """Try every pattern at token i; emit and return the end token, or None."""
        first = i
        k = i + 1 if self.folded[i] == "the" else i
        hit = self.atom(k)
        if hit is None:
            return None
        j, senses = hit
        kinds = {s.kind for s in senses}
        if "honorific" in kinds and len(kinds) == 1:
            named = self.person_at(j)
            if named is None:
                return None
            end, person = named
            res = person_resolution(self.lex, person, self.day)
            if res is None:
                return None
            self.emit(k, end, res[0], res[1], person, res[2], "person")
            return end
        if "role" in kinds:
            role = next(s for s in senses if s.kind == "role")
            titled = self.role_first(first, k, role, j)
            if titled is not None:
                return titled
            if not kinds & _PREFIX_KINDS:
                return j  # a title we cannot place: skip it whole, not "Prime Minister" inside it
        x = self.best(senses, _PREFIX_KINDS | frozenset({"outlet"}))
        if x is not None and x.kind == "outlet":
            if k > 0 and self.folded[k - 1] in ("of", "for", "on"):
                return None  # "Ministry of Foreign Affairs" is not the magazine
            if self.f(j) in _NOT_AFTER_OUTLET:
                return None  # "Sputnik V", "Sputnik Light": vaccines
            start = first if k > i else k
            self.emit(start, j, x.code, x.sector, x.name, self.place_why(x), "outlet")
            return j
        if x is not None:
            return self.prefixed(first, k, x, j)
        if kinds & {"person", "surname"}:
            named = self.person_at(k)
            if named is not None:
                end, person = named
                res = person_resolution(self.lex, person, self.day)
                if res is not None:
                    self.emit(k, end, res[0], res[1], person, res[2], "person")
                    return end
            return None
        if "agent" in kinds:
            agent = next(s for s in senses if s.kind == "agent")
            return self.agent_first(first, agent, j)
        return None

    def run(self) -> list[Mention]:
        root = self.lex.root
        folded = self.folded
        i = 0
        n = self.n
        while i < n:
            w = folded[i]
            if w not in root and not (w == "the" and i + 1 < n and folded[i + 1] in root):
                i += 1
                continue
            end = self.parse(i)
            i = end if end is not None and end > i else i + 1
        return self.out


def find_mentions(text: str, date: date | None, kb: KnowledgeBase | None = None) -> list[Mention]:
    """Actor mentions in `text` on `date`, left to right, non-overlapping, longest first."""
    kb = kb or load_kb()
    if not text:
        return []
    if isinstance(date, datetime):
        date = date.date()
    return _Scan(text, date, kb, lexicon_of(kb)).run()
