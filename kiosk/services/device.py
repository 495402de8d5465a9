"""This terminal's enrollment with the sync server (the server's side: sync_server/core/devices.py) and its
heartbeat. Blocking calls: run them on a worker.

IT gives a terminal a one-time enrollment code (`campus-sync-server devices enroll`); the terminal gets it from
`campus-kiosk --enroll CODE`, the config file's `enrollment_code`, or the file `enrollment_code` in its data
dir (what `install.sh --enroll` writes; deleted once used), and exchanges it once for its device credential.
The credential is kept like the desk's secrets (kiosk/services/credentials.py): the OS keyring, or where none is
usable — always on an installed kiosk, whose user has no session keyring — the encrypted file in
`<data dir>/credentials/` (mode 0600). It is stored per server URL, so a terminal pointed at another server never
sends it there. The API client then sends it on every request (`ApiClient.device_credential`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.services.api_client import ApiClient, ApiError

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore
    from kiosk.services.credentials import CredentialStore

log = logging.getLogger(__name__)

CODE_FILE = "enrollment_code"
USED_CODE_FILE = "enrollment_code.used"  # the digest of the code last exchanged (a used code opens nothing)
# The server's refusals of the device itself (not of a user): the terminal says so on its login screen.
DEVICE_REFUSALS = ("device_unknown", "device_revoked")
REVOKED_MESSAGE = "此设备已被停用，请联系信息中心"
UNKNOWN_MESSAGE = "此设备未登记，请联系信息中心"


def refusal_message(exc: Exception) -> str | None:
    """The login screen's words for a refusal of this device, or None when `exc` is something else."""
    if isinstance(exc, ApiError) and exc.code in DEVICE_REFUSALS:
        return REVOKED_MESSAGE if exc.code == "device_revoked" else UNKNOWN_MESSAGE
    return None


class MemoryStore:
    """A credential store that forgets at exit: the demo's server is thrown away with its credential."""

    name = "memory"

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}

    def load(self, account: str) -> str | None:
        return self._secrets.get(account)

    def save(self, account: str, secret: str) -> None:
        self._secrets[account] = secret

    def delete(self, account: str) -> None:
        self._secrets.pop(account, None)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _normal(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


@dataclass(frozen=True)
class Enrolled:
    """What `prepare` found or did: `enrolled` once a credential is held; `problem` a message for the screen."""

    enrolled: bool
    problem: str = ""
    exchanged: bool = False


class DeviceService:
    def __init__(
        self,
        client: ApiClient,
        data_dir: Path,
        *,
        code: str = "",
        credentials: CredentialStore | None = None,
    ) -> None:
        self.client = client
        self.data_dir = data_dir
        self.code = code.strip()
        self.credentials = credentials

    @property
    def account(self) -> str:
        return "device-credential-" + _digest(self.client.base_url.rstrip("/"))[:16]

    def _store(self) -> CredentialStore:
        if self.credentials is None:
            from kiosk.services.credentials import choose_store

            self.credentials = choose_store(self.data_dir)
        return self.credentials

    def pending_code(self) -> str:
        """The code to exchange: the flag's or the config's, else the installer's file; "" when none, or when it
        is the one this terminal already exchanged (a config file keeps it after use)."""
        code = self.code
        if not code:
            try:
                code = (self.data_dir / CODE_FILE).read_text(encoding="utf-8").strip()
            except OSError:
                return ""
        if not _normal(code):
            return ""
        try:
            used = (self.data_dir / USED_CODE_FILE).read_text(encoding="utf-8").strip()
        except OSError:
            used = ""
        return "" if used == _digest(_normal(code)) else code

    def load(self) -> bool:
        """Give the API client the stored credential, if there is one (no network)."""
        stored = self._store().load(self.account)
        if stored:
            self.client.device_credential = stored
        return bool(stored)

    def prepare(self) -> Enrolled:
        """Exchange a pending code (replacing any credential held before: IT re-enrolled the terminal), or use
        the stored credential. Offline, raises ApiError (offline) with nothing changed: try again later."""
        code = self.pending_code()
        if not code:
            return Enrolled(self.load())
        try:
            body = self.client.enroll_device(code)
        except ApiError as exc:
            if exc.is_offline or exc.is_server_fault or exc.status in (502, 503, 504):
                raise
            log.warning("enrollment code refused: %s", exc.code)
            self._forget_code(code)  # used, expired or unknown: it will never work; IT must make a new one
            return Enrolled(self.load(), problem=f"设备登记失败：{exc.message}")
        self._store().save(self.account, body["credential"])
        self.client.device_credential = body["credential"]
        self._forget_code(code)
        log.info("enrolled as %s (%s)", body.get("name"), body.get("device_id"))
        return Enrolled(True, exchanged=True)

    def _forget_code(self, code: str) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        used = self.data_dir / USED_CODE_FILE
        tmp = used.with_suffix(".tmp")
        tmp.write_text(_digest(_normal(code)), encoding="utf-8")
        tmp.replace(used)
        (self.data_dir / CODE_FILE).unlink(missing_ok=True)

    def heartbeat(
        self, store: LocalStore | None, *, last_sync_at: datetime | None, last_error: str | None
    ) -> dict[str, Any] | None:
        """Tell the server how this terminal is doing; None when it holds no credential (not enrolled)."""
        if not self.client.device_credential:
            return None
        from kiosk.build_info import build_info

        depth, oldest = outbox_snapshot(store) if store is not None else (0, None)
        try:
            free: int | None = shutil.disk_usage(self.data_dir if self.data_dir.exists() else os.sep).free
        except OSError:
            free = None
        return self.client.heartbeat(
            {
                "version": build_info()[0],
                "last_sync_at": last_sync_at.isoformat() if last_sync_at else None,
                "outbox_depth": depth,
                "oldest_pending_s": oldest,
                "last_error": (last_error or None) and last_error[:256],
                "free_disk_bytes": free,
            }
        )


def outbox_snapshot(store: LocalStore) -> tuple[int, int | None]:
    """(operations waiting to be delivered, age in seconds of the oldest of them) over every user's queue."""
    from sqlalchemy import func, select

    from kiosk.models.tables import OutboxOp

    with store.sessions() as session:
        depth, oldest = session.execute(
            select(func.count(), func.min(OutboxOp.created_at)).where(OutboxOp.status == "pending")
        ).one()
    age: int | None = None
    if oldest:
        try:
            age = max(0, int((datetime.now(UTC) - datetime.fromisoformat(oldest)).total_seconds()))
        except ValueError:
            age = None
    return int(depth), age
