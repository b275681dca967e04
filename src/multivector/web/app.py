"""The dashboard's FastAPI application: HTML pages, each with a JSON twin under ``/api/``.

    app = create_app("events.duckdb")          # then: uvicorn.run(app, host="127.0.0.1")

The web layer is a thin skin: every number comes from `multivector.analysis` /
`multivector.report.build_report`, every row from parameterised SQL in `multivector.web.data`.

Safety. Pages are Jinja2 templates with autoescaping, and the JSON a page's script reads is
embedded with `<`, `>`, `&` escaped (`multivector.report.html.script_json`); the script only
ever sets ``textContent``. A Content-Security-Policy allows scripts and styles from this origin
only. Path parameters are validated against strict patterns (codes, event ids, job ids) and
never reach the filesystem; static files are served by Starlette from the package folder.
Uploads are refused over ``max_upload_bytes`` (checked on the header and while streaming) and
unless they are ``.txt``, ``.html``/``.htm`` or ``.jsonl`` that decode as text. Every error,
on every route, has one JSON shape::

    {"error": {"status": 404, "code": "not_found", "message": "...", "detail": null}}

(HTML pages render the same four fields as a page when the client asks for HTML.)

Store access. DuckDB lets one process hold the file; in-process, connections share one
database and read snapshots while the ingest thread writes. The store's `Store.connect()`
keeps the open connection on the `Store` object, so one `Store` must not be shared between
threads: every request makes its own (cheap) `Store` and connection, while a `Keeper` keeps
the database open as long as any request or ingest job runs (see `multivector.web.keeper`).
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Hashable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from typing import Annotated, Any, cast
from urllib.parse import quote, urlencode, urlsplit

import anyio
import anyio.to_thread
import duckdb
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from multivector import __version__
from multivector.errors import ConfigError, InputError, MultivectorError, StoreError
from multivector.ontology import EVENT_TYPES, FACTUALITY
from multivector.records import Document
from multivector.report import build_report
from multivector.report.build import Tables
from multivector.report.html import script_json
from multivector.store import Store
from multivector.store.connection import is_lock_error
from multivector.web import data as d
from multivector.web.jobs import (
    CoderFactory,
    JobManager,
    TooManyJobs,
    Upload,
    UploadTypeError,
    default_coder_factory,
    pasted_document,
    read_uploads,
    suffix_of,
)
from multivector.web.keeper import Keeper

DEFAULT_MAX_UPLOAD_BYTES = 10_000_000
#: How long a read of the store's state (`data.stamp`) is trusted before it is read again.
STAMP_TTL = 0.5
#: Multipart framing allowed on top of the payload limit before the header check refuses.
_FRAMING = 64_000
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


# --- errors -------------------------------------------------------------------------------------


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str
    detail: Any = None


class ErrorResponse(BaseModel):
    """The one error shape of every endpoint."""

    error: ErrorBody


ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorResponse, "description": desc}
    for s, desc in (
        (400, "Bad parameter value"),
        (404, "Not found"),
        (422, "Malformed request"),
        (503, "Store busy (locked by another process)"),
    )
}
_CODES = {
    400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "invalid_request", 429: "too_many_jobs",
    500: "internal_error", 503: "store_busy",
}  # fmt: skip


class PayloadTooLarge(StarletteHTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"upload is over the {limit:,} byte limit")


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes on ``paths``: on Content-Length, and while
    streaming (chunked uploads)."""

    def __init__(self, app: ASGIApp, limit: int, paths: tuple[str, ...]) -> None:
        self.app = app
        self.limit = limit
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.limit
            except ValueError:
                too_big = False
            if too_big:
                response = _json_error(413, f"upload is over the {self.limit:,} byte limit")
                await response(scope, receive, send)
                return
        seen = 0
        limit = self.limit

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise PayloadTooLarge(limit)
            return message

        await self.app(scope, counted, send)


