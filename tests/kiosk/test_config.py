from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app import _parse_size
from kiosk.services.config import ConfigError, KioskConfig, device_id, load_config


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml")
    assert config == KioskConfig(device_name=config.device_name)
    assert config.mode == "kiosk" and config.language == "zh_CN" and config.idle_timeout_s == 60


def test_file_then_flags(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'server_url = "https://sync.campus.example"\nmode = "desk"\ndevice_name = "图书馆一楼 1 号机"\n'
        'school_name = "郑州工商学院"\nidle_timeout_s = 90\nidle_countdown_s = 20\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert (config.server_url, config.mode, config.device_name) == (
        "https://sync.campus.example",
        "desk",
        "图书馆一楼 1 号机",
    )
    assert (config.idle_timeout_s, config.idle_countdown_s) == (90, 20)
    overridden = load_config(path, mode="kiosk", server_url=None, language="en_US")
    assert overridden.mode == "kiosk" and overridden.language == "en_US"
    assert overridden.server_url == "https://sync.campus.example"  # None means "no flag given"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('mode = "tablet"', "mode must be one of"),
        ('server_url = "ftp://x"', "server_url must start with"),
        ("idle_timeout_s = 1", "idle_timeout_s"),
        ('colour = "red"', "unknown setting"),
        ("mode = ", "config.toml"),
        ('language = "fr_FR"', "language must be one of"),
        ('idle_timeout_s = "sixty"', "config.toml"),
    ],
)
def test_bad_config_is_reported_clearly(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_device_id_is_stable(tmp_path: Path) -> None:
    first = device_id(tmp_path)
    assert first == device_id(tmp_path)
    assert len(first) == 36


def test_size_flag() -> None:
    assert _parse_size("1080x1920") == (1080, 1920)
    assert _parse_size(None) is None
    for bad in ("big", "10x10", "1920*1080"):
        with pytest.raises(ConfigError):
            _parse_size(bad)
