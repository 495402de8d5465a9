"""Submitting a form through the outbox: what the form page reads to open, the operation of a new or a corrected
application (修改后重新提交) with its local effect, and where a submission stands afterwards.

Blocking (the store): call on a worker thread. The local effects run inside the outbox's transaction
(LocalStore.enqueue), so the application row, the draft's deletion and the operation are stored together or not
at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from campus_common import ops

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kiosk.models.store import LocalStore


@dataclass(frozen=True)
class FormContext:
    """What the form page needs from the store, read in one go."""

    definition: dict[str, Any] | None  # None: the form is not on this terminal
    workflow: dict[str, Any] | None
    handlers: dict[str, list[dict[str, Any]]]  # step key → holders of its post, for 选择审核人
    returned: dict[str, Any] | None  # the application being corrected, as the server last described it


def load_form(store: LocalStore, user_id: str | None, process_code: str, resubmit_of: str = "") -> FormContext:
    """The process's form and workflow, who may handle its first step, and (`resubmit_of`) the user's returned
    application — None when it is not theirs or no longer on this terminal."""
    returned = store.application_view(user_id, resubmit_of) if user_id and resubmit_of else None
    return FormContext(
        definition=store.form(process_code),
        workflow=store.workflow(process_code),
        handlers=store.workflow_handlers(user_id, process_code) if user_id else {},
        returned=returned,
    )


@dataclass(frozen=True)
class Submission:
    """One outbox operation on an application and its optimistic local effect."""

    op_type: str
    application_id: str
    payload: dict[str, Any]
    apply_local: Callable[[Session], None] = field(repr=False)

    @property
    def entity(self) -> str:
        """What the outbox files it under: the page follows the operation's state by it."""
        return f"application:{self.application_id}"


def _payload(application_id: str, body: dict[str, Any], next_handler: str) -> dict[str, Any]:
    payload = {"application_id": application_id, **body}
    if next_handler:
        payload["next_handler"] = next_handler  # 选择审核人; none: whoever holds the post takes it first
    return payload


def new_application(
    user_id: str,
    process_code: str,
    definition: dict[str, Any],
    data: dict[str, Any],
    next_handler: str = "",
) -> Submission:
    """提交: the application is in 我的申请 at once (流水号 待分配), and the user's draft of the form goes with it."""
    from kiosk.models.drafts import remove_draft
    from kiosk.models.tables import LocalApplication

    application_id = str(uuid.uuid4())

    def apply_local(session: Session) -> None:
        remove_draft(session, user_id, process_code)
        session.add(
            LocalApplication(
                id=application_id,
                user_id=user_id,
                process_code=process_code,
                form_version=int(definition.get("version", 1)),
                data=data,
                status="queued",
                created_at=datetime.now(UTC).isoformat(),
            )
        )

    body = {"process_code": process_code, "data": data}
    return Submission(ops.APPLICATION_SUBMIT, application_id, _payload(application_id, body, next_handler), apply_local)


def corrected_application(
    user_id: str, application_id: str, data: dict[str, Any], next_handler: str = ""
) -> Submission:
    """修改后重新提交: a workflow action on the returned application. The server decides; a refusal shows on the
    page and on the item, and the corrected form stays in the outbox's record."""
    from kiosk.models.reverts import mark_acting
    from kiosk.models.tables import LocalApplication

    def apply_local(session: Session) -> None:
        mark_acting(session, user_id, application_id, "resubmit")
        row = session.get(LocalApplication, application_id)
        if row is not None and row.user_id == user_id:
            row.data = data

    payload = _payload(application_id, {"data": data}, next_handler)
    return Submission(ops.workflow_op("resubmit"), application_id, payload, apply_local)


@dataclass(frozen=True)
class SubmissionState:
    status: str = ""  # the operation's: pending | applied | rejected ("" : not known)
    error: str = ""  # the server's reason, when rejected
    serial: str = ""  # 流水号, once the server assigned it
    doc_no: str = ""  # 单号


def submission_state(
    store: LocalStore, user_id: str, application_id: str, known: SubmissionState | None = None
) -> SubmissionState:
    """Where a submission stands (待同步 / 已同步 with its 流水号 / 被拒绝). What the page `known` before stays
    where the store knows nothing newer (a corrected application that left this terminal keeps its 流水号)."""
    known = known or SubmissionState()
    entity = f"application:{application_id}"
    op = store.op_states(user_id, entity).get(entity)
    mine = next((a for a in store.applications(user_id) if a["id"] == application_id), None)
    status, error = (str(op["status"]), str(op["error"])) if op else (known.status, known.error)
    if mine is not None and mine.get("serial"):
        return SubmissionState(status, error, str(mine["serial"]), str(mine.get("doc_no") or ""))
    return SubmissionState(status, error, known.serial, known.doc_no)
