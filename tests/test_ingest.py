"""Reading documents: each format, folders, stdin, and a clear error for each kind of bad input."""

from __future__ import annotations

import io
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from multivector.errors import ConfigError, InputError
from multivector.ingest import (
    IngestReport,
    IngestWarning,
    Problem,
    Reader,
    decode_bytes,
    parse_published,
    read_documents,
)
from multivector.records import Document

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV_DOCUMENTS = SHARED / "gold" / "dev" / "documents.jsonl"

ARTICLE = (
    "The foreign ministers of Armenia and Georgia met in Tbilisi to discuss a new border "
    "crossing and the reopening of a rail link between the two capitals."
)
SECOND = (
    "After the talks both ministers said that a working group would prepare a draft agreement "
    "on customs procedures before the end of the year."
)


def page(head: str = "", body_extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html><head><title>Ministers meet in Tbilisi | Caucasus Wire</title>{head}</head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Ministers meet in Tbilisi</h1>{body_extra}<p>{ARTICLE}</p><p>{SECOND}</p></article>
<footer>Copyright Caucasus Wire. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>
"""


def jsonl(*records: Any) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def rec(doc_id: Any, text: str = "Armenia and Georgia held talks.", **extra: Any) -> dict[str, Any]:
    return {"id": doc_id, "text": text, **extra}


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def read(paths: Any, **kwargs: Any) -> list[Any]:
    return list(read_documents(paths, **kwargs))


def error_of(paths: Any, **kwargs: Any) -> str:
    with pytest.raises(InputError) as info:
        read(paths, **kwargs)
    return str(info.value)


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# --- plain text -------------------------------------------------------------------------------


def test_text_file(tmp_path: Path) -> None:
    p = write(tmp_path / "talks.txt", f"\n{ARTICLE}\r\n{SECOND}\n")
    [doc] = read(p, published="2022-11-28")
    assert doc.id == "talks"
    assert doc.text == f"{ARTICLE}\n{SECOND}"
    assert doc.published == date(2022, 11, 28)
    assert doc.origin == str(p)
    assert doc.title == ""


def test_markdown_title_and_unknown_extension_is_text(tmp_path: Path) -> None:
    [doc] = read(write(tmp_path / "note.md", f"# Talks in Tbilisi\n\n{ARTICLE}\n"))
    assert doc.title == "Talks in Tbilisi" and doc.published is None
    [doc] = read(write(tmp_path / "note.article", ARTICLE))
    assert doc.id == "note" and doc.text == ARTICLE


@pytest.mark.parametrize(
    "encoded",
    [
        b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"),
        b"\xff\xfe" + ARTICLE.encode("utf-16-le"),
        b"\xfe\xff" + ARTICLE.encode("utf-16-be"),
    ],
    ids=["utf-8-bom", "utf-16-le", "utf-16-be"],
)
def test_byte_order_marks(tmp_path: Path, encoded: bytes) -> None:
    [doc] = read(write(tmp_path / "bom.txt", encoded))
    assert doc.text == ARTICLE


# --- HTML -------------------------------------------------------------------------------------


def test_html_strips_boilerplate_and_reads_metadata(tmp_path: Path) -> None:
    head = (
        '<meta property="og:title" content="Ministers meet in Tbilisi">'
        '<meta property="article:published_time" content="2023-03-14T09:30:00+04:00">'
        '<meta property="og:site_name" content="Caucasus Wire">'
        '<link rel="canonical" href="https://wire.example/news/tbilisi-talks">'
    )
    [doc] = read(write(tmp_path / "tbilisi.html", page(head)), published="2020-01-01")
    assert doc.id == "tbilisi"
    assert ARTICLE in doc.text and SECOND in doc.text
    assert "Subscribe" not in doc.text and "Sport" not in doc.text
    assert doc.title == "Ministers meet in Tbilisi"
    assert doc.published == date(2023, 3, 14)  # the page's own date beats the argument
    assert doc.url == "https://wire.example/news/tbilisi-talks"
    assert doc.source == "Caucasus Wire"


def test_html_time_element_and_published_argument(tmp_path: Path) -> None:
    dated = page(body_extra='<p><time datetime="2023-04-02">2 April</time></p>')
    [doc] = read(write(tmp_path / "a.htm", dated), published="2020-01-01")
    assert doc.published == date(2023, 4, 2)
    [doc] = read(write(tmp_path / "b.html", page()), published="2020-01-01")
    assert doc.published == date(2020, 1, 1)  # no date of its own: the argument fills in


def test_html_without_text(tmp_path: Path) -> None:
    p = write(tmp_path / "blank.html", "<html><head><title>x</title></head><body></body></html>")
    assert error_of(p) == f"{p}: no article text found in the HTML page"


# --- JSON Lines -------------------------------------------------------------------------------


def test_jsonl_fields_and_published(tmp_path: Path) -> None:
    p = write(
        tmp_path / "docs.jsonl",
        jsonl(
            rec("a", title="T", url="https://x.example/a", source="X", published="2022-02-21"),
            "",
            rec("b", published="2022-02-22T23:10:00+03:00"),
            rec("c", published=None),
            rec(7),
        ).replace("\n", "\r\n"),
    )
    docs = read(p, published="2021-01-01")
    assert [d.id for d in docs] == ["a", "b", "c", "7"]
    a = docs[0]
    assert (a.title, a.url, a.source, a.published) == (
        "T",
        "https://x.example/a",
        "X",
        date(2022, 2, 21),
    )
    assert a.origin == f"{p}:1"
    assert docs[1].published == date(2022, 2, 22)
    assert docs[2].published == date(2021, 1, 1)  # filled in by the argument
    assert docs[3].origin == f"{p}:5"


def test_ndjson_and_line_separator_inside_text(tmp_path: Path) -> None:
    text = "First part\u2028second part"
    p = write(tmp_path / "docs.ndjson", json.dumps(rec("a", text), ensure_ascii=False) + "\n")
    [doc] = read(p)
    assert doc.text == text


@pytest.mark.skipif(not DEV_DOCUMENTS.exists(), reason="../shared not present")
def test_reads_the_shared_dev_documents() -> None:
    docs = read(DEV_DOCUMENTS)
    assert len(docs) == 12
    assert docs[0].id == "kremlin-67118" and docs[0].published == date(2021, 11, 17)
    assert all(d.text and d.source and d.url for d in docs)


# --- bad JSON lines ---------------------------------------------------------------------------

BAD_LINES = [
    ("{not json", "malformed JSON (Expecting property name enclosed in double quotes at column 2)"),
    ("[1, 2]", "expected a JSON object, got array"),
    ('"text"', "expected a JSON object, got string"),
    (json.dumps({"text": "no id here"}), "missing 'id' (each line needs a non-empty string 'id')"),
    (json.dumps({"id": "", "text": "x"}), "missing 'id' (each line needs a non-empty string 'id')"),
    (json.dumps({"id": "b"}), "missing or empty 'text'"),
    (json.dumps({"id": "b", "text": "  "}), "missing or empty 'text'"),
    (json.dumps({"id": "b", "text": 3}), "missing or empty 'text'"),
    (
        json.dumps(rec("b", published="2022-13-45")),
        "bad 'published': '2022-13-45' is not an ISO date (YYYY-MM-DD) or datetime",
    ),
    (
        json.dumps(rec("b", published="yesterday")),
        "bad 'published': 'yesterday' is not an ISO date (YYYY-MM-DD) or datetime",
    ),
    (
        json.dumps(rec("b", published=20220101)),
        "bad 'published': expected an ISO date string, got int",
    ),
    (json.dumps(rec("b", title=["x"])), "'title' must be a string, got array"),
    (json.dumps(rec("a")), "duplicate id 'a' (first at {path}:1)"),
]


@pytest.mark.parametrize(("line", "message"), BAD_LINES)
def test_bad_line_strict_raises_with_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    p = write(tmp_path / "docs.jsonl", jsonl(rec("a"), line, rec("c")))
    assert error_of(p, strict=True) == f"{p}:2: " + message.format(path=p)


@pytest.mark.parametrize(("line", "message"), BAD_LINES)
def test_bad_line_is_skipped_and_reported(tmp_path: Path, line: str, message: str) -> None:
    p = write(tmp_path / "docs.jsonl", jsonl(rec("a"), line, rec("c")))
    report = IngestReport()
    seen: list[Problem] = []
    docs = read(p, report=report, on_problem=seen.append)
    assert [d.id for d in docs] == ["a", "c"]
    assert report.problems == seen == [Problem(str(p), 2, message.format(path=p))]
    assert (report.files, report.documents, report.skipped) == (1, 2, 1)


def test_report_summary_names_file_count_and_first_problem(tmp_path: Path) -> None:
    p = write(tmp_path / "docs.jsonl", jsonl(rec("a"), "", "", "", "", "", "[]", "{", rec("b")))
    reader = Reader()
    assert [d.id for d in reader.read(p)] == ["a", "b"]
    assert reader.report.summary() == [
        f"skipped 2 malformed lines in {p} (first: line 7: expected a JSON object, got array)"
    ]


def test_skipped_lines_warn_without_report_or_callback(tmp_path: Path) -> None:
    p = write(tmp_path / "docs.jsonl", jsonl(rec("a"), "[]"))
    with pytest.warns(IngestWarning, match=r"skipped .*docs.jsonl:2: expected a JSON object"):
        assert len(read(p)) == 1


def test_oversized_document(tmp_path: Path) -> None:
    p = write(tmp_path / "docs.jsonl", jsonl(rec("a", "x" * 2000), rec("b", "short")))
    msg = "document is 2.0 kB, over the 1.0 kB per-document limit (max_document_bytes)"
    assert error_of(p, strict=True, max_document_bytes=1000) == f"{p}:1: {msg}"
    report = IngestReport()
    assert [d.id for d in read(p, max_document_bytes=1000, report=report)] == ["b"]
    t = write(tmp_path / "big.txt", "y" * 2000)
    assert error_of(t, max_document_bytes=1000) == f"{t}: {msg}"


# --- bad files --------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \n\n \t\n"], ids=["zero-bytes", "whitespace"])
@pytest.mark.parametrize("name", ["empty.txt", "empty.jsonl", "empty.html"])
def test_empty_file(tmp_path: Path, content: bytes, name: str) -> None:
    p = write(tmp_path / name, content)
    assert error_of(p) == f"{p}: empty file"


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    p = write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert error_of(p) == f"{p}: binary file (it contains NUL bytes); expected text"


def test_binary_file_of_control_bytes(tmp_path: Path) -> None:
    p = write(tmp_path / "blob.txt", bytes([1, 2, 3, 4, 5, 6, 7, 65]) * 50)
    assert error_of(p) == f"{p}: binary file (mostly non-text bytes); expected text"


def test_mis_encoded_file(tmp_path: Path) -> None:
    p = write(tmp_path / "latin.txt", "Café talks in Yerevan".encode("latin-1"))
    assert error_of(p) == (
        f"{p}: not UTF-8 text (byte 0xe9 at offset 3); re-encode the file as UTF-8"
    )
    j = write(
        tmp_path / "latin.jsonl", json.dumps(rec("a", "Café"), ensure_ascii=False).encode("cp1252")
    )
    assert "not UTF-8 text (byte 0xe9 at offset" in error_of(j, strict=False)


def test_oversized_file(tmp_path: Path) -> None:
    p = write(tmp_path / "big.jsonl", jsonl(*(rec(str(i)) for i in range(100))))
    size = p.stat().st_size
    assert error_of(p, max_bytes=1000) == (
        f"{p}: file is {size / 1000:.1f} kB, over the 1.0 kB limit; split it or raise the limit "
        "(max_bytes)"
    )


def test_missing_path_fails_before_reading_anything(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", ARTICLE)
    missing = tmp_path / "nope.txt"
    seen: list[Document] = []
    with pytest.raises(InputError, match=r"nope.txt: no such file or folder$"):
        seen.extend(read_documents([good, missing]))
    assert seen == []


def test_whole_file_errors_raise_even_when_not_strict(tmp_path: Path) -> None:
    p = write(tmp_path / "docs.jsonl", b"\x00\x01")
    report = IngestReport()
    with pytest.raises(InputError, match="binary file"):
        read(p, strict=False, report=report)


def test_bad_published_argument() -> None:
    with pytest.raises(ConfigError, match=r"bad published date: '28/11/2022' is not an ISO date"):
        Reader(published="28/11/2022")


def test_decode_and_parse_helpers() -> None:
    assert decode_bytes(b"a\r\nb\rc", "x") == "a\nb\nc"
    assert parse_published("2022-11-28T23:59:59Z") == date(2022, 11, 28)
    assert parse_published(date(2022, 1, 1)) == date(2022, 1, 1)
    assert parse_published("") is None


# --- folders and stdin ------------------------------------------------------------------------


def test_folder_is_read_recursively_sorted_skipping_hidden(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "b.txt", ARTICLE)
    write(root / "a.jsonl", jsonl(rec("j1"), rec("j2")))
    write(root / "sub" / "c.html", page())
    write(root / "sub" / "d.md", SECOND)
    write(root / ".hidden.txt", "secret")
    write(root / ".git" / "e.txt", "secret")
    write(root / "picture.png", b"\x89PNG\x00\x00")
    write(root / "notes.docx", b"PK\x03\x04\x00")
    report = IngestReport()
    docs = read(root, report=report)
    assert [d.id for d in docs] == ["j1", "j2", "b", "c", "d"]
    assert (report.files, report.documents) == (4, 5)


def test_shared_stems_get_relative_paths(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "2022" / "jan" / "talks.txt", ARTICLE)
    write(root / "2022" / "feb" / "talks.html", page())
    write(root / "other.txt", SECOND)
    elsewhere = write(tmp_path / "x" / "other.txt", ARTICLE)
    docs = read([root, root / "other.txt", elsewhere])  # a file named twice is read once
    assert [d.id for d in docs] == [
        "2022/feb/talks",
        "2022/jan/talks",
        "other",
        f"{tmp_path}/x/other",
    ]


def test_text_id_colliding_with_a_jsonl_id_is_made_unique(tmp_path: Path) -> None:
    j = write(tmp_path / "docs.jsonl", jsonl(rec("talks")))
    t = write(tmp_path / "talks.txt", ARTICLE)
    assert [d.id for d in read([j, t])] == ["talks", "talks~2"]


def test_stdin_sniffs_the_format(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, jsonl(rec("s1"), rec("s2", published="2022-03-01")).encode())
    docs = read("-", published="2022-01-01")
    assert [(d.id, d.published, d.origin) for d in docs] == [
        ("s1", date(2022, 1, 1), "<stdin>:1"),
        ("s2", date(2022, 3, 1), "<stdin>:2"),
    ]
    set_stdin(monkeypatch, page().encode())
    [doc] = read("-")
    assert doc.id == "stdin" and ARTICLE in doc.text and "Subscribe" not in doc.text
    set_stdin(monkeypatch, f"  {ARTICLE}\n".encode())
    [doc] = read(["-"])
    assert doc.id == "stdin" and doc.text == ARTICLE and doc.origin == "<stdin>"


def test_stdin_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, b"")
    assert error_of("-") == "<stdin>: empty file"
    set_stdin(monkeypatch, b"x" * 50)
    assert error_of("-", max_bytes=10) == (
        "<stdin>: file is over the 10 bytes limit; split it or raise the limit (max_bytes)"
    )
    set_stdin(monkeypatch, jsonl(rec("a"), "{bad").encode())
    assert error_of("-", strict=True).startswith("<stdin>:2: malformed JSON")
