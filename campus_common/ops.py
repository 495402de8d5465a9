"""The operation types a terminal queues in its outbox and the server applies (POST /api/v1/sync/push)."""

from __future__ import annotations

from campus_common.statuses import ACTIONS

FAVORITE_SET = "favorite.set"
APPLICATION_SUBMIT = "application.submit"
NOTIFICATION_READ = "notification.read"
WORKFLOW_PREFIX = "workflow."
# 个人日程 (docs/calendar.md): create or edit (the whole event, with its exceptions), and delete.
CALENDAR_EVENT_SAVE = "calendar.event.save"
CALENDAR_EVENT_DELETE = "calendar.event.delete"
# Their limits, here (not in op_payloads.py, which loads jsonschema) so the kiosk's 新增日程 sheet can say them
# without putting jsonschema on the start-up path.
MAX_EVENT_TITLE = 128
MAX_EVENT_NOTE = 2000
# 个人中心 › 通知设置: which notifications are also e-mailed (docs/portal.md).
SETTINGS_NOTIFY_SET = "settings.notify.set"
# 打印证明 (docs/certificates.md#printing): one printed copy of a certificate, sent after its print job completed.
CERTIFICATE_PRINT = "certificate.print"


def workflow_op(action: str) -> str:
    """The op type of a workflow action (`workflow.approve`, …)."""
    if action not in ACTIONS:
        raise ValueError(f"not a workflow action: {action!r}")
    return WORKFLOW_PREFIX + action


def is_workflow_op(op_type: str) -> bool:
    return op_type.startswith(WORKFLOW_PREFIX)


OP_TYPES = (
    FAVORITE_SET,
    APPLICATION_SUBMIT,
    NOTIFICATION_READ,
    *(WORKFLOW_PREFIX + a for a in ACTIONS),
    CALENDAR_EVENT_SAVE,
    CALENDAR_EVENT_DELETE,
    SETTINGS_NOTIFY_SET,
    CERTIFICATE_PRINT,
)
