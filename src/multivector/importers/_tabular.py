"""Header handling shared by the importers of tab-separated files with a header row."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date

from multivector.importers.base import (
    BAD_DATE,
    BAD_HEADER,
    ImportReport,
    PathLike,
    RowSkip,
    iter_lines,
)
from multivector.records import Event

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def header_key(name: str) -> str:
    """A column name reduced for matching: case, spaces, quotes and punctuation ignored."""
    return _NON_ALNUM.sub("", name.strip().strip('"').casefold())


def locate(
    header: list[str], aliases: Mapping[str, tuple[str, ...]], required: tuple[str, ...]
) -> dict[str, int]:
    """Column index of each field in ``aliases`` found in ``header`` (first alias that matches).

    RowSkip(bad header) when a ``required`` field is missing.
    """
    keys: dict[str, int] = {}
    for i, name in enumerate(header):
        keys.setdefault(header_key(name), i)
    found = {}
    for fld, names in aliases.items():
        for alias in names:
            if header_key(alias) in keys:
                found[fld] = keys[header_key(alias)]
                break
    missing = [f for f in required if f not in found]
    if missing:
        wanted = "; ".join(f"{f} (as {' / '.join(repr(a) for a in aliases[f])})" for f in missing)
        raise RowSkip(BAD_HEADER, f"no column for {wanted}")
    return found


def fit_width(fields: list[str], width: int) -> list[str] | None:
    """``fields`` cut to ``width`` when the extra ones are empty (trailing tabs), else None
    when the count does not match."""
    if len(fields) > width and not any(f.strip() for f in fields[width:]):
        return fields[:width]
    return fields if len(fields) == width else None


def iso_date(value: str, what: str) -> str:
    """``YYYY-MM-DD`` (optionally followed by a time) or ``YYYYMMDD`` -> ISO date."""
    v = value.strip().strip('"')
    head = v[:10]
    try:
        if len(v) == 8 and v.isdigit():
            return date(int(v[:4]), int(v[4:6]), int(v[6:])).isoformat()
        if len(head) == 10 and (len(v) == 10 or v[10] in " T"):
            return date.fromisoformat(head).isoformat()
    except ValueError:
        pass
    raise RowSkip(BAD_DATE, f"{what} {value!r} is not a date (YYYY-MM-DD)")


def iter_rows(
    paths: Iterable[PathLike],
    report: ImportReport,
    *,
    strict: bool,
    aliases: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
) -> Iterator[tuple[str, int, list[str], dict[str, int], int]]:
    """Yield ``(source, line, fields, columns, width)`` for each data row of headed TSV files.

    The first non-blank line of each file (or zip member) is its header; trailing empty header
    cells (trailing tabs) do not count in ``width``. A header that lacks a required column is
    reported (``bad header``) and that file's rows are not read (nor counted as rows read).
    """
    cols: dict[str, int] | None = None
    width, current, last = 0, "", 0
    for source, line, text in iter_lines(paths, report, strict=strict):
        fields = text.split("\t")
        new_file = source != current or line <= last
        current, last = source, line
        if new_file:
            while fields and not fields[-1].strip():
                fields.pop()
            try:
                cols, width = locate(fields, aliases, required), len(fields)
            except RowSkip as skip:
                cols = None
                report.skip(source, line, skip.kind, skip.detail, strict=strict)
            continue
        if cols is not None:
            report.rows_read += 1
            yield source, line, fields, cols, width


def iter_table_events(
    paths: Iterable[PathLike],
    report: ImportReport,
    *,
    strict: bool,
    dataset: str,
    aliases: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
    make_event: Callable[[list[str], dict[str, int], int], Event],
) -> Iterator[Event]:
    """Events of headed TSV files, one per row `make_event` accepts; a row it rejects with
    `RowSkip` is counted in `report` (and raises under `strict`)."""
    report.dataset = report.dataset or dataset
    for source, line, fields, cols, width in iter_rows(paths, report, strict=strict, aliases=aliases, required=required):
        try:
            event = make_event(fields, cols, width)
        except RowSkip as skip:
            report.skip(source, line, skip.kind, skip.detail, strict=strict)
            continue
        report.events += 1
        yield event
