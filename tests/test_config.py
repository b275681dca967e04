from __future__ import annotations

from pathlib import Path

import pytest

from multivector.config import actor_files, load_settings
from multivector.errors import ConfigError


def test_no_file_means_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MULTIVECTOR_CONFIG", raising=False)
    assert actor_files(["x.yaml"]) == ("x.yaml",)


def test_actor_files_relative_to_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conf = tmp_path / "conf" / "multivector.toml"
    conf.parent.mkdir()
    conf.write_text('actors = ["mine.yaml"]\n', encoding="utf-8")
    monkeypatch.setenv("MULTIVECTOR_CONFIG", str(conf))
    assert actor_files(["cli.csv"]) == (str(conf.parent / "mine.yaml"), "cli.csv")


def test_unknown_key_names_the_file(tmp_path: Path) -> None:
    conf = tmp_path / "multivector.toml"
    conf.write_text('actor = ["typo.yaml"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"multivector\.toml: actor: "):
        load_settings(conf)


def test_malformed_toml(tmp_path: Path) -> None:
    conf = tmp_path / "multivector.toml"
    conf.write_text("actors = [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read the configuration"):
        load_settings(conf)


def test_missing_named_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MULTIVECTOR_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(ConfigError, match="not a file"):
        actor_files()
