"""Self-update of an installed kiosk (docs/deploy.md, "Updates"). Blocking calls: run them on a worker.

The layout (install.sh writes it; the config's `install_dir`, default empty = no self-update):

    <install_dir>/releases/<version>/   one unpacked bundle per version (campus-kiosk, _internal/)
    <install_dir>/current -> releases/<version>   what the systemd unit starts
    <install_dir>/releases/.pending     the version staged and waiting to be switched to

The server's heartbeat answer offers a release (version, url, sha256) when the device's group has a newer one
rolled out. `stage` downloads it (resuming a partial download), checks the SHA-256, unpacks it into
`releases/.staging-<version>` and renames that to `releases/<version>` (so a release dir is always complete),
then writes `.pending`. `apply` switches `current` with one atomic rename of a new symlink; the caller then ends
the app and the unit starts the new version through `current`. It is applied only when nobody is signed in and
the outbox is empty, or at the next start. The local store is not touched: the new version opens it and
migrates it, and what is queued stays queued.

Automatic rollback. `apply` also writes `releases/.trial` ("<new> <previous> 0"). The kiosk unit's
ExecStartPre, installer/linux/start-guard.sh (plain sh: it must work whatever the new release is), counts the
starts of the release on trial; once the app has run CONFIRM_AFTER seconds it calls `confirm`, which removes
the trial. A release started MAX_TRIAL_STARTS times without confirming is given up: the guard points `current`
back at the previous release and appends the version to `releases/.bad`, which `wanted` then refuses (the
heartbeat reports the rollback through last_error until IT rolls out another version).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

EXECUTABLES = ("campus-kiosk", "campus-kiosk.exe")
PENDING = ".pending"
TRIAL = ".trial"  # "<version on trial> <previous version> <starts>", see the module docstring
BAD = ".bad"  # versions rolled back from, one a line
CONFIRM_AFTER = 60.0  # seconds the new release must run before it is kept
MAX_TRIAL_STARTS = 3  # starts without a confirmation before start-guard.sh rolls back (same number there)
DOWNLOADS = ".download"
KEEP = 2  # releases kept on disk: the one running and the one before it (a manual rollback)
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,31}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
CHUNK = 1 << 20


class UpdateError(Exception):
    """An offered release that could not be staged; `str()` is what the next heartbeat reports as last_error.
    `retry`: worth trying again on the next offer (a cut download resumes); otherwise the file itself is bad."""

    def __init__(self, message: str, *, retry: bool = False) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True)
class Offer:
    version: str
    url: str
    sha256: str

    @classmethod
    def of(cls, raw: Any) -> Offer | None:
        """The heartbeat answer's `update`, checked (a version that is a safe directory name); None if absent."""
        if not isinstance(raw, dict):
            return None
        version, url, sha = str(raw.get("version", "")), str(raw.get("url", "")), str(raw.get("sha256", "")).lower()
        if not _VERSION.fullmatch(version) or version in (".", "..") or not _SHA256.fullmatch(sha):
            raise UpdateError(f"更新 {version[:32]}：服务器给出的版本或校验值无效")
        if not url.startswith(("https://", "http://")):
            raise UpdateError(f"更新 {version}：下载地址无效")
        return cls(version, url, sha)


