"""Importers of GDELT 2.0, ICEWS and POLECAT files: every mapped field, exact skip reports,
--strict, zip members, and monthly series equal to DuckDB SQL run directly over the file."""

from __future__ import annotations

import gzip
import tempfile
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from import_fixtures import (
    GDELT_COLUMNS,
    ICEWS_HEADER,
    gdelt_row,
    icews_row,
    mention_row,
    random_gdelt_rows,
    tsv,
    write,
    write_zip,
)
from multivector.errors import ImportRowError, InputError
from multivector.importers import ImportReport, gdelt, icews, iter_dataset, polecat
from multivector.importers.base import MAX_KEPT, coder_for
from multivector.importers.cameo import (
    cameo_actor,
    normalise_cameo,
    plover_for_cameo,
    sector_for_type,
)
from multivector.importers.derive_cameo import derive, render
from multivector.importers.fips import code_for_name, fips_to_iso, iso_codes
from multivector.ontology import EVENT_TYPES, MODES
from multivector.records import Entity

SHARED = Path(__file__).resolve().parents[2] / "shared"
PLOVER_TABLE = SHARED / "data" / "plover" / "CAMEO2PLOVER-2021.txt"
PACKAGED = Path(__file__).resolve().parents[1] / "src/multivector/importers/data"


def skipped(report: ImportReport) -> list[tuple[str, int, str]]:
    return [(Path(s.file.split("!")[0]).name + ("!" + s.file.split("!")[1] if "!" in s.file else ""),
             s.line, s.kind) for s in report.kept]  # fmt: skip


# -- tables ------------------------------------------------------------------------------------


@pytest.mark.skipif(not PLOVER_TABLE.exists(), reason="shared CAMEO2PLOVER table not present")
def test_packaged_cameo_table_is_the_derivation_of_the_oeda_table() -> None:
    derived = render(derive(PLOVER_TABLE.read_text(encoding="utf-8")))
    assert (PACKAGED / "cameo2plover.csv").read_text(encoding="utf-8") == derived
    assert "CC BY-SA 4.0" in derived and "Open Event Data Alliance" in derived
    assert "CC BY-SA 4.0" in (PACKAGED / "ATTRIBUTION.md").read_text(encoding="utf-8")


def test_cameo_codes_map_to_plover() -> None:
    c = plover_for_cameo
    assert c("042") is not None and (c("042").event_type, c("042").mode) == ("CONSULT", "visit")
    assert (c("041").event_type, c("041").mode) == ("CONSULT", "phone")
    r = c("0211")
    assert r is not None and (r.event_type, r.mode, r.context) == (
        "REQUEST",
        "assist",
        ("economic",),
    )
    assert c("026").event_type == "REQUEST" and c("026").mode == "meet"  # 02x mirrors 10x
    assert c("010").event_type == "" and c("019").event_type == ""  # statements: no type
    assert c("1121").context == ("crime", "corruption")
    assert c("163").event_type == "COERCE"  # the table speaks: sanctions are COERCE there
    assert c("175").mode == "" and c("175").context == ("pro_autocracy", "military")
    assert c("085").mode == ""  # "ease" is no longer a mode
    # absent codes follow their longest listed prefix
    assert c("155").event_type == "MOBILIZE" and c("176").event_type == "COERCE"
    assert c("1625").event_type == "SANCTION" and c("1625").cameo == "1625"
    assert c("129").event_type == "REJECT" and c("139").event_type == "THREATEN"
    assert c("145").event_type == "PROTEST" and c("186").event_type == "ASSAULT"
    assert c("190").event_type == "ASSAULT" and c("2042").event_type == "ASSAULT"
    for bad in ("", "999", "0999", "21", "0", "abc", "04a", "00"):
        assert c(bad) is None
    assert normalise_cameo("42") == "042" and normalise_cameo("211") == "0211"
    assert normalise_cameo("10", full=True) == "010" and normalise_cameo("10") == "10"
    assert normalise_cameo("1234") == "1234" and normalise_cameo('"042"') == "042"
    assert normalise_cameo("999") == "999" and normalise_cameo("311") == "0311"


def test_every_table_row_is_a_valid_plover_reading() -> None:
    text = (PACKAGED / "cameo2plover.csv").read_text(encoding="utf-8").splitlines()
    rows = [line.split(",") for line in text if line and not line.startswith("#")][1:]
    assert len(rows) > 300
    for code, event_type, mode, _context in rows:
        assert code.isdigit() and 2 <= len(code) <= 4
        assert event_type in EVENT_TYPES or (event_type == "" and code.startswith("01"))
        if event_type in MODES:
            assert mode in MODES[event_type], (code, mode)
    assert {r[0] for r in rows} >= {f"{i:02d}" for i in range(1, 21)}


