"""Device enrollment and the fleet: IT creates a one-time enrollment code for a named terminal; the terminal
exchanges it once for its device credential; kiosk-mode requests then carry that credential (api/deps.py checks
it when `require_enrolled_kiosks` is on), and the terminal reports a heartbeat that `devices list` shows.

Secrets are stored as SHA-256 digests, never as they are. The credential is 256 random bits, so a fast hash is
enough (nothing to brute-force) and lets the hot path find the device by an indexed digest in one lookup — a
slow hash (argon2id) would cost tens of milliseconds on every kiosk request and need a device id beside the
secret to know which hash to check. The enrollment code is short enough to type (12 characters, 60 bits), lives
24 hours and works once.

Refusals: device_unknown (401: no credential, or none we issued), device_revoked (403: IT revoked it),
enrollment_code_invalid (404), enrollment_code_used and enrollment_code_expired (410), device_not_found (404);
api/deps.py adds device_mismatch (401: a kiosk session's token with another device's credential).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sync_server.core.clock import as_utc
from sync_server.core.errors import Forbidden, Gone, Invalid, NotFound, Unauthorized
from sync_server.models import Device

CODE_TTL = timedelta(hours=24)
# No I, O, 0 or 1: a code is read off a screen or a ticket and typed on a terminal.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def now() -> datetime:
    return datetime.now(UTC)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@dataclass
class Enrollment:
    device: Device
    code: str  # shown once, to IT


def enroll(
    session: Session, *, name: str, location: str = "", group: str = "", ttl: timedelta = CODE_TTL
) -> Enrollment:
    """A new device entry and its one-time enrollment code (valid for `ttl`)."""
    name, location, group = name.strip(), location.strip(), group.strip()
    if not name or len(name) > 64 or len(location) > 128 or len(group) > 64:
        raise Invalid("validation_error", "名称必填（64 字以内），位置 128 字、分组 64 字以内")
    if ttl <= timedelta(0) or ttl > timedelta(days=30):
        raise Invalid("validation_error", "登记码有效期须在 30 天以内")
    code = _new_code()
    moment = now()
    device = Device(
        id="d" + secrets.token_hex(5),
        name=name,
        location=location,
        group_name=group,
        code_hash=digest(normalise_code(code)),
        code_expires_at=moment + ttl,
        created_at=moment,
    )
    session.add(device)
    session.flush()
    return Enrollment(device, code)


def exchange(session: Session, *, code: str, address: str | None = None) -> tuple[Device, str]:
    """The device the code was made for and its new credential (returned this once). The code is claimed with a
    conditional UPDATE, so of two terminals racing with one code exactly one wins."""
    normal = normalise_code(code)
    device = session.scalar(select(Device).where(Device.code_hash == digest(normal))) if normal else None
    if device is None:
        raise NotFound("enrollment_code_invalid", "登记码无效")
    if device.revoked_at is not None:
        raise Forbidden("device_revoked", "此设备已被停用，请联系信息中心")
    if device.enrolled_at is not None:
        raise Gone("enrollment_code_used", "登记码已使用，请向信息中心申请新的登记码")
    if as_utc(device.code_expires_at) <= now():
        raise Gone("enrollment_code_expired", "登记码已过期，请向信息中心申请新的登记码")
    credential = secrets.token_urlsafe(32)  # 256 random bits
    moment = now()
    claimed = session.execute(
        update(Device)
        .where(Device.id == device.id, Device.enrolled_at.is_(None))
        .values(credential_hash=digest(credential), enrolled_at=moment, last_seen_at=moment, address=address)
    )
    if int(getattr(claimed, "rowcount", 0) or 0) != 1:
        raise Gone("enrollment_code_used", "登记码已使用，请向信息中心申请新的登记码")
    session.refresh(device)
    return device, credential


def authenticate(session: Session, credential: str | None) -> Device:
    """The enrolled, not revoked device this credential belongs to; otherwise device_unknown or device_revoked."""
    if not credential or len(credential) > 128:
        raise Unauthorized("device_unknown", "此设备未登记，请联系信息中心")
    device = session.scalar(select(Device).where(Device.credential_hash == digest(credential)))
    if device is None:
        raise Unauthorized("device_unknown", "此设备未登记，请联系信息中心")
    if device.revoked_at is not None:
        raise Forbidden("device_revoked", "此设备已被停用，请联系信息中心")
    return device


def find_valid(session: Session, credential: str | None) -> Device | None:
    """The device if the credential is good, else None (for what only gets nicer with one: the QR's name)."""
    if not credential:
        return None
    try:
        return authenticate(session, credential)
    except (Unauthorized, Forbidden):
        return None


@dataclass(frozen=True)
class Heartbeat:
    version: str
    last_sync_at: datetime | None = None
    outbox_depth: int = 0
    oldest_pending_s: int | None = None
    last_error: str | None = None
    free_disk_bytes: int | None = None


def record_heartbeat(device: Device, beat: Heartbeat, *, address: str | None = None) -> None:
    device.last_seen_at = now()
    device.address = address
    device.version = beat.version[:64]
    device.last_sync_at = beat.last_sync_at
    device.outbox_depth = beat.outbox_depth
    device.oldest_pending_s = beat.oldest_pending_s
    device.last_error = beat.last_error[:256] if beat.last_error else None
    device.free_disk_bytes = beat.free_disk_bytes


@dataclass(frozen=True)
class FleetEntry:
    device: Device
    state: str  # pending (code not exchanged) | expired (code unused, too old) | enrolled | revoked
    flags: tuple[str, ...]  # STALE: not seen for longer than stale_after; DEEP: outbox_depth ≥ deep_outbox


def describe(device: Device, *, stale_after: timedelta, deep_outbox: int, moment: datetime | None = None) -> FleetEntry:
    """The device's state and flags now."""
    moment = moment or now()
    flags: list[str] = []
    if device.revoked_at is not None:
        state = "revoked"
    elif device.enrolled_at is None:
        state = "expired" if as_utc(device.code_expires_at) <= moment else "pending"
    else:
        state = "enrolled"
        seen = device.last_seen_at
        if seen is None or moment - as_utc(seen) > stale_after:
            flags.append("STALE")
        if (device.outbox_depth or 0) >= deep_outbox:
            flags.append("DEEP")
    return FleetEntry(device, state, tuple(flags))


def fleet(session: Session, *, stale_after: timedelta, deep_outbox: int) -> list[FleetEntry]:
    """Every device, by group, location and name, with its state and flags."""
    moment = now()
    rows = session.scalars(select(Device).order_by(Device.group_name, Device.location, Device.name)).all()
    return [describe(d, stale_after=stale_after, deep_outbox=deep_outbox, moment=moment) for d in rows]


def revoke(session: Session, *, device_id: str) -> Device:
    """Stop honouring the device's credential (and its unused code): its very next request is refused."""
    device = session.get(Device, device_id.strip(), with_for_update=True)
    if device is None:
        raise NotFound("device_not_found", "没有这台设备")
    if device.revoked_at is None:
        device.revoked_at = now()
    return device
