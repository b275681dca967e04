"""`multivector code` on bad input: exit 1 and one line on stderr naming the file (and line).

A fake `Coder` stands in for the real one (it only drains the documents), so these tests need
no model; one end-to-end test, marked `model`, codes the bundled example article.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

import multivector.cli.code
import multivector.pipeline
from multivector.cli.main import main
from multivector.ingest import read_documents
from multivector.records import Document, Event

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GOOD = "Tokayev met Mirziyoyev in Tashkent and the two leaders agreed to expand trade.\n"


class FakeCoder:
    """Records that it was built and how many documents it saw; codes nothing."""

    built = 0
    documents: list[str] = []

    def __init__(self, **kw: object) -> None:
        FakeCoder.built += 1

    def code_documents(self, docs: Iterable[Document]) -> Iterator[tuple[Document, list[Event]]]:
        for d in docs:
            FakeCoder.documents.append(d.id)
            yield d, []


@pytest.fixture(autouse=True)
def fake_coder(request, monkeypatch):
    if request.node.get_closest_marker("model"):
        return
    FakeCoder.built = 0
    FakeCoder.documents = []
    monkeypatch.setattr(multivector.pipeline, "Coder", FakeCoder)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(["code", "--no-progress", *argv])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("multivector: error: ")
    return lines[0]


def test_good_file_codes(tmp_path, capsys):
    p = tmp_path / "ok.txt"
    p.write_text(GOOD, encoding="utf-8")
    rc, out, err = run(capsys, str(p))
    assert rc == 0 and out == ""
    assert FakeCoder.documents == ["ok"]
    assert "coded 1 documents, 0 events" in err


def test_empty_file(tmp_path, capsys):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"  \n\n")
    rc, out, err = run(capsys, str(p))
    assert rc == 1 and out == ""
    assert one_error_line(err) == f"multivector: error: {p}: empty file"


def test_binary_file(tmp_path, capsys):
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    rc, _, err = run(capsys, str(p))
    assert rc == 1
    line = one_error_line(err)
    assert f"{p}: binary file" in line


def test_mis_encoded_file(tmp_path, capsys):
    p = tmp_path / "latin1.txt"
    p.write_bytes("Tokayev a rencontré Macron à Paris.\n".encode("latin-1"))
    rc, _, err = run(capsys, str(p))
    assert rc == 1
    line = one_error_line(err)
    assert f"{p}: not UTF-8 text (byte 0xe9 at offset" in line
    assert "re-encode the file as UTF-8" in line


def test_oversized_file(tmp_path, capsys, monkeypatch):
    # `multivector code` has no --max-bytes flag: lower the reader's limit instead
    monkeypatch.setattr(
        multivector.cli.code, "read_documents", functools.partial(read_documents, max_bytes=64)
    )
    p = tmp_path / "long.txt"
    p.write_text(GOOD * 3, encoding="utf-8")
    rc, _, err = run(capsys, str(p))
    assert rc == 1
    line = one_error_line(err)
    assert f"{p}: file is" in line and "over the 64 bytes limit" in line


def test_malformed_jsonl_line_strict(tmp_path, capsys):
    p = tmp_path / "docs.jsonl"
    p.write_text(
        json.dumps({"id": "a", "text": GOOD}) + "\n" + '{"id": "b", "text": \n', encoding="utf-8"
    )
    rc, _, err = run(capsys, "--strict", str(p))
    assert rc == 1
    line = one_error_line(err)
    assert line.startswith(f"multivector: error: {p}:2: malformed JSON")


def test_malformed_jsonl_line_is_skipped_and_reported_without_strict(tmp_path, capsys):
    p = tmp_path / "docs.jsonl"
    p.write_text(
        json.dumps({"id": "a", "text": GOOD}) + "\n[1, 2]\n" + json.dumps({"id": "c"}) + "\n",
        encoding="utf-8",
    )
    rc, _, err = run(capsys, str(p))
    assert rc == 0
    assert FakeCoder.documents == ["a"]
    assert f"skipped 2 malformed lines in {p} (first: line 2: expected a JSON object" in err


def test_missing_path(tmp_path, capsys):
    p = tmp_path / "nowhere.txt"
    rc, out, err = run(capsys, str(p))
    assert rc == 1 and out == ""
    assert one_error_line(err) == f"multivector: error: {p}: no such file or folder"


def test_bad_file_after_good_one_still_fails(tmp_path, capsys):
    good = tmp_path / "a.txt"
    good.write_text(GOOD, encoding="utf-8")
    rc, _, err = run(capsys, str(good), str(tmp_path / "b.txt"))
    assert rc == 1
    assert "b.txt: no such file or folder" in one_error_line(err)


def test_output_file_not_left_behind_on_error(tmp_path, capsys):
    out = tmp_path / "events.jsonl"
    rc, _, _ = run(capsys, str(tmp_path / "missing.txt"), "-o", str(out))
    assert rc == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_bad_input_fails_before_the_model_loads(tmp_path, capsys):
    rc, _, _ = run(capsys, str(tmp_path / "nowhere.txt"))
    assert rc == 1
    assert FakeCoder.built == 0
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert run(capsys, str(empty))[0] == 1
    assert FakeCoder.built == 0


def test_no_readable_document_at_all_exits_1(tmp_path, capsys):
    p = tmp_path / "docs.jsonl"
    p.write_text('{"id": "a"}\n{"id": "b", "text": ""}\n', encoding="utf-8")
    rc, out, err = run(capsys, str(p))
    assert rc == 1 and out == ""
    assert f"skipped 2 malformed lines in {p} (first: line 1: missing or empty 'text')" in err
    assert "no documents to code" in err
    assert FakeCoder.built == 0


@pytest.mark.model
def test_example_article_end_to_end(tmp_path, capsys):
    out = tmp_path / "events.jsonl"
    rc = main(
        ["code", "--no-progress", str(EXAMPLES / "kazakhstan-balancing-2022.jsonl"), "-o", str(out)]
    )
    assert rc == 0
    events = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(events) >= 10
    assert {e["doc_id"] for e in events} == {"kazakhstan-balancing-2022"}
    with_kaz = [
        e for e in events if any(p["code"] == "KAZ" for p in [*e["actor"], *e["recipient"]])
    ]
    assert len(with_kaz) >= 5
    partners = {p["code"] for e in with_kaz for p in [*e["actor"], *e["recipient"]]} - {"KAZ"}
    assert {"RUS", "CHN"} <= partners
    assert any(c["outlet"] for e in events for c in e["cited"])
    assert all(e["date"] <= "2022-12-16" for e in events if e["factuality"] == "asserted")