def test_fips_codes_are_not_iso() -> None:
    expected = {
        "RS": "RUS", "UP": "UKR", "KZ": "KAZ", "CH": "CHN", "GM": "DEU", "AJ": "AZE",
        "GG": "GEO", "TU": "TUR", "TX": "TKM", "TI": "TJK", "KG": "KGZ", "UZ": "UZB",
        "BO": "BLR", "MD": "MDA", "AM": "ARM", "IR": "IRN", "IZ": "IRQ", "UK": "GBR",
        "US": "USA", "KV": "XKX", "SF": "ZAF", "AS": "AUS", "AU": "AUT", "SP": "ESP",
        "SW": "SWE", "SZ": "CHE", "EI": "IRL", "LO": "SVK", "SI": "SVN", "BU": "BGR",
        "EZ": "CZE", "RI": "SRB", "MJ": "MNE", "BK": "BIH", "VM": "VNM", "KN": "PRK",
        "KS": "KOR", "JA": "JPN", "NI": "NGA", "NG": "NER", "CG": "COD", "CF": "COG",
        "OD": "SSD", "WE": "PSE", "GZ": "PSE", "MN": "MCO", "MC": "MAC", "BM": "MMR",
    }  # fmt: skip
    for fips, iso in expected.items():
        assert fips_to_iso(fips) == iso, fips
    assert fips_to_iso("rs") == "RUS" and fips_to_iso("QQ") is None and fips_to_iso("PG") is None
    rows = [r for r in (PACKAGED / "fips2iso.csv").read_text().splitlines() if r[:1] != "#"][1:]
    assert len(rows) > 250 and len({r.split(",")[0] for r in rows}) == len(rows)
    assert all(len(code) == 3 and code.isupper() for code in iso_codes())
    # every UN member state is reachable from some FIPS code
    for iso in ("KAZ", "UZB", "KGZ", "TJK", "TKM", "AZE", "ARM", "GEO", "MNG", "AFG", "SSD"):
        assert iso in iso_codes()


def test_country_and_organisation_names() -> None:
    assert code_for_name("Russian Federation") == "RUS"
    assert code_for_name("  the  United Kingdom ") == "GBR"
    assert code_for_name("Occupied Palestinian Territory") == "PSE"
    assert code_for_name("Congo, Democratic Republic of") == "COD"
    assert code_for_name("Korea, Republic of") == "KOR"
    assert code_for_name("Kazakhstan") == "KAZ" and code_for_name("kyrgyzstan") == "KGZ"
    assert code_for_name("United Nations") == "UN" and code_for_name("European Union") == "EU"
    assert code_for_name("Arab League") == "IGO"
    assert code_for_name("Atlantis") is None and code_for_name("") is None


def test_cameo_actor_codes_and_sectors() -> None:
    assert cameo_actor("USA", "", "GOV") == ("USA", "GOV")
    assert cameo_actor("RUS", "", "MED") == ("RUS", "JRN")
    assert cameo_actor("UKR", "", "INS") == ("UKR", "REB")
    assert cameo_actor("ROM", "", "") == ("ROU", "")  # CAMEO kept Romania's old code
    assert cameo_actor("ZAR", "", "MIL") == ("COD", "MIL")
    assert cameo_actor("KSV", "", "") == ("XKX", "")
    assert cameo_actor("TMP", "", "") == ("TLS", "")
    assert cameo_actor("WST", "", "") == ("WEST", "")
    assert cameo_actor("EUR", "", "GOV") == ("EU", "")
    assert cameo_actor("WST", "NAT", "") == ("NATO", "")  # the known group beats the region
    assert cameo_actor("", "UNO", "GOV") == ("UN", "")
    assert cameo_actor("", "EEC", "") == ("EU", "")
    assert cameo_actor("", "IGOEU", "") == ("EU", "")
    assert cameo_actor("", "SCO", "") == ("SCO", "")
    assert cameo_actor("", "ARL", "") == ("IGO", "")
    assert cameo_actor("IGOWSTNAT", "", "") == ("NATO", "")
    assert cameo_actor("AFR", "", "") is None  # regions other than WST / EUR are no actor
    assert cameo_actor("", "TAL", "") is None  # a non-state group without a country
    assert cameo_actor("", "", "GOV") is None and cameo_actor("XYZ", "", "") is None
    assert [sector_for_type(t) for t in ("COP", "SPY", "OPP", "BUS", "CVL", "REF", "REL",
                                         "EDU", "LEG", "JUD", "LAB", "MOD", "XXX", "")] == [
        "COP", "SPY", "OPP", "BUS", "CVL", "REF", "REL", "EDU", "LEG", "JUD", "CVL", "",
        "UNK", ""]  # fmt: skip


