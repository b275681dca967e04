"""Resolve time expressions against a document's publication date (CODEBOOK section 4).

`find_dates(text, published)` returns every time expression it recognises with its character
span, the resolved date and its precision. Years are inferred so that the date does not fall
after publication ("November 28" in an article of 2022-12-01 is 2022-11-28), except where the
wording says the future ("next year").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip

_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_NUM = r"(?:\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # November 10, 2020 / November 28 / November 28-29
    ("month_day", re.compile(
        rf"\b(?P<month>{_MONTH_RE})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}})?"
        rf"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b")),
    # 10 November 2020 / 28 November
    ("day_month", re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_RE})(?:,?\s+(?P<year>(?:19|20)\d\d))?\b")),
    # in June 2022 / June 2022 / in June
    ("month_year", re.compile(
        rf"\b(?:(?:in|since|during|by|from|early|late|mid-?)\s+)?(?P<month>{_MONTH_RE})(?:,?\s+(?P<year>(?:19|20)\d\d))?\b")),
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("relative_day", re.compile(
        r"\b(?P<word>yesterday|today|tonight|tomorrow|the day before yesterday|this morning|this evening|last night)\b",
        re.I)),
    ("relative_span", re.compile(
        r"\b(?P<which>this|last|past|next|the past|the previous|earlier this|later this|the current)\s+"
        r"(?P<unit>week|month|year)\b", re.I)),
    ("ago", re.compile(
        rf"\b(?:(?:nearly|almost|about|some|roughly|more than|over|just over|less than)\s+)?"
        rf"(?P<n>{_NUM})\s+(?P<unit>day|week|month|year|decade)s?\s+ago\b", re.I)),
    ("weekday", re.compile(r"\b(?:on|last|this)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("in_year", re.compile(r"\b(?:in|since|during|by|from|of)\s+(?P<year>(?:19|20)\d\d)\b")),
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class DateExpr:
    start: int
    end: int
    text: str
    date: date
    precision: str  # day | week | month | year
    future: bool = False


def _month_num(token: str) -> int:
    return MONTHS[token.lower().rstrip(".")]


def _infer_year(month: int, day: int, published: date) -> int:
    """The year that puts month/day on or before publication (allowing one day of slack)."""
    year = published.year
    try:
        candidate = date(year, month, day)
    except ValueError:
        candidate = date(year, month, 1)
    if candidate > published + timedelta(days=1):
        year -= 1
    return year


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _resolve(kind: str, m: re.Match[str], published: date) -> tuple[date, str, bool] | None:
    g = m.groupdict()
    if kind in ("month_day", "day_month"):
        month, day = _month_num(g["month"]), int(g["day"])
        year = int(g["year"]) if g.get("year") else _infer_year(month, day, published)
        d = _safe_date(year, month, day)
        return (d, "day", d > published) if d else None
    if kind == "iso":
        d = _safe_date(int(g["year"]), int(g["m"]), int(g["d"]))
        return (d, "day", d > published) if d else None
    if kind == "month_year":
        month = _month_num(g["month"])
        if g.get("year"):
            year = int(g["year"])
        else:
            # "May" alone is too ambiguous (the modal verb); require a preposition for it.
            if g["month"].lower() == "may" and not m.group(0).lower().startswith(("in ", "since ", "during ", "by ", "from ", "early ", "late ", "mid")):
                return None
            year = published.year if month <= published.month else published.year - 1
        d = date(year, month, 1)
        return d, "month", d > published
    if kind == "relative_day":
        word = g["word"].lower()
        if word == "yesterday" or word == "last night":
            return published - timedelta(days=1), "day", False
        if word == "tomorrow":
            return published + timedelta(days=1), "day", True
        if word == "the day before yesterday":
            return published - timedelta(days=2), "day", False
        return published, "day", False
    if kind == "relative_span":
        which, unit = g["which"].lower(), g["unit"].lower()
        future = which in ("next", "later this")
        if unit == "week":
            base = _monday(published)
            if which in ("last", "the previous"):
                base -= timedelta(days=7)
            elif which == "next":
                base += timedelta(days=7)
            return base, "week", future
        if unit == "month":
            y, mo = published.year, published.month
            if which in ("last", "the previous"):
                y, mo = (y - 1, 12) if mo == 1 else (y, mo - 1)
            elif which == "next":
                y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
            return date(y, mo, 1), "month", future
        year = published.year + (1 if which == "next" else -1 if which in ("last", "the previous") else 0)
        if which in ("this", "past", "the past", "the current", "earlier this"):
            return published, "year", False
        return date(year, 1, 1), "year", future
    if kind == "ago":
        n_raw = g["n"].lower()
        n = NUMBER_WORDS.get(n_raw) or int(n_raw[:6])
        if n > 200:  # "2500 years ago" is history, not a date this resolver can place
            return None
        unit = g["unit"].lower()
        if unit == "day":
            return published - timedelta(days=n), "day", False
        if unit == "week":
            return _monday(published - timedelta(days=7 * n)), "week", False
        if unit == "month":
            y, mo = published.year, published.month - n
            while mo <= 0:
                y, mo = y - 1, mo + 12
            return date(y, mo, 1), "month", False
        years = n * (10 if unit == "decade" else 1)
        if unit == "year" and n == 1:
            # "a year ago" is close enough to say the month
            return date(published.year - 1, published.month, 1), "month", False
        return date(published.year - years, 1, 1), "year", False
    if kind == "weekday":
        target = WEEKDAYS.index(g["wd"].lower())
        delta = (published.weekday() - target) % 7
        return published - timedelta(days=delta), "day", False
    if kind == "in_year":
        year = int(g["year"])
        d = date(year, 1, 1)
        return d, "year", year > published.year
    return None


def find_dates(text: str, published: date) -> list[DateExpr]:
    """All time expressions in `text`, resolved against `published`, non-overlapping, in order."""
    found: list[DateExpr] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            try:
                resolved = _resolve(kind, m, published)
            except (ValueError, OverflowError):
                resolved = None
            if resolved is None:
                continue
            d, precision, future = resolved
            found.append(DateExpr(s, e, m.group(0), d, precision, future))
            taken.append((s, e))
    found.sort(key=lambda x: x.start)
    return found
