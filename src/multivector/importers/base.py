"""What every importer shares: the import report, skip reasons and a streaming line reader.

Rows that cannot be imported are never dropped silently: each is counted in an `ImportReport`
under a reason kind, with (file, line, reason) kept for the first `MAX_KEPT` of them. Two
families of kinds:

- *malformed* rows, which cannot be read (wrong column count, bad date or id, unknown code,
  a damaged zip member): with ``strict=True`` the first one raises `ImportRowError`;
- *unmapped* rows, which read fine but have no multivector equivalent (CAMEO 01x statements
  have no PLOVER type; neither side has a codable actor): always counted, never fatal.
"""

from __future__ import annotations

import gzip
import io
import os
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, cast

from multivector.errors import ImportRowError, InputError

#: Bumped whenever an importer's mapping changes; part of every imported event's `coder`.
IMPORTER_VERSION = "0.1.0"

#: How many skipped rows keep their (file, line, reason); all of them are counted.
MAX_KEPT = 1000

# Reason kinds. Malformed: the row cannot be read.
COLUMN_COUNT = "wrong column count"
BAD_DATE = "bad date"
BAD_ID = "bad row id"
BAD_VALUE = "bad value"
UNKNOWN_CAMEO = "unknown CAMEO code"
UNKNOWN_PLOVER = "unknown PLOVER type"
BAD_ZIP = "bad zip member"
BAD_GZIP = "bad gzip data"
BAD_HEADER = "bad header"
# Unmapped: the row reads but has no multivector equivalent.
NO_PLOVER_TYPE = "no PLOVER type"
NO_ACTOR = "no codable actor"

MALFORMED_KINDS = frozenset(
    {
        COLUMN_COUNT,
        BAD_DATE,
        BAD_ID,
        BAD_VALUE,
        UNKNOWN_CAMEO,
        UNKNOWN_PLOVER,
        BAD_ZIP,
        BAD_GZIP,
        BAD_HEADER,
    }
)
UNMAPPED_KINDS = frozenset({NO_PLOVER_TYPE, NO_ACTOR})


def coder_for(dataset: str) -> str:
    """The `coder` of an imported event, e.g. ``gdelt-import/0.1.0``."""
    return f"{dataset}-import/{IMPORTER_VERSION}"