# -- GDELT -------------------------------------------------------------------------------------


def test_gdelt_columns_match_the_codebook() -> None:
    assert list(gdelt.EVENT_COLUMNS) == GDELT_COLUMNS


def test_gdelt_maps_every_field(tmp_path: Path) -> None:
    row = gdelt_row(1148, "20240115", a1=("USA", "GOV", "UNITED STATES"),
                    a2=("RUS", "MED", "RUSSIAN"), code="1121",
                    url="https://example.com/a?b=1", action_geo="UP")  # fmt: skip
    path = write(tmp_path / "20240115.export.CSV", tsv([row]))
    report = ImportReport()
    (event,) = list(gdelt.iter_events([path], report))
    assert event.doc_id == "gdelt:1148" and event.dataset == "gdelt"
    assert event.source_url == "https://example.com/a?b=1"
    assert (event.event_type, event.mode, event.context) == (
        "ACCUSE",
        "allege",
        ("crime", "corruption"),
    )
    assert event.actor == (Entity(code="USA", sector="GOV", text="UNITED STATES"),)
    assert event.recipient == (Entity(code="RUS", sector="JRN", text="RUSSIAN"),)
    assert (event.date, event.date_precision) == ("2024-01-15", "day")
    assert (event.factuality, event.evidence, event.confidence) == ("asserted", "", 1.0)
    assert event.coder == coder_for("gdelt") == "gdelt-import/0.1.0"
    assert event.rule == "cameo:1121" and event.sentence_index == -1
    assert event.id == "gdelt:1148"  # the row id: stable, so re-imports add nothing
    assert event.quad_code == 3
    assert gdelt.place_countries(row) == {"actor1": "USA", "actor2": None, "action": "UKR"}
    assert (report.rows_read, report.events, report.skipped, report.files) == (1, 1, 0, 1)
    assert report.dataset == "gdelt"


def test_gdelt_one_sided_and_organisation_rows(tmp_path: Path) -> None:
    rows = [
        gdelt_row(1, a1=("", "", "UNITED NATIONS"), a1_group="UNO", a2=("", "", ""), code="0233"),
        gdelt_row(2, a1=("", "GOV", "GOVERNMENT"), a2=("UKR", "REB", "UKRAINIAN REBEL"), code="190"),
        gdelt_row(3, a1=("WST", "", "WESTERN"), a1_group="NAT", a2=("RUS", "", "RUSSIA"), code="163"),
    ]  # fmt: skip
    events = list(gdelt.iter_events([write(tmp_path / "x.CSV", tsv(rows))], ImportReport()))
    assert [e.doc_id for e in events] == ["gdelt:1", "gdelt:2", "gdelt:3"]
    assert events[0].actor == (Entity("UN", "", "UNITED NATIONS"),) and events[0].recipient == ()
    assert events[0].event_type == "REQUEST" and events[0].mode == "assist"
    assert events[1].actor == () and events[1].recipient == (
        Entity("UKR", "REB", "UKRAINIAN REBEL"),
    )
    assert events[1].recipient[0].key() == "UKR*"
    assert events[2].actor == (Entity("NATO", "", "WESTERN"),) and events[2].event_type == "COERCE"


def gdelt_with_bad_rows(tmp_path: Path) -> tuple[Path, list[tuple[str, int, str]]]:
    good = gdelt_row
    lines: list[list[str] | str] = [
        good(1),                                                   # 1 ok
        good(2)[:58],                                              # 2 wrong column count
        good(3, "20240231"),                                       # 3 bad date (Feb 31)
        good(4, code="999"),                                       # 4 unknown CAMEO code
        good(5, a1=("", "", ""), a2=("", "", "")),                 # 5 empty actor codes
        good(6, code="012"),                                       # 6 statement: no PLOVER type
        "",                                                        # 7 blank line: not a row
        good(8, "2024011"),                                        # 8 bad date (7 digits)
        good(9) + ["extra"],                                       # 9 wrong column count
        good("x10"),                                               # 10 bad id
        good(11, code="051"),                                      # 11 ok
        "garbage line without tabs",                               # 12 wrong column count
    ]  # fmt: skip
    path = write(tmp_path / "20240115000000.export.CSV", tsv(lines))
    expected = [
        (path.name, 2, "wrong column count"), (path.name, 3, "bad date"),
        (path.name, 4, "unknown CAMEO code"), (path.name, 5, "no codable actor"),
        (path.name, 6, "no PLOVER type"), (path.name, 8, "bad date"),
        (path.name, 9, "wrong column count"), (path.name, 10, "bad row id"),
        (path.name, 12, "wrong column count"),
    ]  # fmt: skip
    return path, expected


