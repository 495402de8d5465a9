"""The hall catalog on the kiosk: fetched from the server, kept in the local store for offline use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore
    from kiosk.services.api_client import ApiClient


def refresh_catalog(client: ApiClient, store: LocalStore) -> list[dict[str, Any]]:
    processes = client.processes()
    store.replace_catalog(processes)
    return store.catalog()
