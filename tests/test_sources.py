"""Web sources: pages and feeds served from 127.0.0.1 by the test itself."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from multivector.cli.main import main
from multivector.sources import FetchConfig, WebReader, is_url, parse_feed, url_doc_id
from multivector.store import Store
from store_fakes import FakeCoder

ARTICLE = """<!doctype html><html><head><title>{title}</title>
<meta property="og:site_name" content="Steppe Wire">
<meta property="article:published_time" content="{day}">
</head><body><nav>Home | World | Sport</nav><article><h1>{title}</h1>
<p>{body}</p><p>Officials from both sides described the talks as constructive and said that
further meetings of the working groups would follow in the coming months.</p></article>
<footer>Copyright Steppe Wire</footer></body></html>"""


def article(title: str, body: str, day: str = "2022-11-28") -> bytes:
    return ARTICLE.format(title=title, body=body, day=day).encode("utf-8")


def rss(base: str, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{path}</link><pubDate>{when}</pubDate></item>"
        for path, t, when in items
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
            f"{entries}</channel></rss>").encode()  # fmt: skip


def atom(base: str, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f'<entry><title>{t}</title><link rel="alternate" href="{base}{path}"/>'
        f"<updated>{when}</updated><id>{path}</id></entry>"
        for path, t, when in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Wire</title>{entries}</feed>").encode()  # fmt: skip


class Site:
    """Routes path -> (status, content type, body); counts hits per path."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.hits: dict[str, int] = {}
        self.flaky: dict[str, int] = {}  # path -> failures (HTTP 503) before it answers
        self.base = ""

    def handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                site.hits[self.path] = site.hits.get(self.path, 0) + 1
                if self.path == "/slow":
                    time.sleep(1.5)
                if site.flaky.get(self.path, 0) > 0:
                    site.flaky[self.path] -= 1
                    self.send_error(503)
                    return
                status, ctype, body = site.routes.get(self.path, (404, "text/plain", b"no"))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), s.handler())
    server.daemon_threads = True
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    html = "text/html; charset=utf-8"
    s.routes.update({
        "/a.html": (200, html, article("Tokayev visits Tashkent",
                                      "KAZ met UZB. The presidents discussed water and trade.")),
        "/b.html": (200, html, article("Sanctions", "EU sanctioned RUS. Moscow protested.")),
        "/c.html": (200, html, article("Accusation", "RUS condemned UKR. Kyiv rejected it.")),
        "/empty.html": (200, html, b"<html><body></body></html>"),
    })  # fmt: skip
    yield s
    server.shutdown()
    server.server_close()


def reader(**kw: object) -> WebReader:
    cfg = FetchConfig(timeout=0.5, retries=1, backoff=0.01, host_delay=0.0)
    return WebReader(cfg, **kw)  # type: ignore[arg-type]


def test_is_url():
    assert is_url("https://x.org/a") and is_url("http://127.0.0.1:80/")
    assert not is_url("corpus.jsonl") and not is_url("-") and not is_url("file:///etc/passwd")


def test_parse_feeds():
    items = parse_feed(rss("http://w", [("/a", "A", "Mon, 28 Nov 2022 10:00:00 +0000")]))
    assert items is not None and items[0].url == "http://w/a" and items[0].title == "A"
    assert items[0].published == date(2022, 11, 28)
    items = parse_feed(atom("http://w", [("/b", "B", "2022-11-29T08:00:00Z")]))
    assert (
        items is not None
        and items[0].url == "http://w/b"
        and items[0].published == date(2022, 11, 29)
    )
    assert parse_feed(b"<html><body>x</body></html>") is None
    assert parse_feed(b"<?xml version='1.0'?><rss><broken") is None
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss>&a;</rss>'
    assert parse_feed(bomb) is None


def test_page_becomes_a_document(site):
    r = reader()
    docs = list(r.documents([site.base + "/a.html"]))
    assert len(docs) == 1 and not r.failures
    d = docs[0]
    assert d.id == url_doc_id(site.base + "/a.html") and d.url == site.base + "/a.html"
    assert "KAZ met UZB." in d.text and "Home | World" not in d.text
    assert d.title == "Tokayev visits Tashkent" and d.source == "Steppe Wire"
    assert d.published == date(2022, 11, 28)