def test_gdelt_reports_exactly_the_bad_rows(tmp_path: Path) -> None:
    path, expected = gdelt_with_bad_rows(tmp_path)
    report = ImportReport()
    events = list(gdelt.iter_events([path], report))
    assert [e.doc_id for e in events] == ["gdelt:1", "gdelt:11"]
    assert skipped(report) == expected
    assert (report.rows_read, report.events, report.skipped) == (11, 2, 9)
    assert report.malformed == 7 and report.unmapped == 2
    assert report.by_kind == Counter(k for _, _, k in expected)
    reasons = {s.line: s.reason for s in report.kept}
    assert reasons[2] == "wrong column count: expected 61 tab-separated columns, found 58"
    assert reasons[3] == "bad date: SQLDATE '20240231' is not a calendar date"
    assert reasons[4] == "unknown CAMEO code: EventCode '999'"
    assert str(report.kept[0]) == f"{path}:2: {reasons[2]}"
    summary = "\n".join(report.summary())
    assert "11 rows read, 2 events, 9 rows skipped (7 malformed, 2 unmapped)" in summary
    assert f"{path}:4: unknown CAMEO code: EventCode '999'" in summary


def test_gdelt_strict_raises_on_the_first_malformed_row(tmp_path: Path) -> None:
    path, _ = gdelt_with_bad_rows(tmp_path)
    with pytest.raises(ImportRowError, match=rf"{path.name}:2: wrong column count"):
        list(gdelt.iter_events([path], ImportReport(), strict=True))
    # unmapped rows (statements, no codable actor) are never fatal
    ok = write(tmp_path / "ok.CSV", tsv([gdelt_row(1, code="010"),
                                         gdelt_row(2, a1=("", "", ""), a2=("", "", ""))]))  # fmt: skip
    report = ImportReport()
    assert list(gdelt.iter_events([ok], report, strict=True)) == []
    assert report.unmapped == 2


def test_report_keeps_the_first_reasons_but_counts_all(tmp_path: Path) -> None:
    n = MAX_KEPT + 250
    path = write(tmp_path / "bad.CSV", tsv([gdelt_row(i, code="999") for i in range(1, n + 1)]))
    report = ImportReport()
    assert list(gdelt.iter_events([path], report)) == []
    assert report.skipped == n and len(report.kept) == MAX_KEPT
    assert report.kept[-1].line == MAX_KEPT and report.by_kind["unknown CAMEO code"] == n


def test_gdelt_zip_gzip_and_damaged_archives(tmp_path: Path) -> None:
    good = tsv([gdelt_row(1), gdelt_row(2, code="043")])
    z = write_zip(tmp_path / "20240115.export.CSV.zip", {"a.CSV": good,
                                                         "b.CSV": tsv([gdelt_row(3)] * 3)},
                  corrupt="b.CSV")  # fmt: skip
    g = tmp_path / "c.CSV.gz"
    g.write_bytes(gzip.compress(tsv([gdelt_row(4)]).encode()))
    notzip = write(tmp_path / "broken.CSV.zip", "this is not a zip archive")
    cut = tmp_path / "cut.CSV.gz"
    cut.write_bytes(gzip.compress(tsv([gdelt_row(5)] * 400).encode())[:-40])
    report = ImportReport()
    events = list(gdelt.iter_events([z, g, notzip, cut], report))
    # b.CSV's checksum fails when it is read (a small member is read in one chunk, so before
    # its first line; a large one at the chunk where reading fails): reported there, and the
    # import goes on with the next file
    ids = [e.doc_id for e in events]
    n_cut = ids.count("gdelt:5")  # the truncated gzip gives the rows before the damage
    assert ids == ["gdelt:1", "gdelt:2", "gdelt:4"] + ["gdelt:5"] * n_cut and 0 < n_cut < 400
    assert skipped(report) == [
        (z.name + "!b.CSV", 1, "bad zip member"),
        ("broken.CSV.zip", 0, "bad zip member"),
        ("cut.CSV.gz", n_cut + 1, "bad gzip data"),
    ]
    assert report.kept[0].reason.startswith("bad zip member: cannot read on:")
    assert report.files == 4
    with pytest.raises(ImportRowError, match=r"broken.CSV.zip:0: bad zip member"):
        list(gdelt.iter_events([notzip], ImportReport(), strict=True))


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(gdelt.iter_events([tmp_path / "nope.CSV"], ImportReport()))


