"""One error tree for the whole library.

    MultivectorError              root: the CLI prints one line and exits 1
    ├── InputError                a document or data file that cannot be read (names file, line)
    ├── ActorDataError            the actor knowledge base or a user's actor file is invalid
    ├── ConfigError               a bad option, configuration file or argument value
    ├── StoreError                the event store cannot be opened or written
    └── ImportRowError            a row of an external dataset that cannot be mapped

Every message says what went wrong and, where it can, how to fix it.
"""

from __future__ import annotations


class MultivectorError(Exception):
    """Root of all errors raised on purpose by multivector."""

    code = "E000"


class InputError(MultivectorError):
    """An input document or file cannot be read."""

    code = "E100"

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")
        self.path = path
        self.line = line


class ActorDataError(MultivectorError):
    """The actor knowledge base, or a user's actor file, is malformed or contradictory."""

    code = "E200"


class ConfigError(MultivectorError):
    """A configuration value or command-line argument is invalid."""

    code = "E300"


class StoreError(MultivectorError):
    """The event store cannot be opened, read or written."""

    code = "E400"


class ImportRowError(MultivectorError):
    """A row of an external event dataset (GDELT, ICEWS, POLECAT) cannot be mapped."""

    code = "E500"