def test_failures_are_reported_not_raised(site):
    site.flaky["/c.html"] = 1
    r = reader()
    urls = [site.base + p for p in ("/missing", "/slow", "/empty.html", "/c.html")]
    urls.append("http://127.0.0.1:9/refused")
    docs = list(r.documents(urls))
    assert [d.url for d in docs] == [site.base + "/c.html"]  # after one retry
    assert site.hits["/c.html"] == 2
    failures = {f.url.rsplit("/", 1)[-1]: f for f in r.failures}
    assert failures["missing"].error.startswith("HTTP 404") and failures["missing"].attempts == 1
    assert site.hits["/missing"] == 1, "no retry on a 404"
    assert "timed out" in failures["slow"].error and failures["slow"].attempts == 2
    assert "no article text" in failures["empty.html"].error
    assert failures["refused"].attempts == 2


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feed_rerun_ingests_only_new_items(site, tmp_path, kind):
    make = rss if kind == "rss" else atom
    when = "Mon, 28 Nov 2022 10:00:00 +0000" if kind == "rss" else "2022-11-28T10:00:00Z"
    items = [("/a.html", "Visit", when), ("/missing", "Gone", when)]
    site.routes["/feed"] = (200, "application/xml", make(site.base, items))
    store = Store.open(tmp_path / "s.duckdb")

    def ingest() -> tuple[int, WebReader]:
        r = reader(skip_urls=store.known_urls)
        result = store.ingest(r.documents([site.base + "/feed"]), FakeCoder())
        return result.coded, r

    coded, r = ingest()
    assert coded == 1 and [f.url for f in r.failures] == [site.base + "/missing"]
    items.append(("/b.html", "Sanctions", when))
    site.routes["/feed"] = (200, "application/xml", make(site.base, items))
    coded, r = ingest()
    assert coded == 1 and r.skipped == 1
    assert site.hits["/a.html"] == 1 and site.hits["/b.html"] == 1
    types = sorted(e.event_type for e in store.events())
    assert types == ["CONSULT", "SANCTION"]
    assert {e.date for e in store.events()} == {"2022-11-28"}


def test_cli_ingest_and_events(site, tmp_path, capsys, monkeypatch):
    monkeypatch.syspath_prepend(str(__import__("pathlib").Path(__file__).parent))
    corpus = tmp_path / "docs.jsonl"
    corpus.write_text(
        '{"id": "f1", "text": "RUS condemned UKR.", "published": "2022-03-01", "source": "Kremlin"}\n'
        '{"id": "f2", "text": "KAZ met UZB.", "published": "2022-03-02"}\n',
        encoding="utf-8",
    )
    site.routes["/feed"] = (200, "application/rss+xml",
                            rss(site.base, [("/b.html", "S", "Mon, 28 Nov 2022 10:00:00 +0000")]))  # fmt: skip
    store = str(tmp_path / "cli.duckdb")
    args = ["ingest", str(corpus), site.base + "/feed", site.base + "/missing", "--store", store,
            "--coder", "store_fakes:FakeCoder", "--timeout", "1", "--retries", "0"]  # fmt: skip
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "3 documents seen, 3 coded, 0 skipped" in err and "3 events, 1 failed" in err
    assert "failed " + site.base + "/missing: HTTP 404" in err
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "2 documents seen, 0 coded, 2 skipped" in err and "1 known feed items" in err

    assert main(["events", "--store", store, "--country", "RUS", "--format", "jsonl"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and all('"cluster_id"' in line for line in out)
    assert main(["events", "--store", store, "--type", "accuse", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("event_id,cluster_id,date") and len(lines) == 2
    assert ",RUS,UKR," in lines[1]
    assert main(["events", "--store", store, "--from", "2022-03-02", "--format", "table"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("DATE") and len(table) == 3
    assert main(["events", "--store", store, "--type", "VISIT"]) == 1
    assert "unknown VISIT" in capsys.readouterr().err
    assert main(["events", "--store", str(tmp_path / "none.duckdb")]) == 1


def test_cli_limit_and_published(tmp_path, capsys, monkeypatch):
    monkeypatch.syspath_prepend(str(__import__("pathlib").Path(__file__).parent))
    folder = tmp_path / "texts"
    folder.mkdir()
    for i in range(5):
        (folder / f"t{i}.txt").write_text(f"KAZ met UZB. Text {i}.", encoding="utf-8")
    store = str(tmp_path / "l.duckdb")
    base = ["ingest", str(folder), "--store", store, "--coder", "store_fakes:FakeCoder",
            "--published", "2022-05-01"]  # fmt: skip
    assert main([*base, "--limit", "3"]) == 0
    assert "3 documents seen, 3 coded" in capsys.readouterr().err
    assert main(base) == 0
    assert "5 documents seen, 2 coded, 3 skipped" in capsys.readouterr().err
    assert {e.date for e in Store.open(store, read_only=True).events()} == {"2022-05-01"}
    assert main([*base, "--published", "May"]) == 1
    assert main([*base, "--coder", "nowhere:Coder"]) == 1


def test_robots_txt_is_obeyed(site):
    site.routes["/robots.txt"] = (200, "text/plain", b"User-agent: *\nDisallow: /private/\n")
    site.routes["/private/a.html"] = site.routes["/a.html"]
    r = reader()
    docs = list(r.documents([site.base + "/private/a.html", site.base + "/a.html"]))
    assert [d.url for d in docs] == [site.base + "/a.html"]
    assert [(f.url, f.error) for f in r.failures] == [
        (site.base + "/private/a.html", "disallowed by the site's robots.txt")
    ]
    assert "/private/a.html" not in site.hits and site.hits["/robots.txt"] == 1