def test_gdelt_mentions_stream_and_attach(tmp_path: Path) -> None:
    mpath = write(tmp_path / "20240115.mentions.CSV", tsv([
        mention_row(1, url="https://a.example/1", sentence=3, confidence=50),
        mention_row(1, url="https://b.example/1", sentence=1, confidence=90, offsets=(5, -1, 20)),
        mention_row(2, url="https://a.example/2", sentence=2, confidence=100),
        ["3", "x"],  # too few columns
        mention_row(4, url="u", sentence=1, confidence=150),  # confidence out of range
        mention_row("x", url="u", sentence=1, confidence=10),
    ]))  # fmt: skip
    report = ImportReport()
    mentions = list(gdelt.iter_mentions([mpath], report))
    assert [(m.event_id, m.url, m.sentence, m.confidence) for m in mentions] == [
        ("1", "https://a.example/1", 3, 50.0), ("1", "https://b.example/1", 1, 90.0),
        ("2", "https://a.example/2", 2, 100.0)]  # fmt: skip
    assert (mentions[1].actor1_offset, mentions[1].actor2_offset, mentions[1].action_offset) == (
        5,
        -1,
        20,
    )
    assert [(s.line, s.kind) for s in report.kept] == [(4, "wrong column count"),
                                                       (5, "bad value"), (6, "bad row id")]  # fmt: skip
    best = gdelt.best_mentions(mentions)
    assert best["1"].url == "https://b.example/1"
    epath = write(tmp_path / "e.CSV", tsv([gdelt_row(1), gdelt_row(2), gdelt_row(3)]))
    events = list(gdelt.iter_events([epath], ImportReport(), mentions=best))
    assert [(e.sentence_index, e.confidence) for e in events] == [(0, 0.9), (1, 1.0), (-1, 1.0)]
    assert events[0].id == "gdelt:1"  # the id does not depend on mentions


# -- the monthly series equal SQL over the raw file --------------------------------------------


def _table_rows() -> list[tuple[str, str]]:
    text = (PACKAGED / "cameo2plover.csv").read_text(encoding="utf-8").splitlines()
    rows = [line.split(",") for line in text if line and not line.startswith("#")][1:]
    return [(r[0], r[1]) for r in rows]


def test_monthly_dyad_counts_equal_duckdb_sql_over_the_file(tmp_path: Path) -> None:
    rows = random_gdelt_rows(3000)
    path = write(tmp_path / "random.export.CSV", tsv(rows))
    report = ImportReport()
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for e in gdelt.iter_events([path], report):
        a = e.actor[0].code if e.actor else ""
        r = e.recipient[0].code if e.recipient else ""
        counts[(e.date[:7], a, r, e.event_type)] += 1
    con = duckdb.connect()
    con.execute("CREATE TABLE cameo (cameo VARCHAR, event_type VARCHAR)")
    con.executemany("INSERT INTO cameo VALUES (?, ?)", _table_rows())
    sql = f"""
        SELECT substr(column01, 1, 4) || '-' || substr(column01, 5, 2) AS month,
               coalesce(column07, '') AS a, coalesce(column17, '') AS r, c.event_type,
               count(*) AS n
        FROM read_csv('{path}', delim='\t', header=false, all_varchar=true, quote='',
                      escape='', columns={{{", ".join(f"'column{i:02d}': 'VARCHAR'" for i in range(61))}}})
        JOIN cameo c ON c.cameo = column26
        WHERE c.event_type <> '' AND (column07 IS NOT NULL OR column17 IS NOT NULL)
        GROUP BY ALL
    """  # fmt: skip
    expected = {(m, a, r, t): n for m, a, r, t, n in con.execute(sql).fetchall()}
    assert dict(counts) == expected
    assert sum(expected.values()) == report.events > 1000
    assert report.skipped == report.unmapped == 3000 - report.events

    # ... and the same series through the store's event_dyads view
    store_mod = pytest.importorskip("multivector.store")
    store = store_mod.Store.open(tmp_path / "s.duckdb")
    added = store.add_events(gdelt.iter_events([path], ImportReport()), dataset="gdelt")
    assert added == report.events
    assert store.add_events(gdelt.iter_events([path], ImportReport()), dataset="gdelt") == 0
    stored = store.sql(
        "SELECT strftime(date, '%Y-%m'), coalesce(actor_code, a_code), "
        "coalesce(recipient_code, ''), event_type, count(DISTINCT event_id) "
        "FROM event_dyads WHERE dataset = 'gdelt' GROUP BY ALL"
    )
    with_actor = {k: n for k, n in expected.items() if k[1]}  # the view needs an actor
    assert {(m, a, r, t): n for m, a, r, t, n in stored} == with_actor


# -- ICEWS -------------------------------------------------------------------------------------


