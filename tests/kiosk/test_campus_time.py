"""Every time the app shows is in the campus's time zone, labelled where the PC's zone is another one: checked
in processes whose own zone is New York and Shanghai (the zone is read when a process starts), and the zone
comes from the server's health."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kiosk.services import campus_time
from kiosk.services.api_client import ApiClient
from tests.helpers import ROOT, LiveServer, copy_sqlite

SCRIPT = r"""
import json
from datetime import datetime
from kiosk.services import campus_time
from kiosk.services.applications import Application
from kiosk.services.inbox import InboxSnapshot

at = "2026-12-05T07:30:00+00:00"  # 15:30 in Shanghai, 02:30 in New York
app = {"id": "a1", "process_code": "x", "events": [{"action": "submit", "at": at}]}
detail = Application.find(InboxSnapshot(mine=[app]), "a1").detail({})
out = {
    "pc": datetime.fromisoformat(at).astimezone().strftime("%H:%M"),
    "text": campus_time.moment_text(at),
    "naive": campus_time.moment_text("2026-12-05T07:30:00"),
    "event": detail["application"]["events"][0]["atText"],
    "clock": campus_time.clock(datetime.fromisoformat(at)),
}
out["moved"] = campus_time.set_zone("Asia/Tokyo")
out["tokyo"] = campus_time.moment_text(at)
out["unknown"] = campus_time.set_zone("Nowhere/Atlantis")
out["still"] = campus_time.zone().key
print(json.dumps(out, ensure_ascii=False))
"""


def _in_zone(tz: str) -> dict[str, object]:
    env = {**os.environ, "TZ": tz, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_pc_abroad_shows_the_campus_time_labelled() -> None:
    out = _in_zone("America/New_York")
    assert out["pc"] == "02:30"  # what the PC's own zone would have said
    assert out["text"] == out["naive"] == out["event"] == "2026-12-05 15:30（北京时间）"
    assert out["clock"] == {"time": "15:30", "date": "12月5日 周六", "dateEn": "Sat 5 Dec", "label": "北京时间"}
    assert (out["moved"], out["tokyo"]) == (True, "2026-12-05 16:30（校园时间）")
    assert (out["unknown"], out["still"]) == (False, "Asia/Tokyo")  # an unknown name keeps the zone known


def test_a_pc_on_campus_time_shows_no_label() -> None:
    out = _in_zone("Asia/Shanghai")
    assert out["text"] == out["event"] == "2026-12-05 15:30"
    assert out["clock"]["label"] == ""  # type: ignore[index]
    assert out["tokyo"] == "2026-12-05 16:30（校园时间）"  # Shanghai is not Tokyo: labelled


def test_the_server_tells_its_campus_zone(shared_server: LiveServer, seeded_sqlite: Path, tmp_path: Path) -> None:
    health = ApiClient(shared_server.url).health()
    assert health.campus_tz == "Asia/Shanghai"
    assert campus_time.set_zone(health.campus_tz) is False  # the default already
    workdir = tmp_path / "tokyo"
    tokyo = LiveServer(
        db_url=copy_sqlite(seeded_sqlite, workdir), workdir=workdir, extra_env={"CAMPUS_SYNC_CAMPUS_TZ": "Asia/Tokyo"}
    ).start()
    try:
        assert ApiClient(tokyo.url).health().campus_tz == "Asia/Tokyo"  # the setting
    finally:
        tokyo.stop()
