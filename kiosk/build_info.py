"""The version and build id shown in 个人中心 › 关于.

A bundle built by `./run package` carries `build.json` beside this module ({"version", "build_id"}); a
checkout or a wheel has none, so the version comes from the installed package's metadata and the build id is
"dev". Read lazily (only the 关于 section asks), so the start-up path pays nothing for it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import metadata
from pathlib import Path

BUILD_FILE = Path(__file__).resolve().parent / "build.json"
DIST_NAME = "campus-kiosk"


@cache
def build_info() -> tuple[str, str]:
    """(version, build id)."""
    try:
        data = json.loads(BUILD_FILE.read_text(encoding="utf-8"))
        return str(data["version"]), str(data["build_id"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        version = metadata.version(DIST_NAME)
    except metadata.PackageNotFoundError:
        version = "0+unknown"
    return version, "dev"