def test_icews_maps_every_field(tmp_path: Path) -> None:
    rows = [
        ICEWS_HEADER,
        icews_row("926685", "2018-01-01"),
        icews_row("926685", "2018-01-02", code="42"),  # same id, other day: another event
        icews_row("926686", "2018-01-03", source=("Police (Ukraine)", "Police", "Ukraine"),
                  target=("Protester (Ukraine)", "Protestors / Popular Opposition / Mobs", "Ukraine"),
                  code="173"),
        icews_row("926687", "2018-01-04", source=("United Nations", "", ""),
                  target=("Citizen (Syria)", "", "Syria"), code="0233", sentence=""),
    ]  # fmt: skip
    path = write(tmp_path / "events.2018.tab", tsv(rows))
    report = ImportReport()
    events = list(icews.iter_events([path], report))
    assert [e.doc_id for e in events] == ["icews:926685:2018-01-01", "icews:926685:2018-01-02",
                                          "icews:926686:2018-01-03", "icews:926687:2018-01-04"]  # fmt: skip
    e = events[0]
    assert e.dataset == "icews" and e.coder == "icews-import/0.1.0" and e.rule == "cameo:042"
    assert (e.event_type, e.mode, e.context) == ("CONSULT", "visit", ())
    assert e.actor == (Entity("RUS", "GOV", "Vladimir Putin"),)
    assert e.recipient == (Entity("KAZ", "", "Kazakhstan"),)
    assert (e.date, e.date_precision, e.sentence_index, e.factuality) == (
        "2018-01-01",
        "day",
        1,
        "asserted",
    )
    assert (e.confidence, e.source_url, e.evidence) == (1.0, "", "")
    assert events[1].rule == "cameo:042" and events[0].id != events[1].id
    assert events[2].event_type == "COERCE" and events[2].mode == "arrest"
    assert events[2].actor == (Entity("UKR", "COP", "Police (Ukraine)"),)
    # protesters are civilians (CODEBOOK section 3), though ICEWS lists them with opposition
    assert events[2].recipient == (Entity("UKR", "CVL", "Protester (Ukraine)"),)
    assert events[3].actor == (Entity("UN", "", "United Nations"),)
    assert events[3].recipient == (Entity("SYR", "", "Citizen (Syria)"),)
    assert events[3].sentence_index == -1
    assert (report.rows_read, report.events, report.skipped) == (4, 4, 0)


def test_icews_reports_bad_rows_and_headers(tmp_path: Path) -> None:
    rows = [
        ICEWS_HEADER,
        icews_row("1"),                               # 2 ok
        icews_row("2")[:15],                          # 3 wrong column count
        icews_row("3", "01/02/2018"),                 # 4 bad date
        icews_row("4", code="999"),                   # 5 unknown CAMEO code
        icews_row("5", source=("Someone", "", ""), target=("Atlantis", "", "Atlantis")),  # 6
        icews_row("6", code="10"),                    # 7 "010" statement
        icews_row(""),                                # 8 bad id
        icews_row("7") + ["", ""],                    # 9 trailing tabs: ok
    ]  # fmt: skip
    path = write(tmp_path / "icews.tab", tsv(rows))
    bad_header = write(tmp_path / "other.tab", tsv([["Event ID", "Date"], ["1", "2018-01-01"]]))
    report = ImportReport()
    events = list(icews.iter_events([path, bad_header], report))
    assert [e.doc_id.split(":")[1] for e in events] == ["1", "7"]
    assert skipped(report) == [
        ("icews.tab", 3, "wrong column count"), ("icews.tab", 4, "bad date"),
        ("icews.tab", 5, "unknown CAMEO code"), ("icews.tab", 6, "no codable actor"),
        ("icews.tab", 7, "no PLOVER type"), ("icews.tab", 8, "bad row id"),
        ("other.tab", 1, "bad header"),
    ]  # fmt: skip
    assert "no column for date (as 'Event Date')" in report.kept[-1].reason
    assert (report.rows_read, report.events) == (8, 2)
    with pytest.raises(ImportRowError, match=r"icews.tab:3: wrong column count"):
        list(icews.iter_events([path], ImportReport(), strict=True))


def test_icews_zipped_with_bom(tmp_path: Path) -> None:
    text = "\ufeff" + tsv([ICEWS_HEADER, icews_row("9")])
    z = write_zip(tmp_path / "icews.zip", {"2018/events.tab": text, "2019/events.tab": text})
    report = ImportReport()
    events = list(iter_dataset("icews", [z], report))
    assert len(events) == 2 and report.skipped == 0 and report.rows_read == 2


# -- POLECAT -----------------------------------------------------------------------------------

POLECAT_HEADER_A = [
    "Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code",
    "Contexts", "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector",
    "Actor Sectors", "Actor Title", "Actor Name Raw", "Wikipedia Actor ID", "Recipient Name",
    "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID", "Placename", "City",
    "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID", "Raw Placename",
    "Feature Type", "Source", "Publication Date", "Story People", "Story Organizations",
    "Story Locations", "Language", "Version",
]  # fmt: skip
# a later release: snake_case names, another order, a URL and a story id
POLECAT_HEADER_B = [
    "event_id", "story_id", "url", "event_date", "event_type", "event_mode", "contexts",
    "actor_name", "actor_country", "primary_actor_sector", "recipient_name",
    "recipient_country", "primary_recipient_sector", "source", "language",
]  # fmt: skip


