"""Live changes on the terminal, without Qt: a pull that waits on the server for a change in the user's scopes
(`GET /api/v1/sync/pull?cursor=C&wait=S`, docs/sync.md "Live changes"), so a new 待办 or notification arrives
within a second instead of at the next poll.

The wait only tells the terminal *that* something changed: the sync round that follows pulls and applies it
as always (page by page, with its cursor, in one transaction each), so every guarantee of the engine holds.
A wait can be cancelled from another thread (logout, quit, a round starting): its socket is shut down, which
ends the blocked read at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from kiosk.services.api_client import DEVICE_HEADER, Abort, ApiClient, ApiError, _get_plainly, _proxy_configured

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore

# A little more than the server's wait before the terminal gives up on an answer (a proxy that holds it).
MARGIN_S = 10.0


def available(live_wait: int) -> bool:
    """Whether to wait on the server: it offers it, and no HTTP proxy is configured (requests goes through
    one; this plain connection would not, so the terminal polls as before)."""
    return live_wait > 0 and not _proxy_configured()


class LiveWait:
    """One waiting pull, cancellable from any thread (its connection is shut: api_client.Abort)."""

    def __init__(self, client: ApiClient, wait: float) -> None:
        self.client = client
        self.wait = wait
        self._abort = Abort()

    @property
    def cancelled(self) -> bool:
        return self._abort.aborted

    def cancel(self) -> None:
        self._abort.abort()

    def pull(self, cursor: int) -> dict[str, Any]:
        """The server's answer: the changes after `cursor` as soon as there are any, else an empty page at the
        end of the wait. Raises ApiError (`cancelled` when cancelled)."""
        query = urlencode({"cursor": cursor, "limit": 1, "wait": self.wait})
        headers = {}
        if self.client.access_token:
            headers["Authorization"] = f"Bearer {self.client.access_token}"
        if self.client.device_credential:
            headers[DEVICE_HEADER] = self.client.device_credential
        url = self.client.base_url + "/api/v1/sync/pull?" + query
        try:
            body = _get_plainly(url, self.wait + MARGIN_S, headers, abort=self._abort)
        except ApiError as exc:
            if self.cancelled:
                raise ApiError("cancelled", "已取消") from exc
            raise
        if self.cancelled:
            raise ApiError("cancelled", "已取消")
        if not isinstance(body, dict) or not isinstance(body.get("changes"), list):
            raise ApiError("bad_response", "服务器返回了无法解析的数据")
        return body


def wait_for_changes(waiter: LiveWait, store: LocalStore, user_id: str | None) -> bool:
    """Block (on a worker) until the server has a change after this terminal's cursor for `user_id` (or the
    public ones), or the wait ends. True when there is something to pull, or the server's epoch is not the one
    the terminal knows (a restored server: the round starts over, kiosk/services/sync.py)."""
    key = f"user.sync.cursor.{user_id}" if user_id else "sync.cursor.public"
    cursor = int(store.get_meta(key, "0") or 0)
    known_epoch = store.get_meta("sync.epoch")
    page = waiter.pull(cursor)
    return bool(page["changes"]) or (known_epoch is not None and page.get("epoch") != known_epoch)


class LiveSchedule:
    """When to wait on the server and when to poll instead. A wait that fails (an error, a cut, a proxy that
    answers early) is followed by an ordinary sync round after `backoff_delay`; after GIVE_UP_AFTER failures in
    a row the terminal polls on its timer for REST_S before trying the channel again. The user sees none of it:
    the chip follows the rounds, not the waits."""

    GIVE_UP_AFTER = 3
    REST_S = 300.0

    def __init__(self) -> None:
        self.failures = 0
        self.off_until = 0.0

    def enabled(self, now: float) -> bool:
        return now >= self.off_until

    def succeeded(self) -> None:
        self.failures = 0

    def failed(self, now: float) -> float:
        """Seconds until the round that replaces the failed wait."""
        from kiosk.services.sync import backoff_delay

        self.failures += 1
        delay = backoff_delay(self.failures - 1)
        if self.failures >= self.GIVE_UP_AFTER:
            self.off_until, self.failures = now + self.REST_S, 0
        return delay


__all__ = ["LiveSchedule", "LiveWait", "available", "wait_for_changes"]
