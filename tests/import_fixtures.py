"""Generators of small GDELT 2.0, ICEWS and POLECAT files for the importer tests.

Written independently of the importers: the GDELT column order is spelled out here from the
GDELT 2.0 Event codebook, so a mistake in the importer's column table shows up as a mismatch.
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code"]  # fmt: skip
_GEO = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]

GDELT_COLUMNS = (
    ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    + ["Actor1" + c for c in _ACTOR]
    + ["Actor2" + c for c in _ACTOR]
    + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
       "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"]
    + ["Actor1Geo_" + c for c in _GEO]
    + ["Actor2Geo_" + c for c in _GEO]
    + ["ActionGeo_" + c for c in _GEO]
    + ["DATEADDED", "SOURCEURL"]
)  # fmt: skip
assert len(GDELT_COLUMNS) == 61


def gdelt_row(
    event_id: int | str = 1001,
    day: str = "20240115",
    *,
    a1: tuple[str, str, str] = ("USA", "GOV", "UNITED STATES"),  # country, type1, name
    a2: tuple[str, str, str] = ("RUS", "", "RUSSIA"),
    a1_group: str = "",
    a2_group: str = "",
    code: str = "042",
    url: str = "https://example.com/news/1",
    action_geo: str = "RS",
) -> list[str]:
    """One GDELT Events row as its 61 fields."""
    row = dict.fromkeys(GDELT_COLUMNS, "")
    row.update(
        GLOBALEVENTID=str(event_id), SQLDATE=day, MonthYear=day[:6], Year=day[:4],
        FractionDate="2024.0411", Actor1Code=a1[0] + a1[1], Actor1Name=a1[2],
        Actor1CountryCode=a1[0], Actor1KnownGroupCode=a1_group, Actor1Type1Code=a1[1],
        Actor2Code=a2[0] + a2[1], Actor2Name=a2[2], Actor2CountryCode=a2[0],
        Actor2KnownGroupCode=a2_group, Actor2Type1Code=a2[1], IsRootEvent="1",
        EventCode=code, EventBaseCode=code[:3], EventRootCode=code[:2], QuadClass="1",
        GoldsteinScale="1.9", NumMentions="4", NumSources="1", NumArticles="4",
        AvgTone="-1.5", ActionGeo_Type="1", ActionGeo_FullName="Somewhere",
        ActionGeo_CountryCode=action_geo, ActionGeo_Lat="55.75", ActionGeo_Long="37.61",
        Actor1Geo_CountryCode="US", DATEADDED=day + "120000", SOURCEURL=url,
    )  # fmt: skip
    return [row[c] for c in GDELT_COLUMNS]


def tsv(rows: Iterable[Sequence[str] | str]) -> str:
    """Rows (field lists, or raw lines written as given) as tab-separated text."""
    return "".join((r if isinstance(r, str) else "\t".join(r)) + "\n" for r in rows)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_zip(path: Path, members: dict[str, str], *, corrupt: str = "") -> Path:
    """A zip archive of text members (stored, uncompressed); ``corrupt`` names a member whose
    data bytes are altered after writing, so its checksum fails when it is read."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    if corrupt:
        data = bytearray(path.read_bytes())
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(corrupt)
        # local header: 30 bytes + name + extra; then the data
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        data[start + 5] = ord("X") if data[start + 5] != ord("X") else ord("Y")
        path.write_bytes(bytes(data))
    return path


def mention_row(event_id: int | str, *, url: str, sentence: int, confidence: int,
                offsets: tuple[int, int, int] = (10, 40, 25)) -> list[str]:  # fmt: skip
    return [str(event_id), "20240115120000", "20240115121500", "1", "example.com", url,
            str(sentence), str(offsets[0]), str(offsets[1]), str(offsets[2]), "1",
            str(confidence), "2400", "-1.2", "", ""]  # fmt: skip


ICEWS_HEADER = [
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
    "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
    "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude",
    "Longitude",
]  # fmt: skip


def icews_row(event_id: str = "926685", day: str = "2018-01-01", *,
              source: tuple[str, str, str] = ("Vladimir Putin", "Government,Executive,Elite", "Russian Federation"),  # noqa: E501
              target: tuple[str, str, str] = ("Kazakhstan", "", "Kazakhstan"),
              code: str = "042", story: str = "28185700", sentence: str = "2") -> list[str]:  # fmt: skip
    return [event_id, day, source[0], source[1], source[2], "Make a visit", code, "1.9",
            target[0], target[1], target[2], story, sentence, "Interfax", "Astana", "",
            "Astana", "Kazakhstan", "51.18", "71.44"]  # fmt: skip


def random_gdelt_rows(n: int, seed: int = 7) -> list[list[str]]:
    """Valid-looking GDELT rows over a few states whose CAMEO codes equal their ISO codes,
    CAMEO codes the table lists exactly (01x statements included), some one-sided rows."""
    rng = random.Random(seed)
    states = ["USA", "RUS", "CHN", "UKR", "KAZ", "DEU"]
    codes = ["010", "013", "020", "036", "040", "042", "043", "051", "057", "061", "0311",
             "073", "084", "111", "112", "120", "130", "138", "141", "163", "173", "190",
             "193", "1712", "0233"]  # fmt: skip
    rows = []
    for i in range(n):
        month = rng.choice(["202311", "202312", "202401", "202402"])
        day = f"{month}{rng.randint(1, 28):02d}"
        a1 = rng.choice(states + [""])
        a2 = rng.choice(states + ["", ""])
        rows.append(gdelt_row(
            5_000_000 + i, day, a1=(a1, rng.choice(["", "GOV", "MIL"]), "A1"),
            a2=(a2, "", "A2"), code=rng.choice(codes), url=f"https://example.com/{i}",
        ))  # fmt: skip
    return rows