def polecat_a(**cells: str) -> list[str]:
    row = dict.fromkeys(POLECAT_HEADER_A, "None")
    row.update({"Event ID": "20230102-0001", "Event Date": "2023-01-02", "Event Type": "CONSULT",
                "Event Mode": "visit", "Contexts": "diplomatic", "Actor Name": "Kassym-Jomart Tokayev",
                "Actor Country": "KAZ", "Primary Actor Sector": "GOV", "Recipient Name": "Vladimir Putin",
                "Recipient Country": "RUS", "Primary Recipient Sector": "GOV", "Quad Code": "1"})  # fmt: skip
    row.update({k.replace("_", " "): v for k, v in cells.items()})
    return [row[c] for c in POLECAT_HEADER_A]


def test_polecat_maps_fields_across_header_drift(tmp_path: Path) -> None:
    a = write(tmp_path / "ngec_coded_2023_01_02.txt", tsv([
        POLECAT_HEADER_A + ["", ""],  # trailing tabs on the header
        polecat_a(),
        polecat_a(**{"Event ID": "20230102-0002", "Event Type": "accuse", "Event Mode": "Allege",
                     "Contexts": "military; human_rights", "Actor Name": '"Olaf Scholz; Emmanuel Macron',
                     "Actor Country": "DEU; FRA", "Primary Actor Sector": "GOV; MIL",
                     "Recipient Name": "Russia", "Recipient Country": "Russian Federation",
                     "Primary Recipient Sector": "None"}) + ["", "", ""],
        polecat_a(**{"Event ID": "20230102-0003", "Event Type": "AID", "Event Mode": "None",
                     "Actor Name": "European Union", "Actor Country": "None",
                     "Primary Actor Sector": "None", "Recipient Name": '"Ukraine"',
                     "Recipient Country": "UKR", "Primary Recipient Sector": "MED"}),
    ]))  # fmt: skip
    b = write(tmp_path / "ngec_coded_2023_01_09.tsv", tsv([
        POLECAT_HEADER_B,
        ["e-10", "s-77", "https://news.example/77", "2023-01-09 00:00:00", "SANCTION", "", "economic",
         "Xi Jinping; Wang Yi", "CHN; CHN", "GOV", "Joe Biden", "USA", "GOV", "Xinhua", "en"],
        ["e-11", "s-78", "None", "2023-01-10", "CONSULT", "phone", "None",
         "Shavkat Mirziyoyev", "UZB", "GOV", "None", "None", "None", "Xinhua", "en"],
    ]))  # fmt: skip
    report = ImportReport()
    events = list(polecat.iter_events([a, b], report))
    assert [e.doc_id for e in events] == ["polecat:20230102-0001", "polecat:20230102-0002",
                                          "polecat:20230102-0003", "polecat:e-10", "polecat:e-11"]  # fmt: skip
    e = events[0]
    assert (e.event_type, e.mode, e.context) == ("CONSULT", "visit", ("diplomatic",))
    assert e.actor == (Entity("KAZ", "GOV", "Kassym-Jomart Tokayev"),)
    assert e.recipient == (Entity("RUS", "GOV", "Vladimir Putin"),)
    assert (e.date, e.date_precision, e.dataset, e.coder) == (
        "2023-01-02",
        "day",
        "polecat",
        "polecat-import/0.1.0",
    )
    assert (e.rule, e.source_url, e.factuality, e.confidence) == (
        "plover:CONSULT",
        "",
        "asserted",
        1.0,
    )
    e = events[1]  # multi-actors, stray quote, case, literal None
    assert (e.event_type, e.mode, e.context) == ("ACCUSE", "allege", ("military", "human_rights"))
    assert e.actor == (Entity("DEU", "GOV", "Olaf Scholz"), Entity("FRA", "MIL", "Emmanuel Macron"))
    assert e.recipient == (Entity("RUS", "", "Russia"),)
    e = events[2]
    assert e.mode == "" and e.actor == (Entity("EU", "", "European Union"),)
    assert e.recipient == (Entity("UKR", "JRN", "Ukraine"),)
    e = events[3]  # the drifted header: url, story id, a timestamp date, one actor repeated
    assert e.source_url == "https://news.example/77" and e.date == "2023-01-09"
    assert e.actor == (Entity("CHN", "GOV", "Xi Jinping"),)  # Wang Yi dedups to CHN/GOV
    assert e.recipient == (Entity("USA", "GOV", "Joe Biden"),)
    e = events[4]
    assert e.source_url == "polecat-story:s-78" and e.recipient == () and e.mode == "phone"
    assert e.context == ()
    assert (report.rows_read, report.events, report.skipped) == (5, 5, 0)


