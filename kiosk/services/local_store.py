"""Opening this terminal's local store at start-up, with what a start owes the people who used it before."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.services.config import KioskConfig, device_id

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore
    from kiosk.services.auth import AuthService


def open_local_store(config: KioskConfig, path: Path, auth: AuthService) -> tuple[LocalStore, list[dict[str, Any]]]:
    """Open (and migrate) the store; returns it with the cached catalog. Blocking: run it on a worker.

    On the way: the terminal's device id and (desk) its credential store are given to `auth`; a kiosk that
    crashed or lost power with someone logged in forgets them now; operations parked because the server kept
    failing on them get another chance (the server may have been fixed since)."""
    # SQLAlchemy takes ~0.3 s to import: it loads here, on a worker thread, after the first frame.
    from kiosk.models.store import LocalStore

    auth.device_id = device_id(config.data_path)
    if config.mode == "desk":
        from kiosk.services.credentials import choose_store

        auth.credentials = choose_store(config.data_path)
    store = LocalStore(path)
    if config.mode == "kiosk":
        store.wipe_personal()
    store.retry_parked()
    return store, store.catalog()
