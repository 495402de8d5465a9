"""How the screen reads — language, text size (标准 / 大 / 特大) and high contrast — and, on a desk, where those
choices are kept between runs (a small JSON file beside the store, read before the first frame). A kiosk keeps
none: each person's choices end with their session."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en_US")
TEXT_SCALES = (1.0, 1.25, 1.5)  # 标准, 大, 特大 (UI.md: large ×1.25, extra large ×1.5)
FILE_NAME = "display.json"


@dataclass(frozen=True)
class DisplaySettings:
    language: str = "zh_CN"
    text_scale: float = 1.0
    high_contrast: bool = False

    def valid(self) -> DisplaySettings:
        """These settings with anything unknown replaced by the default (a hand-edited or older file)."""
        default = DisplaySettings()
        return DisplaySettings(
            language=self.language if self.language in LANGUAGES else default.language,
            text_scale=self.text_scale if self.text_scale in TEXT_SCALES else default.text_scale,
            high_contrast=bool(self.high_contrast),
        )


def load(data_dir: Path, defaults: DisplaySettings) -> DisplaySettings:
    """The choices kept in `data_dir`, over `defaults` (the configuration's); the defaults when none are kept or
    the file cannot be read (logged, never fatal: the screen must come up)."""
    path = data_dir / FILE_NAME
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return defaults
    except (OSError, ValueError) as exc:
        log.warning("display settings ignored (%s): %s", path, exc)
        return defaults
    if not isinstance(raw, dict):
        return defaults
    known = {k: raw[k] for k in ("language", "text_scale", "high_contrast") if k in raw}
    try:
        return replace(defaults, **known).valid()
    except TypeError:
        return defaults


def save(data_dir: Path, settings: DisplaySettings) -> None:
    """Keep the choices (atomically: a crash mid-write leaves the previous file). Blocking, but one small file."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / FILE_NAME
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings.valid())), encoding="utf-8")
    os.replace(tmp, path)
