"""Deliberate bugs for the harness's own tests: each one must make the check it targets report a non-zero
count, or that check could not fail (test_faults.py runs them). Never used outside those tests.

Kiosk mutants patch one kiosk process's store or sync loop (kiosk_proc.Kiosk). The server mutant lives in
server_mutant/sitecustomize.py, loaded by the server process through PYTHONPATH.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.faults.kiosk_proc import Kiosk

KIOSK_MUTANTS = ("lose", "reorder", "no_retry", "ignore_deletes", "phantom")


def apply_to_kiosk(kiosk: Kiosk, name: str) -> None:
    store = kiosk.store
    if name == "lose":
        # The oldest waiting operation is marked done without ever being sent (a wrong id in record_results).
        pending_ops = store.pending_ops

        def losing(user_id: str, limit: int = 100) -> list[dict[str, Any]]:
            batch = pending_ops(user_id, limit)
            if batch:
                store.record_results([{"id": batch[0]["id"], "status": "applied"}])
            return batch[1:]

        store.pending_ops = losing  # type: ignore[method-assign]
    elif name == "reorder":
        # Newest first, one per request: the server applies them in the order they arrive.
        def newest_first(read: Any) -> Any:
            return lambda key, limit=100: read(key, limit)[-1:]

        store.pending_ops = newest_first(store.pending_ops)  # type: ignore[method-assign]
        store.pending_ops_of_session = newest_first(store.pending_ops_of_session)  # type: ignore[method-assign]
    elif name == "no_retry":
        # The PowerSync-style stall: after a failure, wait for the next local write instead of a timer.
        kiosk.failure_delay = lambda attempt: 3600.0  # type: ignore[method-assign]
    elif name == "ignore_deletes":
        # A pull that drops ☆ (delete) changes: the kiosk keeps showing ★ the server no longer has.
        apply_changes = store.apply_changes

        # It takes apply_changes' arguments as they are (still_current is a keyword): a wrapper that refused one
        # failed every pull, and the run waited 2 × 15 s for final syncs that could never succeed.
        def keep_deleted(user_id: Any, changes: list[dict[str, Any]], *args: Any, **kwargs: Any) -> bool:
            return apply_changes(user_id, [c for c in changes if c["op"] != "delete"], *args, **kwargs)

        store.apply_changes = keep_deleted  # type: ignore[method-assign]
    elif name == "phantom":
        # Every write also queues an unannounced second copy (a double tap the UI never acknowledged).
        enqueue = store.enqueue

        def twice(*args: Any, **kwargs: Any) -> dict[str, Any]:
            op = enqueue(*args, **kwargs)
            enqueue(*args, **kwargs)
            return op

        store.enqueue = twice  # type: ignore[method-assign]
    else:
        raise ValueError(f"unknown kiosk mutant {name!r}")
