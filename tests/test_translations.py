"""Every qsTr string of the QML has an English translation, and the .ts file is current with the QML."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.helpers import ROOT

TS = ROOT / "resources" / "i18n" / "kiosk_en_US.ts"


def _messages(path: Path) -> dict[str, tuple[str | None, str | None]]:
    out = {}
    for message in ET.parse(path).iter("message"):
        translation = message.find("translation")
        assert translation is not None
        out[message.findtext("source") or ""] = (translation.text, translation.get("type"))
    return out


def test_every_string_is_translated() -> None:
    missing = [
        src for src, (text, kind) in _messages(TS).items() if not text or kind in ("unfinished", "vanished", "obsolete")
    ]
    assert not missing, f"untranslated: {missing}"


def test_ts_is_current_with_the_qml(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    qml = sorted(str(p) for p in (ROOT / "resources" / "qml").rglob("*.qml"))
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run(
        [str(lupdate), *qml, "-ts", str(fresh), "-source-language", "zh_CN", "-target-language", "en_US"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert set(_messages(fresh)) == set(_messages(TS)), "run pyside6-lupdate and translate the new strings"
