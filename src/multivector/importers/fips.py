"""FIPS 10-4 country codes (GDELT's place codes) and country names, mapped to ISO alpha-3.

GDELT writes the country of a place (``Actor1Geo_CountryCode``, ``ActionGeo_CountryCode``) as
FIPS 10-4, which differs from ISO for many countries ("RS" is Russia, "UP" Ukraine, "GM"
Germany, "CH" China). ICEWS and POLECAT write country names; `code_for_name` maps those
(and organisation names) to the codebook's codes.
"""

from __future__ import annotations

import re
from functools import cache

from multivector.importers._data import read_table
from multivector.ontology import ORGANISATION_CODES


@cache
def _fips() -> dict[str, str]:
    return {row["fips"]: row["iso3"] for row in read_table("fips2iso.csv")}


def fips_to_iso(code: str) -> str | None:
    """ISO 3166-1 alpha-3 for a FIPS 10-4 country code; None when unknown or unassigned."""
    return _fips().get(code.strip().upper()) or None


@cache
def iso_codes() -> frozenset[str]:
    """Every ISO alpha-3 state or territory code the packaged tables know (Kosovo: XKX)."""
    codes = {iso for iso in _fips().values() if iso}
    codes.update(c for c in _names().values() if c not in ORGANISATION_CODES)
    return frozenset(codes)


_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    key = _SPACES.sub(" ", name.strip().strip('"').strip()).casefold()
    return key[4:] if key.startswith("the ") else key


@cache
def _names() -> dict[str, str]:
    table = {normalise_name(row["name"]): row["iso3"] for row in read_table("fips2iso.csv")}
    table = {k: v for k, v in table.items() if v}
    for row in read_table("country_names.csv"):
        table[normalise_name(row["name"])] = row["code"]
    return table


def code_for_name(name: str) -> str | None:
    """The codebook code (ISO alpha-3 or organisation) for a country or organisation name."""
    if not name:
        return None
    return _names().get(normalise_name(name))
