"""POLECAT weekly files -> multivector events, streamed row by row.

POLECAT is already coded in PLOVER, so the event type, mode and contexts are read, not mapped.
Its weekly tab-separated files have about 40 columns whose names drift between releases
("Event Type" / "event_type" / "type"...): columns are found case- and punctuation-insensitively
among known aliases (`ALIASES`). Cells are cleaned of trailing tabs, stray quotes and the
literal ``None``; multi-valued cells are ``;``-joined ("Vladimir Putin; Xi Jinping" with
"RUS; CHN"), giving one entity per value (deduplicated by code and sector).

- ``doc_id`` ``polecat:<Event ID>``, ``dataset`` "polecat", ``source_url`` the story URL when the
  file has one, else ``polecat-story:<Story ID>`` when it has a story id;
- actor/recipient: code from the country cell (ISO alpha-3 as written, or a country name),
  else an organisation named by the actor name; sector from the (primary) sector cell;
- ``rule`` ``plover:<TYPE>``; ``date`` Event Date, precision ``day``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from multivector.importers._tabular import fit_width, iso_date, iter_table_events
from multivector.importers.base import (
    BAD_ID,
    COLUMN_COUNT,
    NO_ACTOR,
    UNKNOWN_PLOVER,
    ImportReport,
    PathLike,
    RowSkip,
    coder_for,
)
from multivector.importers.cameo import SECTOR_OF_TYPE, sector_for_type
from multivector.importers.fips import code_for_name, iso_codes
from multivector.importers.icews import sector_for_sectors
from multivector.ontology import EVENT_TYPES, MODES, ORGANISATION_CODES, SECTORS
from multivector.records import Entity, Event

DATASET = "polecat"
CODER = coder_for(DATASET)

#: Field -> the column names it has carried across POLECAT releases (matched ignoring case,
#: spaces and punctuation).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("Event ID", "EventID", "id"),
    "date": ("Event Date", "Date", "Story Date", "Publication Date"),
    "type": ("Event Type", "PLOVER Event Type", "Type", "plover_type"),
    "mode": ("Event Mode", "Mode", "PLOVER Mode"),
    "context": ("Contexts", "Context", "Event Context", "Event Contexts"),
    "actor_name": ("Actor Name", "Actor", "Actor Names", "Source Name"),
    "actor_country": ("Actor Country", "Actor Country Code", "Actor Countries", "Source Country"),
    "actor_sector": ("Primary Actor Sector", "Actor Sector", "Actor Sectors", "Source Sectors"),
    "recipient_name": ("Recipient Name", "Recipient", "Recipient Names", "Target Name"),
    "recipient_country": (
        "Recipient Country",
        "Recipient Country Code",
        "Recipient Countries",
        "Target Country",
    ),  # fmt: skip
    "recipient_sector": (
        "Primary Recipient Sector",
        "Recipient Sector",
        "Recipient Sectors",
        "Target Sectors",
    ),  # fmt: skip
    "url": ("URL", "Story URL", "Source URL", "Article URL", "Link"),
    "story": ("Story ID", "StoryID", "Story"),
}
REQUIRED = ("id", "date", "type", "actor_name", "actor_country")

_NULLS = frozenset({"none", "null", "nan", "n/a", "na"})


def clean(value: str) -> str:
    """A cell without surrounding blanks and stray quotes; "" for None/null/NaN."""
    v = value.strip().strip('"').strip().replace('""', '"')
    if v.count('"') % 2:  # an unmatched quote inside the cell
        v = v.replace('"', "").strip()
    return "" if v.casefold() in _NULLS else v


def values(value: str) -> list[str]:
    """The values of a ``;``-joined cell, cleaned, empties and nulls dropped."""
    return [v for v in (clean(p) for p in clean(value).split(";")) if v]


def sector_of(value: str) -> str:
    """A PLOVER sector from a POLECAT sector cell (a code such as GOV, or a word)."""
    v = clean(value)
    if not v:
        return ""
    code = v.upper()
    if code in SECTORS or code in SECTOR_OF_TYPE:
        return sector_for_type(code)
    return sector_for_sectors(v)


def country_code(value: str) -> str | None:
    """The codebook code of a country cell: ISO alpha-3 as written, or a country name."""
    code = value.strip().upper()
    if code in iso_codes() or code in ORGANISATION_CODES:
        return code
    return code_for_name(value)


def _side(names: str, countries: str, sectors: str) -> tuple[Entity, ...]:
    ns, cs, ss = values(names), values(countries), values(sectors)
    out: list[Entity] = []
    seen: set[tuple[str, str]] = set()
    for i in range(max(len(ns), len(cs))):
        name = ns[i] if i < len(ns) else ""
        country = cs[i] if i < len(cs) else (cs[0] if len(cs) == 1 else "")
        sector_cell = ss[i] if i < len(ss) else (ss[0] if len(ss) == 1 else "")
        code = country_code(country) if country else None
        if code is None:
            code = code_for_name(name) if name else None
        if code is None:
            continue
        sector = "" if code in ORGANISATION_CODES else sector_of(sector_cell)
        if (code, sector) in seen:
            continue
        seen.add((code, sector))
        out.append(Entity(code=code, sector=sector, text=name))
    return tuple(out)


def iter_events(
    paths: Iterable[PathLike], report: ImportReport, *, strict: bool = False
) -> Iterator[Event]:
    """Stream the events of POLECAT weekly files (``.tsv``/``.txt``, ``.zip``, ``.gz``)."""
    return iter_table_events(
        paths, report, strict=strict, dataset=DATASET, aliases=ALIASES, required=REQUIRED, make_event=_event
    )


def _event(raw: list[str], cols: dict[str, int], width: int) -> Event:
    fields = fit_width(raw, width)
    if fields is None:
        raise RowSkip(COLUMN_COUNT, f"expected {width} tab-separated columns, found {len(raw)}")

    def get(name: str) -> str:
        i = cols.get(name)
        return clean(fields[i]) if i is not None else ""

    row_id = get("id")
    if not row_id:
        raise RowSkip(BAD_ID, "empty Event ID")
    day = iso_date(get("date"), "Event Date")
    event_type = get("type").upper()
    if event_type not in EVENT_TYPES:
        raise RowSkip(UNKNOWN_PLOVER, f"Event Type {get('type')!r}")
    mode = get("mode").casefold()
    if event_type in MODES and mode not in MODES[event_type]:
        mode = ""
    context = tuple(v.casefold() for v in values(get("context")))
    actor = _side(get("actor_name"), get("actor_country"), get("actor_sector"))
    recipient = _side(get("recipient_name"), get("recipient_country"), get("recipient_sector"))
    if not actor and not recipient:
        raise RowSkip(NO_ACTOR, "neither actor nor recipient names a country or organisation")
    url, story = get("url"), get("story")
    doc_id = f"{DATASET}:{row_id}"
    return Event(
        id=doc_id,
        doc_id=doc_id,
        event_type=event_type,
        mode=mode,
        context=context,
        actor=actor,
        recipient=recipient,
        factuality="asserted",
        date=day,
        date_precision="day",
        rule=f"plover:{event_type}",
        confidence=1.0,
        coder=CODER,
        dataset=DATASET,
        source_url=url or (f"polecat-story:{story}" if story else ""),
    )
