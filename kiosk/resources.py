"""Where the QML module, icons and translations live: beside the package in a wheel, or in the repo."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resources_dir() -> Path:
    for candidate in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"):
        if (candidate / "qml").is_dir():
            return candidate
    raise FileNotFoundError("Campus Kiosk resources (qml/, icons/, i18n/) not found")


def qml_dir() -> Path:
    return resources_dir() / "qml"


def icons_dir() -> Path:
    return resources_dir() / "icons"


def i18n_dir() -> Path:
    return resources_dir() / "i18n"
