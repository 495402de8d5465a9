"""InboxList: the 待办 list's own slots on Inbox, its base class: search, step filter, sort, batch 通过 and the
undo bar's held writes. Inbox holds the state they change (`_view`, `_all`, `_held`, `_snapshot`). The file sorts
before inbox.py: QML's type registrar must see a base class before its subclass."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.services.applications import Application
from kiosk.services.worklist import ListView, approve_values, arrange, default_values, ends_application, step_choices
from kiosk.views.held_writes import HeldWrite, HeldWrites

if TYPE_CHECKING:
    from kiosk.services.inbox import InboxSnapshot
    from kiosk.services.work_item import WorkItem


QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
@QmlUncreatable("InboxList is the base of Inbox")
class InboxList(QObject):
    """The list's slots and properties; the subclass publishes (`_publish`) and prepares writes (`_prepared`)."""

    listChanged = Signal()

    _view: ListView
    _all: list[WorkItem]
    _held: HeldWrites
    _snapshot: InboxSnapshot

    def _publish(self) -> None:
        raise NotImplementedError

    def _prepared(self, application_id: str, action: str, given: dict[str, Any]) -> Any:
        raise NotImplementedError

    @Slot(str)
    def setStep(self, step_name: str) -> None:
        self._view = replace(self._view, step_name=step_name)
        self._publish()

    @Slot(str)
    def setQuery(self, query: str) -> None:
        """Search by 姓名, 学号/工号 and 流水号 (every word must match)."""
        self._view = replace(self._view, query=query)
        self._publish()

    @Slot(str)
    def setSort(self, key: str) -> None:
        """Sort by a column; the same column again turns the order round."""
        same = key == self._view.sort
        self._view = replace(self._view, sort=key, descending=not self._view.descending if same else False)
        self._publish()
        self.listChanged.emit()

    @Slot(result="QVariantList")
    def stepChoices(self) -> list[str]:
        return step_choices(self._all, self._view.process_code)

    @Slot("QVariantList", result=int)
    def approveMany(self, application_ids: list[str]) -> int:
        """通过 from the list for each application (one op each, with the step's defaults); those whose step
        asks for more are left alone. Final ones are held together for one undo. Returns how many went."""
        now, later = [], []
        for application_id in application_ids:
            application = Application.find(self._snapshot, str(application_id))
            item = next((i for i in self._all if i.application_id == application.id), None)
            if item is None or not item.quick:
                continue
            values, handler = approve_values(application.task, application.form)
            write = self._prepared(application.id, "approve", {"values": values, "nextHandler": handler})
            if callable(write):
                final = ends_application(application.task, "approve")
                (later if final else now).append(HeldWrite(application.id, "approve", write))
        for w in now:
            w.write()
        if later:
            self._held.hold(later)
        return len(now) + len(later)

    @Slot(str, result="QVariantMap")
    def stepDefaults(self, application_id: str) -> dict[str, Any]:
        """The step's section as it starts (its one positive 办理结果)."""
        application = Application.find(self._snapshot, application_id)
        return default_values(application.task, application.form)

    @Slot(str, result=str)
    def nextAfter(self, application_id: str) -> str:
        """办理下一件: the row after this one in the list as shown (else the first), "" when none is left."""
        ids = [i.application_id for i in arrange(self._all, self._view) if i.pending_action == ""]
        later = ids[ids.index(application_id) + 1 :] if application_id in ids else ids
        rest = [i for i in later + ids if i != application_id]
        return rest[0] if rest else ""

    @Slot(result="QVariantList")
    def shownIds(self) -> list[str]:
        """The rows shown now, for 全选."""
        return [i.application_id for i in arrange(self._all, self._view)]

    def _get_held(self) -> QObject:
        return self._held

    def _get_sort(self) -> str:
        return self._view.sort

    def _get_descending(self) -> bool:
        return self._view.descending

    held = Property(HeldWrites, _get_held, constant=True)
    sortKey = Property(str, _get_sort, notify=listChanged)
    descending = Property(bool, _get_descending, notify=listChanged)
