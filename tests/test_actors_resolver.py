"""Unit tests of the actor knowledge base, finder and resolver on small fixture tables."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from multivector.actors.finder import KINDS, find_mentions
from multivector.actors.kb import build_kb, load_kb
from multivector.actors.resolver import holder, members, resolve
from multivector.cli.main import main
from multivector.errors import ActorDataError, InputError, MultivectorError

TABLES = {
    "manifest.toml": 'version = "test.1"\n',
    "states.csv": """code,name,short_names,adjectives,demonyms,capital,metonyms
# a comment line
KAZ,Republic of Kazakhstan,Kazakhstan|Qazaqstan,Kazakhstani|Kazakh,Kazakhstanis|Kazakhs,Astana,Akorda|Ak Orda
RUS,Russian Federation,Russia,Russian,Russians,Moscow,Kremlin|the Kremlin
TUR,Republic of Türkiye,Turkey|Türkiye|Republic of Turkey,Turkish,Turks,Ankara,
USA,United States of America,United States|US|USA|U.S.|America,American,Americans,Washington,White House
UKR,Ukraine,,Ukrainian,Ukrainians,Kyiv,Bankova
AZE,Republic of Azerbaijan,Azerbaijan,Azerbaijani,Azerbaijanis,Baku,
ARM,Republic of Armenia,Armenia,Armenian,Armenians,Yerevan,
BLR,Republic of Belarus,Belarus,Belarusian,Belarusians,Minsk,
""",
    "places.csv": """code,name,kind,start,end
KAZ,Astana,capital,1998-06-10,2019-03-22
KAZ,Nur-Sultan,capital,2019-03-23,2022-09-16
KAZ,Astana,capital,2022-09-17,
KAZ,Almaty,city,,
UKR,Kiev,capital,,
""",
    "officeholders.csv": """code,sector,role,name,aliases,start,end
KAZ,GOV,head_of_state,Nursultan Nazarbayev,Nazarbaev,1991-12-16,2019-03-20
KAZ,GOV,head_of_state,Kassym-Jomart Tokayev,Kasym-Zhomart Tokayev|Tokaev,2019-03-20,
RUS,GOV,head_of_state,Vladimir Putin,,2012-05-07,
RUS,GOV,head_of_government,Vladimir Putin,,2008-05-08,2012-05-07
RUS,GOV,head_of_government,Mikhail Mishustin,,2020-01-16,
RUS,GOV,foreign_minister,Sergey Lavrov,Sergei Lavrov,2004-03-09,
RUS,GOV,defence_minister,Sergei Shoigu,Sergey Shoigu,2012-11-06,2024-05-12
RUS,GOV,deputy_head_of_government,Alexei Overchuk,,2020-01-21,
TUR,GOV,head_of_state,Recep Tayyip Erdoğan,Recep Tayyip Erdogan|Erdogan,2014-08-28,
AZE,GOV,head_of_state,Heydar Aliyev,,1993-06-15,2003-10-31
AZE,GOV,head_of_state,Ilham Aliyev,,2003-10-31,
ARM,GOV,head_of_government,Nikol Pashinyan,,2018-05-08,
CSTO,,org_head,Stanislav Zas,,2020-01-01,2022-12-31
""",
    "organisations.csv": """code,name,aliases,kind
CSTO,Collective Security Treaty Organization,Collective Security Treaty Organisation|ODKB|CSTO,igo
EAEU,Eurasian Economic Union,EAEU|EEU|Eurasian Economic Community|EurAsEC,igo
WEST,the West,Western|Western countries,group
UN,United Nations,UN,igo
""",
    "memberships.csv": """org,member,start,end
CSTO,RUS,1994-04-20,
CSTO,KAZ,1994-04-20,
CSTO,ARM,1994-04-20,
CSTO,AZE,1994-04-20,1999-04-02
""",
    "entities.csv": """name,aliases,code,sector,start,end
