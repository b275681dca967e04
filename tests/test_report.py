"""Reports: the JSON twin carries the numbers; the HTML is self-contained and escapes text."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest

from dyad_fixture import Ev, build
from multivector.analysis import Filters, parse_powers
from multivector.cli.main import main
from multivector.report import build_report, render_html
from multivector.report.html import script_json

D = date
SHARED = Path(__file__).resolve().parents[2] / "shared"
EVIL = "<script>alert(1)</script>"


def events() -> list[Ev]:
    return [
        Ev("e1", "d1", D(2022, 1, 5), "CONSULT", ("KAZ", "RUS"), evidence=EVIL, cited=("Kun.uz",)),
        Ev("e2", "d1", D(2022, 1, 6), "ACCUSE", ("RUS",), ("KAZ",), evidence="Moscow & <b>x</b>"),
        Ev("e3", "d2", D(2022, 2, 6), "AID", ("CHN",), ("KAZ",)),
        Ev("e4", "d3", D(2022, 3, 6), "AID", ("CHN",), ("KAZ", "UZB")),
        Ev("e5", "d4", D(2022, 3, 9), "CONSULT", ("KAZ", "USA")),
    ]


def report():
    docs = {"d1": (D(2022, 1, 6), "kremlin.ru", f"Talks {EVIL}", "https://example.org/d1")}
    con = build(events(), docs=docs)
    return build_report(
        con, "KAZ", parse_powers("RUS,CHN,USA"), Filters(), replicates=50, membership=None
    )


def test_json_twin_has_the_numbers() -> None:
    d = report().to_dict()
    json.dumps(d, allow_nan=False)  # strict JSON: no NaN
    assert d["periods"] == ["2022-01-01", "2022-02-01", "2022-03-01"]
    rus = d["series"]["RUS"]
    assert rus["events"] == [2, 0, 0] and rus["cooperative"] == [1, 0, 0]
    assert rus["net_cooperation"] == [-0.5, 0.0, 0.0]
    assert rus["alignment"][0] == pytest.approx(-0.025) and rus["alignment"][1] is None
    assert d["series"]["CHN"]["alignment"] == [None, 1.0, 1.0]
    assert len(d["series"]["CHN"]["alignment_lo"]) == 3
    assert d["coverage"] == [2, 1, 2]
    # March: one cooperative event with CHN and one with USA, none with RUS: ln 2 / ln 3
    assert d["balance"]["balance"][2] == pytest.approx(math.log(2) / math.log(3))
    assert [t["toward"] + "-" + t["away_from"] for t in d["tilts"]] == ["RUS-CHN", "RUS-USA"]
    partners = {p["code"]: p for p in d["partners"]}
    assert partners["RUS"]["cooperative"] == 1 and partners["RUS"]["conflictual"] == 1
    assert partners["CHN"]["net_cooperation"] == 20.0
    assert d["points"]["RUS"]["2022-01-01"] == ["e2", "e1"]  # strongest |score| first
    assert "partner:UZB" not in d["points"]  # CHN aided KAZ and UZB: no KAZ-UZB pair
    assert d["points"]["partner:CHN"]["all"] == ["e3", "e4"]
    e1 = d["events"]["e1"]
    assert e1["event_type"] == "CONSULT" and e1["evidence"] == EVIL
    assert e1["cited"] == [{"outlet": "Kun.uz", "date": "2022-01-05"}]
    assert e1["document"]["url"] == "https://example.org/d1"
    assert {p["code"] for p in e1["participants"]} == {"KAZ", "RUS"}
    assert d["coder_versions"] == [{"coder_version": "test-coder/1", "dataset": "", "events": 5}]
    assert d["corpus"]["documents_with_events"] == 4
    assert {m["measure"] for m in d["methods"]} >= {"Alignment", "Multi-vector balance", "Shifts"}


def test_html_is_self_contained_and_escapes_article_text() -> None:
    page = render_html(report())
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert EVIL not in page and "<b>x</b>" not in page
    assert page.count("<script") == 2  # the data block and the drill-down script
    data = re.search(r"<script type='application/json' id='mv-data'>(.*?)</script>", page, re.S)
    assert data is not None
    parsed = json.loads(data.group(1))
    assert parsed["events"]["e1"]["evidence"] == EVIL
    assert "\\u003cscript\\u003e" in data.group(1)
    for section in ("Multi-vector balance", "Relations map", "Detected shifts", "Methods"):
        assert section in page
    assert 'data-key="RUS" data-period="2022-01-01"' in page  # a clickable point
    for svg in re.findall(r"<svg.*?</svg>", page, re.S):
        ElementTree.fromstring(svg)  # well-formed markup
    assert "test-coder/1" in page  # coder version in the methods


def test_script_json_cannot_close_the_script_element() -> None:
    text = script_json({"x": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"x": "</script><!-- & \u2028"}


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_report_script_parses() -> None:
    js = Path(__file__).resolve().parents[1] / "src/multivector/report/assets/report.js"
    subprocess.run(["node", "--check", str(js)], check=True)


def _gold_store(tmp_path: Path) -> Path:
    from multivector.records import Event
    from multivector.store import Store

    path = tmp_path / "seed.duckdb"
    lines = (SHARED / "gold" / "seed.jsonl").read_text(encoding="utf-8").splitlines()
    store = Store.open(path)
    store.add_events([Event.from_dict(json.loads(x)) for x in lines if x.strip()], dataset="gold")
    return path


@pytest.mark.skipif(not (SHARED / "gold" / "seed.jsonl").exists(), reason="shared/ not present")
def test_seed_gold_report_and_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _gold_store(tmp_path)
    out = tmp_path / "kaz.json"
    assert (
        main(
            [
                "report",
                "KAZ",
                "--store",
                str(path),
                "--format",
                "json",
                "-o",
                str(out),
                "--replicates",
                "20",
            ]
        )
        == 0
    )
    d = json.loads(out.read_text(encoding="utf-8"))
    partners = {p["code"]: p for p in d["partners"]}
    assert partners["RUS"]["cooperative"] > 0 and partners["RUS"]["conflictual"] > 0
    for code in ("USA", "FRA", "CHN", "TUR", "AZE", "GEO"):
        assert partners[code]["conflictual"] == 0 and partners[code]["net_cooperation"] > 0, code
    assert "CSTO" in d["points"] and d["points"]["CSTO"]["2022-01-01"]  # the January deployment
    html = tmp_path / "kaz.html"
    assert (
        main(
            [
                "report",
                "KAZ",
                "--store",
                str(path),
                "-o",
                str(html),
                "--powers",
                "RUS,CHN,WEST=USA+FRA+EU+WEST",
                "--replicates",
                "10",
            ]
        )
        == 0
    )
    assert "WEST" in html.read_text(encoding="utf-8")
    assert (
        main(["series", "KAZ", "RUS", "--store", str(path), "--format", "csv", "--replicates", "0"])
        == 0
    )
    csv_text = capsys.readouterr().out
    assert csv_text.startswith("period,a,b,events")
    assert main(["series", "KAZ", "RUS", "--store", str(path), "--from", "2022-11-01"]) == 0
    assert "2022-11-01" in capsys.readouterr().out


def test_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "KAZ", "--store", str(tmp_path / "none.duckdb")]) == 1
    assert "no store" in capsys.readouterr().err
    assert (
        main(
            [
                "series",
                "KAZ",
                "RUS",
                "--store",
                str(tmp_path / "none.duckdb"),
                "--from",
                "2022-13-01",
            ]
        )
        == 1
    )
