"""The base of our list models: rows are frozen dataclasses, roles an IntEnum mapped to their attributes."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, ClassVar

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


class RowListModel(QAbstractListModel):
    """Subclasses set ROLES (the IntEnum; QML role names are its member names in lowerCamelCase), ROLE_ATTRS
    (role → row attribute) and DISPLAY_ATTR (what DisplayRole shows)."""

    ROLES: ClassVar[type[IntEnum]]
    ROLE_ATTRS: ClassVar[dict[int, str]]
    DISPLAY_ATTR: ClassVar[str] = "name"

    countChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return getattr(row, self.DISPLAY_ATTR)
        attr = self.ROLE_ATTRS.get(role)
        return getattr(row, attr) if attr else None

    def roleNames(self) -> dict[int, QByteArray]:
        names = {int(role): QByteArray((role.name[0].lower() + role.name[1:]).encode()) for role in self.ROLES}
        names[Qt.ItemDataRole.DisplayRole] = QByteArray(b"display")
        return names

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()
        self.countChanged.emit()

    def update_rows(self, rows: list[Any]) -> None:
        """New values for the same rows in the same order: only the rows that differ emit dataChanged, so a
        view keeps its scroll position and its delegates (a ★ tap must not rebuild the grid)."""
        if len(rows) != len(self._rows):
            self.set_rows(rows)
            return
        for i, (old, new) in enumerate(zip(self._rows, rows, strict=True)):
            if old != new:
                self._rows[i] = new
                index = self.index(i, 0)
                self.dataChanged.emit(index, index)

    def merge_rows(self, rows: list[Any], key: str) -> None:
        """New rows, told to views as the smallest change when the new keys are the old ones with some left
        out (a handled 待办 leaves the list): the rest keep their delegates, the current row and the
        selection; any other change is a reset."""
        old_keys, new_keys = [getattr(r, key) for r in self._rows], [getattr(r, key) for r in rows]
        if old_keys == new_keys:
            self.update_rows(rows)
            return
        kept = set(new_keys)
        if len(kept) != len(new_keys) or [k for k in old_keys if k in kept] != new_keys:
            self.set_rows(rows)
            return
        for i in reversed(range(len(old_keys))):
            if old_keys[i] not in kept:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self._rows[i]
                self.endRemoveRows()
        self.countChanged.emit()
        self.update_rows(rows)

    def rows(self) -> list[Any]:
        return list(self._rows)

    def _count(self) -> int:
        return len(self._rows)

    count = Property(int, _count, notify=countChanged)
