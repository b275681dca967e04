"""GDELT 2.0 Events and Mentions exports -> multivector events, streamed row by row.

Events files (``YYYYMMDDHHMMSS.export.CSV`` or ``.CSV.zip``) are tab-separated, without a
header, 61 columns (`EVENT_COLUMNS`). Each row becomes at most one `Event`:

- ``doc_id`` ``gdelt:<GLOBALEVENTID>``, ``source_url`` SOURCEURL, ``dataset`` "gdelt";
- type, mode and context from EventCode through the CAMEO -> PLOVER table (``rule`` keeps
  ``cameo:<EventCode>``); 01x statements have no PLOVER type and are skipped and counted;
- each side from Actor{1,2}CountryCode (CAMEO country), else Actor{1,2}KnownGroupCode (IGO),
  sector from Actor{1,2}Type1Code, ``text`` the actor name; a row with no codable side is
  skipped (``no codable actor``); a row with one codable side keeps it in its role;
- ``date`` SQLDATE as ISO, precision ``day``; factuality ``asserted``; confidence 1.0.

The place columns use FIPS 10-4 country codes; `place_countries` maps them to ISO (the event
record has no place field, so they are not part of the `Event`).

Mentions files (``.mentions.CSV[.zip]``, 16 columns) give each event's mentions: `iter_mentions`
streams them, and `best_mentions` keeps the most confident mention per event so that
`iter_events(..., mentions=...)` can attach its sentence and confidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from multivector.importers.base import (
    BAD_DATE,
    BAD_ID,
    BAD_VALUE,
    COLUMN_COUNT,
    NO_ACTOR,
    NO_PLOVER_TYPE,
    UNKNOWN_CAMEO,
    ImportReport,
    PathLike,
    RowSkip,
    coder_for,
    iter_lines,
)
from multivector.importers.cameo import cameo_actor, plover_for_cameo
from multivector.importers.fips import fips_to_iso
from multivector.records import Entity, Event

DATASET = "gdelt"
CODER = coder_for(DATASET)

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")  # fmt: skip
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

#: The 61 columns of a GDELT 2.0 Events export, in order.
EVENT_COLUMNS: tuple[str, ...] = (
    ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{c}" for c in _ACTOR)
    + tuple(f"Actor2{c}" for c in _ACTOR)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
       "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
    + tuple(f"Actor1Geo_{c}" for c in _GEO)
    + tuple(f"Actor2Geo_{c}" for c in _GEO)
    + tuple(f"ActionGeo_{c}" for c in _GEO)
    + ("DATEADDED", "SOURCEURL")
)  # fmt: skip
assert len(EVENT_COLUMNS) == 61

#: The 16 columns of a GDELT 2.0 Mentions file, in order.
MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset",
    "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
    "MentionDocTranslationInfo", "Extras",
)  # fmt: skip

_I = {name: i for i, name in enumerate(EVENT_COLUMNS)}
ID, SQLDATE, CODE, URL = _I["GLOBALEVENTID"], _I["SQLDATE"], _I["EventCode"], _I["SOURCEURL"]
A1 = (_I["Actor1CountryCode"], _I["Actor1KnownGroupCode"], _I["Actor1Type1Code"], _I["Actor1Name"])
A2 = (_I["Actor2CountryCode"], _I["Actor2KnownGroupCode"], _I["Actor2Type1Code"], _I["Actor2Name"])
GEO_COUNTRY = {
    "actor1": _I["Actor1Geo_CountryCode"],
    "actor2": _I["Actor2Geo_CountryCode"],
    "action": _I["ActionGeo_CountryCode"],
}


@dataclass(frozen=True, slots=True)
class Mention:
    """One row of a GDELT Mentions file (offsets are -1 when the actor or action is absent)."""

    event_id: str
    url: str
    sentence: int  # 1-based SentenceID
    actor1_offset: int
    actor2_offset: int
    action_offset: int
    confidence: float  # 0-100 as GDELT gives it


# -- rows --------------------------------------------------------------------------------------

_DATES: dict[str, str] = {}


def sql_date(value: str) -> str:
    """``YYYYMMDD`` -> ``YYYY-MM-DD``; RowSkip(bad date) when it is not a calendar date."""
    iso = _DATES.get(value)
    if iso is not None:
        return iso
    if len(value) != 8 or not value.isdigit():
        raise RowSkip(BAD_DATE, f"SQLDATE {value!r} is not YYYYMMDD")
    try:
        iso = date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()
    except ValueError:
        raise RowSkip(BAD_DATE, f"SQLDATE {value!r} is not a calendar date") from None
    if len(_DATES) > 100_000:  # bounded: a file spans at most a few thousand distinct days
        _DATES.clear()
    _DATES[value] = iso
    return iso


_ENTITIES: dict[tuple[str, str, str, str], Entity | None] = {}
_MISSING = Entity(code="")


def _side(fields: list[str], cols: tuple[int, int, int, int]) -> tuple[Entity, ...]:
    key = (fields[cols[0]], fields[cols[1]], fields[cols[2]], fields[cols[3]])
    entity = _ENTITIES.get(key, _MISSING)
    if entity is _MISSING:
        hit = cameo_actor(key[0], key[1], key[2])
        entity = Entity(code=hit[0], sector=hit[1], text=key[3]) if hit is not None else None
        if len(_ENTITIES) > 200_000:  # bounded: actor names repeat, but not without end
            _ENTITIES.clear()
        _ENTITIES[key] = entity
    return (entity,) if entity is not None else ()


def event_from_fields(fields: list[str], mention: Mention | None = None) -> Event:
    """One GDELT Events row (already split on tabs) as an Event; RowSkip when it cannot be."""
    if len(fields) != 61:
        raise RowSkip(COLUMN_COUNT, f"expected 61 tab-separated columns, found {len(fields)}")
    row_id = fields[ID].strip()
    if not row_id.isdigit():
        raise RowSkip(BAD_ID, f"GLOBALEVENTID {row_id!r} is not a number")
    day = sql_date(fields[SQLDATE].strip())
    code = fields[CODE].strip()
    plover = plover_for_cameo(code)
    if plover is None:
        raise RowSkip(UNKNOWN_CAMEO, f"EventCode {code!r}")
    if not plover.event_type:
        raise RowSkip(NO_PLOVER_TYPE, f"CAMEO {code} (MAKE STATEMENT)")
    actor, recipient = _side(fields, A1), _side(fields, A2)
    if not actor and not recipient:
        raise RowSkip(NO_ACTOR, "no CAMEO country or IGO code on either side")
    doc_id = f"{DATASET}:{row_id}"
    sentence, confidence = -1, 1.0
    if mention is not None:
        sentence, confidence = mention.sentence - 1, mention.confidence / 100.0
    return Event(
        id=doc_id,
        doc_id=doc_id,
        event_type=plover.event_type,
        mode=plover.mode,
        context=plover.context,
        actor=actor,
        recipient=recipient,
        date=day,
        date_precision="day",
        sentence_index=sentence,
        rule=f"cameo:{code}",
        confidence=confidence,
        coder=CODER,
        dataset=DATASET,
        source_url=fields[URL],
    )  # factuality "asserted" and evidence "" are the defaults


def place_countries(fields: list[str]) -> dict[str, str | None]:
    """ISO alpha-3 of the Actor1, Actor2 and Action places of a row (FIPS 10-4 in the file)."""
    return {role: fips_to_iso(fields[i]) if fields[i] else None for role, i in GEO_COUNTRY.items()}


def iter_events(
    paths: Iterable[PathLike],
    report: ImportReport,
    *,
    strict: bool = False,
    mentions: Mapping[str, Mention] | None = None,
) -> Iterator[Event]:
    """Stream the events of GDELT 2.0 Events files (``.CSV``, ``.CSV.zip``, ``.gz``).

    Skipped rows are counted in ``report`` with file, line and reason; with ``strict`` the first
    malformed row raises `ImportRowError`. ``mentions`` (see `best_mentions`) attaches each
    event's sentence index and confidence (Confidence / 100).
    """
    report.dataset = report.dataset or DATASET
    for source, line, text in iter_lines(paths, report, strict=strict):
        report.rows_read += 1
        fields = text.split("\t")
        try:
            mention = mentions.get(fields[ID].strip()) if mentions else None
            event = event_from_fields(fields, mention)
        except RowSkip as skip:
            report.skip(source, line, skip.kind, skip.detail, strict=strict)
            continue
        report.events += 1
        yield event


# -- mentions ----------------------------------------------------------------------------------


def _int(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise RowSkip(BAD_VALUE, f"{what} {value!r} is not an integer") from None


def mention_from_fields(fields: list[str]) -> Mention:
    """One Mentions row (split on tabs) as a `Mention`; RowSkip when it cannot be read."""
    if len(fields) < 12:
        raise RowSkip(COLUMN_COUNT, f"expected 16 tab-separated columns, found {len(fields)}")
    event_id = fields[0].strip()
    if not event_id.isdigit():
        raise RowSkip(BAD_ID, f"GLOBALEVENTID {event_id!r} is not a number")
    try:
        confidence = float(fields[11])
    except ValueError:
        raise RowSkip(BAD_VALUE, f"Confidence {fields[11]!r} is not a number") from None
    if not 0.0 <= confidence <= 100.0:
        raise RowSkip(BAD_VALUE, f"Confidence {confidence} is outside 0-100")
    return Mention(
        event_id=event_id,
        url=fields[5].strip(),
        sentence=_int(fields[6], "SentenceID"),
        actor1_offset=_int(fields[7], "Actor1CharOffset"),
        actor2_offset=_int(fields[8], "Actor2CharOffset"),
        action_offset=_int(fields[9], "ActionCharOffset"),
        confidence=confidence,
    )


def iter_mentions(
    paths: Iterable[PathLike], report: ImportReport, *, strict: bool = False
) -> Iterator[Mention]:
    """Stream the rows of GDELT 2.0 Mentions files: (event id, document URL, sentence id,
    character offsets, confidence)."""
    report.dataset = report.dataset or "gdelt-mentions"
    for source, line, text in iter_lines(paths, report, strict=strict):
        report.rows_read += 1
        try:
            mention = mention_from_fields(text.split("\t"))
        except RowSkip as skip:
            report.skip(source, line, skip.kind, skip.detail, strict=strict)
            continue
        report.events += 1
        yield mention


def best_mentions(mentions: Iterable[Mention]) -> dict[str, Mention]:
    """The most confident mention of each event (the first among equals).

    Memory grows with the number of distinct events mentioned, so pass the Mentions files
    that belong to the Events files being imported (GDELT publishes them in pairs).
    """
    best: dict[str, Mention] = {}
    for m in mentions:
        old = best.get(m.event_id)
        if old is None or m.confidence > old.confidence:
            best[m.event_id] = m
    return best
