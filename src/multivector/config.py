"""Settings from a configuration file: `multivector.toml` in the working folder, or the file
named by `MULTIVECTOR_CONFIG`. Validated with pydantic at this edge; a bad file is one clear
`ConfigError` naming it.

    # multivector.toml
    actors = ["my-actors.yaml"]   # extra actor files, merged over the bundled knowledge base

Relative paths are relative to the configuration file's folder. Command-line `--actors FILE`
options come after (and so override) the configured files.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from multivector.errors import ConfigError

DEFAULT_FILE = "multivector.toml"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actors: list[str] = []


def config_path() -> Path | None:
    named = os.environ.get("MULTIVECTOR_CONFIG")
    if named:
        path = Path(named)
        if not path.is_file():
            raise ConfigError(f"MULTIVECTOR_CONFIG names {path}, which is not a file")
        return path
    local = Path(DEFAULT_FILE)
    return local if local.is_file() else None


def load_settings(path: Path | None = None) -> Settings:
    path = path or config_path()
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from exc
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise ConfigError(f"{path}: {where}: {first['msg']}") from exc
    base = path.parent
    settings.actors = [str(p if Path(p).is_absolute() else base / p) for p in settings.actors]
    return settings


def actor_files(cli_files: list[str] | tuple[str, ...] = ()) -> tuple[str, ...]:
    """The configured actor files followed by those given on the command line."""
    return (*load_settings().actors, *cli_files)
