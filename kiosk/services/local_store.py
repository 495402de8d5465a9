"""Opening this terminal's local store at start-up, in two steps: a first look with the standard library (what
the login screen shows), then the full store with what a start owes the people who used it before."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.models.first_look import FirstLook, first_look
from kiosk.services.config import KioskConfig, device_id

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore
    from kiosk.services.auth import AuthService


def look_at_store(config: KioskConfig, path: Path, auth: AuthService) -> FirstLook:
    """Migrate the file and read the cached catalog and the waiting count; give `auth` the terminal's device id
    (a login needs it). Blocking, but milliseconds: no SQLAlchemy. Run it on a worker."""
    auth.device_id = device_id(config.data_path)
    return first_look(path)


def open_local_store(config: KioskConfig, path: Path, auth: AuthService) -> LocalStore:
    """Open the full store (after look_at_store). Blocking: run it on a worker.

    On the way: (desk) the credential store is given to `auth`; a kiosk that crashed or lost power with someone
    logged in forgets them now, before anyone can sign in (Session waits for this); operations parked because
    the server kept failing on them get another chance (the server may have been fixed since)."""
    # SQLAlchemy takes ~0.2 s and ~30 MiB to import: it loads here, on a worker, once the login screen is true.
    from kiosk.models.store import LocalStore

    if config.mode == "desk":
        from kiosk.services.credentials import choose_store

        auth.credentials = choose_store(config.data_path)
    store = LocalStore(path)
    if config.mode == "kiosk":
        store.wipe_personal()
    store.retry_parked()
    return store
