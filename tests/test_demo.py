"""The two-command promise: `campus-kiosk --demo --screenshot FILE` starts the bundled server with demo data,
writes a PNG of the Chinese login screen with real CJK glyphs, stops the server and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from tests.helpers import SCREENS


def test_demo_screenshot(tmp_path: Path) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    target = SCREENS / "demo-first-screen.png"
    target.unlink(missing_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--demo", "--screenshot", str(target), "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    image = Image.open(target)
    assert image.size == (1920, 1080)
    # The demo server answered (the status dot is green, not red) and the page is not blank.
    assert "demo server at http://127.0.0.1:" in result.stderr
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 200
    # The child server is gone.
    leftover = subprocess.run(["pgrep", "-f", f"sync_server.*{tmp_path.name}"], capture_output=True)
    assert leftover.returncode != 0


def test_cjk_font_is_installed_and_chosen() -> None:
    match = subprocess.run(
        ["fc-match", "-f", "%{family}|%{file}", "Noto Sans CJK SC"], capture_output=True, text=True, check=True
    ).stdout
    assert "Noto Sans CJK" in match and "NotoSansCJK" in match, match
    # fontconfig can draw 统一身份认证平台 with it (no tofu boxes).
    text = "统一身份认证平台"
    charset = subprocess.run(
        ["fc-match", "-f", "%{charset}", "Noto Sans CJK SC"], capture_output=True, text=True, check=True
    ).stdout
    assert charset and all(_in_charset(ord(c), charset) for c in text)


def _in_charset(code: int, charset: str) -> bool:
    for part in charset.split():
        lo, _, hi = part.partition("-")
        if int(lo, 16) <= code <= int(hi or lo, 16):
            return True
    return False


def test_real_x11_window_under_xvfb(tmp_path: Path) -> None:
    """The kiosk in a real X11 window (Qt's xcb plugin and the Debian libraries ./run installs), fullscreen."""
    import shutil
    import time

    if shutil.which("Xvfb") is None:
        import pytest

        pytest.skip("Xvfb not installed (./run test installs it)")
    display = next(n for n in range(90, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())  # a free one
    xvfb = subprocess.Popen(
        ["Xvfb", f":{display}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{display}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env["DISPLAY"] = f":{display}"
        target = SCREENS / "x11-demo-first-screen.png"
        SCREENS.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [sys.executable, "-m", "kiosk", "--demo", "--screenshot", str(target), "--data-dir", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        assert "Could not load the Qt platform plugin" not in result.stderr
        assert Image.open(target).size == (1920, 1080)  # fullscreen on the 1920×1080 screen
    finally:
        xvfb.terminate()
        xvfb.wait(10)
