"""Kiosk configuration: a TOML file in the platformdirs config dir, overridden by command-line flags."""

from __future__ import annotations

import socket
import tomllib
import uuid
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "campus-kiosk"
MODES = ("kiosk", "desk")
LANGUAGES = ("zh_CN", "en_US")


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class ConfigError(ValueError):
    """The config file or a flag has a value we cannot use; the message says which and why."""


@dataclass(frozen=True)
class KioskConfig:
    server_url: str = "http://127.0.0.1:8765"
    mode: str = "kiosk"
    device_name: str = field(default_factory=lambda: socket.gethostname())
    school_name: str = "郑州工商学院"
    school_name_en: str = "Zhengzhou Technology and Business University"
    language: str = "zh_CN"
    idle_timeout_s: int = 60  # kiosk: seconds without a touch before "还在吗？"
    idle_countdown_s: int = 30  # kiosk: the countdown of that dialog before logout
    text_scale: float = 1.0  # 1.0, 1.25 (large) or 1.5 (extra large)
    data_dir: str = ""  # empty: the platformdirs user data dir
    enrollment_code: str = ""  # IT's one-time code (campus-sync-server devices enroll); --enroll; device.py
    # Self-update (services/updates.py): the dir holding releases/<version>/ and the `current` link install.sh
    # makes (/opt/campus-kiosk on a kiosk); empty: this terminal is updated by other means (a desk PC, a checkout).
    install_dir: str = ""
    # 打印证明 (docs/certificates.md#printing): the kiosk's CUPS queue as an IPP URI
    # (ipp://localhost:631/printers/hall-1); empty: no printer here, and the page says where to print instead.
    printer_uri: str = ""
    print_elsewhere: str = "请到行政楼一楼服务大厅的自助打印机打印，或在电脑上登录后下载打印"
    print_elsewhere_en: str = (  # the same in English (the interface's English mode)
        "Please print it at the self-service printer in the service hall on the ground floor of the"
        " Administration Building, or sign in on a computer and download it to print."
    )
    print_timeout_s: int = 120  # a job not done by then (the printer says nothing) counts as offline

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ConfigError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if self.language not in LANGUAGES:
            raise ConfigError(f"language must be one of {', '.join(LANGUAGES)}, not {self.language!r}")
        if not self.server_url.startswith(("http://", "https://")):
            raise ConfigError(f"server_url must start with http:// or https://, not {self.server_url!r}")
        if self.idle_timeout_s < 10 or self.idle_countdown_s < 5:
            raise ConfigError("idle_timeout_s must be ≥ 10 and idle_countdown_s ≥ 5")
        if self.printer_uri and not self.printer_uri.startswith(("ipp://", "ipps://", "http://", "https://")):
            raise ConfigError(f"printer_uri must be an ipp:// URI, not {self.printer_uri!r}")
        if not 10 <= self.print_timeout_s <= 840:  # + 60 s: the longest a claim holds a copy (900 s, the server's)
            raise ConfigError("print_timeout_s must be 10–840")
        if self.text_scale not in (1.0, 1.25, 1.5):
            raise ConfigError("text_scale must be 1.0, 1.25 or 1.5")

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir) if self.data_dir else default_data_dir()

    def with_overrides(self, **overrides: Any) -> KioskConfig:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def load_config(path: Path | None = None, **overrides: Any) -> KioskConfig:
    """Read the TOML file (absent: defaults), then apply the non-None overrides (the CLI flags)."""
    path = path or default_config_path()
    values: dict[str, Any] = {}
    if path.exists():
        try:
            with path.open("rb") as fh:
                raw = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        known = {f.name: f.type for f in fields(KioskConfig)}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ConfigError(f"{path}: unknown setting(s): {', '.join(unknown)}")
        values.update(raw)
    try:
        return KioskConfig(**values).with_overrides(**overrides)
    except TypeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def device_id(data_dir: Path) -> str:
    """A stable random id for this terminal, created on first start (the server binds QR tickets to it)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    id_file = data_dir / "device_id"
    if id_file.exists():
        value = id_file.read_text().strip()
        if value:
            return value
    value = str(uuid.uuid4())
    tmp = id_file.with_suffix(".tmp")
    tmp.write_text(value)
    tmp.replace(id_file)
    return value
