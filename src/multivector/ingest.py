"""Read documents from plain text, HTML and JSON Lines files, folders of them, or stdin.

    Reader(...).read(paths)  ->  Iterator[Document]        reader.report holds the problems
    read_documents(paths, ...) -> Iterator[Document]       the same as one call

Formats, by extension: `.txt`/`.md` plain text; `.html`/`.htm` HTML (boilerplate stripped with
trafilatura; title, URL, site name and publication date from the page's metadata, such as
`<meta property="article:published_time">` or `<time datetime>`); `.jsonl`/`.ndjson` one document
a line (`id` and `text` required; `published`, `title`, `url`, `source` optional). Folders are
read recursively in sorted order, taking files with those extensions and skipping hidden files
and folders. `-` reads stdin, and a file of another extension is sniffed the same way: a first
non-blank character `{` means JSON Lines, `<` HTML, anything else plain text.

Ids: a JSON Lines document's `id`; a text or HTML file's stem, or, where two files of one run share
a stem, their paths (relative to the folder given, without the extension); stdin's text is `stdin`.

Publication dates: a document's own date (the record's `published`, the HTML metadata) wins; the
`published` argument (the CLI's `--published`) fills in only documents that have none.

Problems. A file that cannot be read as a whole (missing, empty, binary, not UTF-8, over
`max_bytes`, an HTML page with no text) always raises InputError. A bad line of a JSON Lines file
(malformed JSON, not an object, no `id`, a duplicate `id`, missing or empty `text`, a bad
`published`, a document over `max_document_bytes`) raises InputError when `strict`; otherwise the
line is skipped and recorded as a `Problem` in the reader's `IngestReport` and passed to
`on_problem`. With neither a report the caller reads nor a callback, `read_documents` warns with
`IngestWarning` so that no skipped line goes unnoticed.
"""

from __future__ import annotations

import codecs
import json
import sys
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from multivector.errors import ConfigError, InputError
from multivector.records import Document

__all__ = [
    "DEFAULT_MAX_DOCUMENT_BYTES",
    "DEFAULT_MAX_FILE_BYTES",
    "IngestReport",
    "IngestWarning",
    "Problem",
    "Reader",
    "decode_bytes",
    "parse_published",
    "read_documents",
]

DEFAULT_MAX_FILE_BYTES = 20_000_000
DEFAULT_MAX_DOCUMENT_BYTES = 5_000_000

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
STDIN = "-"


class IngestWarning(UserWarning):
    """Lines were skipped and the caller asked for neither a report nor a callback."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A skipped JSON Lines record: where it was and what was wrong with it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(slots=True)
class IngestReport:
    """What a run read and what it skipped (mutable: filled while reading)."""

    files: int = 0
    documents: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.problems)

    def by_file(self) -> dict[str, list[Problem]]:
        out: dict[str, list[Problem]] = {}
        for p in self.problems:
            out.setdefault(p.path, []).append(p)
        return out

    def summary(self) -> list[str]:
        """One line per file with skipped lines: "skipped N malformed lines in FILE (first: ...)"."""
        lines = []
        for path, probs in self.by_file().items():
            n = len(probs)
            first = probs[0]
            noun = "line" if n == 1 else "lines"
            lines.append(
                f"skipped {n} malformed {noun} in {path} "
                f"(first: line {first.line}: {first.message})"
            )
        return lines


# --- bytes to text ----------------------------------------------------------------------------

_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B} | {0x7F}


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    return f"{n / 1000:.1f} kB" if n >= 1000 else f"{n} bytes"


def decode_bytes(data: bytes, origin: str) -> str:
    """Decode a file's bytes as UTF-8 (with or without BOM) or BOM-marked UTF-16.

    Raises InputError naming `origin` for empty, binary or otherwise encoded content.
    """
    if not data.strip():
        raise InputError("empty file", path=origin)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"not UTF-16 text despite its byte-order mark (at offset {exc.start}); "
                "re-encode the file as UTF-8",
                path=origin,
            ) from exc
    else:
        if b"\x00" in data:
            raise InputError("binary file (it contains NUL bytes); expected text", path=origin)
        head = data[:8192]
        if sum(b in _CONTROL for b in head) > 0.3 * len(head):
            raise InputError("binary file (mostly non-text bytes); expected text", path=origin)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "re-encode the file as UTF-8",
                path=origin,
            ) from exc
    if "\x00" in text:
        raise InputError("binary file (it contains NUL characters); expected text", path=origin)
    if not text.strip():
        raise InputError("empty file", path=origin)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_published(value: Any) -> date | None:
    """An ISO date or datetime (string), a date, or None/"" -> date; ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO date string, got {type(value).__name__}")
    s = value.strip()
    try:
        return date.fromisoformat(s) if len(s) == 10 else datetime.fromisoformat(s).date()
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD) or datetime") from None


