"""The hall catalog as list models for QML: processes, and the letters of 服务中心 A–Z."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.views.list_model import RowListModel

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
    favorite: bool = False  # ★ of the logged-in user
    sync_state: str = ""  # of the user's latest ★ write: "" | pending | applied | rejected
    sync_error: str = ""  # why the server refused it
    letter: str = ""  # 服务中心's A–Z group
    name_html: str = ""  # the name with a search's matches in bold (StyledText), or "" for plain
    audiences: tuple[str, ...] = ()  # 学生, 教工, 校外人员: whom it is for (`audience` is how it reads)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ProcessRow:
        return cls(
            code=d["code"],
            name=d["name"],
            department=d["department"],
            department_name=d.get("department_name", d["department"]),
            audience=str(d.get("audience_text") or "/".join(d.get("audience", []))),
            category=d.get("category", ""),
            description=d.get("description", ""),
            recommended=bool(d.get("recommended")),
            popular_rank=int(d.get("popular_rank") or 0),
            audiences=tuple(d.get("audience", [])),
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
    Favorite = Qt.ItemDataRole.UserRole + 10
    SyncState = Qt.ItemDataRole.UserRole + 11
    SyncError = Qt.ItemDataRole.UserRole + 12
    Letter = Qt.ItemDataRole.UserRole + 13
    NameHtml = Qt.ItemDataRole.UserRole + 14


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
    ProcessRole.Favorite: "favorite",
    ProcessRole.SyncState: "sync_state",
    ProcessRole.SyncError: "sync_error",
    ProcessRole.Letter: "letter",
    ProcessRole.NameHtml: "name_html",
}


@QmlElement
@QmlUncreatable("ProcessListModel comes from Catalog.processes")
class ProcessListModel(RowListModel):
    ROLES = ProcessRole
    ROLE_ATTRS: ClassVar[dict[int, str]] = {int(k): v for k, v in _ROLE_ATTR.items()}


@dataclass(frozen=True)
class LetterRow:
    letter: str


class LetterRole(IntEnum):
    Letter = Qt.ItemDataRole.UserRole + 1


@QmlElement
@QmlUncreatable("LetterListModel comes from Hall.azLetters")
class LetterListModel(RowListModel):
    """The letters of 服务中心 A–Z that have processes: a model (not a list property), so a ★ tap does not
    rebuild the blocks and lose the scroll position."""

    ROLES = LetterRole
    ROLE_ATTRS: ClassVar[dict[int, str]] = {int(LetterRole.Letter): "letter"}
    DISPLAY_ATTR = "letter"
