"""The list models of 办件: the rows of 待办 / 已办 / 我的申请 and of the notification centre."""

from __future__ import annotations

from enum import IntEnum, auto
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.views.list_model import RowListModel

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1


def _attrs(roles: type[IntEnum]) -> dict[int, str]:
    """Each role's row attribute: the role's name in snake_case (StatusName → status_name)."""
    return {int(r): "".join("_" + c.lower() if c.isupper() else c for c in r.name).lstrip("_") for r in roles}


# Roles start above Qt's own (0–255): numbered from 1 they were read as decoration, font, size hint … by views
# and by the model tester, which refused them.
class WorkItemRole(IntEnum):
    ApplicationId = Qt.ItemDataRole.UserRole + 1
    TaskId = auto()
    ProcessCode = auto()
    Name = auto()
    Applicant = auto()
    Serial = auto()
    Status = auto()
    StatusName = auto()
    Outcome = auto()
    StepName = auto()
    Waiting = auto()
    Overdue = auto()
    PendingAction = auto()
    SyncState = auto()
    SyncError = auto()
    CreatedAt = auto()
    ApplicantId = auto()
    ApplicantGroup = auto()
    Summary = auto()
    SubmittedAt = auto()
    SubmittedAtIso = auto()
    DueAt = auto()
    DueText = auto()
    Quick = auto()


@QmlElement
@QmlUncreatable("WorkItemListModel comes from Inbox.items")
class WorkItemListModel(RowListModel):
    """Rows are kiosk.services.work_item.WorkItem."""

    ROLES = WorkItemRole
    ROLE_ATTRS: ClassVar[dict[int, str]] = _attrs(WorkItemRole)


class NotificationRole(IntEnum):
    Id = Qt.ItemDataRole.UserRole + 1
    Kind = auto()
    Title = auto()
    Body = auto()
    ApplicationId = auto()
    Read = auto()
    When = auto()


@QmlElement
@QmlUncreatable("NotificationListModel comes from Inbox.notifications")
class NotificationListModel(RowListModel):
    """Rows are kiosk.services.notifications.NotificationRow."""

    ROLES = NotificationRole
    ROLE_ATTRS: ClassVar[dict[int, str]] = _attrs(NotificationRole)
    DISPLAY_ATTR = "title"
