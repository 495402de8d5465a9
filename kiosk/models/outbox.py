"""The outbox: an operation queued with its optimistic local effect in one transaction, the pending ones
handed out in order (per user, per departed session), the server's answers settled, counts and purges."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from kiosk.models.base import StoreBase
from kiosk.models.first_look import WAITING_STATUSES
from kiosk.models.reverts import revert_of
from kiosk.models.tables import Meta, OutboxOp

LAST_SEQ_KEY = "outbox.last_seq"
PARKED = "parked"
# Not yet delivered: kept through logouts and purges (sync guarantee 7) until the server has them or the user
# gives them up.
UNSETTLED = WAITING_STATUSES  # ("pending", "parked"), as the start-up's first look counts them


def _later_pending(session: Session, op: OutboxOp) -> bool:
    if op.entity is None:
        return False
    later = select(func.count()).where(
        OutboxOp.entity == op.entity,
        OutboxOp.user_id == op.user_id,
        OutboxOp.seq > op.seq,
        OutboxOp.status == "pending",
    )
    return bool(session.scalar(later))


class OutboxMixin(StoreBase):
    def enqueue(
        self,
        user_id: str,
        op_type: str,
        payload: dict[str, Any],
        apply_local: Callable[[Session], None] | None = None,
        *,
        entity: str | None = None,
        session_id: str | None = None,
        signer: Callable[[dict[str, Any]], str] | None = None,
    ) -> dict[str, Any]:
        """Write the optimistic local effect and the outbox operation in ONE transaction (synchronous=FULL):
        when this returns, the write survives a power cut, and the UI may say 已保存，待同步. `signer` signs the
        operation with the session's operation key, so it can be delivered after the user has left."""
        op_id = str(uuid.uuid4())
        with self.transaction() as session:
            counter = session.get(Meta, LAST_SEQ_KEY)
            seq = int(counter.value if counter else "0") + 1
            session.merge(Meta(key=LAST_SEQ_KEY, value=str(seq)))
            op = {
                "id": op_id,
                "seq": seq,
                "type": op_type,
                "payload": payload,
                "created_at": datetime.now(UTC).isoformat(),
            }
            session.add(
                OutboxOp(
                    **op,
                    user_id=user_id,
                    status="pending",
                    attempts=0,
                    entity=entity,
                    session_id=session_id,
                    signature=signer(op) if signer is not None else None,
                )
            )
            if apply_local is not None:
                apply_local(session)
        return op

    @staticmethod
    def _wire(row: OutboxOp) -> dict[str, Any]:
        op = {"id": row.id, "seq": row.seq, "type": row.type, "payload": row.payload, "created_at": row.created_at}
        if row.signature:
            op["signature"] = row.signature
        return op

    def _pending(self, condition: Any, limit: int) -> list[dict[str, Any]]:
        with self.sessions() as session:
            rows = session.scalars(
                select(OutboxOp).where(condition, OutboxOp.status == "pending").order_by(OutboxOp.seq).limit(limit)
            ).all()
            return [self._wire(r) for r in rows]

    def pending_ops(self, user_id: str, limit: int = 100) -> list[dict[str, Any]]:
        return self._pending(OutboxOp.user_id == user_id, limit)

    def departed_sessions(self, current_user: str | None) -> list[tuple[str, str]]:
        """(user, session) pairs with operations waiting whose user is not the one logged in now, each user's
        sessions in the order their operations were made. Operations without a session (no key) wait for
        their user's next login."""
        with self.sessions() as session:
            query = (
                select(OutboxOp.user_id, OutboxOp.session_id, func.min(OutboxOp.seq))
                .where(OutboxOp.status == "pending", OutboxOp.session_id.is_not(None))
                .group_by(OutboxOp.user_id, OutboxOp.session_id)
                .order_by(OutboxOp.user_id, func.min(OutboxOp.seq))
            )
            if current_user is not None:
                query = query.where(OutboxOp.user_id != current_user)
            return [(user, sid) for user, sid, _ in session.execute(query).all() if sid]

    def pending_ops_of_session(self, session_id: str, limit: int = 100) -> list[dict[str, Any]]:
        return self._pending(OutboxOp.session_id == session_id, limit)

    def reject_session_ops(self, session_id: str, code: str, message: str) -> int:
        """The server will never take this session's operations (its grant is gone): settle them as rejected
        so they stop being retried and the queue behind them moves."""
        with self.transaction() as session:
            rows = session.scalars(
                select(OutboxOp).where(OutboxOp.session_id == session_id, OutboxOp.status == "pending")
            ).all()
            for row in rows:
                row.status, row.error_code, row.error_message = "rejected", code, message
            return len(rows)

    def purge_settled(self, current_user: str | None) -> None:
        """Delete the settled operations of users who are not logged in (their payloads are personal data,
        kept only until delivered)."""
        with self.transaction() as session:
            query = delete(OutboxOp).where(OutboxOp.status.not_in(UNSETTLED))
            if current_user is not None:
                query = query.where(OutboxOp.user_id != current_user)
            session.execute(query)

    def op_states(self, user_id: str, prefix: str) -> dict[str, dict[str, Any]]:
        """The latest operation on each entity starting with `prefix`: its status and, if rejected, why."""
        with self.sessions() as session:
            rows = session.execute(
                select(OutboxOp.entity, OutboxOp.status, OutboxOp.error_message)
                .where(OutboxOp.user_id == user_id, OutboxOp.entity.like(prefix + "%"))
                .order_by(OutboxOp.seq)
            ).all()
        return {entity: {"status": status, "error": error or ""} for entity, status, error in rows if entity}

    def record_results(self, results: list[dict[str, Any]]) -> None:
        """The server's answers: applied and duplicate are done; rejected keeps the reason to show, and its
        optimistic local effect is undone (unless a later write to the same item is still on its way).
        The usual answer, a batch all applied, is one UPDATE: loading each row to set its status was most of
        the terminal's share of draining a queue (bench/README.md, drain)."""
        done = [
            r["id"]
            for r in results
            if not (r["status"] == "rejected" or (r["status"] == "duplicate" and r.get("error")))
        ]
        settled = set(done)
        refused = [r for r in results if r["id"] not in settled]
        with self.transaction() as session:
            if done:
                session.execute(update(OutboxOp).where(OutboxOp.id.in_(done)).values(status="applied"))
            for result in refused:
                row = session.get(OutboxOp, result["id"])
                if row is None:
                    continue
                error = result.get("error") or {}
                row.status, row.error_code, row.error_message = "rejected", error.get("code"), error.get("message")
                revert = revert_of(row.type)
                if revert is not None and not _later_pending(session, row):
                    revert(session, row)

    def note_server_failure(self, op_id: str) -> int:
        """The server failed (500) on this operation sent alone; returns how many times in a row it has (the
        column `attempts` counts exactly that, and a retry of a parked operation starts it again)."""
        with self.transaction() as session:
            row = session.get(OutboxOp, op_id)
            if row is None:
                return 0
            row.attempts += 1
            return row.attempts

    def park(self, op_id: str, code: str, message: str) -> None:
        """Set aside an operation the server keeps failing on, so the ones behind it go on. Its local effect
        stays (it may yet be applied); it waits for `retry_parked` or `discard_parked`."""
        with self.transaction() as session:
            row = session.get(OutboxOp, op_id)
            if row is not None and row.status == "pending":
                row.status, row.error_code, row.error_message = PARKED, code, message

    def parked_ops(self, user_id: str | None = None) -> list[dict[str, Any]]:
        """Parked operations, oldest first: one user's, or (None) every user's on this terminal."""
        with self.sessions() as session:
            query = select(OutboxOp).where(OutboxOp.status == PARKED).order_by(OutboxOp.seq)
            if user_id is not None:
                query = query.where(OutboxOp.user_id == user_id)
            return [
                {
                    "id": r.id,
                    "user_id": r.user_id,
                    "type": r.type,
                    "entity": r.entity or "",
                    "created_at": r.created_at,
                    "error": r.error_message or "",
                }
                for r in session.scalars(query).all()
            ]

    def retry_parked(self, user_id: str | None = None, op_id: str | None = None) -> int:
        """Parked operations (one user's, one, or all) back in the queue, in their place, with a fresh count."""
        with self.transaction() as session:
            query = update(OutboxOp).where(OutboxOp.status == PARKED)
            if user_id is not None:
                query = query.where(OutboxOp.user_id == user_id)
            if op_id is not None:
                query = query.where(OutboxOp.id == op_id)
            result = session.execute(query.values(status="pending", attempts=0, error_code=None, error_message=None))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def discard_parked(self, user_id: str, op_id: str) -> bool:
        """The user gives up on a parked operation: settled as rejected (their choice, said as such) and its
        optimistic local effect undone, as for a refusal."""
        with self.transaction() as session:
            row = session.get(OutboxOp, op_id)
            if row is None or row.user_id != user_id or row.status != PARKED:
                return False
            row.status, row.error_code, row.error_message = "rejected", "discarded", "已放弃同步"
            revert = revert_of(row.type)
            if revert is not None and not _later_pending(session, row):
                revert(session, row)
            return True

    def outbox_counts(self, user_id: str | None = None) -> dict[str, int]:
        """Operations by status, of one user or (None) of everyone on this terminal."""
        with self.sessions() as session:
            query = select(OutboxOp.status, func.count()).group_by(OutboxOp.status)
            if user_id is not None:
                query = query.where(OutboxOp.user_id == user_id)
            counts = {"pending": 0, "applied": 0, "rejected": 0, PARKED: 0}
            counts.update({status: n for status, n in session.execute(query).all()})
            return counts
