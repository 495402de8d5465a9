"""The fields of the form being filled, as the list model FormPage.qml renders (FormController.fields)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.views.list_model import RowListModel

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1


class FieldRole(IntEnum):
    Name = Qt.ItemDataRole.UserRole + 1
    Widget = Qt.ItemDataRole.UserRole + 2
    Label = Qt.ItemDataRole.UserRole + 3
    Required = Qt.ItemDataRole.UserRole + 4
    Placeholder = Qt.ItemDataRole.UserRole + 5
    Help = Qt.ItemDataRole.UserRole + 6
    Hint = Qt.ItemDataRole.UserRole + 7
    Options = Qt.ItemDataRole.UserRole + 8
    Value = Qt.ItemDataRole.UserRole + 9
    Error = Qt.ItemDataRole.UserRole + 10
    ReadOnly = Qt.ItemDataRole.UserRole + 11
    DeskOnly = Qt.ItemDataRole.UserRole + 12
    MaxLength = Qt.ItemDataRole.UserRole + 13
    SectionTitle = Qt.ItemDataRole.UserRole + 14
    Uploads = Qt.ItemDataRole.UserRole + 15
    Notice = Qt.ItemDataRole.UserRole + 16
    Accept = Qt.ItemDataRole.UserRole + 17
    MaxCount = Qt.ItemDataRole.UserRole + 18
    Annotation = Qt.ItemDataRole.UserRole + 19
    Shown = Qt.ItemDataRole.UserRole + 20
    OptionLabels = Qt.ItemDataRole.UserRole + 21
    Changeable = Qt.ItemDataRole.UserRole + 22


@QmlElement
@QmlUncreatable("FieldListModel comes from FormController.fields")
class FieldListModel(RowListModel):
    """Rows are kiosk.services.form_fields.FieldRow."""

    ROLES = FieldRole
    ROLE_ATTRS: ClassVar[dict[int, str]] = {
        int(FieldRole.Name): "name",
        int(FieldRole.Widget): "widget",
        int(FieldRole.Label): "label",
        int(FieldRole.Required): "required",
        int(FieldRole.Placeholder): "placeholder",
        int(FieldRole.Help): "help",
        int(FieldRole.Hint): "hint",
        int(FieldRole.Options): "options",
        int(FieldRole.Value): "value",
        int(FieldRole.Error): "error",
        int(FieldRole.ReadOnly): "read_only",
        int(FieldRole.DeskOnly): "desk_only",
        int(FieldRole.MaxLength): "max_length",
        int(FieldRole.SectionTitle): "section_title",
        int(FieldRole.Uploads): "uploads",
        int(FieldRole.Notice): "notice",
        int(FieldRole.Accept): "accept",
        int(FieldRole.MaxCount): "max_count",
        int(FieldRole.Annotation): "annotation",
        int(FieldRole.Shown): "shown",
        int(FieldRole.OptionLabels): "option_labels",
        int(FieldRole.Changeable): "changeable",
    }
    DISPLAY_ATTR = "label"

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        value = super().data(index, role)
        return list(value) if isinstance(value, tuple) else value  # QML reads a list, not a tuple
