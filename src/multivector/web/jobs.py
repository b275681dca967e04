"""Ingest jobs for the dashboard: uploads and pasted text coded in the background.

Uploaded bytes are read into documents inside the request (so a bad file is refused at once)
by the library's own `multivector.ingest.Reader`, from a private temporary folder whose file
names are generated here: the client's file name only contributes a sanitised stem (the
document id). One worker thread then codes the queued jobs in turn with one coder, built by
``coder_factory`` the first time it is needed (the real `multivector.pipeline.Coder` loads a
spaCy model: seconds), and writes them through `Store.ingest`, which commits one short
transaction per batch, so the dashboard keeps reading while a job writes.
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import re
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from multivector.errors import ConfigError, InputError, MultivectorError
from multivector.ingest import IngestReport, Reader
from multivector.records import Document
from multivector.store import CoderLike, IngestProgress, Store

#: File types an upload may have (by extension; the content is checked when read).
UPLOAD_SUFFIXES: dict[str, str] = {
    ".txt": ".txt",
    ".html": ".html",
    ".htm": ".html",
    ".jsonl": ".jsonl",
}
MAX_JOBS_KEPT = 100
MAX_QUEUED = 8
BATCH_SIZE = 32

CoderFactory = Callable[[], CoderLike]
LOG = logging.getLogger(__name__)


def default_coder_factory() -> CoderLike:
    """The real coder (spaCy model, actor knowledge base, lexicon)."""
    from multivector.pipeline import Coder

    return Coder()


class UploadTypeError(MultivectorError):
    """An uploaded file of a type the dashboard does not read (-> 415)."""

    code = "E101"


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file: the name the client gave (never used as a path) and its bytes."""

    filename: str
    data: bytes