Donetsk People's Republic,DPR|DNR,UKR,PRE,2014-04-07,
""",
    "outlets.csv": """name,aliases,domain,country,sector
Kasparov.ru,,kasparov.ru,RUS,JRN
The Moscow Times,,themoscowtimes.com,RUS,JRN
Kremlin.ru,,kremlin.ru,RUS,GOV
""",
    "agents.csv": """word,sector
commentators,JRN
officials,GOV
soldiers,MIL
students,CVL
firms,BUS
military,MIL
authorities,GOV
leadership,GOV
Armed Forces,MIL
Government,GOV
representatives,GOV
""",
}


def write_tables(d: Path, **changes: str) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for name, text in {**TABLES, **changes}.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    return write_tables(tmp_path / "data")


@pytest.fixture()
def kb(data_dir: Path):
    return build_kb(data_dir)


D2022 = date(2022, 11, 28)


def one(kb, text: str, day: date | None = D2022):
    ms = find_mentions(text, day, kb)
    return [(m.text, m.code, m.sector, m.kind) for m in ms]


# ----------------------------------------------------------------- finder


def test_titles_and_names(kb) -> None:
    assert one(kb, "Kazakhstani President Kassym-Jomart Tokayev made a visit") == [
        ("Kazakhstani President Kassym-Jomart Tokayev", "KAZ", "GOV", "title")
    ]
    ms = find_mentions("President of the Republic of Azerbaijan Ilham Aliyev spoke.", D2022, kb)
    assert [(m.text, m.code, m.name) for m in ms] == [
        ("President of the Republic of Azerbaijan Ilham Aliyev", "AZE", "Ilham Aliyev")
    ]
    assert one(kb, "Russia's Foreign Minister said") == [
        ("Russia's Foreign Minister", "RUS", "GOV", "title")
    ]
    assert one(kb, "the Kazakhstani leader hopes") == [
        ("the Kazakhstani leader", "KAZ", "GOV", "title")
    ]
    assert one(kb, "the Kremlin leader") == [("the Kremlin leader", "RUS", "GOV", "title")]
    assert one(kb, "Prime Minister of Armenia") == [
        ("Prime Minister of Armenia", "ARM", "GOV", "title")
    ]
    assert one(kb, "the Deputy Prime Minister of the Russian Federation") == [
        ("the Deputy Prime Minister of the Russian Federation", "RUS", "GOV", "title")
    ]
    assert one(kb, "Defence Minister Sergei Shoigu") == [
        ("Defence Minister Sergei Shoigu", "RUS", "GOV", "title")
    ]
    assert one(kb, "Mr Smithson said") == []  # unknown person: skipped
    assert one(kb, "Mr Overchuk said") == [("Mr Overchuk", "RUS", "GOV", "person")]
    assert one(kb, "Mr Putin said") == [("Mr Putin", "RUS", "GOV", "person")]


def test_title_holder_depends_on_date(kb) -> None:
    ms = find_mentions("the President of Kazakhstan", date(2015, 6, 1), kb)
    assert [(m.code, m.sector, m.name) for m in ms] == [("KAZ", "GOV", "Nursultan Nazarbayev")]
    ms = find_mentions("the President of Kazakhstan", D2022, kb)
    assert ms[0].name == "Kassym-Jomart Tokayev"


def test_surnames_case_and_diacritics(kb) -> None:
    assert one(kb, "Tokayev and Putin met") == [
        ("Tokayev", "KAZ", "GOV", "person"),
        ("Putin", "RUS", "GOV", "person"),
    ]
    assert one(kb, "ERDOĞAN and Erdogan")[0][1] == "TUR"
    assert [m[1] for m in one(kb, "Erdoğan, Erdogan")] == ["TUR", "TUR"]
    # Aliyev: Heydar until 2003, Ilham after.
    assert find_mentions("Aliyev", date(2022, 1, 1), kb)[0].name == "Ilham Aliyev"
    assert find_mentions("Aliyev", date(2001, 1, 1), kb)[0].name == "Heydar Aliyev"
    # A former president named in full keeps the state's code; a surname alone names only
    # someone in office that day.
    m = find_mentions("Nursultan Nazarbayev", D2022, kb)[0]
    assert m.code == "KAZ" and "former" in m.why
    assert find_mentions("Nazarbayev", date(2015, 1, 1), kb)[0].sector == "GOV"
    # ... a former head of state's unique surname still names him, without a sector; other
    # former office holders need their full name.
    assert [(m.code, m.sector) for m in find_mentions("Nazarbayev", D2022, kb)] == [("KAZ", "")]
    assert find_mentions("Shoigu", date(2025, 1, 1), kb) == []
    assert find_mentions("Sergei Shoigu", date(2025, 1, 1), kb)[0].code == "RUS"
    # Namesakes in office for one state: the code is sure, the name is the more senior one.
    assert find_mentions("Putin", date(2010, 1, 1), kb)[0].code == "RUS"
    # A surname after an unknown given name is somebody else, and so is that surname later on.
    assert find_mentions("Alexander Putin", D2022, kb) == []
    assert find_mentions("Alexander Putin met Mr Putin.", D2022, kb) == []
    # A surname names whoever the text named in full before: Heydar, not Ilham, here.
    ms = find_mentions("Heydar Aliyev built the state. Aliyev ...", D2022, kb)
    assert [m.name for m in ms] == ["Heydar Aliyev", "Heydar Aliyev"]
    assert find_mentions("Aliyev", D2022, kb)[0].name == "Ilham Aliyev"
    # A spouse named first does not hide the president named in full later.
    ms = find_mentions("Emine Erdogan arrived. Recep Tayyip Erdogan said. Erdogan added", D2022, kb)
    assert [m.text for m in ms] == ["Recep Tayyip Erdogan", "Erdogan"]


def test_places_metonyms_and_dates(kb) -> None:
    assert one(kb, "Astana and Tashkent") == [("Astana", "KAZ", "GOV", "capital")]
    m = find_mentions("Nur-Sultan", date(2020, 5, 1), kb)[0]
    assert (m.code, m.kind) == ("KAZ", "capital") and "2019-03-23" in m.why
    m = find_mentions("Nur-Sultan", D2022, kb)[0]
    assert m.code == "KAZ" and "not on" in m.why
    assert one(kb, "talks in the Kremlin and Akorda") == [
        ("the Kremlin", "RUS", "GOV", "metonym"),
        ("Akorda", "KAZ", "GOV", "metonym"),
    ]
    assert one(kb, "Almaty")[0][3] == "metonym"


def test_case_rules(kb) -> None:
    assert one(kb, "the US said") == [("the US", "USA", "GOV", "state")]
    assert one(kb, "let us go") == []
    assert one(kb, "roast turkey") == []
    assert one(kb, "Turkey") == [("Turkey", "TUR", "GOV", "state")]
    assert one(kb, "the west of the country") == []
    assert one(kb, "relations with the West") == [("the West", "WEST", "", "group")]
    assert one(kb, "Western sanctions") == [("Western", "WEST", "", "group")]
    assert one(kb, "the cstoo") == []


def test_agents_demonyms_possessives(kb) -> None:
    assert one(kb, "Russian commentators viewed") == [
        ("Russian commentators", "RUS", "JRN", "adjective")
    ]
    assert one(kb, "Russian officials") == [("Russian officials", "RUS", "GOV", "adjective")]
    assert one(kb, "Ukrainian soldiers") == [("Ukrainian soldiers", "UKR", "MIL", "adjective")]
    assert one(kb, "Azerbaijani students") == [("Azerbaijani students", "AZE", "CVL", "adjective")]
    assert one(kb, "Russian firms") == [("Russian firms", "RUS", "BUS", "adjective")]
    assert one(kb, "Russians") == [("Russians", "RUS", "CVL", "demonym")]
    assert one(kb, "Kazakhstan’s military") == [("Kazakhstan’s military", "KAZ", "MIL", "state")]
    assert one(kb, "Kazakhstan’s membership") == [("Kazakhstan", "KAZ", "GOV", "state")]
    assert one(kb, "Russia's policies") == [("Russia", "RUS", "GOV", "state")]
    assert one(kb, "the Armed Forces of Ukraine") == [
        ("the Armed Forces of Ukraine", "UKR", "MIL", "state")
    ]
    assert one(kb, "the Russian and Azerbaijani representatives") == [
        ("Russian", "RUS", "GOV", "adjective"),
        ("Azerbaijani representatives", "AZE", "GOV", "adjective"),
    ]


def test_compounds(kb) -> None:
    assert one(kb, "Russian-Turkish relations") == [
        ("Russian", "RUS", "GOV", "adjective"),
        ("Turkish", "TUR", "GOV", "adjective"),
    ]
    assert [m[:2] for m in one(kb, "Azerbaijan-Armenia talks")] == [
        ("Azerbaijan", "AZE"),
        ("Armenia", "ARM"),
    ]
    assert [m[:2] for m in one(kb, "the Tokayev-Putin meeting")] == [
        ("Tokayev", "KAZ"),
        ("Putin", "RUS"),
    ]


def test_organisations_entities_outlets(kb) -> None:
    assert one(kb, "the Collective Security Treaty Organization (CSTO), the EAEU") == [
        ("the Collective Security Treaty Organization (CSTO)", "CSTO", "", "organisation"),
        ("the EAEU", "EAEU", "", "organisation"),
    ]
    assert one(kb, "ODKB and the Eurasian Economic Community")[1][1] == "EAEU"
    assert one(kb, "the Donetsk People's Republic") == [
        ("the Donetsk People's Republic", "UKR", "PRE", "entity")
    ]
    assert one(kb, "DPR authorities") == [("DPR authorities", "UKR", "PRE", "entity")]
    assert one(kb, "CSTO soldiers") == [("CSTO soldiers", "CSTO", "", "organisation")]
    assert one(kb, "(Kasparov.ru, November 29)") == [("Kasparov.ru", "RUS", "JRN", "outlet")]
    assert one(kb, "The Moscow Times reported") == [("The Moscow Times", "RUS", "JRN", "outlet")]
    assert one(kb, "Kremlin.ru") == [("Kremlin.ru", "RUS", "GOV", "outlet")]


def test_garbled_speaker_label(kb) -> None:
    text = "Kassym-Jomart Tokayev Tokayev Kassym-JomartPresident of the Republic of Kazakhstan: Thank you."
    ms = find_mentions(text, date(2022, 1, 10), kb)
    assert ms and ms[0].text == "Kassym-Jomart Tokayev" and ms[0].code == "KAZ"
    for m in ms:
        assert text[m.start : m.end] == m.text


def test_offsets_and_no_overlap(kb) -> None:
    text = (
        "After talks, Kazakhstani President Kassym-Jomart Tokayev and Russia’s Putin met in Moscow."
    )
    ms = find_mentions(text, D2022, kb)
    last = 0
    for m in ms:
        assert text[m.start : m.end] == m.text
        assert m.start >= last
        last = m.end
    assert find_mentions("", D2022, kb) == []


# ----------------------------------------------------------------- resolver


def test_resolve(kb) -> None:
    r = resolve("the President of Kazakhstan", date(2015, 6, 1), kb=kb)
    assert r is not None
    assert (r.code, r.sector, r.name, r.kind, r.kb_version) == (
        "KAZ",
        "GOV",
        "Nursultan Nazarbayev",
        "title",
        "test.1",
    )
    assert resolve("Russia's", D2022, kb=kb).code == "RUS"  # type: ignore[union-attr]
    assert resolve("  Kazakhstan’s ", D2022, kb=kb).code == "KAZ"  # type: ignore[union-attr]
    assert resolve("the Kremlin", D2022, kb=kb).kind == "metonym"  # type: ignore[union-attr]
    assert resolve("nobody at all", D2022, kb=kb) is None
    with pytest.raises(InputError, match="empty"):
        resolve("   ", D2022, kb=kb)


def test_datetimes_are_dates(kb) -> None:
    from datetime import datetime

    assert find_mentions("Nur-Sultan", datetime(2020, 5, 1, 12, 0), kb)[0].code == "KAZ"
    r = resolve("the President of Kazakhstan", datetime(2015, 6, 1, 9, 30), kb=kb)
    assert r is not None and r.name == "Nursultan Nazarbayev"
    assert resolve("the Kremlin", "2022-01-10T10:00:00", kb=kb) is not None


def test_members_and_holder(kb) -> None:
    assert members("CSTO", date(2022, 1, 10), kb=kb) == ["ARM", "KAZ", "RUS"]
    assert members("Collective Security Treaty Organization", date(1995, 1, 1), kb=kb) == [
        "ARM",
        "AZE",
        "KAZ",
        "RUS",
    ]
    assert holder("KAZ", "head_of_state", date(2015, 6, 1), kb=kb) == "Nursultan Nazarbayev"
    # Transition day: the newcomer holds the office.
    assert holder("KAZ", "head_of_state", date(2019, 3, 20), kb=kb) == "Kassym-Jomart Tokayev"
    with pytest.raises(ActorDataError, match="unknown organisation"):
        members("NOPE", D2022, kb=kb)
    with pytest.raises(ActorDataError, match="role"):
        holder("KAZ", "emperor", D2022, kb=kb)


# ----------------------------------------------------------------- data errors and user files


def test_malformed_table_names_file_and_line(tmp_path: Path) -> None:
    bad = TABLES["officeholders.csv"] + "KAZ,GOV,head_of_state,Someone,,2022-13-01,\n"
    d = write_tables(tmp_path / "d", **{"officeholders.csv": bad})
    with pytest.raises(
        ActorDataError, match=r"officeholders\.csv:15: start '2022-13-01' is not a date"
    ):
        build_kb(d)
    d = write_tables(
        tmp_path / "e", **{"outlets.csv": TABLES["outlets.csv"] + "X,,x.com,XXX,JRN\n"}
    )
    with pytest.raises(ActorDataError, match=r"outlets\.csv:5: unknown country 'XXX'"):
        build_kb(d)
    d = write_tables(tmp_path / "f", **{"agents.csv": "word,sector\nfoo,NOPE\n"})
    with pytest.raises(ActorDataError, match=r"agents\.csv:2: unknown sector 'NOPE'"):
        build_kb(d)
    d = write_tables(tmp_path / "g", **{"places.csv": "code,name,kind\nKAZ,Astana,capital\n"})
    with pytest.raises(ActorDataError, match=r"places\.csv:1: header .* missing start,end"):
        build_kb(d)


def test_user_yaml_extends_and_overrides(data_dir: Path, tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        """officeholders:
  - {code: KAZ, sector: GOV, role: foreign_minister, name: Mukhtar Tileuberdi, start: 2019-05-18, end: 2023-04-01}
