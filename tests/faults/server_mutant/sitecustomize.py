"""Loaded at start by a server process whose PYTHONPATH begins with this directory (tests/faults/harness.py,
Lane(server_mutant=...)): breaks the server on purpose so the harness's tests can show it notices.

no_idempotency: the idempotency record is ignored, so a replayed operation (its answer was lost) takes effect
again; the fault harness must report it as duplicated.
"""

from __future__ import annotations

import os
from typing import Any


def _no_idempotency() -> None:
    from sqlalchemy import delete

    from sync_server.core import sync
    from sync_server.models import AppliedOp

    def push(
        sessions: Any, user_id: str, device_id: str, ops: list[dict[str, Any]], **_options: Any
    ) -> list[dict[str, Any]]:
        results = []
        for op in sorted(ops, key=lambda o: o["seq"]):
            with sessions.begin() as session:  # forget that it was applied before
                session.execute(delete(AppliedOp).where(AppliedOp.op_id == op["id"]))
            digest = sync.payload_hash(op["type"], op["payload"])
            results.append(sync._apply_one(sessions, user_id, device_id, op, digest))
        return results

    sync.push = push  # the route and push_granted look it up at call time


if os.environ.get("CAMPUS_FAULT_SERVER_MUTANT") == "no_idempotency":
    _no_idempotency()