class Updater:
    def __init__(self, install_dir: Path, running_version: str, *, timeout: float = 30.0) -> None:
        self.install_dir = install_dir
        self.releases = install_dir / "releases"
        self.current = install_dir / "current"
        self.running_version = running_version
        self.timeout = timeout

    # -- what is there ----------------------------------------------------------------------------------------
    def current_version(self) -> str | None:
        """The release `current` points at (None: not the releases layout)."""
        try:
            return Path(os.readlink(self.current)).name
        except OSError:
            return None

    def pending(self) -> str | None:
        """The staged version waiting to be switched to, if it is complete and not already current."""
        try:
            version = (self.releases / PENDING).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        if not _VERSION.fullmatch(version) or version == self.current_version():
            return None
        return version if _executable(self.releases / version) else None

    def wanted(self, offer: Offer) -> bool:
        """Whether the offer is worth fetching: not what runs, not what is current, not already staged, not a
        release this kiosk rolled back from."""
        if offer.version in self.rolled_back():
            return False
        return offer.version not in (self.running_version, self.current_version(), self.pending())

    def rolled_back(self) -> list[str]:
        """The versions start-guard.sh gave up on (oldest first)."""
        try:
            lines = (self.releases / BAD).read_text(encoding="utf-8").split()
        except OSError:
            return []
        return [v for v in lines if _VERSION.fullmatch(v)]

    def on_trial(self) -> str | None:
        """The release switched to and not yet confirmed, if any."""
        try:
            fields = (self.releases / TRIAL).read_text(encoding="utf-8").split()
        except OSError:
            return None
        return fields[0] if fields and _VERSION.fullmatch(fields[0]) else None

    def confirm(self) -> bool:
        """The running release has run long enough: keep it (the guard stops counting). True if it was on trial."""
        if self.on_trial() != self.running_version:
            return False
        (self.releases / TRIAL).unlink(missing_ok=True)
        log.info("release %s confirmed", self.running_version)
        return True

    # -- staging ----------------------------------------------------------------------------------------------
    def stage(self, offer: Offer) -> str:
        """Download, verify and unpack the offer beside the current install; mark it pending. UpdateError on a
        download that fails, a wrong checksum or an archive that is not a bundle (nothing is left staged)."""
        self.releases.mkdir(parents=True, exist_ok=True)
        target = self.releases / offer.version
        if not _executable(target):
            archive = self._download(offer)
            try:
                self._unpack(archive, offer.version, target)
            finally:
                archive.unlink(missing_ok=True)
        _write(self.releases / PENDING, offer.version)
        log.info("update %s staged in %s", offer.version, target)
        return offer.version

    def _download(self, offer: Offer) -> Path:
        import requests

        downloads = self.releases / DOWNLOADS
        downloads.mkdir(exist_ok=True)
        part = downloads / f"{offer.version}-{offer.sha256[:16]}.tar.gz.part"
        have = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        try:
            with requests.get(offer.url, headers=headers, stream=True, timeout=self.timeout) as response:
                if response.status_code == 416:  # the part is already whole (or longer than the file)
                    pass
                elif response.status_code not in (200, 206):
                    raise UpdateError(f"更新 {offer.version}：下载失败（HTTP {response.status_code}）", retry=True)
                else:
                    # 206: the server resumes where we stopped; 200: it sends the whole file again.
                    with part.open("ab" if response.status_code == 206 else "wb") as out:
                        for chunk in response.iter_content(CHUNK):
                            out.write(chunk)
        except requests.RequestException as exc:
            raise UpdateError(f"更新 {offer.version}：下载中断（{type(exc).__name__}），稍后继续", retry=True) from exc
        digest = hashlib.sha256()
        with part.open("rb") as fh:
            while block := fh.read(CHUNK):
                digest.update(block)
        if digest.hexdigest() != offer.sha256:
            part.unlink(missing_ok=True)  # a wrong file is never resumed
            raise UpdateError(f"更新 {offer.version}：校验失败（SHA-256 不符），未安装")
        return part

    def _unpack(self, archive: Path, version: str, target: Path) -> None:
        staging = self.releases / f".staging-{version}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        try:
            try:
                with tarfile.open(archive, "r:gz") as tar:
                    tar.extractall(staging, filter="data")  # no absolute paths, no .., no devices
            except (tarfile.TarError, OSError, EOFError) as exc:
                raise UpdateError(f"更新 {version}：安装包损坏（{type(exc).__name__}），未安装") from exc
            entries = list(staging.iterdir())
            # `tar czf x.tar.gz campus-kiosk/` (one folder) or the folder's contents at the top: either works.
            root = entries[0] if len(entries) == 1 and entries[0].is_dir() else staging
            if not _executable(root):
                raise UpdateError(f"更新 {version}：安装包里没有 campus-kiosk，未安装")
            shutil.rmtree(target, ignore_errors=True)
            root.rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    # -- switching --------------------------------------------------------------------------------------------
    def apply(self) -> str | None:
        """Point `current` at the pending release (one atomic rename); returns its version, or None."""
        version = self.pending()
        if version is None:
            return None
        before = self.current_version()
        link = self.install_dir / "current.new"
        link.unlink(missing_ok=True)
        link.symlink_to(Path("releases") / version)
        if before is not None and before != version:
            _write(self.releases / TRIAL, f"{version} {before} 0\n")  # before the switch: the guard never misses it
        link.replace(self.current)
        (self.releases / PENDING).unlink(missing_ok=True)
        log.info("switched %s to release %s", self.current, version)
        self._prune(keep={version, before or version})
        return version

    def _prune(self, keep: set[str]) -> None:
        """Drop releases other than the new one and the one it replaces (kept for a rollback)."""
        for path in self.releases.iterdir():
            if path.is_dir() and not path.name.startswith(".") and path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)
        shutil.rmtree(self.releases / DOWNLOADS, ignore_errors=True)


def ready_to_apply(signed_in: bool, outbox_depth: int) -> bool:
    """An idle moment: nobody is using the terminal and nothing waits to be delivered."""
    return not signed_in and outbox_depth == 0


def _executable(folder: Path) -> bool:
    return any(os.access(folder / name, os.X_OK) and (folder / name).is_file() for name in EXECUTABLES)


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