class SecurityHeaders:
    """Add the Content-Security-Policy and friends to every response (pure ASGI: cheap)."""

    HEADERS: tuple[tuple[bytes, bytes], ...] = (
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.HEADERS if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


class HostCheck:
    """Answer only requests whose Host is one of ``hosts`` (DNS-rebinding defence: a web page
    that points its own name at 127.0.0.1 cannot read the dashboard)."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
            host = raw.rsplit(":", 1)[0] if not raw.endswith("]") else raw
            if host not in self.hosts:
                response = _json_error(400, f"unexpected Host header {raw[:80]!r}")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _json_error(
    status: int, message: str, detail: Any = None, code: str | None = None
) -> JSONResponse:
    body = {
        "error": {
            "status": status,
            "code": code or _CODES.get(status, "error"),
            "message": message,
            "detail": detail,
        }
    }
    return JSONResponse(body, status_code=status)


# --- a small cache keyed by the store's state -----------------------------------------------------


class JSONBytes(Response):
    """A JSON body serialised in advance (FastAPI's encoder walks big dicts slowly)."""

    media_type = "application/json"


class Rendered:
    """A view's data with its JSON and its page-embeddable JSON, each serialised once."""

    __slots__ = ("_json", "_script", "data")

    def __init__(self, data: Any) -> None:
        self.data = data
        self._json: bytes | None = None
        self._script: str | None = None

    @property
    def json(self) -> bytes:
        if self._json is None:
            try:
                text = json.dumps(self.data, ensure_ascii=False, allow_nan=False)
            except ValueError:  # a NaN or infinity slipped through: JSON has no such number
                text = json.dumps(_finite(self.data), ensure_ascii=False, allow_nan=False)
            self._json = text.encode()
        return self._json

    @property
    def script(self) -> str:
        if self._script is None:
            try:
                self._script = script_json(self.data)
            except ValueError:
                self._script = script_json(_finite(self.data))
        return self._script


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


class ViewCache:
    """Results of expensive views (country, dyad, overview), computed once per store state.

    An entry is fresh while the store's `data.stamp` is unchanged. While an ingest commits a
    batch every fraction of a second the stamp keeps moving, so an entry younger than
    ``max_age`` seconds is served even if the stamp moved: pages lag an ingest by at most
    that long, instead of recomputing on every request. Concurrent requests for the same view
    wait for one computation (single flight); once a view has been computed, requests that
    find it out of date get the previous result while one of them recomputes it.
    """

    def __init__(self, size: int = 512, max_age: float = 5.0) -> None:
        self.size = size
        self.max_age = max_age
        self._items: OrderedDict[Hashable, tuple[Any, float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._flights: dict[Hashable, threading.Lock] = {}

    def _lookup(self, key: Hashable, stamp: Any) -> tuple[bool, bool, Any]:
        """(found, fresh, value) for ``key`` at the store state ``stamp``."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return False, False, None
            self._items.move_to_end(key)
            seen, at, value = item
            return True, seen == stamp or time.monotonic() - at < self.max_age, value

    def peek(self, key: Hashable, stamp: Any) -> Any:
        """The cached value if it is fresh, else None."""
        _, fresh, value = self._lookup(key, stamp)
        return value if fresh else None

    def get_or_compute(self, key: Hashable, stamp: Any, compute: Callable[[], Any]) -> Any:
        found, fresh, value = self._lookup(key, stamp)
        if fresh:
            return value
        with self._lock:
            flight = self._flights.setdefault(key, threading.Lock())
        # A stale value is served while another request recomputes it (stale-while-revalidate).
        if not flight.acquire(blocking=not found):
            return value
        try:
            found, fresh, value = self._lookup(key, stamp)
            if fresh:
                return value
            value = compute()
            with self._lock:
                self._items[key] = (stamp, time.monotonic(), value)
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    old, _ = self._items.popitem(last=False)
                    self._flights.pop(old, None)
            return value
        finally:
            flight.release()


# --- the app --------------------------------------------------------------------------------------


def view_params(
    from_: str | None = Query(None, alias="from", description="first event date, YYYY-MM-DD"),
    to: str | None = Query(None, description="last event date, YYYY-MM-DD"),
    granularity: str = Query("month", description="week, month or quarter"),
    types: str | None = Query(None, description="PLOVER event types, comma-separated"),
    sources: str | None = Query(None, description="document sources, comma-separated"),
    factuality: str | None = Query(
        None, description=f"any of {', '.join(FACTUALITY)} (default asserted)"
    ),
    powers: str | None = Query(None, description="powers or blocs: RUS,CHN,WEST=USA+GBR+EU"),
    dedup: str | None = Query(
        None, description="0 counts every report instead of each cluster once"
    ),
    replicates: int = Query(200, ge=0, le=d.MAX_REPLICATES, description="bootstrap replicates"),
) -> d.View:
    raw = {"from": from_, "to": to, "granularity": granularity, "types": types,
           "sources": sources, "factuality": factuality, "powers": powers, "dedup": dedup,
           "replicates": str(replicates)}  # fmt: skip
    return d.View.parse({k: v for k, v in raw.items() if v is not None})


ViewDep = Annotated[d.View, Depends(view_params)]


def _templates() -> Environment:
    env = Environment(
        loader=PackageLoader("multivector.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["url"] = lambda s: quote(str(s), safe="")
    env.globals["qs"] = lambda params=None, **kw: urlencode(
        {k: v for k, v in {**(params or {}), **kw}.items() if v not in (None, "")}
    )
    env.globals["version"] = __version__
    env.globals["event_types"] = EVENT_TYPES

    def num(x: Any, digits: int = 2) -> str:
        if x is None:
            return "–"
        try:
            return f"{float(x):+.{digits}f}"
        except (TypeError, ValueError):
            return "–"

    env.filters["num"] = num
    env.filters["http_url"] = lambda u: (
        u if str(u).lower().startswith(("http://", "https://")) else ""
    )
    return env


def create_app(
    store_path: str | os.PathLike[str] | None = None,
    *,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    coder_factory: CoderFactory | None = None,
    lock_timeout: float = 15.0,
    cache_seconds: float = 5.0,
    threads: int = 100,
    allowed_hosts: Sequence[str] | None = None,
) -> FastAPI:
    """The dashboard over the store at ``store_path`` (created when missing).

    ``coder_factory`` builds the coder used by ingest jobs, once, when the first job runs
    (default: `multivector.pipeline.Coder`); ``lock_timeout`` is how long a request waits
    for another process's lock on the store before answering 503; ``cache_seconds`` how
    far pages may lag a running ingest (`ViewCache`); ``threads`` the worker threads that
    run the (blocking) request handlers; ``allowed_hosts`` (e.g. ``["127.0.0.1",
    "localhost"]``) refuses requests naming any other Host.
    """
    if max_upload_bytes < 1:
        raise ConfigError("max_upload_bytes must be positive")
    store = Store.open(store_path)  # creates the schema; reads then open per request
    path = store.path
    keeper = Keeper(path, lock_timeout=lock_timeout)
    jobs = JobManager(path, coder_factory or default_coder_factory, hold=keeper.hold)
    cache = ViewCache(max_age=cache_seconds)
    env = _templates()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = max(limiter.total_tokens, threads)
        yield
        await run_in_threadpool(jobs.shutdown)
        keeper.close()

    app = FastAPI(
        lifespan=lifespan,
        title="multivector dashboard",
        version=__version__,
        description=(
            "Explore a country's relations with the powers and drill down to the evidence. "
            "Every HTML page has a JSON twin under /api/. Errors: "
            '{"error": {"status", "code", "message", "detail"}}.'
        ),
    )
    app.state.store_path = path
    app.state.jobs = jobs
    app.state.max_upload_bytes = max_upload_bytes
    app.add_middleware(BodyLimit, limit=max_upload_bytes + _FRAMING, paths=("/api/ingest",))

    app.add_middleware(SecurityHeaders)
    if allowed_hosts is not None:
        app.add_middleware(HostCheck, hosts=frozenset(h.lower() for h in allowed_hosts))

    static = resources.files("multivector.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    # -- errors
    def error(request: Request, status: int, message: str, detail: Any = None) -> Response:
        if _wants_html(request):
            html = env.get_template("error.html").render(
                status=status, code=_CODES.get(status, "error"), message=message, detail=detail,
                title=f"Error {status}",
            )  # fmt: skip
            return HTMLResponse(html, status_code=status)
        return _json_error(status, message, detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path[:200]}"
        return error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        detail = [
            {"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        first = detail[0] if detail else {"loc": [], "msg": "invalid request"}
        return error(request, 422, f"{'.'.join(first['loc'])}: {first['msg']}", detail)

    @app.exception_handler(MultivectorError)
    async def library_error(request: Request, exc: MultivectorError) -> Response:
        if isinstance(exc, UploadTypeError):
            return error(request, 415, str(exc))
        if isinstance(exc, TooManyJobs):
            return error(request, 429, str(exc))
        if isinstance(exc, StoreError):
            if is_lock_error(exc) or "locked" in str(exc):
                return error(request, 503, "the store is locked by another process; retry shortly")
            return error(request, 500, "the store could not answer this query")
        return error(request, 400, str(exc))

    @app.exception_handler(duckdb.Error)
    async def duckdb_error(request: Request, exc: duckdb.Error) -> Response:
        return error(request, 500, "the store could not answer this query")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        return error(request, 500, "internal error")

    # -- store access
    def reader() -> Store:
        return Store(path, read_only=False, lock_timeout=lock_timeout)

    def cached(
        name: str, args: Hashable, compute: Callable[[duckdb.DuckDBPyConnection], Any]
    ) -> Rendered:
        with keeper.hold(), reader().connect() as con:
            return cast(
                Rendered,
                cache.get_or_compute((name, args), d.stamp(con), lambda: Rendered(compute(con))),
            )

    # -- JSON builders (one per page)
    def overview_data() -> Rendered:
        def compute(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
            return {**d.overview(con), "ingest_running": jobs.busy()}

        return cached("overview", (), compute)

    def country_data(code: str, view: d.View) -> Rendered:
        code = d.check_code(code)

        def compute(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
            tables = Tables(dyads=d.materialise(con, view))
            report = build_report(
                con, code, view.powers, view.filters(), replicates=view.replicates, tables=tables
            )
            return {"view": view.to_dict(), "query": view.query(), **report.to_dict()}

        return cached("country", (code, view), compute)

    def dyad_data(a: str, b: str, view: d.View) -> Rendered:
        a, b = d.check_code(a), d.check_code(b)

        def compute(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
            return {**d.dyad(con, a, b, view), "query": view.query()}

        return cached("dyad", (a, b, view), compute)

    def event_data(event_id: str) -> Rendered:
        event_id = d.check_event_id(event_id)
        found = cached("event", event_id, lambda con: d.event_detail(con, event_id))
        if found.data is None:
            raise StarletteHTTPException(404, f"no event {event_id}")
        return found

    def search_data(
        q: str, country: str | None, event_type: str | None, limit: int, offset: int
    ) -> Rendered:
        code = d.check_code(country) if country else None
        args = (q.strip(), code, event_type or None, limit, offset)

        def compute(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
            return d.search(con, q, country=code, event_type=event_type or None,
                            limit=limit, offset=offset)  # fmt: skip

        return cached("search", args, compute)

    def page(template: str, request: Request, data: Rendered, **extra: Any) -> HTMLResponse:
        html = env.get_template(template).render(
            data=data.data, data_json=data.script, path=request.url.path, **extra
        )
        return HTMLResponse(html)

    # -- API ---------------------------------------------------------------------------------
    @app.get("/api/health", tags=["api"], summary="Liveness and store path")
    async def api_health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "ingest_running": jobs.busy()}

    @app.get("/api/overview", tags=["api"], summary="Corpus coverage, active dyads, recent shifts",
             responses=ERRORS)  # fmt: skip
    def api_overview() -> Response:
        return JSONBytes(overview_data().json)

    @app.get("/api/country/{code}", tags=["api"], responses=ERRORS,
             summary="A country's alignment with each power, balance, shifts and partners")  # fmt: skip
    def api_country(code: str, view: ViewDep) -> Response:
        """The country report (`multivector.report.build_report`) for the filters in the URL:
        per-power alignment series with bootstrap intervals, multi-vector balance, tilts,
        shifts, top partners, and under ``points``/``events`` the events behind every point."""
        return JSONBytes(country_data(code, view).json)

    @app.get("/api/dyad/{a}/{b}", tags=["api"], responses=ERRORS,
             summary="The A-B series (counts, net cooperation, conflict share) with shifts")  # fmt: skip
    def api_dyad(a: str, b: str, view: ViewDep) -> Response:
        return JSONBytes(dyad_data(a, b, view).json)

    @app.get("/api/dyad/{a}/{b}/events", tags=["api"], responses=ERRORS,
             summary="The events behind one point of the A-B series (or all of them)")  # fmt: skip
    def api_dyad_events(
        a: str,
        b: str,
        view: ViewDep,
        period: str | None = Query(None, description="any day of the period, YYYY-MM-DD"),
        limit: int = Query(100, ge=1, le=d.MAX_LIST),
    ) -> Response:
        a, b = d.check_code(a), d.check_code(b)
        day = d.parse_day(period, "period")
        args = (a, b, view, day, limit)
        found = cached(
            "dyad_events", args, lambda con: d.dyad_events(con, a, b, view, day, limit=limit)
        )
        return JSONBytes(found.json)

    @app.get("/api/event/{event_id}", tags=["api"], responses=ERRORS,
             summary="One event with its evidence, participants, citations and reports")  # fmt: skip
    def api_event(event_id: str) -> Response:
        return JSONBytes(event_data(event_id).json)

    @app.get("/api/search", tags=["api"], responses=ERRORS,
             summary="Search events by evidence text, trigger, title or participant")  # fmt: skip
    def api_search(
        q: str = Query("", max_length=d.MAX_QUERY_CHARS, description="text to find"),
        country: str | None = Query(None, description="only events with this participant"),
        type: str | None = Query(None, description="only this PLOVER event type"),
        limit: int = Query(50, ge=1, le=d.MAX_LIST),
        offset: int = Query(0, ge=0, le=1_000_000),
    ) -> Response:
        return JSONBytes(search_data(q, country, type, limit, offset).json)

    ingest_body = {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                                      "description": ".txt, .html/.htm or .jsonl files"},
                            "text": {"type": "string", "description": "pasted article text"},
                            "title": {"type": "string"},
                            "published": {"type": "string", "format": "date"},
                            "source": {"type": "string"},
                            "url": {"type": "string"},
                        },
                    }
                }
            },
        }
    }  # fmt: skip

    @app.post("/api/ingest", tags=["api"], status_code=202, openapi_extra=ingest_body,
              summary="Upload files or paste text; they are coded by a background job",
              responses={**ERRORS, 413: {"model": ErrorResponse, "description": "Too large"},
                         415: {"model": ErrorResponse, "description": "Unsupported file type"},
                         429: {"model": ErrorResponse, "description": "Queue full"}})  # fmt: skip
    async def api_ingest(request: Request) -> JSONResponse:
        """Returns the job (202); poll ``/api/ingest/{job_id}`` for its progress. At most
        ``max_upload_bytes`` per request, in files and text together."""
        # Cross-site request forgery: a page elsewhere may post a form here, never read back.
        origin = request.headers.get("origin")
        if request.headers.get("sec-fetch-site") == "cross-site" or (
            origin is not None and urlsplit(origin).netloc != request.headers.get("host")
        ):
            raise StarletteHTTPException(403, "cross-origin uploads are refused")
        ctype = request.headers.get("content-type", "")
        if not ctype.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            raise StarletteHTTPException(415, "send multipart/form-data (files, text)")
        try:
            form = await request.form(max_files=100, max_fields=50, max_part_size=max_upload_bytes)
        except StarletteHTTPException as exc:
            if "maximum size" in str(exc.detail):
                raise PayloadTooLarge(max_upload_bytes) from None
            raise
        try:
            uploads: list[Upload] = []
            total = 0
            for item in form.getlist("files"):
                if not isinstance(item, UploadFile) or not item.filename:
                    continue
                suffix_of(item.filename)  # type check before reading
                content = await item.read(max_upload_bytes + 1)
                total += len(content)
                if total > max_upload_bytes:
                    raise PayloadTooLarge(max_upload_bytes)
                uploads.append(Upload(item.filename, content))
            fields = {k: form.get(k) for k in ("text", "title", "published", "source", "url")}
            values = {k: v if isinstance(v, str) else "" for k, v in fields.items()}
            total += len(values["text"].encode("utf-8"))
            if total > max_upload_bytes:
                raise PayloadTooLarge(max_upload_bytes)
        finally:
            await form.close()
        published = d.parse_day(values["published"], "published")
        if not uploads and not values["text"].strip():
            raise InputError("nothing to ingest: upload a file or paste some text")
        docs: list[Document] = []
        problems: list[str] = []
        if uploads:
            docs, problems = await run_in_threadpool(
                read_uploads, uploads, published=published, source=values["source"][:200],
                max_bytes=max_upload_bytes,
            )  # fmt: skip
        if values["text"].strip():
            docs.append(
                pasted_document(
                    values["text"],
                    title=values["title"],
                    published=published,
                    source=values["source"],
                    url=values["url"],
                )  # fmt: skip
            )
        label = ", ".join(u.filename[:60] for u in uploads) or (values["title"] or "pasted text")
        job = jobs.submit(docs, problems, label)
        return JSONResponse(job.to_dict(), status_code=202,
                            headers={"Location": f"/api/ingest/{job.id}"})  # fmt: skip

    @app.get("/api/ingest", tags=["api"], summary="Recent ingest jobs, newest first")
    def api_jobs() -> dict[str, Any]:
        return {"jobs": [j.to_dict() for j in jobs.list()],
                "max_upload_bytes": max_upload_bytes}  # fmt: skip

    @app.get("/api/ingest/{job_id}", tags=["api"], responses=ERRORS,
             summary="An ingest job's state and progress")  # fmt: skip
    def api_job(job_id: str) -> dict[str, Any]:
        if not d.JOB_ID_RE.match(job_id):
            raise ConfigError(f"bad job id {job_id[:40]!r}")
        job = jobs.get(job_id)
        if job is None:
            raise StarletteHTTPException(404, f"no job {job_id}")
        return job.to_dict()

    # -- pages -------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def page_overview(request: Request) -> HTMLResponse:
        return page("overview.html", request, overview_data(), title="Overview",
                    api="/api/overview")  # fmt: skip

    @app.get("/country", include_in_schema=False)
    def page_country_form(code: str = Query(..., max_length=20)) -> RedirectResponse:
        return RedirectResponse(f"/country/{quote(d.check_code(code), safe='')}", status_code=303)

    @app.get("/country/{code}", include_in_schema=False)
    def page_country(request: Request, code: str, view: ViewDep) -> HTMLResponse:
        found = country_data(code, view)
        country = found.data["country"]
        api = f"/api/country/{quote(country, safe='')}?{urlencode(view.query())}"
        return page("country.html", request, found, title=f"{country} relations", api=api)

    @app.get("/dyad/{a}/{b}", include_in_schema=False)
    def page_dyad(request: Request, a: str, b: str, view: ViewDep) -> HTMLResponse:
        found = dyad_data(a, b, view)
        s = found.data["series"]
        api = (
            f"/api/dyad/{quote(s['a'], safe='')}/{quote(s['b'], safe='')}?{urlencode(view.query())}"
        )
        return page("dyad.html", request, found, title=f"{s['a']}–{s['b']}", api=api)

    @app.get("/event/{event_id}", include_in_schema=False)
    def page_event(request: Request, event_id: str) -> HTMLResponse:
        found = event_data(event_id)
        e = found.data
        return page("event.html", request, found, title=f"{e['event_type']} event",
                    api=f"/api/event/{quote(e['event_id'], safe='')}")  # fmt: skip

    @app.get("/search", include_in_schema=False)
    def page_search(
        request: Request,
        q: str = Query("", max_length=d.MAX_QUERY_CHARS),
        country: str | None = Query(None, max_length=20),
        type: str | None = Query(None, max_length=20),
        offset: int = Query(0, ge=0, le=1_000_000),
    ) -> HTMLResponse:
        data = search_data(q, country or None, type or None, 50, offset)
        params = {"q": q, "country": country or "", "type": type or ""}
        return page("search.html", request, data, title="Search", params=params,
                    api=f"/api/search?{urlencode({k: v for k, v in params.items() if v})}")  # fmt: skip

    @app.get("/ingest", include_in_schema=False)
    def page_ingest(request: Request) -> HTMLResponse:
        data = {"jobs": [j.to_dict() for j in jobs.list()], "max_upload_bytes": max_upload_bytes}
        return page("ingest.html", request, Rendered(data), title="Ingest", api="/api/ingest")

    return app
