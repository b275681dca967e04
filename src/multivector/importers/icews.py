"""ICEWS coded event files -> multivector events, streamed row by row.

ICEWS files are tab-separated with a header of 20 columns (`COLUMNS`). The Event ID is unique
only together with the Event Date, so the row id is ``<Event ID>:<Event Date>``. Each row:

- ``doc_id`` ``icews:<Event ID>:<Event Date>``, ``dataset`` "icews", ``sentence_index`` from
  Sentence Number (1-based in ICEWS);
- type, mode and context from CAMEO Code (leading zeros lost by integer storage restored);
- actor from Source Country (a country name -> ISO via ``data/country_names.csv`` and the FIPS
  table's names), else Source Name when it names an organisation ("United Nations"); sector
  from Source Sectors; ``text`` Source Name. Recipient likewise from the Target columns;
- ``date`` Event Date, precision ``day``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from multivector.importers._tabular import fit_width, iso_date, iter_table_events
from multivector.importers.base import (
    BAD_ID,
    COLUMN_COUNT,
    NO_ACTOR,
    NO_PLOVER_TYPE,
    UNKNOWN_CAMEO,
    ImportReport,
    PathLike,
    RowSkip,
    coder_for,
)
from multivector.importers.cameo import normalise_cameo, plover_for_cameo
from multivector.importers.fips import code_for_name
from multivector.ontology import ORGANISATION_CODES
from multivector.records import Entity, Event

DATASET = "icews"
CODER = coder_for(DATASET)

COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
    "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
    "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude",
    "Longitude",
)  # fmt: skip

_ALIASES = {
    "id": ("Event ID",), "date": ("Event Date",), "cameo": ("CAMEO Code",),
    "source_name": ("Source Name",), "source_sectors": ("Source Sectors",),
    "source_country": ("Source Country",), "target_name": ("Target Name",),
    "target_sectors": ("Target Sectors",), "target_country": ("Target Country",),
    "story": ("Story ID",), "sentence": ("Sentence Number",),
}  # fmt: skip
_REQUIRED = ("id", "date", "cameo", "source_name", "source_country", "target_name",
             "target_country")  # fmt: skip

#: ICEWS sector words -> PLOVER sectors, most specific first (the first that matches wins).
SECTOR_WORDS: tuple[tuple[str, str], ...] = (
    ("rebel", "REB"), ("insurgent", "REB"), ("separatist", "REB"), ("militant", "REB"),
    ("military", "MIL"), ("army", "MIL"), ("police", "COP"), ("intelligence", "SPY"),
    ("judicial", "JUD"), ("court", "JUD"), ("legislative", "LEG"), ("parliament", "LEG"),
    ("protest", "CVL"), ("dissident", "OPP"), ("opposition", "OPP"), ("party", "PTY"), ("parties", "PTY"),
    ("government", "GOV"), ("executive", "GOV"), ("ministry", "GOV"), ("cabinet", "GOV"),
    ("business", "BUS"), ("media", "JRN"), ("news", "JRN"), ("religio", "REL"),
    ("education", "EDU"), ("refugee", "REF"), ("displaced", "REF"), ("social", "CVL"),
    ("civil", "CVL"), ("labor", "CVL"), ("ngo", "CVL"),
    ("non-governmental", "CVL"), ("general population", "CVL"), ("elite", "CVL"),
    ("criminal", "CVL"), ("ethnic", "CVL"), ("health", "CVL"), ("agricult", "CVL"),
)  # fmt: skip


def sector_for_sectors(value: str) -> str:
    """The PLOVER sector for an ICEWS sector list ("Government,Executive,Cabinet" -> GOV)."""
    text = value.strip().strip('"').casefold()
    if not text or text == "none":
        return ""
    for word, sector in SECTOR_WORDS:
        if word in text:
            return sector
    return "UNK"


def _side(name: str, sectors: str, country: str) -> tuple[Entity, ...]:
    name, country = name.strip().strip('"'), country.strip().strip('"')
    code = code_for_name(country) if country else None
    if code is not None:
        sector = "" if code in ORGANISATION_CODES else sector_for_sectors(sectors)
        return (Entity(code=code, sector=sector, text=name),)
    org = code_for_name(name)
    if org is not None:
        return (Entity(code=org, sector="", text=name),)
    return ()


def iter_events(
    paths: Iterable[PathLike], report: ImportReport, *, strict: bool = False
) -> Iterator[Event]:
    """Stream the events of ICEWS files (``.tab``/``.tsv``/``.txt``, ``.zip``, ``.gz``)."""
    return iter_table_events(
        paths, report, strict=strict, dataset=DATASET, aliases=_ALIASES, required=_REQUIRED, make_event=_event
    )


def _event(raw: list[str], cols: dict[str, int], width: int) -> Event:
    fields = fit_width(raw, width)
    if fields is None:
        raise RowSkip(COLUMN_COUNT, f"expected {width} tab-separated columns, found {len(raw)}")
    row_id = fields[cols["id"]].strip().strip('"')
    if not row_id:
        raise RowSkip(BAD_ID, "empty Event ID")
    day = iso_date(fields[cols["date"]], "Event Date")
    code = normalise_cameo(fields[cols["cameo"]], full=True)
    plover = plover_for_cameo(code)
    if plover is None:
        raise RowSkip(UNKNOWN_CAMEO, f"CAMEO Code {code!r}")
    if not plover.event_type:
        raise RowSkip(NO_PLOVER_TYPE, f"CAMEO {code} (MAKE STATEMENT)")
    get = fields.__getitem__
    actor = _side(get(cols["source_name"]), _opt(fields, cols, "source_sectors"),
                  get(cols["source_country"]))  # fmt: skip
    recipient = _side(get(cols["target_name"]), _opt(fields, cols, "target_sectors"),
                      get(cols["target_country"]))  # fmt: skip
    if not actor and not recipient:
        raise RowSkip(NO_ACTOR, "neither Source nor Target names a country or organisation")
    sentence = _opt(fields, cols, "sentence").strip()
    doc_id = f"{DATASET}:{row_id}:{day}"
    return Event(
        id=doc_id,
        doc_id=doc_id,
        event_type=plover.event_type,
        mode=plover.mode,
        context=plover.context,
        actor=actor,
        recipient=recipient,
        factuality="asserted",
        date=day,
        date_precision="day",
        sentence_index=int(sentence) - 1 if sentence.isdigit() and int(sentence) > 0 else -1,
        rule=f"cameo:{code}",
        confidence=1.0,
        coder=CODER,
        dataset=DATASET,
    )


def _opt(fields: list[str], cols: dict[str, int], name: str) -> str:
    i = cols.get(name)
    return fields[i] if i is not None else ""