class RowSkip(Exception):
    """Raised by a row parser: this row is skipped for `kind` (``detail`` says why)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind if not detail else f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """One skipped row: where it is and why."""

    file: str
    line: int
    kind: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass(slots=True)
class ImportReport:
    """Counts of one import (accumulated by the importers while they stream)."""

    dataset: str = ""
    files: int = 0
    rows_read: int = 0
    events: int = 0
    skipped: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    kept: list[SkippedRow] = field(default_factory=list)
    max_kept: int = MAX_KEPT

    @property
    def malformed(self) -> int:
        """Rows that could not be read (the ones ``strict`` makes fatal)."""
        return sum(n for kind, n in self.by_kind.items() if kind in MALFORMED_KINDS)

    @property
    def unmapped(self) -> int:
        """Rows read fine but without a multivector equivalent."""
        return sum(n for kind, n in self.by_kind.items() if kind in UNMAPPED_KINDS)

    def skip(
        self, file: str, line: int, kind: str, detail: str = "", *, strict: bool = False
    ) -> None:
        """Count a skipped row; with ``strict``, a malformed one raises `ImportRowError`."""
        reason = kind if not detail else f"{kind}: {detail}"
        if strict and kind in MALFORMED_KINDS:
            raise ImportRowError(f"{file}:{line}: {reason} (drop --strict to skip such rows)")
        self.skipped += 1
        self.by_kind[kind] += 1
        if len(self.kept) < self.max_kept:
            self.kept.append(SkippedRow(file, line, kind, reason))

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "files": self.files,
            "rows_read": self.rows_read,
            "events": self.events,
            "skipped": self.skipped,
            "malformed": self.malformed,
            "unmapped": self.unmapped,
            "by_kind": dict(sorted(self.by_kind.items())),
            "first_skipped": [str(s) for s in self.kept],
        }

    def summary(self, examples: int = 5) -> list[str]:
        """Human-readable lines (the CLI prints them; the library does not)."""
        lines = [
            f"{self.dataset or 'import'}: {self.files} file(s), {self.rows_read} rows read, "
            f"{self.events} events, {self.skipped} rows skipped "
            f"({self.malformed} malformed, {self.unmapped} unmapped)"
        ]
        for kind, n in sorted(self.by_kind.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {n:>10}  {kind}")
            shown = [s for s in self.kept if s.kind == kind][:examples]
            lines.extend(f"              {s}" for s in shown)
        return lines


# -- reading -----------------------------------------------------------------------------------

PathLike = str | os.PathLike[str]


def _text(raw: IO[bytes] | io.BufferedIOBase) -> io.TextIOWrapper:
    buffered = cast(IO[bytes], raw)
    return io.TextIOWrapper(buffered, encoding="utf-8", errors="replace", newline="")


def iter_lines(
    paths: Iterable[PathLike], report: ImportReport, *, strict: bool = False
) -> Iterator[tuple[str, int, str]]:
    """Yield ``(source, line number, line)`` for every non-blank line, streaming.

    ``.zip`` files are read member by member without extracting them (source
    ``archive.zip!member``); ``.gz`` files are decompressed on the fly; anything else is read
    as UTF-8 text (undecodable bytes become U+FFFD). A damaged zip archive or member, or
    gzip stream, is counted as a ``bad zip member`` / ``bad gzip data`` skip at the line where
    reading failed (checksums are verified as data is read, so earlier lines of a damaged
    member have been yielded by then), and reading goes on with the next member or file.
    A missing or unreadable file raises `InputError`.
    """
    for path in paths:
        name = os.fspath(path)
        report.files += 1
        lower = name.lower()
        try:
            if lower.endswith(".zip"):
                yield from _zip_lines(name, report, strict)
            elif lower.endswith(".gz"):
                with gzip.open(name, "rb") as raw:
                    yield from _stream(name, _text(raw), report, strict, BAD_GZIP)
            else:
                with open(name, "rb") as raw:
                    yield from _stream(name, _text(raw), report, strict, "")
        except FileNotFoundError as exc:
            raise InputError("no such file", path=name) from exc
        except IsADirectoryError as exc:
            raise InputError("is a directory; give the data files themselves", path=name) from exc
        except PermissionError as exc:
            raise InputError("permission denied", path=name) from exc


def _stream(
    name: str, fh: io.TextIOWrapper, report: ImportReport, strict: bool, damaged: str
) -> Iterator[tuple[str, int, str]]:
    """Lines of ``fh``; a compressed stream that breaks off is reported as ``damaged``."""
    lineno = 0
    try:
        for lineno, line in enumerate(fh, 1):  # noqa: B007 -- lineno is used after the loop
            line = line.rstrip("\r\n")
            if line.strip():
                yield name, lineno, line
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        if not damaged:
            raise InputError(f"cannot be read after line {lineno}: {exc}", path=name) from exc
        report.skip(name, lineno + 1, damaged, f"cannot read on: {exc}", strict=strict)


def _zip_lines(name: str, report: ImportReport, strict: bool) -> Iterator[tuple[str, int, str]]:
    try:
        archive = zipfile.ZipFile(name)
    except (zipfile.BadZipFile, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        report.skip(name, 0, BAD_ZIP, f"not a readable zip archive ({exc})", strict=strict)
        return
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            member = f"{name}!{info.filename}"
            try:
                raw = archive.open(info)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as exc:
                report.skip(member, 0, BAD_ZIP, f"cannot open member ({exc})", strict=strict)
                continue
            with raw:
                yield from _stream(member, _text(raw), report, strict, BAD_ZIP)
