"""kiosk.build_info: the version and build id 个人中心 › 关于 shows."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from kiosk import build_info as bi
from tests.helpers import ROOT


def test_a_checkout_reports_the_package_version_and_dev() -> None:
    bi.build_info.cache_clear()
    assert not bi.BUILD_FILE.exists(), "a build.json in the source tree would mislabel every checkout"
    with (ROOT / "pyproject.toml").open("rb") as fh:
        version = tomllib.load(fh)["project"]["version"]
    assert bi.build_info() == (version, "dev")


def test_a_bundle_reports_its_build_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_file = tmp_path / "build.json"
    build_file.write_text(json.dumps({"version": "1.2.3", "build_id": "20261205.abc", "source_hash": "x"}))
    monkeypatch.setattr(bi, "BUILD_FILE", build_file)
    bi.build_info.cache_clear()
    try:
        assert bi.build_info() == ("1.2.3", "20261205.abc")
    finally:
        bi.build_info.cache_clear()
