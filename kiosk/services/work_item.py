"""One row of 待办 / 已办 / 我的申请, as the lists show it, in a module of its own: kiosk.services.inbox makes
rows (from the local store's reads) and kiosk.services.worklist searches, filters and sorts them; each imports
this, neither the other's back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkItem:
    """One row of 待办 / 已办 / 我的申请."""

    application_id: str
    task_id: str
    process_code: str
    name: str
    applicant: str
    serial: str
    status: str
    status_name: str
    outcome: str
    step_name: str
    waiting: str
    overdue: bool
    pending_action: str
    sync_state: str
    sync_error: str
    created_at: str
    # What a desk worker scans a 待办 row for (kiosk.services.worklist).
    applicant_id: str = ""  # 学号 / 工号
    applicant_group: str = ""  # 班级 / 部门
    summary: str = ""  # the request's key fields: "证明用途 办理签证 · 份数 2"
    submitted_at: str = ""  # as the column shows it
    submitted_at_iso: str = ""
    due_at: str = ""  # iso, "" without a deadline
    due_text: str = ""
    quick: bool = False  # 通过 from the list: the step asks for nothing its defaults do not give
