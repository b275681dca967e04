"""Documents from the web: article pages and RSS/Atom feeds.

`WebReader.documents(urls)` fetches each URL; a feed (RSS 2.0, RSS 1.0/RDF or Atom) expands
into its items' article pages, a page becomes one `Document` with its text and metadata
extracted by trafilatura. Fetching is polite: robots.txt is obeyed, a timeout per request, retries with exponential
backoff on network errors, timeouts, HTTP 429 and 5xx (never on other 4xx), a minimum delay
between requests to one host, and a size cap. Nothing raises on a bad URL: each failure is
recorded in `WebReader.failures` (URL, reason, attempts) for the caller to report. Feed items
whose URL the caller already has (``skip_urls``) are not fetched again, so re-reading a feed
yields only its new items.
"""

from __future__ import annotations

import hashlib
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from multivector import __version__
from multivector.records import Document

SkipUrls = Callable[[Iterable[str]], set[str]]


def is_url(value: str) -> bool:
    """True for http(s) URLs (what `ingest` fetches rather than reads from disk)."""
    return urllib.parse.urlsplit(value).scheme in ("http", "https")


def url_doc_id(url: str) -> str:
    """A stable document id for a web page."""
    return "web-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class FetchConfig:
    timeout: float = 10.0  # seconds per request
    retries: int = 2  # further attempts after the first
    backoff: float = 0.5  # first retry waits this long, then doubles
    host_delay: float = 0.2  # minimum seconds between two requests to one host
    max_bytes: int = 10_000_000
    respect_robots: bool = True  # skip URLs that the site's robots.txt disallows to us
    user_agent: str = f"multivector/{__version__} (news event coder)"


@dataclass(frozen=True, slots=True)
class FetchFailure:
    url: str
    error: str
    attempts: int


@dataclass(frozen=True, slots=True)
class FeedItem:
    url: str
    title: str = ""
    published: date | None = None


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes


class FetchError(Exception):
    """Internal: a URL that could not be fetched (becomes a FetchFailure)."""

    def __init__(self, message: str, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, urllib.error.HTTPError):
        return exc.code == 429 or exc.code >= 500
    return isinstance(exc, (urllib.error.URLError, TimeoutError, ConnectionError, OSError))


def _describe(exc: Exception) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return f"network error: {exc.reason}"
    if isinstance(exc, TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}"


# -- feeds ------------------------------------------------------------------------------------
def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(elem: ET.Element, name: str) -> str:
    for child in elem:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def _feed_date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date()  # RFC 822 (RSS)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()  # RFC 3339 (Atom)
    except ValueError:
        return None


def _atom_link(entry: ET.Element) -> str:
    fallback = ""
    for child in entry:
        if _local(child.tag) != "link":
            continue
        href = child.get("href", "")
        if child.get("rel", "alternate") == "alternate" and href:
            return href
        fallback = fallback or href
    return fallback


