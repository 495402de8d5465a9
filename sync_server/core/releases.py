"""Client bundle releases and their roll-out per device group (docs/deploy.md, "Updates").

IT registers a release (version, download URL, SHA-256 of the archive) and rolls it out to a group of devices
(`group_name` as `devices enroll --group` set it) or to every group ("*"). A device's target is its group's
rollout if there is one, else the "*" rollout; a paused rollout offers nothing (a group's own paused rollout
also hides "*": IT stopped that group on purpose). The heartbeat answer offers the target only when it is newer
than the version the device just reported, so a device never downgrades and one already there is left alone.

Refusals: validation_error (422), release_exists (409), release_not_found and rollout_not_found (404).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import total_ordering
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.core.errors import Conflict, Invalid, NotFound
from sync_server.models import Device, Release, Rollout

ALL_GROUPS = "*"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_FALLBACK = re.compile(r"(\d+(?:\.\d+)*)(?:(a|b|rc)(\d+))?")

try:  # pip and setuptools bring it; the fallback below covers plain N.N.N[aN|bN|rcN]
    from packaging.version import InvalidVersion as _InvalidVersion
    from packaging.version import Version as _Version
except ImportError:  # pragma: no cover - packaging is present wherever the server is installed by pip
    _Version = None  # type: ignore[assignment,misc]
    _InvalidVersion = ValueError  # type: ignore[assignment,misc]


@total_ordering
class _SimpleVersion:
    def __init__(self, text: str) -> None:
        match = _FALLBACK.fullmatch(text.strip().lstrip("v"))
        if match is None:
            raise ValueError(text)
        release = [int(p) for p in match.group(1).split(".")]
        while len(release) > 1 and release[-1] == 0:
            release.pop()
        # A pre-release sorts before its release: (0, "a", 1) < (1, "", 0).
        pre = (0, match.group(2), int(match.group(3))) if match.group(2) else (1, "", 0)
        self.key = (tuple(release), pre)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _SimpleVersion) and self.key == other.key

    def __lt__(self, other: _SimpleVersion) -> bool:
        return self.key < other.key

    def __hash__(self) -> int:
        return hash(self.key)


def parse_version(text: str) -> Any:
    """A comparable version (PEP 440 with `packaging`); ValueError when it is not one."""
    if _Version is not None:
        try:
            return _Version(text)
        except _InvalidVersion as exc:
            raise ValueError(text) from exc
    return _SimpleVersion(text)


def is_newer(candidate: str, current: str | None) -> bool:
    """Whether `candidate` is a later version than `current` (an unknown or unreadable current one is older)."""
    try:
        new = parse_version(candidate)
    except ValueError:
        return False
    if not current:
        return True
    try:
        return bool(new > parse_version(current))
    except ValueError:
        return True


def now() -> datetime:
    return datetime.now(UTC)


def add(session: Session, *, version: str, url: str, sha256: str, notes: str = "") -> Release:
    version, url, sha256 = version.strip(), url.strip(), sha256.strip().lower()
    try:
        parse_version(version)
    except ValueError:
        raise Invalid("validation_error", f"版本号格式不对：{version}（例如 0.2.0）") from None
    if len(version) > 32:
        raise Invalid("validation_error", "版本号过长（32 字以内）")
    if not url.startswith(("https://", "http://")) or len(url) > 1024:
        raise Invalid("validation_error", "下载地址须以 https:// 或 http:// 开头（1024 字以内）")
    if not _SHA256.fullmatch(sha256):
        raise Invalid("validation_error", "SHA-256 须为 64 位十六进制数")
    if session.get(Release, version) is not None:
        raise Conflict("release_exists", f"版本 {version} 已登记")
    release = Release(version=version, url=url, sha256=sha256, notes=notes.strip()[:2000], created_at=now())
    session.add(release)
    session.flush()
    return release


def _group_key(group: str | None) -> str:
    key = ALL_GROUPS if group is None else group.strip()
    if not key or len(key) > 64:
        raise Invalid("validation_error", "请给出设备分组（--group），或 --all")
    return key


def rollout(session: Session, *, version: str, group: str | None) -> Rollout:
    """Offer `version` to `group`'s devices (None: every group without its own rollout); resumes a paused one."""
    release = session.get(Release, version.strip())
    if release is None:
        raise NotFound("release_not_found", f"没有登记版本 {version}")
    key = _group_key(group)
    row = session.get(Rollout, key, with_for_update=True)
    if row is None:
        row = Rollout(group_name=key, version=release.version, paused=False, updated_at=now())
        session.add(row)
    else:
        row.version, row.paused, row.updated_at = release.version, False, now()
    session.flush()
    return row


def pause(session: Session, *, group: str | None) -> Rollout:
    """Stop offering the group's rollout (devices already updated stay as they are)."""
    key = _group_key(group)
    row = session.get(Rollout, key, with_for_update=True)
    if row is None:
        raise NotFound("rollout_not_found", "该分组没有正在进行的推送")
    row.paused, row.updated_at = True, now()
    return row


@dataclass(frozen=True)
class Catalogue:
    releases: list[Release]
    rollouts: dict[str, Rollout]

    def rollout_for(self, group: str) -> Rollout | None:
        """The rollout meant for `group`, paused or not: its own, else the one for every group."""
        return self.rollouts.get(group) or self.rollouts.get(ALL_GROUPS)

    def target(self, device: Device) -> Release | None:
        """The release the device should run, if a rollout (not paused) names one."""
        row = self.rollout_for(device.group_name)
        if row is None or row.paused:
            return None
        return next((r for r in self.releases if r.version == row.version), None)

    def offer(self, device: Device) -> Release | None:
        """The target, when it is newer than what the device runs."""
        target = self.target(device)
        return target if target is not None and is_newer(target.version, device.version) else None

    def target_label(self, device: Device) -> str | None:
        """What `devices list` shows as the device's target: "0.2.0", "0.2.0 paused", or None."""
        row = self.rollout_for(device.group_name)
        if row is None:
            return None
        return row.version + (" paused" if row.paused else "")


def catalogue(session: Session) -> Catalogue:
    releases = list(session.scalars(select(Release).order_by(Release.created_at)))
    rollouts = {r.group_name: r for r in session.scalars(select(Rollout))}
    return Catalogue(releases, rollouts)