# --- formats ----------------------------------------------------------------------------------


def _sniff(text: str) -> str:
    first = text.lstrip()[:1]
    return "jsonl" if first == "{" else "html" if first == "<" else "text"


def _kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return None  # sniffed from the content


def _markdown_title(text: str) -> str:
    first = text.lstrip().split("\n", 1)[0]
    return first.lstrip("#").strip() if first.startswith("#") else ""


def _html_fields(html: str, origin: str) -> dict[str, Any]:
    import trafilatura  # slow to import: only when an HTML page comes

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        extracted = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        raise InputError("no article text found in the HTML page", path=origin)

    def meta(name: str) -> str:
        value = getattr(extracted, name, None)
        return value.strip() if isinstance(value, str) else ""

    try:
        published = parse_published(meta("date"))
    except ValueError:
        published = None
    return {
        "text": text.strip(),
        "title": meta("title"),
        "url": meta("url"),
        "source": meta("sitename"),
        "published": published,
    }


# --- the reader -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Source:
    path: Path | None  # None for stdin
    origin: str  # how messages name it
    relative: str  # path relative to the argument, without suffix (for ids)


class Reader:
    """Reads documents from paths; `report` collects what was read and what was skipped."""

    def __init__(
        self,
        *,
        published: date | str | None = None,
        strict: bool = False,
        max_bytes: int = DEFAULT_MAX_FILE_BYTES,
        max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
        on_problem: Callable[[Problem], None] | None = None,
        report: IngestReport | None = None,
    ) -> None:
        try:
            self.published = parse_published(published)
        except ValueError as exc:
            raise ConfigError(f"bad published date: {exc}") from None
        self.strict = strict
        self.max_bytes = max_bytes
        self.max_document_bytes = max_document_bytes
        self.on_problem = on_problem
        self.report = report if report is not None else IngestReport()
        self._ids: dict[str, str] = {}  # id -> where it was first seen

    def read(self, paths: str | Path | Iterable[str | Path]) -> Iterator[Document]:
        """Yield the documents of every path in order; see the module docstring for policy."""
        if isinstance(paths, str | Path):
            paths = [paths]
        sources: list[_Source] = []
        seen: set[Path | None] = set()
        for source in (s for p in paths for s in self._expand(p)):
            where = source.path.resolve() if source.path is not None else None
            if where not in seen or where is None:  # a file named twice is read once
                seen.add(where)
                sources.append(source)
        stems = Counter(
            Path(s.relative).name
            for s in sources
            if s.path is not None and s.path.suffix.lower() not in JSONL_SUFFIXES
        )
        for source in sources:
            yield from self._read_source(source, stems)

    # -- listing

    def _expand(self, arg: str | Path) -> list[_Source]:
        if str(arg) == STDIN:
            return [_Source(None, "<stdin>", "stdin")]
        path = Path(arg)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in KNOWN_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            return [
                _Source(p, str(p), p.relative_to(path).with_suffix("").as_posix()) for p in files
            ]
        if path.is_file():
            return [_Source(path, str(path), path.with_suffix("").as_posix())]
        if path.exists():
            raise InputError("not a regular file or folder", path=str(path))
        raise InputError("no such file or folder", path=str(path))

    # -- reading

    def _load(self, source: _Source) -> str:
        if source.path is None:
            stream = getattr(sys.stdin, "buffer", None)
            if stream is not None:
                data = stream.read(self.max_bytes + 1)
            else:  # a text stream without bytes underneath (e.g. replaced in tests)
                data = sys.stdin.read(self.max_bytes + 1).encode("utf-8")
            size = len(data)
        else:
            try:
                size = source.path.stat().st_size
                data = b"" if size > self.max_bytes else source.path.read_bytes()
            except OSError as exc:
                raise InputError(f"cannot read: {exc.strerror}", path=source.origin) from exc
        if size > self.max_bytes:
            over = "over" if source.path is None else f"{_size(size)}, over"
            raise InputError(
                f"file is {over} the {_size(self.max_bytes)} limit; split it or raise the limit "
                "(max_bytes)",
                path=source.origin,
            )
        return decode_bytes(data, source.origin)

    def _read_source(self, source: _Source, stems: Counter[str]) -> Iterator[Document]:
        text = self._load(source)
        kind = (_kind(source.path) if source.path is not None else None) or _sniff(text)
        self.report.files += 1
        if kind == "jsonl":
            for doc in self._read_jsonl(text, source.origin):
                self.report.documents += 1
                yield doc
            return
        size = len(text.encode("utf-8"))
        if size > self.max_document_bytes:
            raise InputError(
                f"document is {_size(size)}, over the {_size(self.max_document_bytes)} "
                "per-document limit (max_document_bytes)",
                path=source.origin,
            )
        fields: dict[str, Any]
        if kind == "html":
            fields = _html_fields(text, source.origin)
        else:
            title = _markdown_title(text) if source.origin.lower().endswith(".md") else ""
            fields = {"text": text.strip(), "title": title}
        stem = Path(source.relative).name
        doc_id = self._unique(stem if stems[stem] <= 1 else source.relative)
        self._ids[doc_id] = source.origin
        fields["published"] = fields.get("published") or self.published
        self.report.documents += 1
        yield Document(id=doc_id, origin=source.origin, **fields)

    def _unique(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self._ids:
            n += 1
            candidate = f"{base}~{n}"
        return candidate

    def _read_jsonl(self, text: str, origin: str) -> Iterator[Document]:
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                doc = self._record(line, origin, n)
            except _LineError as exc:
                self._problem(Problem(origin, n, str(exc)))
                continue
            self._ids[doc.id] = f"{origin}:{n}"
            yield doc

    def _record(self, line: str, origin: str, n: int) -> Document:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _LineError(f"malformed JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(obj, dict):
            raise _LineError(f"expected a JSON object, got {_json_type(obj)}")
        doc_id = obj.get("id")
        if isinstance(doc_id, int) and not isinstance(doc_id, bool):
            doc_id = str(doc_id)
        if not isinstance(doc_id, str) or not doc_id.strip():
            raise _LineError("missing 'id' (each line needs a non-empty string 'id')")
        if doc_id in self._ids:
            raise _LineError(f"duplicate id {doc_id!r} (first at {self._ids[doc_id]})")
        body = obj.get("text")
        if not isinstance(body, str) or not body.strip():
            raise _LineError("missing or empty 'text'")
        size = len(body.encode("utf-8"))
        if size > self.max_document_bytes:
            raise _LineError(
                f"document is {_size(size)}, over the {_size(self.max_document_bytes)} "
                "per-document limit (max_document_bytes)"
            )
        try:
            published = parse_published(obj.get("published"))
        except ValueError as exc:
            raise _LineError(f"bad 'published': {exc}") from None
        extra: dict[str, str] = {}
        for name in ("title", "url", "source"):
            value = obj.get(name)
            if value is not None and not isinstance(value, str):
                raise _LineError(f"{name!r} must be a string, got {_json_type(value)}")
            extra[name] = (value or "").strip()
        return Document(
            id=doc_id,
            text=body.replace("\r\n", "\n").strip(),
            published=published or self.published,
            origin=f"{origin}:{n}",
            **extra,
        )

    def _problem(self, problem: Problem) -> None:
        if self.strict:
            raise InputError(problem.message, path=problem.path, line=problem.line)
        self.report.problems.append(problem)
        if self.on_problem is not None:
            self.on_problem(problem)


class _LineError(Exception):
    """A JSON Lines record that cannot become a document (internal)."""


def _json_type(value: Any) -> str:
    names = {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def read_documents(
    paths: str | Path | Iterable[str | Path],
    *,
    published: date | str | None = None,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    on_problem: Callable[[Problem], None] | None = None,
    report: IngestReport | None = None,
) -> Iterator[Document]:
    """Yield the documents of `paths` (files, folders, `-` for stdin), as `Reader.read` does.

    `published` fills in the date of documents that carry none. Skipped lines (non-strict) go
    to `report` and `on_problem`; with neither given, each one warns with `IngestWarning`.
    """

    def warn(problem: Problem) -> None:
        warnings.warn(f"skipped {problem}", IngestWarning, stacklevel=3)

    reader = Reader(
        published=published,
        strict=strict,
        max_bytes=max_bytes,
        max_document_bytes=max_document_bytes,
        on_problem=on_problem if on_problem or report is not None else warn,
        report=report,
    )
    yield from reader.read(paths)
