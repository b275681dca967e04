"""CAMEO codes -> PLOVER: event codes to types, modes and contexts; actor codes to codes and sectors.

Event codes follow ``data/cameo2plover.csv``, derived from the Open Event Data Alliance's
CAMEO2PLOVER-2021 table (CC BY-SA 4.0; see ``data/ATTRIBUTION.md``). A code the table does not
list falls back to its longest listed prefix (``1625`` -> ``162``, ``155`` -> ``15``). CAMEO 01x
(MAKE STATEMENT) has no PLOVER type.

Actor codes: CAMEO's three-letter country codes are mostly ISO alpha-3; the exceptions CAMEO
kept from older lists (``ROM`` Romania, ``ZAR`` Zaire, ``TMP`` East Timor, ``KSV`` Kosovo...)
are mapped; IGO codes go to the codebook's organisation codes (``UNO`` -> UN, ``EEC`` -> EU,
``NAT`` -> NATO...) or ``IGO``; regional codes are not actors except ``WST`` (-> WEST) and
``EUR`` (-> EU). Agent/type codes become PLOVER sectors (``MED`` -> JRN, ``INS`` -> REB...).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

from multivector.importers._data import read_table
from multivector.importers.fips import iso_codes
from multivector.ontology import EVENT_TYPES, SECTORS


@dataclass(frozen=True, slots=True)
class PloverCode:
    """The PLOVER reading of one CAMEO event code (``event_type`` "" when it has none)."""

    cameo: str
    event_type: str
    mode: str = ""
    context: tuple[str, ...] = ()


@cache
def _table() -> dict[str, PloverCode]:
    table = {}
    for row in read_table("cameo2plover.csv"):
        event_type = row["event_type"]
        if event_type and event_type not in EVENT_TYPES:  # pragma: no cover - data check
            raise ValueError(f"cameo2plover.csv: {row['cameo']}: unknown type {event_type!r}")
        context = tuple(c for c in row["context"].split(";") if c)
        table[row["cameo"]] = PloverCode(row["cameo"], event_type, row["mode"], context)
    return table


def normalise_cameo(code: str, *, full: bool = False) -> str:
    """A CAMEO event code as GDELT writes it ("042"), restoring dropped leading zeros.

    CAMEO codes have a two-digit root 01-20 and are 2-4 digits long; files that stored them
    as integers lose the leading zero, which is restored when the root would otherwise be
    impossible (``42`` -> ``042``, ``211`` -> ``0211``; a three-digit code is padded only when
    the padded code's base is a listed code, so ``999`` stays invalid). With ``full`` (a dataset that never
    writes bare root codes, such as ICEWS) any two-digit code is padded (``10`` -> ``010``).
    """
    code = code.strip().strip('"')
    if not code.isdigit():
        return code
    if len(code) == 1 or (len(code) == 2 and (full or int(code) > 20)):
        return code.zfill(3)
    if len(code) == 3 and int(code[:2]) > 20 and "0" + code[:2] in _table():
        return "0" + code
    return code


@lru_cache(maxsize=4096)
def plover_for_cameo(code: str) -> PloverCode | None:
    """The PLOVER type/mode/context of a CAMEO event code; None when it is not a CAMEO code.

    The table is followed where it lists the code; otherwise its longest listed prefix. A
    four-digit code needs a listed three-digit base (``0999`` is no CAMEO code).
    """
    if not (code.isdigit() and 2 <= len(code) <= 4 and 1 <= int(code[:2]) <= 20):
        return None
    table = _table()
    if len(code) == 4 and code[:3] not in table:
        return None
    for end in range(len(code), 1, -1):
        hit = table.get(code[:end])
        if hit is not None:
            return hit if end == len(code) else PloverCode(code, hit.event_type, hit.mode,
                                                           hit.context)  # fmt: skip
    return None  # pragma: no cover - every root 01-20 is in the table


# -- actors ------------------------------------------------------------------------------------

#: CAMEO country codes that are not (or no longer) the ISO alpha-3 code of the same state.
COUNTRY_EXCEPTIONS: Final[dict[str, str]] = {
    "ROM": "ROU",  # Romania (pre-2002 ISO code kept by CAMEO)
    "ZAR": "COD", "ZAI": "COD",  # Zaire / DR Congo
    "TMP": "TLS",  # East Timor
    "YUG": "SRB", "SCG": "SRB",  # Yugoslavia, Serbia and Montenegro
    "KOS": "XKX", "KSV": "XKX", "XKX": "XKX",  # Kosovo
    "PAL": "PSE", "GZS": "PSE", "WSB": "PSE", "WBK": "PSE",  # Palestine, Gaza, West Bank
    "BUR": "MMR", "BRM": "MMR",  # Burma
    "SUN": "RUS", "USR": "RUS",  # USSR
    "CSK": "CZE",  # Czechoslovakia
    "DDR": "DEU", "GDR": "DEU", "FRG": "DEU",  # East and West Germany
    "ANT": "CUW",  # Netherlands Antilles
}  # fmt: skip

#: CAMEO regional codes. Only WST and EUR are actors in the codebook; the rest code no side.
REGIONS: Final[dict[str, str]] = {
    "WST": "WEST", "EUR": "EU",
    "AFR": "", "ASA": "", "BLK": "", "CRB": "", "CAU": "", "CFR": "", "CAS": "", "CEU": "",
    "EIN": "", "EAF": "", "EEU": "", "LAM": "", "MEA": "", "MDT": "", "NAF": "", "NMR": "",
    "PGS": "", "SCN": "", "SAM": "", "SAS": "", "SEA": "", "SAF": "", "WAF": "", "ARB": "",
}  # fmt: skip

#: CAMEO IGO / known-group codes that are organisations of the codebook, or IGO.
ORGANISATIONS: Final[dict[str, str]] = {
    "UNO": "UN", "UN": "UN",
    "EEC": "EU", "EU": "EU", "IGOEU": "EU", "IGOEEC": "EU", "IGOEUREEC": "EU",
    "NAT": "NATO", "NATO": "NATO", "IGOWSTNAT": "NATO",
    "SCO": "SCO", "CIS": "CIS", "CST": "CSTO", "CSTO": "CSTO", "EAEU": "EAEU",
    "OSC": "OSCE", "OSCE": "OSCE", "ASN": "ASEAN", "ASEAN": "ASEAN",
    "AFU": "AU", "OAU": "AU", "AU": "AU", "OPC": "OPEC", "OPEC": "OPEC", "IMF": "IMF",
    "WBK": "WB", "WB": "WB", "WTO": "WTO", "GOS": "G7", "G7": "G7", "G20": "G20",
    "BRICS": "BRICS", "CICA": "CICA", "OTS": "OTS",
    # other intergovernmental organisations: IGO
    "IGO": "IGO", "ARL": "IGO", "GCC": "IGO", "OIC": "IGO", "OAS": "IGO", "COE": "IGO",
    "ICC": "IGO", "ITP": "IGO", "CWN": "IGO", "AMU": "IGO", "WAS": "IGO", "SAD": "IGO",
    "EAC": "IGO", "CSS": "IGO", "IAE": "IGO", "GOE": "IGO", "EFT": "IGO", "ADB": "IGO",
    "AFB": "IGO", "AEU": "IGO", "APE": "IGO", "BIS": "IGO", "CEM": "IGO", "ECA": "IGO",
    "EBR": "IGO", "IDB": "IGO", "PAP": "IGO", "XFM": "IGO", "WHO": "IGO", "WFP": "IGO",
}  # fmt: skip

#: CAMEO agent / type codes -> PLOVER sectors (CODEBOOK section 3).
SECTOR_OF_TYPE: Final[dict[str, str]] = {
    "GOV": "GOV", "MIL": "MIL", "LEG": "LEG", "JUD": "JUD", "COP": "COP", "SPY": "SPY",
    "OPP": "OPP", "REB": "REB", "INS": "REB", "SEP": "REB", "UAF": "REB", "PTY": "PTY",
    "BUS": "BUS", "MNC": "BUS", "MED": "JRN", "JRN": "JRN", "CVL": "CVL", "LAB": "CVL",
    "AGR": "CVL", "HLH": "CVL", "HRI": "CVL", "NGO": "CVL", "NGM": "CVL", "ENV": "CVL",
    "ELI": "CVL", "CRM": "CVL", "SET": "CVL", "DEV": "CVL", "EDU": "EDU", "REL": "REL",
    "REF": "REF", "PKO": "MIL", "PRE": "PRE", "UNK": "UNK",
    # modifiers and organisation markers say nothing about the sector
    "MOD": "", "RAD": "", "IGO": "", "UNO": "",
}  # fmt: skip


def state_code(code: str) -> str | None:
    """ISO alpha-3 for a CAMEO country code, or None when it is not a state."""
    code = code.strip().upper()
    if code in COUNTRY_EXCEPTIONS:
        return COUNTRY_EXCEPTIONS[code]
    return code if len(code) == 3 and code in iso_codes() else None


def organisation_code(code: str) -> str | None:
    """The codebook organisation code for a CAMEO IGO / known-group code, or None."""
    code = code.strip().upper()
    if code in ORGANISATIONS:
        return ORGANISATIONS[code]
    if code.startswith("IGO") and len(code) > 3:  # full actor codes such as IGOWSTNAT
        for start in range(3, len(code) - 2, 3):
            hit = ORGANISATIONS.get(code[start : start + 3])
            if hit:
                return hit
        return "IGO"
    return None


def sector_for_type(type_code: str) -> str:
    """The PLOVER sector for a CAMEO agent/type code ("" when none is given)."""
    code = type_code.strip().upper()
    if not code:
        return ""
    if code in SECTOR_OF_TYPE:
        return SECTOR_OF_TYPE[code]
    return code if code in SECTORS else "UNK"


@lru_cache(maxsize=65536)
def cameo_actor(country: str, group: str = "", type_code: str = "") -> tuple[str, str] | None:
    """(code, sector) for one side of a CAMEO-coded event, or None when it is not codable.

    A state country code wins (with the sector of ``type_code``); then a known organisation in
    ``group`` (or in ``country``); then the regional codes WST (WEST) and EUR (EU).
    Organisations take no sector (CODEBOOK section 3).
    """
    state = state_code(country) if country else None
    if state:
        return state, sector_for_type(type_code)
    for candidate in (group, country):
        org = organisation_code(candidate) if candidate else None
        if org:
            return org, ""
    region = REGIONS.get(country.strip().upper()) if country else None
    if region:
        return region, ""
    return None