def _stem(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_")[:80]
    return stem or "upload"


def suffix_of(filename: str) -> str:
    """The normalised suffix of an allowed upload, else UploadTypeError."""
    name = filename.lower().rsplit("/", 1)[-1]
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if suffix not in UPLOAD_SUFFIXES:
        allowed = ", ".join(sorted(set(UPLOAD_SUFFIXES)))
        raise UploadTypeError(f"{filename[:80]!r}: unsupported file type; upload {allowed}")
    return UPLOAD_SUFFIXES[suffix]


def read_uploads(
    uploads: Sequence[Upload],
    *,
    published: date | None = None,
    source: str = "",
    max_bytes: int,
) -> tuple[list[Document], list[str]]:
    """Documents of the uploaded files and the problems of skipped JSON Lines records.

    Raises UploadTypeError for a file type we do not read and InputError for a file that
    cannot be read (binary, not UTF-8, empty, an HTML page without text).
    """
    names: list[str] = []
    used: set[str] = set()
    for up in uploads:
        suffix = suffix_of(up.filename)
        stem, n = _stem(up.filename), 1
        candidate = stem
        while candidate in used:
            n += 1
            candidate = f"{stem}~{n}"
        used.add(candidate)
        names.append(candidate + suffix)
    report = IngestReport()
    reader = Reader(published=published, max_bytes=max_bytes, report=report)
    docs: list[Document] = []
    with tempfile.TemporaryDirectory(prefix="multivector-upload-") as tmp:
        folder = Path(tmp)
        paths = []
        for name, up in zip(names, uploads, strict=True):
            path = folder / name  # a generated name inside our own folder
            path.write_bytes(up.data)
            paths.append(path)
        origins = {
            str(p): f"upload:{up.filename[:200]}" for p, up in zip(paths, uploads, strict=True)
        }
        try:
            for doc in reader.read(paths):
                where = doc.origin.rsplit(":", 1)
                origin = origins.get(where[0], origins.get(doc.origin, "upload"))
                if len(where) == 2 and where[0] in origins:
                    origin = f"{origin}:{where[1]}"
                docs.append(dataclasses.replace(doc, origin=origin, source=doc.source or source))
        except ImportError as exc:  # HTML extraction needs trafilatura
            raise InputError(f"HTML uploads cannot be read here: {exc}") from None
        except InputError as exc:
            # Messages name our temporary path; name the client's file instead.
            message = str(exc)
            for p, label in origins.items():
                message = message.replace(p, label.removeprefix("upload:"))
            raise InputError(message) from None
    problems = [f"{origins.get(p.path, p.path)}:{p.line}: {p.message}" for p in report.problems]
    return docs, problems


def pasted_document(
    text: str, *, title: str = "", published: date | None = None, source: str = "", url: str = ""
) -> Document:
    """A pasted text as a document; its id is derived from its content."""
    body = text.replace("\r\n", "\n").strip()
    if not body:
        raise InputError("the pasted text is empty")
    doc = Document(id="", text=body, published=published, title=title.strip()[:500],
                   url=url.strip()[:2000], source=source.strip()[:200] or "pasted",
                   origin="paste")  # fmt: skip
    return dataclasses.replace(doc, id=f"paste-{doc.content_hash[:12]}")


@dataclass
class Job:
    """One ingest job's state; `to_dict()` is what the status endpoint returns."""

    id: str
    label: str
    documents: list[Document] = field(repr=False)
    problems: list[str]
    state: str = "queued"  # queued -> loading_coder -> coding -> done | failed
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    seen: int = 0
    coded: int = 0
    skipped: int = 0
    failed: int = 0
    events: int = 0
    run_id: str | None = None
    error: str | None = None
    failures: list[dict[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.documents)

    def to_dict(self) -> dict[str, Any]:
        total = self.total
        done = self.state in ("done", "failed")
        return {
            "job_id": self.id,
            "label": self.label,
            "state": self.state,
            "total": total,
            "seen": self.seen,
            "coded": self.coded,
            "skipped": self.skipped,
            "failed": self.failed,
            "events": self.events,
            "progress": 1.0 if done else (self.seen / total if total else 0.0),
            "elapsed": round((self.finished or time.time()) - (self.started or self.created), 3),
            "run_id": self.run_id,
            "error": self.error,
            "failures": self.failures[:50],
            "problems": self.problems[:50],
            "doc_ids": [d.id for d in self.documents[:50]],
        }


class JobManager:
    """Queues ingest jobs and runs them one at a time on a worker thread."""

    def __init__(
        self,
        store_path: Path,
        coder_factory: CoderFactory,
        *,
        lock_timeout: float = 600.0,
        batch_size: int = BATCH_SIZE,
        hold: Callable[..., AbstractContextManager[None]] | None = None,
    ) -> None:
        self.hold = hold or (lambda **kw: nullcontext())
        self.store_path = store_path
        self.coder_factory = coder_factory
        self.lock_timeout = lock_timeout
        self.batch_size = batch_size
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._coder: CoderLike | None = None
        self._coder_lock = threading.Lock()
        self._stopping = False

    # -- public
    def submit(self, documents: list[Document], problems: list[str], label: str) -> Job:
        if not documents:
            raise InputError("nothing to ingest: no document could be read")
        with self._lock:
            if self._stopping:
                raise ConfigError("the server is shutting down")
            waiting = sum(1 for j in self._jobs.values() if j.state in ("queued", "loading_coder"))
            if waiting >= MAX_QUEUED:
                raise TooManyJobs(f"{waiting} ingest jobs are already waiting; try again later")
            job = Job(
                id=uuid.uuid4().hex, label=label[:200], documents=documents, problems=problems
            )
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS_KEPT:
                oldest = next(iter(self._jobs))
                if self._jobs[oldest].state not in ("done", "failed"):
                    break
                del self._jobs[oldest]
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(
                    target=self._run, name="multivector-ingest", daemon=True
                )
                self._worker.start()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def list(self) -> list[Job]:
        with self._lock:
            return list(reversed(self._jobs.values()))

    def busy(self) -> bool:
        with self._lock:
            return any(j.state not in ("done", "failed") for j in self._jobs.values())

    def shutdown(self, timeout: float = 5.0) -> None:
        with self._lock:
            self._stopping = True
            worker = self._worker
        self._queue.put(None)
        if worker is not None:
            worker.join(timeout)

    # -- worker
    def coder(self) -> CoderLike:
        with self._coder_lock:
            if self._coder is None:
                self._coder = self.coder_factory()
            return self._coder

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                with self.hold(lock_timeout=self.lock_timeout):
                    self._ingest(job)
            except Exception as exc:  # noqa: BLE001 -- a job's failure must not kill the worker
                job.state = "failed"
                job.error = (
                    str(exc)
                    if isinstance(exc, MultivectorError)
                    else f"{type(exc).__name__}: {exc}"
                )
                LOG.exception("ingest job %s failed", job.id)
            finally:
                job.finished = time.time()

    def _ingest(self, job: Job) -> None:
        job.started = time.time()
        job.state = "loading_coder"
        coder = self.coder()
        job.state = "coding"

        def progress(p: IngestProgress) -> None:
            job.seen, job.coded, job.skipped = p.seen, p.coded, p.skipped
            job.failed, job.events = p.failed, p.events

        store = Store.open(self.store_path, lock_timeout=self.lock_timeout)
        result = store.ingest(
            job.documents, coder, batch_size=self.batch_size, progress=progress,
            total=job.total, config={"via": "web", "job": job.id},
        )  # fmt: skip
        job.run_id = result.run_id
        job.seen, job.coded, job.skipped = result.seen, result.coded, result.skipped
        job.failed, job.events = result.failed, result.events
        job.failures = [
            {"doc_id": f.doc_id, "origin": f.origin, "error": f.error} for f in result.failures
        ]
        job.state = "done"


class TooManyJobs(MultivectorError):
    """The ingest queue is full (-> 429)."""

    code = "E102"
