"""我的登录设备: the user's signed-in sessions as a list model (kind, device, last seen, this one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.services import campus_time
from kiosk.views.list_model import RowListModel

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1


@dataclass(frozen=True)
class SessionRow:
    id: str
    kind: str
    device_name: str
    last_seen: str
    current: bool


class SessionRole(IntEnum):
    SessionId = Qt.ItemDataRole.UserRole + 1
    Kind = Qt.ItemDataRole.UserRole + 2
    DeviceName = Qt.ItemDataRole.UserRole + 3
    LastSeen = Qt.ItemDataRole.UserRole + 4
    Current = Qt.ItemDataRole.UserRole + 5


_SESSION_ATTR = {
    SessionRole.SessionId: "id",
    SessionRole.Kind: "kind",
    SessionRole.DeviceName: "device_name",
    SessionRole.LastSeen: "last_seen",
    SessionRole.Current: "current",
}


@QmlElement
@QmlUncreatable("SessionListModel comes from Session.devices")
class SessionListModel(RowListModel):
    ROLES = SessionRole
    ROLE_ATTRS: ClassVar[dict[int, str]] = {int(k): v for k, v in _SESSION_ATTR.items()}
    DISPLAY_ATTR = "device_name"


def local_time(iso: str) -> str:
    """The server speaks UTC; people read the campus's time, as every time the app shows (services/campus_time)."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(campus_time.zone()).strftime("%Y-%m-%d %H:%M")


def session_rows(raw: list[dict[str, Any]]) -> list[SessionRow]:
    kinds = {"kiosk": "自助终端", "desk": "办公电脑", "phone": "手机"}
    rows = []
    for s in raw:
        seen = local_time(str(s.get("last_seen_at", "")))
        rows.append(
            SessionRow(
                s["id"],
                kinds.get(s["kind"], s["kind"]),
                s.get("device_name") or "未命名设备",
                seen,
                bool(s.get("current")),
            )
        )
    return rows