outlets:
  - name: Kun.uz
    aliases: [Kun uz]
    domain: kun.uz
    country: KAZ
    sector: JRN
states:
  - {code: KAZ, name: Republic of Kazakhstan, short_names: Kazakhstan, adjectives: Kazakhstani, demonyms: Kazakhstanis, capital: Astana, metonyms: Akorda|Ak Orda|Ak-Orda}
""",
        encoding="utf-8",
    )
    kb = build_kb(data_dir, [user])
    assert one(kb, "Ak-Orda") == [("Ak-Orda", "KAZ", "GOV", "metonym")]
    assert one(kb, "Kun.uz")[0][1:] == ("KAZ", "JRN", "outlet")
    assert resolve("Kazakhstan's Foreign Minister", D2022, kb=kb).name == "Mukhtar Tileuberdi"  # type: ignore[union-attr]
    assert one(kb, "Qazaqstan") == []  # the user's row replaced the bundled one


def test_user_conflicts_name_both_places(data_dir: Path, tmp_path: Path) -> None:
    user = tmp_path / "bad.yaml"
    user.write_text("places:\n  - {code: RUS, name: Astana, kind: city}\n", encoding="utf-8")
    with pytest.raises(ActorDataError) as err:
        build_kb(data_dir, [user])
    msg = str(err.value)
    assert f"{user}:2" in msg and "places.csv:2" in msg
    user.write_text(
        "officeholders:\n  - {code: KAZ, sector: GOV, role: head_of_state, name: Impostor, start: 2020-01-01}\n",
        encoding="utf-8",
    )
    with pytest.raises(ActorDataError) as err:
        build_kb(data_dir, [user])
    assert f"{user}:2" in str(err.value) and "officeholders.csv:3" in str(err.value)


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        ("states: [1, 2]\n", r"bad\.yaml:1: each states entry must be a mapping"),
        ("nations:\n  - {code: X}\n", r"bad\.yaml:1: unknown table 'nations'"),
        (
            "outlets:\n  - {name: X, country: RUS, sector: JRN, colour: red}\n",
            r"bad\.yaml:2: unknown key 'colour'",
        ),
        ("outlets:\n  - {name: X, country: RUS}\n", r"bad\.yaml:2: outlets\.sector is empty"),
        ("agents:\n  - {word: x, sector: GOV\n", r"bad\.yaml:\d+: invalid YAML"),
        (
            "officeholders:\n  - {code: KAZ, sector: GOV, role: king, name: X}\n",
            r"bad\.yaml:2: unknown role 'king'",
        ),
        (
            "officeholders:\n  - {code: ZZZ, sector: GOV, role: head_of_state, name: X}\n",
            r"bad\.yaml:2: unknown code 'ZZZ'",
        ),
        ("- just a list\n", r"bad\.yaml:1: expected a mapping of tables"),
    ],
)
def test_malformed_user_files(data_dir: Path, tmp_path: Path, content: str, pattern: str) -> None:
    user = tmp_path / "bad.yaml"
    user.write_text(content, encoding="utf-8")
    with pytest.raises(ActorDataError, match=pattern):
        build_kb(data_dir, [user])


def test_user_csv_and_missing_file(data_dir: Path, tmp_path: Path) -> None:
    extra = tmp_path / "outlets_mine.csv"
    extra.write_text(
        "name,aliases,domain,country,sector\nKun.uz,,kun.uz,KAZ,JRN\n", encoding="utf-8"
    )
    kb = build_kb(data_dir, [extra])
    assert one(kb, "Kun.uz")[0][1] == "KAZ"
    with pytest.raises(ActorDataError, match="cannot tell which table"):
        build_kb(data_dir, [tmp_path / "stuff.csv"]) if (tmp_path / "stuff.csv").write_text(
            "a\n"
        ) else None
    with pytest.raises(ActorDataError, match="no such actor file"):
        build_kb(data_dir, [tmp_path / "nope.yaml"])


def test_load_kb_is_cached(data_dir: Path) -> None:
    assert load_kb(data_dir=data_dir) is load_kb(data_dir=data_dir)


# ----------------------------------------------------------------- CLI


def test_cli_resolve(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("multivector.actors.kb.DATA_DIR", data_dir)
    monkeypatch.setattr("multivector.cli.main.COMMANDS", ("actors",))
    assert (
        main(
            [
                "actors",
                "resolve",
                "Kazakhstani President Kassym-Jomart Tokayev",
                "--date",
                "2022-11-28",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert (
        out == {"code": "KAZ", "sector": "GOV", "name": "Kassym-Jomart Tokayev", "why": out["why"]}
        and out["why"]
    )
    assert main(["actors", "resolve", "nothing here", "--date", "2022-11-28"]) == 1
    assert capsys.readouterr().out.strip() in ("", "null")
    assert main(["actors", "resolve", "", "--date", "2022-11-28"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "empty" in err
    assert main(["actors", "resolve", "Russia", "--date", "2022-31-01"]) == 1
    assert "date" in capsys.readouterr().err


def test_cli_resolve_input_and_members(
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("multivector.actors.kb.DATA_DIR", data_dir)
    monkeypatch.setattr("multivector.cli.main.COMMANDS", ("actors",))
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "a", "text": "the Kremlin", "date": "2022-01-10"}\n'
        '{"id": "b", "text": "somebody", "date": "2022-01-10"}\n'
        "\n"
        '{"id": 3, "text": "President of Kazakhstan", "date": "2015-06-01"}\n',
        encoding="utf-8",
    )
    assert main(["actors", "resolve", "--input", str(src)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines == [
        {"id": "a", "code": "RUS", "sector": "GOV"},
        {"id": "b", "code": None, "sector": None},
        {"id": 3, "code": "KAZ", "sector": "GOV"},
    ]
    src.write_text('{"id": "a", "text": "x", "date": "2022-01-10"}\nnot json\n', encoding="utf-8")
    assert main(["actors", "resolve", "--input", str(src)]) == 1
    assert f"{src}:2:" in capsys.readouterr().err
    assert main(["actors", "members", "CSTO", "--date", "2022-01-10"]) == 0
    assert capsys.readouterr().out.split() == ["ARM", "KAZ", "RUS"]
    assert main(["actors", "members", "NOPE", "--date", "2022-01-10"]) == 1
    assert "unknown organisation 'NOPE'" in capsys.readouterr().err
    assert main(["actors", "holder", "KAZ", "head_of_state", "--date", "2015-06-01"]) == 0
    assert capsys.readouterr().out.strip() == "Nursultan Nazarbayev"
    assert main(["actors", "holder", "XXX", "head_of_state"]) == 1
    assert "unknown code 'XXX'" in capsys.readouterr().err


def test_cli_user_file_errors_are_one_line(
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("multivector.actors.kb.DATA_DIR", data_dir)
    monkeypatch.setattr("multivector.cli.main.COMMANDS", ("actors",))
    user = tmp_path / "u.yaml"
    user.write_text("outlets:\n  - {name: X, country: NOPE, sector: JRN}\n", encoding="utf-8")
    assert main(["actors", "resolve", "Russia", "--date", "2022-01-10", "--actors", str(user)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{user}:2" in err
    assert isinstance(ActorDataError("x"), MultivectorError)


# ----------------------------------------------------------------- properties

_WORDS = [
    "Kazakhstani", "President", "Kassym-Jomart", "Tokayev", "of", "the", "Kremlin", "’s", "'s",
    "Russia", "CSTO", "(", ")", "-", "Mr", "Erdoğan", "Nur-Sultan", "soldiers", "leader", ",",
    "JomartPresident", "Prime", "Minister", "Armenia", "US", "us", "West", "Western", "DPR",
    "Kasparov.ru", "\n", "ÉCOLE", "İstanbul", "e\u0301", ":", "Kremlin.ru", "and", "from",
]  # fmt: skip


@given(
    st.lists(st.sampled_from(_WORDS) | st.text(max_size=6), max_size=25), st.sampled_from(["", " "])
)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_find_mentions_never_crashes_and_spans_hold(kb, words: list[str], sep: str) -> None:
    text = sep.join(words) if sep else " ".join(words)
    ms = find_mentions(text, D2022, kb)
    last = 0
    for m in ms:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.start >= last
        last = m.end
        assert m.kind in KINDS
        assert m.code in kb.codes()
