"""The hall catalog as a list model for QML."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    Property,
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtQml import QmlElement, QmlUncreatable

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1


@dataclass(frozen=True)
class ProcessRow:
    code: str
    name: str
    department: str
    department_name: str
    audience: str  # "学生/教工", as the manual prints it
    category: str
    description: str
    recommended: bool
    popular_rank: int  # 0 when not popular

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ProcessRow:
        return cls(
            code=d["code"],
            name=d["name"],
            department=d["department"],
            department_name=d.get("department_name", d["department"]),
            audience="/".join(d.get("audience", [])),
            category=d.get("category", ""),
            description=d.get("description", ""),
            recommended=bool(d.get("recommended")),
            popular_rank=int(d.get("popular_rank") or 0),
        )


class ProcessRole(IntEnum):
    Code = Qt.ItemDataRole.UserRole + 1
    Name = Qt.ItemDataRole.UserRole + 2
    Department = Qt.ItemDataRole.UserRole + 3
    DepartmentName = Qt.ItemDataRole.UserRole + 4
    Audience = Qt.ItemDataRole.UserRole + 5
    Category = Qt.ItemDataRole.UserRole + 6
    Description = Qt.ItemDataRole.UserRole + 7
    Recommended = Qt.ItemDataRole.UserRole + 8
    PopularRank = Qt.ItemDataRole.UserRole + 9


_ROLE_ATTR = {
    ProcessRole.Code: "code",
    ProcessRole.Name: "name",
    ProcessRole.Department: "department",
    ProcessRole.DepartmentName: "department_name",
    ProcessRole.Audience: "audience",
    ProcessRole.Category: "category",
    ProcessRole.Description: "description",
    ProcessRole.Recommended: "recommended",
    ProcessRole.PopularRank: "popular_rank",
}


@QmlElement
@QmlUncreatable("ProcessListModel comes from Catalog.processes")
class ProcessListModel(QAbstractListModel):
    countChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ProcessRow] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        attr = _ROLE_ATTR.get(role)  # type: ignore[call-overload]
        return getattr(row, attr) if attr else None

    def roleNames(self) -> dict[int, QByteArray]:
        names = {int(role): QByteArray(role.name[0].lower() + role.name[1:]) for role in ProcessRole}
        names[Qt.ItemDataRole.DisplayRole] = QByteArray(b"display")
        return names

    def set_rows(self, rows: list[ProcessRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()
        self.countChanged.emit()

    def rows(self) -> list[ProcessRow]:
        return list(self._rows)

    def _count(self) -> int:
        return len(self._rows)

    count = Property(int, _count, notify=countChanged)
