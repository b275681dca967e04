"""In-line cited sources (CODEBOOK section 4): "(Kasparov.ru, November 29)", clusters such as
"(Ia-centr.ru, November 29; Stanradar.com; Rosbalt.ru, November 30)", multi-date citations
"(Casp-geo.ru, March 11, November 23, 29)", cross-references "(see EDM, August 11)" and prose
attributions "according to Kun.uz".

A parenthesis counts as a citation cluster only when each of its parts names an outlet: one the
knowledge base knows, a web domain ("Stanradar.com"), or a capitalised name followed by a date.
"(CSTO)" or "(in Nagorno-Karabakh)" are not citations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from multivector.events.dates import MONTHS, _infer_year, _safe_date

OutletLookup = Callable[[str], str | None]

_PAREN = re.compile(r"\(([^()]{2,400})\)")
_DOMAIN = re.compile(r"^[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.(?:[a-z]{2,6})$")
_NAME = re.compile(r"^(?:The\s+)?[A-Z][\w.&'’-]*(?:\s+(?:[A-Z][\w.&'’-]*|of|and|de|la|gazeta|pravda|times|post|news))*$")
_SEE = re.compile(r"^(?:.*\bsee|cf\.|e\.g\.,?)\s+", re.I | re.S)
_ACCORDING = re.compile(
    r"\b(?:[Aa]ccording to|[Aa]s reported by|reported by|citing|writes|wrote|told)\s+"
    r"(?P<outlet>(?:the\s+)?[A-Z][\w&'’-]*(?:\.[\w-]+)*(?:\s+[A-Z][\w&'’-]*){0,3})"
)
_MONTH_TOKEN = re.compile(r"^(?P<month>[A-Za-z]+)\.?(?:\s+(?P<day>\d{1,2}))?(?:\s+(?P<year>(?:19|20)\d\d))?$")
_DAY_MONTH_TOKEN = re.compile(r"^(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\.?(?:\s+(?P<year>(?:19|20)\d\d))?$")
_DAY_TOKEN = re.compile(r"^(?P<day>\d{1,2})(?:\s+(?P<year>(?:19|20)\d\d))?$")
_YEAR_TOKEN = re.compile(r"^(?P<year>(?:19|20)\d\d)$")


@dataclass(frozen=True, slots=True)
class FoundCitation:
    outlet: str
    date: str
    start: int  # span of the whole parenthesis or attribution in the text
    end: int
    cross_reference: bool = False


def _parse_dates(rest: str, published: date) -> list[str] | None:
    """Parse "March 11, November 23, 29" into ISO dates; None when `rest` is not only dates."""
    tokens = [t.strip() for t in rest.split(",") if t.strip()]
    if not tokens:
        return []
    out: list[str] = []
    month: int | None = None
    pending_year: list[int] = []
    for tok in tokens:
        m = _MONTH_TOKEN.match(tok)
        if m and m.group("month").lower() in MONTHS:
            month = MONTHS[m.group("month").lower()]
            if m.group("day"):
                day = int(m.group("day"))
                year = int(m.group("year")) if m.group("year") else None
                out.append(f"{month}:{day}:{year or ''}")
            continue
        m = _DAY_MONTH_TOKEN.match(tok)
        if m and m.group("month").lower() in MONTHS:
            month = MONTHS[m.group("month").lower()]
            out.append(f"{month}:{int(m.group('day'))}:{m.group('year') or ''}")
            continue
        m = _DAY_TOKEN.match(tok)
        if m and month is not None:
            out.append(f"{month}:{int(m.group('day'))}:{m.group('year') or ''}")
            continue
        m = _YEAR_TOKEN.match(tok)
        if m and out:
            pending_year.append(int(m.group("year")))
            # a year applies to the dates just before it
            last = out[-1].split(":")
            if not last[2]:
                out[-1] = f"{last[0]}:{last[1]}:{m.group('year')}"
            continue
        return None
    iso: list[str] = []
    for item in out:
        mo_s, d_s, y_s = item.split(":")
        mo, d = int(mo_s), int(d_s)
        y = int(y_s) if y_s else _infer_year(mo, d, published)
        dd = _safe_date(y, mo, d)
        if dd is not None:
            iso.append(dd.isoformat())
    if month is not None and not out:
        return []  # "November" alone: a month without a day
    return iso


def _outlet_name(raw: str, lookup: OutletLookup | None, *, dated: bool) -> str | None:
    name = raw.strip().strip(",.;:").strip()
    if not name or len(name) > 60:
        return None
    if lookup is not None:
        known = lookup(name)
        if known:
            return known
    if _DOMAIN.match(name):
        return name
    if dated and _NAME.match(name) and len(name.split()) <= 5:
        return name
    return None


def _parse_part(part: str, published: date, lookup: OutletLookup | None) -> tuple[str, list[str], bool] | None:
    text = part.strip()
    cross = False
    see = _SEE.match(text)
    if see:
        text = text[see.end():]
        cross = True
    if not text:
        return None
    head, _, rest = text.partition(",")
    if rest:
        dates = _parse_dates(rest, published)
        if dates is None:
            return None
        outlet = _outlet_name(head, lookup, dated=True)
        return (outlet, dates, cross) if outlet else None
    outlet = _outlet_name(head, lookup, dated=False)
    return (outlet, [], cross) if outlet else None


def find_citations(text: str, published: date, lookup: OutletLookup | None = None) -> list[FoundCitation]:
    """All citations in `text` (a sentence or a paragraph), in order of appearance."""
    out: list[FoundCitation] = []
    for m in _PAREN.finditer(text):
        parts = [p for p in m.group(1).split(";") if p.strip()]
        parsed = [_parse_part(p, published, lookup) for p in parts]
        if not parsed or not any(parsed):
            continue
        # A cluster is a citation only when every part parses (prose in parentheses does not).
        # Tolerate a trailing remark part only if at least one outlet carried a date.
        if not all(parsed):
            continue
        for item in parsed:
            assert item is not None
            outlet, dates, cross = item
            for d in dates or [""]:
                out.append(FoundCitation(outlet, d, m.start(), m.end(), cross))
    for m in _ACCORDING.finditer(text):
        raw = m.group("outlet")
        name = _outlet_name(raw, lookup, dated=False)
        if name:
            out.append(FoundCitation(name, "", m.start(), m.end()))
    out.sort(key=lambda c: c.start)
    return out


def _fold(name: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    s = s.casefold().strip()
    s = re.sub(r"^(?:the\s+|www\.)", "", s)
    return re.sub(r"\s+", " ", s)


def outlet_lookup(outlets: Sequence[Any]) -> OutletLookup:
    """A lookup from any name, alias or domain of the knowledge base's outlets to the name to
    record: the outlet as the text cites it ("Rosbalt.ru", "REGNUM"), except that a misspelt web
    address is corrected to the outlet's domain ("Tengrinnews.kz" -> "Tengrinews.kz")."""
    table: dict[str, Any] = {}
    for o in outlets:
        for alias in (o.name, *o.aliases, o.domain):
            if alias:
                table.setdefault(_fold(alias), o)

    def lookup(name: str) -> str | None:
        o = table.get(_fold(name))
        if o is None:
            return None
        written = name.strip()
        domain = getattr(o, "domain", "") or ""
        if _DOMAIN.match(written) and domain and _fold(written) != _fold(domain):
            import difflib

            if difflib.SequenceMatcher(None, _fold(written), _fold(domain)).ratio() >= 0.85:
                return domain[:1].upper() + domain[1:]  # a misspelt address
        return written

    return lookup
