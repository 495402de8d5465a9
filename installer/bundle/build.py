"""Build the Campus Kiosk client bundle (one folder) with PyInstaller: `./run package`.

    python installer/bundle/build.py [--dist DIR] [--work DIR] [--force]

Writes DIST/campus-kiosk/ (default dist/campus-kiosk/): the `campus-kiosk` executable and `_internal/` with
Python, the client's packages, the Qt libraries and plugins it uses, the QML module, the compiled translations
and icons. `_internal/kiosk/build.json` holds the version, the build id and the hash of everything the bundle
is made from; when that hash matches, the build is skipped (so the slow test and a second `./run package`
cost nothing). Prints one JSON line: {"bundle", "size_mib", "files", "built", "seconds", "build_id"}.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = Path(__file__).resolve().parent / "campus-kiosk.spec"
NAME = "campus-kiosk"
# What the bundle is made of: a change to any of these makes the cached bundle stale.
SOURCES = ("kiosk", "campus_common", "resources", "installer/bundle", "installer/linux/install.sh", "pyproject.toml")
TOOLS = ("PySide6", "shiboken6", "pyinstaller", "pyinstaller-hooks-contrib")


def source_hash() -> str:
    digest = hashlib.sha256()
    for top in SOURCES:
        base = ROOT / top
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix in (".pyc", ".qm"):
                continue
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    for tool in TOOLS:
        try:
            digest.update(f"{tool}={metadata.version(tool)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{tool}=none\0".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short=10", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", *SOURCES], capture_output=True, text=True
        ).stdout.strip()
        return out + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "nogit"


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def built_hash(bundle: Path) -> str | None:
    try:
        return str(json.loads((bundle / "_internal" / "kiosk" / "build.json").read_text())["source_hash"])
    except (OSError, ValueError, KeyError):
        return None


def tree_size(path: Path) -> tuple[int, int]:
    total = count = 0
    for p in path.rglob("*"):
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_size
            count += 1
    return total, count


def remove_dangling_links(bundle: Path) -> None:
    """PyInstaller links every collected Qt library beside the executable, also the ones the spec dropped."""
    for path in bundle.rglob("*"):
        if path.is_symlink() and not path.exists():
            path.unlink()


def compile_translations(into: Path) -> None:
    here = Path(sys.executable)
    candidates = (here.with_name("pyside6-lrelease"), here.with_name("pyside6-lrelease.exe"))  # Linux, Windows
    lrelease = next((c for c in candidates if c.is_file()), None) or shutil.which("pyside6-lrelease")
    if lrelease is None:
        raise SystemExit("build.py: pyside6-lrelease not found next to this Python")
    into.mkdir(parents=True)
    for ts in sorted((ROOT / "resources" / "i18n").glob("*.ts")):
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(into / (ts.stem + ".qm"))], check=True)


def build(dist: Path, work: Path, force: bool) -> dict[str, object]:
    bundle = dist / NAME
    wanted = source_hash()
    started = time.monotonic()
    built = False
    if force or built_hash(bundle) != wanted:
        with tempfile.TemporaryDirectory(prefix="campus-bundle-") as tmp:
            stage = Path(tmp)
            compile_translations(stage / "i18n")
            build_id = f"{time.strftime('%Y%m%d', time.gmtime())}.{git_commit()}.{wanted[:8]}"
            info = {"version": project_version(), "build_id": build_id, "source_hash": wanted}
            (stage / "build.json").write_text(json.dumps(info, ensure_ascii=False) + "\n")
            env = {**os.environ, "CAMPUS_BUNDLE_STAGE": str(stage)}
            if bundle.exists():
                shutil.rmtree(bundle)
            cmd = [
                sys.executable,
                "-m",
                "PyInstaller",
                "--noconfirm",
                "--log-level",
                "WARN",
                "--distpath",
                str(dist),
                "--workpath",
                str(work),
                str(SPEC),
            ]
            subprocess.run(cmd, check=True, env=env, cwd=ROOT)
            remove_dangling_links(bundle)
        built = True
    size, files = tree_size(bundle)
    info = json.loads((bundle / "_internal" / "kiosk" / "build.json").read_text())
    return {
        "bundle": str(bundle),
        "size_mib": round(size / 2**20, 1),
        "files": files,
        "built": built,
        "seconds": round(time.monotonic() - started, 1),
        "build_id": info["build_id"],
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dist", type=Path, default=ROOT / "dist", help="where campus-kiosk/ goes (default dist/)")
    p.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's work dir")
    p.add_argument("--force", action="store_true", help="build even if the bundle is up to date")
    args = p.parse_args()
    print(json.dumps(build(args.dist.resolve(), args.work.resolve(), args.force)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