def parse_feed(data: bytes, base_url: str = "") -> list[FeedItem] | None:
    """The items of an RSS or Atom feed, or None when ``data`` is not a feed."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")):
        return None
    if b"<!entity" in data[:4096].lower():
        return None  # refuse entity definitions (expansion attacks); no real feed needs them
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return None
    kind = _local(root.tag)
    if kind not in ("rss", "feed", "RDF"):
        return None
    items: list[FeedItem] = []
    for elem in root.iter():
        name = _local(elem.tag)
        if kind == "feed" and name == "entry":
            link = _atom_link(elem)
            when = _child_text(elem, "published") or _child_text(elem, "updated")
        elif kind != "feed" and name == "item":
            link = _child_text(elem, "link") or elem.get(
                "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about", ""
            )
            if not link:
                guid = _child_text(elem, "guid")
                link = guid if is_url(guid) else ""
            when = _child_text(elem, "pubDate") or _child_text(elem, "date")
        else:
            continue
        if link:
            items.append(
                FeedItem(
                    url=urllib.parse.urljoin(base_url, link),
                    title=_child_text(elem, "title"),
                    published=_feed_date(when),
                )
            )
    return items


# -- pages ------------------------------------------------------------------------------------
def page_document(
    url: str,
    body: bytes,
    *,
    title: str = "",
    published: date | None = None,
    default_published: date | None = None,
    origin: str = "",
) -> Document | None:
    """The article in an HTML page as a Document, or None when no article text is found."""
    import trafilatura  # slow to import; only needed for web pages

    result = trafilatura.bare_extraction(body, url=url, with_metadata=True)
    extracted = result if result is None or isinstance(result, dict) else result.as_dict()
    if not isinstance(extracted, dict) or not (extracted.get("text") or "").strip():
        return None
    page_date = None
    if extracted.get("date"):
        try:
            page_date = date.fromisoformat(str(extracted["date"])[:10])
        except ValueError:
            page_date = None
    host = urllib.parse.urlsplit(url).hostname or ""
    return Document(
        id=url_doc_id(url),
        text=str(extracted["text"]).strip(),
        published=published or page_date or default_published,
        title=title or str(extracted.get("title") or ""),
        url=url,
        source=str(extracted.get("sitename") or host),
        origin=origin or url,
    )


@dataclass
class WebReader:
    """Fetches URLs and feeds into Documents, recording what failed."""

    config: FetchConfig = field(default_factory=FetchConfig)
    skip_urls: SkipUrls | None = None
    published: date | None = None  # when neither feed nor page gives a date
    failures: list[FetchFailure] = field(default_factory=list)
    skipped: int = 0  # feed items already known
    fetched: int = 0
    _last_request: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _sleep: Callable[[float], None] = time.sleep

    def allowed(self, url: str) -> bool:
        """Whether the site's robots.txt lets us fetch ``url`` (no robots.txt: yes)."""
        if not self.config.respect_robots:
            return True
        parts = urllib.parse.urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            parser: urllib.robotparser.RobotFileParser | None = None
            try:
                self._wait_for_host(url)
                body = self._get(origin + "/robots.txt").body
                parser = urllib.robotparser.RobotFileParser()
                parser.parse(body.decode("utf-8", "replace").splitlines())
            except Exception:  # noqa: BLE001 -- missing or unreadable robots.txt allows all
                parser = None
            self._robots[origin] = parser
        parser = self._robots[origin]
        return parser is None or parser.can_fetch(self.config.user_agent, url)

    def fetch(self, url: str) -> Fetched:
        """GET ``url`` with retries; FetchError when every attempt fails."""
        if not self.allowed(url):
            raise FetchError("disallowed by the site's robots.txt", 0)
        attempts = 0
        while True:
            attempts += 1
            self._wait_for_host(url)
            try:
                fetched = self._get(url)
                self.fetched += 1
                return fetched
            except FetchError:
                raise
            except Exception as exc:  # noqa: BLE001 -- every network failure is reported
                if attempts > self.config.retries or not _retryable(exc):
                    raise FetchError(_describe(exc), attempts) from exc
                self._sleep(self.config.backoff * 2 ** (attempts - 1))

    def _wait_for_host(self, url: str) -> None:
        host = urllib.parse.urlsplit(url).netloc
        last = self._last_request.get(host)
        if last is not None:
            wait = self.config.host_delay - (time.monotonic() - last)
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = time.monotonic()

    def _get(self, url: str) -> Fetched:
        request = urllib.request.Request(url, headers={"User-Agent": self.config.user_agent})
        with urllib.request.urlopen(request, timeout=self.config.timeout) as response:
            body = response.read(self.config.max_bytes + 1)
            if len(body) > self.config.max_bytes:
                raise FetchError(f"larger than {self.config.max_bytes} bytes", 1)
            return Fetched(
                url=response.geturl(),
                content_type=response.headers.get("Content-Type", ""),
                body=body,
            )

    def _fail(self, url: str, error: str, attempts: int = 1) -> None:
        self.failures.append(FetchFailure(url, error, attempts))

    def documents(self, urls: Iterable[str]) -> Iterator[Document]:
        """Documents for ``urls``: one per article page, one per new item of each feed."""
        for url in urls:
            try:
                fetched = self.fetch(url)
            except FetchError as exc:
                self._fail(url, str(exc), exc.attempts)
                continue
            items = parse_feed(fetched.body, fetched.url)
            if items is None:
                doc = page_document(url, fetched.body, default_published=self.published)
                if doc is None:
                    self._fail(url, "no article text found in the page")
                else:
                    yield doc
                continue
            yield from self._feed_documents(url, items)

    def _feed_documents(self, feed_url: str, items: list[FeedItem]) -> Iterator[Document]:
        known = self.skip_urls([i.url for i in items]) if self.skip_urls else set()
        for item in items:
            if item.url in known:
                self.skipped += 1
                continue
            try:
                fetched = self.fetch(item.url)
            except FetchError as exc:
                self._fail(item.url, str(exc), exc.attempts)
                continue
            doc = page_document(
                item.url, fetched.body, title=item.title, published=item.published,
                default_published=self.published, origin=feed_url,
            )  # fmt: skip
            if doc is None:
                self._fail(item.url, "no article text found in the page")
            else:
                yield doc