def test_polecat_reports_bad_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "week.txt", tsv([
        POLECAT_HEADER_B,
        ["e-1", "s", "u", "2023-01-09", "CONSULT", "", "", "Xi", "CHN", "GOV", "Biden", "USA", "GOV", "X", "en"],
        ["e-2", "s", "u", "2023-01-09", "CONSULT"],                                           # 3
        ["e-3", "s", "u", "2023-13-09", "CONSULT", "", "", "Xi", "CHN", "GOV", "", "", "", "X", "en"],  # 4
        ["e-4", "s", "u", "2023-01-09", "CHAT", "", "", "Xi", "CHN", "GOV", "", "", "", "X", "en"],     # 5
        ["e-5", "s", "u", "2023-01-09", "CONSULT", "", "", "None", "None", "None", "Someone", "None", "", "X", "en"],  # 6
        ["None", "s", "u", "2023-01-09", "CONSULT", "", "", "Xi", "CHN", "GOV", "", "", "", "X", "en"],  # 7
        ["e-6", "s", "u", "2023-01-09", "CONSULT", "", "", "Xi", "CHN", "GOV", "", "", "", "X", "en", "junk"],  # 8
    ]))  # fmt: skip
    report = ImportReport()
    events = list(polecat.iter_events([path], report))
    assert [e.doc_id for e in events] == ["polecat:e-1"]
    assert skipped(report) == [
        ("week.txt", 3, "wrong column count"), ("week.txt", 4, "bad date"),
        ("week.txt", 5, "unknown PLOVER type"), ("week.txt", 6, "no codable actor"),
        ("week.txt", 7, "bad row id"), ("week.txt", 8, "wrong column count"),
    ]  # fmt: skip
    with pytest.raises(ImportRowError, match=r"week.txt:3: wrong column count"):
        list(polecat.iter_events([path], ImportReport(), strict=True))


def test_polecat_cell_cleaning() -> None:
    assert polecat.clean('  "Putin" ') == "Putin" and polecat.clean("None") == ""
    assert polecat.clean('Xi "Jinping') == "Xi Jinping" and polecat.clean("NaN") == ""
    assert polecat.values("RUS; CHN;;None; ") == ["RUS", "CHN"]
    assert polecat.sector_of("MED") == "JRN" and polecat.sector_of("Government") == "GOV"
    assert polecat.country_code("Kazakhstan") == "KAZ" and polecat.country_code("KAZ") == "KAZ"


# -- CLI ---------------------------------------------------------------------------------------


def test_cli_import_reports_and_stores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from multivector.cli.main import main

    path, expected = gdelt_with_bad_rows(tmp_path)
    assert main(["import", "gdelt", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "11 rows read, 2 events, 9 rows skipped (7 malformed, 2 unmapped)" in out
    assert f"{path}:2: wrong column count" in out
    assert main(["import", "gdelt", str(path), "--strict", "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert f"{path}:2: wrong column count" in err
    pytest.importorskip("multivector.store")
    store = tmp_path / "store.duckdb"
    assert main(["import", "gdelt", str(path), "--store", str(store)]) == 0
    assert "stored 2 new events" in capsys.readouterr().out
    assert main(["import", "gdelt", str(path), "--store", str(store)]) == 0
    assert "stored 0 new events" in capsys.readouterr().out
    assert main(["import", "icews", str(path), "--mentions", str(path), "--dry-run"]) == 1


# -- every row is accounted for ----------------------------------------------------------------


_CELLS = st.sampled_from(["", "USA", "RUS", "GOV", "042", "010", "999", "20240115", "2024013",
                          "x", "None", '"', "UNO", "WST", "AFR"])  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), _CELLS, st.integers(0, 2)), max_size=25))
def test_every_gdelt_row_is_an_event_or_a_counted_skip(edits: list[tuple[int, str, int]]) -> None:
    rows = []
    for i, (col, value, shape) in enumerate(edits):
        row = gdelt_row(i + 1)
        row[col] = value
        rows.append(row if shape else row[: 30 + col % 31])
    with tempfile.TemporaryDirectory() as d:
        path = write(Path(d) / "h.CSV", tsv(rows) if rows else "")
        report = ImportReport()
        events = list(gdelt.iter_events([path], report))
    assert report.rows_read == len([r for r in rows if "".join(r).strip()])
    assert report.events == len(events) and report.events + report.skipped == report.rows_read
    assert sum(report.by_kind.values()) == report.skipped == len(report.kept)
    for e in events:
        assert e.event_type in EVENT_TYPES and (e.actor or e.recipient) and len(e.date) == 10
