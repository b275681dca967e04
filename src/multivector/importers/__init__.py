"""Importers of machine-coded event datasets: GDELT 2.0, ICEWS and POLECAT.

Each dataset module offers ``iter_events(paths, report, *, strict=False) -> Iterator[Event]``,
streaming the files line by line (zip members and gzip decompressed on the fly) in bounded
memory. Rows that cannot be imported are counted in the `ImportReport` with file, line and
reason; ``strict`` makes malformed ones raise `multivector.errors.ImportRowError`.

>>> report = ImportReport()                                  # doctest: +SKIP
>>> for event in iter_dataset("gdelt", ["20240101000000.export.CSV.zip"], report):
...     ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from multivector.errors import ConfigError
from multivector.importers import gdelt, icews, polecat
from multivector.importers.base import IMPORTER_VERSION, ImportReport, PathLike, SkippedRow
from multivector.records import Event

#: Dataset name -> its module's ``iter_events``.
DATASETS = {"gdelt": gdelt.iter_events, "icews": icews.iter_events, "polecat": polecat.iter_events}


def iter_dataset(
    dataset: str, paths: Iterable[PathLike], report: ImportReport, *, strict: bool = False
) -> Iterator[Event]:
    """The events of ``paths`` read as ``dataset`` ("gdelt", "icews" or "polecat")."""
    try:
        reader = DATASETS[dataset]
    except KeyError:
        raise ConfigError(
            f"unknown dataset {dataset!r}; choose one of {', '.join(DATASETS)}"
        ) from None
    return reader(paths, report, strict=strict)


__all__ = ["DATASETS", "IMPORTER_VERSION", "ImportReport", "SkippedRow", "iter_dataset"]
