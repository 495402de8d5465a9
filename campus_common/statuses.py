"""The names of an application's statuses and of the workflow's actions, as both sides show them."""

from __future__ import annotations

# In the order the server's lists and the kiosk's filters show them.
STATUS_NAMES = {
    "submitted": "待办理",
    "in_progress": "办理中",
    "returned": "已退回",
    "confirming": "待确认",
    "completed": "办结",
    "rejected": "不予办理",
    "terminated": "已终止",
    "withdrawn": "已撤回",
}
# Written on the kiosk before the server has seen the application; never sent by the server.
QUEUED = "queued"
QUEUED_NAME = "待提交"
FINAL = frozenset({"completed", "rejected", "terminated"})
FINAL_PHRASES = {"completed": "已办结", "rejected": "已不予办理", "terminated": "已终止"}
WAITING_FOR_OTHERS = frozenset({"submitted", "in_progress"})

ACTION_NAMES = {
    "submit": "提交",
    "resubmit": "重新提交",
    "approve": "同意",
    "confirm": "确认",
    "return": "退回",
    "reject": "不予办理",
    "transfer": "转办",
    "withdraw": "撤回",
    "terminate": "终止",
    "urge": "催办",
    "comment": "备注",
    "annotate": "批注",
    "complete": "办结",
    "cert_revoke": "撤销证明",  # the issuing department revoked the certificate (core/certificates.py)
}
# The actions a client may send as `workflow.<action>` operations.
ACTIONS = ("approve", "return", "reject", "transfer", "withdraw", "terminate", "urge", "comment", "resubmit")


def is_final(status: str | None) -> bool:
    return (status or "") in FINAL
