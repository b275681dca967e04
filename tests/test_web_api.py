"""The dashboard's API and pages: every endpoint, the one error shape, escaping, uploads."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("jinja2")

from fastapi.testclient import TestClient  # noqa: E402

from multivector.web import create_app  # noqa: E402
from store_fakes import FakeCoder  # noqa: E402
from web_fixture import HOSTILE, build_store  # noqa: E402

API_PATHS = {
    "/api/health", "/api/overview", "/api/country/{code}", "/api/dyad/{a}/{b}",
    "/api/dyad/{a}/{b}/events", "/api/event/{event_id}", "/api/search", "/api/ingest",
    "/api/ingest/{job_id}",
}  # fmt: skip


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "store.duckdb")


@pytest.fixture(scope="module")
def client(store_path: Path) -> TestClient:
    app = create_app(store_path, coder_factory=lambda: FakeCoder())
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture()
def ingest_client(tmp_path: Path) -> TestClient:
    path = build_store(tmp_path / "store.duckdb")
    app = create_app(
        path, max_upload_bytes=4000, coder_factory=lambda: FakeCoder(delay=0.002), cache_seconds=0
    )
    return TestClient(app, raise_server_exceptions=False)


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"status", "code", "message", "detail"}
    assert err["status"] == status
    assert isinstance(err["message"], str) and err["message"]
    if code is not None:
        assert err["code"] == code
    return err


def event_id_of(client: TestClient, a: str, b: str, period: str) -> str:
    events = client.get(f"/api/dyad/{a}/{b}/events", params={"period": period}).json()["events"]
    assert events
    return str(events[0]["event_id"])


def wait_job(client: TestClient, job_id: str, timeout: float = 20.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/ingest/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return dict(job)
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


# --- every endpoint ------------------------------------------------------------------------------


def test_openapi_documents_every_api_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) >= API_PATHS
    assert not [p for p in spec["paths"] if not p.startswith("/api/")]  # pages stay out
    assert "ErrorResponse" in spec["components"]["schemas"]
    assert "multipart/form-data" in spec["paths"]["/api/ingest"]["post"]["requestBody"]["content"]
    assert client.get("/docs").status_code == 200


def test_health(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["ingest_running"] is False


def test_overview(client: TestClient) -> None:
    body = client.get("/api/overview").json()
    corpus = body["corpus"]
    assert corpus["documents"] == 19
    assert corpus["sources"] == 3
    assert corpus["first_published"] == "2022-01-03" and corpus["last_published"] == "2022-06-21"
    top = body["dyads"][0]
    assert {top["a"], top["b"]} == {"KAZ", "RUS"} and top["events"] == 18
    assert "KAZ" in [c["code"] for c in body["countries"]]
    shift = [s for s in body["shifts"] if {s["a"], s["b"]} == {"KAZ", "RUS"}]
    assert shift and shift[0]["period"] == "2022-04-01" and shift[0]["delta"] < 0
    assert body["runs"] and body["sources"]


def test_country(client: TestClient) -> None:
    body = client.get("/api/country/kaz", params={"replicates": 50}).json()
    assert body["country"] == "KAZ"
    assert body["periods"][0] == "2022-01-01" and len(body["periods"]) == 6
    rus = body["series"]["RUS"]
    assert rus["alignment"][0] > 0 > rus["alignment"][-1]
    assert len(rus["alignment_lo"]) == 6 and rus["alignment_lo"][0] <= rus["alignment"][0]
    assert min(v for v in body["balance"]["balance"] if v is not None) >= 0
    assert [p["code"] for p in body["partners"]][:2] == ["RUS", "CHN"]
    assert any(s["series"] == "net_cooperation:RUS" for s in body["shifts"])
    ids = body["points"]["RUS"]["2022-02-01"]
    assert ids and all(i in body["events"] for i in ids)
    assert body["view"]["replicates"] == 50


def test_country_filters_change_the_result(client: TestClient) -> None:
    body = client.get(
        "/api/country/KAZ",
        params={"from": "2022-04-01", "to": "2022-06-30", "granularity": "quarter",
                "types": "accuse", "replicates": 0},
    ).json()  # fmt: skip
    assert body["periods"] == ["2022-04-01"]
    assert body["filters"]["types"] == ["ACCUSE"]
    assert body["series"]["RUS"]["events"] == [9]
    assert body["query"] == {"from": "2022-04-01", "to": "2022-06-30",
                             "granularity": "quarter", "types": "ACCUSE"}  # fmt: skip


def test_country_sources_and_powers(client: TestClient) -> None:
    body = client.get(
        "/api/country/KAZ",
        params={"sources": "Akorda", "powers": "RUS,WEST=USA+EU", "replicates": 0},
    ).json()
    assert [p["name"] for p in body["powers"]] == ["RUS", "WEST"]
    assert sum(body["series"]["RUS"]["events"]) == 9  # the even-numbered documents


def test_dyad_and_its_events(client: TestClient) -> None:
    body = client.get("/api/dyad/KAZ/RUS", params={"replicates": 20}).json()
    s = body["series"]
    assert s["a"] == "KAZ" and s["b"] == "RUS"
    assert s["events"] == [3, 3, 3, 3, 3, 3]
    assert s["net_cooperation"][0] == 7.5 and s["net_cooperation"][-1] == -9.0
    assert body["shifts"] and body["shifts"][0]["period"] == "2022-04-01"
    events = client.get("/api/dyad/KAZ/RUS/events", params={"period": "2022-02-14"}).json()
    assert events["period"] == "2022-02-01"
    assert len(events["events"]) == 3
    assert {e["date"][:7] for e in events["events"]} == {"2022-02"}
    assert all(e["evidence"] == "KAZ met RUS." for e in events["events"])
    every = client.get("/api/dyad/RUS/KAZ/events").json()
    assert len(every["events"]) == 18


def test_event_detail(client: TestClient) -> None:
    event_id = event_id_of(client, "KAZ", "RUS", "2022-05-01")
    e = client.get(f"/api/event/{event_id}").json()
    assert e["event_type"] == "ACCUSE" and e["factuality"] == "asserted"
    assert e["date"].startswith("2022-05") and e["date_precision"] == "day"
    assert e["paragraph"]["located"] and e["paragraph"]["match"] == "KAZ condemned RUS."
    assert "transit and energy" in e["paragraph"]["after"]
    assert "Astana" not in e["paragraph"]["before"]  # another paragraph
    assert [a["key"] for a in e["actors"]] == ["KAZ"] and [r["key"] for r in e["recipients"]] == [
        "RUS"
    ]
    assert e["actors"][0]["span_start"] is not None
    assert e["cited"][0]["outlet"] == "Kun.uz"
    assert e["coder_version"] == "fake/1" and e["rule"] == "fake" and e["trigger"] == "condemned"
    assert e["document"]["title"].startswith("Kazakhstan report")
    assert any(m["event_id"] == event_id for m in e["mentions"])


def test_imported_event_without_document(client: TestClient) -> None:
    e = client.get("/api/event/gdelt-1").json()
    assert e["dataset"] == "gdelt" and e["document"]["in_store"] is False
    assert e["paragraph"]["located"] is False and HOSTILE in e["evidence"]


def test_search(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "condemned"}).json()
    assert body["total"] == 9 and all("condemned" in e["evidence"] for e in body["events"])
    body = client.get("/api/search", params={"q": "", "country": "EU"}).json()
    assert body["total"] == 1 and body["events"][0]["event_type"] == "SANCTION"
    body = client.get(
        "/api/search", params={"q": "met", "type": "consult", "limit": 5, "offset": 5}
    )
    page = body.json()
    assert page["type"] == "CONSULT" and len(page["events"]) == 5 and page["offset"] == 5
    assert client.get("/api/search", params={"q": "100%"}).json()["total"] == 0  # % is literal


def test_search_is_parameterised(client: TestClient) -> None:
    for q in ("'; DROP TABLE events; --", "' OR 1=1 --", "\\", "K_Z", "%"):
        r = client.get("/api/search", params={"q": q})
        assert r.status_code == 200 and r.json()["total"] == 0, q
    assert client.get("/api/search", params={"q": "__pwned"}).json()["total"] == 2
    assert client.get("/api/overview").json()["corpus"]["events"] > 0


# --- pages ---------------------------------------------------------------------------------------


def test_pages_render_with_their_json_twin(client: TestClient) -> None:
    event_id = event_id_of(client, "KAZ", "RUS", "2022-01-01")
    for url, twin in [
        ("/", "/api/overview"),
        ("/country/KAZ?replicates=0", "/api/country/KAZ"),
        ("/dyad/KAZ/RUS?replicates=0", "/api/dyad/KAZ/RUS"),
        (f"/event/{event_id}", f"/api/event/{event_id}"),
        ("/search?q=KAZ", "/api/search?q=KAZ"),
        ("/ingest", "/api/ingest"),
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-type"].startswith("text/html")
        assert f'href="{twin}' in r.text, url
        assert "Content-Security-Policy" in r.headers
        assert re.search(r'<meta name="viewport"', r.text)


def test_pages_use_only_packaged_assets(client: TestClient) -> None:
    html = client.get("/country/KAZ?replicates=0").text
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets)
    for asset in assets:
        r = client.get(asset)
        assert r.status_code == 200 and "http://" not in r.text.replace("http://www.w3.org", "")
        assert "https://" not in r.text


def test_country_page_keeps_filters_in_the_url(client: TestClient) -> None:
    html = client.get(
        "/country/KAZ?from=2022-03-01&to=2022-05-31&granularity=week&replicates=0"
    ).text
    assert 'name="from" value="2022-03-01"' in html
    assert 'name="to" value="2022-05-31"' in html
    assert '<option value="week" selected>' in html
    assert "/api/country/KAZ?from=2022-03-01&amp;to=2022-05-31&amp;granularity=week" in html
    assert "/dyad/KAZ/RUS?from=2022-03-01&amp;to=2022-05-31&amp;granularity=week" in html


def test_country_form_redirects(client: TestClient) -> None:
    r = client.get("/country?code=kaz", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/country/KAZ"


def test_event_page_highlights_the_evidence(client: TestClient) -> None:
    event_id = event_id_of(client, "KAZ", "RUS", "2022-06-01")
    html = client.get(f"/event/{event_id}").text
    assert '<mark id="evidence">KAZ condemned RUS.</mark> The ministers discussed' in html
    assert "fake/1" in html and "Kun.uz" in html


# --- escaping ------------------------------------------------------------------------------------


def _hostile_pages(client: TestClient) -> list[str]:
    hostile_ids = [
        e["event_id"] for e in client.get("/api/search", params={"q": "script"}).json()["events"]
    ]
    assert len(hostile_ids) >= 2  # the hostile document's event and the imported one
    pages = ["/", "/country/KAZ?replicates=0", "/dyad/KAZ/EU?replicates=0", "/dyad/KAZ/USA?replicates=0",
             "/search?q=script", "/search?q=" + HOSTILE, "/ingest"]  # fmt: skip
    pages += [f"/event/{i}" for i in hostile_ids]
    return pages


def test_hostile_text_is_escaped_on_every_page(client: TestClient) -> None:
    for url in _hostile_pages(client):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "<script>window.__pwned" not in r.text, url
        assert "<img src=x" not in r.text, url
        assert not re.search(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", r.text), url
        scripts = re.findall(r"<script\b[^>]*>", r.text)
        assert scripts == ['<script src="/static/app.js" defer>',
                           '<script type="application/json" id="page-data">'], url  # fmt: skip
        assert r.text.count("</script>") == 2, url


def test_hostile_text_shows_as_text(client: TestClient) -> None:
    html = client.get("/event/gdelt-1").text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    twin = client.get("/api/event/gdelt-1").json()
    assert twin["evidence"].startswith(HOSTILE)  # the JSON twin keeps the text as it is


def test_error_messages_are_escaped(client: TestClient) -> None:
    r = client.get("/country/%3Cscript%3E", headers={"accept": "text/html"})
    assert r.status_code == 400 and "<script>'" not in r.text and "&lt;script&gt;" in r.text


# --- errors --------------------------------------------------------------------------------------


def test_error_shape(client: TestClient) -> None:
    assert_error(client.get("/api/nothing"), 404, "not_found")
    assert_error(client.get("/api/event/ffffffffffffffff"), 404, "not_found")
    assert_error(client.get("/api/country/K%20Z"), 400, "bad_request")
    assert_error(client.get("/api/country/KAZ?from=2022-13-01"), 400, "bad_request")
    assert_error(client.get("/api/country/KAZ?from=2022-06-01&to=2022-01-01"), 400)
    assert_error(client.get("/api/country/KAZ?granularity=decade"), 400)
    assert_error(client.get("/api/country/KAZ?types=HUG"), 400)
    assert_error(client.get("/api/country/KAZ?factuality=maybe"), 400)
    assert_error(client.get("/api/country/KAZ?powers=R%3BS"), 400)
    assert_error(client.get("/api/country/KAZ?replicates=-1"), 422, "invalid_request")
    assert_error(client.get("/api/country/KAZ?replicates=many"), 422)
    assert_error(client.get("/api/dyad/KAZ/KAZ"), 400)
    assert_error(client.get("/api/dyad/KAZ/RUS/events?period=soon"), 400)
    assert_error(client.get("/api/search?limit=0"), 422)
    assert_error(client.get("/api/search?q=" + "x" * 300), 422)
    assert_error(client.get("/api/search?type=HUG"), 400)
    assert_error(client.get("/api/ingest/not-a-job"), 400)
    assert_error(client.get("/api/ingest/" + "0" * 32), 404)
    assert_error(client.post("/api/overview"), 405, "method_not_allowed")


def test_path_like_parameters_are_rejected(client: TestClient) -> None:
    for url in [
        "/api/event/..%2F..%2Fetc%2Fpasswd",
        "/api/event/..",
        "/api/event/a..b",
        "/api/country/..%2F..%2Fetc%2Fpasswd",
        "/api/dyad/KAZ/..%2Fetc",
        "/api/ingest/..%2F..%2Fetc%2Fpasswd",
        "/static/..%2F..%2Fapp.py",
        "/static/%2e%2e/app.py",
        "/event/..%2F..%2Fetc%2Fpasswd",
    ]:
        r = client.get(url)
        assert r.status_code in (400, 404), url
        assert "root:" not in r.text and "create_app" not in r.text, url
        if url.startswith("/api/"):
            assert_error(r, r.status_code)


def test_html_errors_for_browsers(client: TestClient) -> None:
    r = client.get("/event/ffffffffffffffff", headers={"accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert 'data-code="not_found"' in r.text
    assert_error(client.get("/event/ffffffffffffffff"), 404)  # JSON for everyone else


def test_internal_errors_keep_the_shape(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from multivector.web import data

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(data, "search", boom)
    err = assert_error(client.get("/api/search?q=x"), 500, "internal_error")
    assert "secret" not in err["message"]


def test_locked_store_answers_503(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from multivector.errors import StoreError
    from multivector.web import data

    def locked(*args: Any, **kwargs: Any) -> Any:
        raise StoreError(f"store {store_path} stayed locked by another process for 15s")

    app = create_app(store_path)
    monkeypatch.setattr(data, "event_detail", locked)
    assert_error(TestClient(app).get("/api/event/abc"), 503, "store_busy")


# --- ingest --------------------------------------------------------------------------------------


def test_ingest_pasted_text(ingest_client: TestClient) -> None:
    r = ingest_client.post(
        "/api/ingest",
        data={"text": "KAZ sanctioned USA. Nothing else.", "title": "Pasted", "published": "2022-06-20",
              "source": "Desk"},
    )  # fmt: skip
    assert r.status_code == 202, r.text
    job = r.json()
    assert r.headers["location"] == f"/api/ingest/{job['job_id']}"
    assert job["total"] == 1 and job["doc_ids"][0].startswith("paste-")
    done = wait_job(ingest_client, job["job_id"])
    assert done["state"] == "done" and done["coded"] == 1 and done["events"] == 1
    assert done["progress"] == 1.0 and done["run_id"]
    found = ingest_client.get("/api/search", params={"q": "KAZ sanctioned USA"}).json()
    assert found["total"] == 1 and found["events"][0]["source"] == "Desk"
    jobs = ingest_client.get("/api/ingest").json()["jobs"]
    assert jobs[0]["job_id"] == job["job_id"]


def test_ingest_uploaded_files(ingest_client: TestClient) -> None:
    lines = [
        json.dumps(
            {"id": "j1", "text": "KAZ met UZB.", "published": "2022-06-01", "source": "Kun.uz"}
        ),
        "{not json",
        json.dumps({"id": "j2", "text": "UZB met KAZ.", "published": "2022-06-02"}),
    ]
    files = [
        (
            "files",
            ("../../etc/passwd.jsonl", "\n".join(lines).encode(), "application/octet-stream"),
        ),
        ("files", ("note.txt", b"KAZ condemned KGZ.", "text/plain")),
    ]
    expected = ["j1", "j2", "note"]
    if importlib.util.find_spec("trafilatura") is not None:  # HTML extraction
        files.append(
            ("files", ("page.html", b"<html><head><title>T</title></head><body><article><p>"
                       b"KAZ met CHN. The leaders spoke at length about the future of the region "
                       b"and the many projects they share.</p></article></body></html>", "text/html"))
        )  # fmt: skip
        expected.append("page")
    r = ingest_client.post("/api/ingest", files=files, data={"published": "2022-06-05"})
    assert r.status_code == 202, r.text
    job = wait_job(ingest_client, r.json()["job_id"])
    assert job["state"] == "done", job
    assert sorted(job["doc_ids"]) == expected
    assert job["coded"] == len(expected) and job["events"] == len(expected)
    assert len(job["problems"]) == 1 and "passwd.jsonl:2" in job["problems"][0]
    assert not Path("/etc/passwd.jsonl").exists()
    kgz = ingest_client.get("/api/search", params={"country": "KGZ"}).json()
    assert kgz["total"] == 1 and kgz["events"][0]["date"] == "2022-06-05"


def test_upload_type_and_size_are_checked(ingest_client: TestClient) -> None:
    err = assert_error(
        ingest_client.post("/api/ingest", files=[("files", ("x.exe", b"MZ\x00", "application/x-msdownload"))]),
        415, "unsupported_media_type",
    )  # fmt: skip
    assert "x.exe" in err["message"]
    assert_error(
        ingest_client.post("/api/ingest", files=[("files", ("x", b"KAZ met RUS.", "text/plain"))]),
        415,
    )
    assert_error(
        ingest_client.post("/api/ingest", files=[("files", ("bin.txt", b"\x00\x01\x02\xff" * 10, "text/plain"))]),
        400,
    )  # fmt: skip
    big = b"KAZ met RUS. " * 400  # 5200 bytes > 4000
    assert_error(
        ingest_client.post("/api/ingest", files=[("files", ("big.txt", big, "text/plain"))]),
        413,
        "payload_too_large",
    )
    assert_error(ingest_client.post("/api/ingest", data={"text": "x" * 5000}), 413)
    huge = io.BytesIO(b"a" * 200_000)
    assert_error(
        ingest_client.post("/api/ingest", files=[("files", ("huge.txt", huge, "text/plain"))]), 413
    )

    def chunks() -> Any:  # no Content-Length: refused while streaming
        yield b'--b\r\nContent-Disposition: form-data; name="text"\r\n\r\n'
        for _ in range(40):
            yield b"y" * 10_000
        yield b"\r\n--b--\r\n"

    r = ingest_client.post("/api/ingest", content=chunks(),
                           headers={"content-type": "multipart/form-data; boundary=b"})  # fmt: skip
    assert_error(r, 413)
    assert_error(ingest_client.post("/api/ingest", data={"text": "   "}), 400, "bad_request")
    assert_error(ingest_client.post("/api/ingest", json={"text": "KAZ met RUS."}), 415)
    assert_error(
        ingest_client.post("/api/ingest", data={"text": "KAZ met RUS.", "published": "June"}), 400
    )
    assert ingest_client.get("/api/ingest").json()["jobs"] == []


def test_cross_site_uploads_are_refused(ingest_client: TestClient) -> None:
    data = {"text": "KAZ met RUS."}
    err = assert_error(
        ingest_client.post("/api/ingest", data=data, headers={"origin": "http://evil.example"}),
        403, "forbidden",
    )  # fmt: skip
    assert "cross-origin" in err["message"]
    assert_error(
        ingest_client.post("/api/ingest", data=data, headers={"sec-fetch-site": "cross-site"}), 403
    )
    same = ingest_client.post("/api/ingest", data=data, headers={"origin": "http://testserver"})
    assert same.status_code == 202


def test_host_check(store_path: Path) -> None:
    app = create_app(store_path, allowed_hosts=["127.0.0.1", "localhost"])
    assert TestClient(app, base_url="http://127.0.0.1:8000").get("/api/health").status_code == 200
    assert TestClient(app, base_url="http://localhost").get("/").status_code == 200
    rebound = TestClient(app, base_url="http://attacker.example")
    assert_error(rebound.get("/api/overview"), 400, "bad_request")


def test_reads_keep_working_while_an_ingest_writes(tmp_path: Path) -> None:
    from store_fakes import make_documents

    path = build_store(tmp_path / "store.duckdb")
    app = create_app(
        path,
        max_upload_bytes=2_000_000,
        coder_factory=lambda: FakeCoder(delay=0.004),
        cache_seconds=0,
    )
    client = TestClient(app, raise_server_exceptions=False)
    lines = "\n".join(
        json.dumps({"id": d.id, "text": d.text, "published": d.published.isoformat()})
        for d in make_documents(120, seed=3) if d.published
    )  # fmt: skip
    r = client.post("/api/ingest", files=[("files", ("many.jsonl", lines.encode(), "text/plain"))])
    assert r.status_code == 202
    job_id = r.json()["job_id"]
    seen_progress = set()
    statuses = []
    while True:
        job = client.get(f"/api/ingest/{job_id}").json()
        seen_progress.add(job["seen"])
        for url in ("/api/overview", "/api/search?q=met", "/api/dyad/KAZ/RUS?replicates=0"):
            statuses.append(client.get(url).status_code)
        if job["state"] in ("done", "failed"):
            break
    assert job["state"] == "done" and job["coded"] == 120
    assert set(statuses) == {200}
    assert len(seen_progress) > 2  # progress was visible while it ran
    assert client.get("/api/overview").json()["corpus"]["documents"] == 139


# --- the command ---------------------------------------------------------------------------------


def test_serve_command_binds_to_loopback_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    from multivector.cli.main import main

    calls: list[dict[str, Any]] = []
    apps: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: (apps.append(app), calls.append(kw)))
    assert main(["serve", "--store", str(tmp_path / "s.duckdb"), "--port", "8123"]) == 0
    assert calls == [{"host": "127.0.0.1", "port": 8123, "log_level": "warning"}]
    assert "http://127.0.0.1:8123/" in capsys.readouterr().err
    assert TestClient(apps[0], base_url="http://127.0.0.1:8123").get("/").status_code == 200
    assert TestClient(apps[0], base_url="http://evil.example").get("/").status_code == 400
    assert main(["serve", "--store", str(tmp_path / "s.duckdb"), "--port", "0"]) == 1


def test_non_finite_numbers_become_null() -> None:
    from multivector.web.app import Rendered

    r = Rendered({"a": float("nan"), "b": [1.0, float("inf")], "c": "x"})
    assert json.loads(r.json) == {"a": None, "b": [1.0, None], "c": "x"}
    assert "NaN" not in r.script
