"""Drive the real dashboard in headless Chromium (Debian's `chromium`, through Playwright).

Ingest a fixture corpus through the ingest page, open KAZ's country page, change the period,
hover and click a chart point, follow one of its events to the event page and find the
evidence highlighted; a hostile document's script never runs; the page fits a phone screen
and asks for nothing beyond this server.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("MULTIVECTOR_CHROMIUM", "/usr/bin/chromium")
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)
uvicorn = pytest.importorskip("uvicorn")

from multivector.store import Store  # noqa: E402
from multivector.web import create_app  # noqa: E402
from store_fakes import FakeCoder  # noqa: E402
from web_fixture import documents, hostile_import  # noqa: E402

pytestmark = pytest.mark.slow
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("browser") / "store.duckdb"
    Store.open(path).add_events([hostile_import()], dataset="gdelt")
    app = create_app(path, coder_factory=lambda: FakeCoder(delay=0.01))
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    outside: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: None if r.url.startswith(server) else outside.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.outside_requests = outside  # type: ignore[attr-defined]
    pg.js_errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert outside == [], f"requests beyond the server: {outside}"
    assert errors == [], f"script errors: {errors}"


def not_pwned(page: Any) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"


@pytest.fixture(scope="module")
def ingested(browser: Any, server: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Upload the fixture corpus through the ingest page and wait for the job to finish."""
    corpus = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    corpus.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": d.id,
                    "text": d.text,
                    "title": d.title,
                    "url": d.url,
                    "source": d.source,
                    "published": d.published.isoformat(),
                }
            )  # fmt: skip
            for d in documents()
            if d.published
        ),
        encoding="utf-8",
    )
    context = browser.new_context()
    pg = context.new_page()
    pg.goto(f"{server}/ingest")
    pg.set_input_files("input[name=files]", str(corpus))
    pg.click("#ingest-form button[type=submit]")
    pg.wait_for_selector("#job-status[data-state=done]", timeout=60_000)
    status = pg.text_content("#job-status") or ""
    assert "19 of 19 documents" in status and "19 coded" in status
    assert pg.get_attribute("#job-progress", "value") == "1"
    not_pwned(pg)
    context.close()
    return server


def test_country_period_point_event(page: Any, ingested: str) -> None:
    page.goto(f"{ingested}/country/KAZ")
    page.wait_for_selector("#chart-alignment circle.pt")
    assert page.locator("#chart-alignment circle.pt[data-series=RUS]").count() == 6

    # change the period: the filters go into the URL and the chart redraws
    page.fill("#filters input[name=from]", "2022-02-01")
    page.fill("#filters input[name=to]", "2022-05-31")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**/country/KAZ?from=2022-02-01&to=2022-05-31")
    page.wait_for_selector("#chart-alignment circle.pt")
    assert page.input_value("#filters input[name=from]") == "2022-02-01"
    periods = page.eval_on_selector_all(
        "#chart-alignment circle.pt[data-series=RUS]", "els => els.map(e => e.dataset.period)"
    )
    assert periods == ["2022-02-01", "2022-03-01", "2022-04-01", "2022-05-01"]

    # hover shows the value, click lists the events behind the point
    point = page.locator("#chart-alignment circle.pt[data-series=RUS][data-period='2022-04-01']")
    point.hover()
    tip = page.locator("#tooltip")
    tip.wait_for(state="visible")
    assert "RUS · 2022-04-01" in tip.inner_text() and "alignment: -0.30" in tip.inner_text()
    point.click()
    items = page.locator("#drill-list li")
    items.first.wait_for()
    assert items.count() == 3
    assert "KAZ–RUS · 2022-04-01" in page.inner_text("#drill-title")
    assert "KAZ condemned RUS." in page.inner_text("#drill-list")

    # follow an event to its page: the evidence is highlighted in its paragraph
    page.locator("#drill-list a.event-link").first.click()
    page.wait_for_url("**/event/*")
    assert page.inner_text("#evidence") == "KAZ condemned RUS."
    assert page.eval_on_selector("#evidence", "e => e.tagName") == "MARK"
    paragraph = page.inner_text("#evidence-paragraph")
    assert paragraph.startswith("KAZ condemned RUS. The ministers discussed transit")
    assert "ACCUSE" in page.inner_text("h1")
    assert "fake/1" in page.inner_text("dl.facts")
    not_pwned(page)


def test_dyad_point_fetches_its_events(page: Any, ingested: str) -> None:
    page.goto(f"{ingested}/dyad/KAZ/RUS")
    page.wait_for_selector("#chart-net circle.pt")
    page.locator("#chart-net circle.pt[data-period='2022-01-01']").click()
    page.locator("#drill-list li").first.wait_for()
    assert page.locator("#drill-list li").count() == 3
    assert "KAZ met RUS." in page.inner_text("#drill-list")


def test_hostile_document_never_runs(page: Any, ingested: str) -> None:
    urls = [f"{ingested}/", f"{ingested}/search?q=script", f"{ingested}/country/KAZ",
            f"{ingested}/dyad/KAZ/EU", f"{ingested}/event/gdelt-1"]  # fmt: skip
    for url in urls:
        page.goto(url)
        page.wait_for_selector("html[data-ready='1']")
        not_pwned(page)
        assert page.locator("img[src=x]").count() == 0
    page.goto(f"{ingested}/search?q=sanctioned")
    page.locator("table.events a").first.click()
    page.wait_for_url("**/event/*")
    assert "<script>window.__pwned=1</script>" in page.inner_text("#evidence-paragraph")
    assert page.locator("dl.facts a[href^='javascript']").count() == 0
    page.goto(f"{ingested}/event/gdelt-1")
    assert page.inner_text("#evidence").startswith("<script>window.__pwned=1</script>")
    # click drill-down on EU point: evidence of the hostile event listed as text
    page.goto(f"{ingested}/country/KAZ")
    page.locator("#chart-alignment circle.pt[data-series=EU]").first.click()
    page.locator("#drill-list li").first.wait_for()
    assert "<script>" in page.inner_text("#drill-list")
    not_pwned(page)


def test_narrow_screen(browser: Any, ingested: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    pg = context.new_page()
    for url in ("/", "/country/KAZ", "/event/gdelt-1", "/search?q=KAZ", "/ingest"):
        pg.goto(ingested + url)
        pg.wait_for_selector("html[data-ready='1']")
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 362, f"{url} is {width}px wide on a 360px screen"
    pg.goto(ingested + "/country/KAZ")
    box = pg.locator("#chart-alignment svg.chart-svg").bounding_box()
    assert box is not None and box["width"] <= 360
    context.close()
