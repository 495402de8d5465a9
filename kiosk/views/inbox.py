"""Inbox (QML singleton): 办件 for QML — 待办 / 已办 / 我的申请 with their filters, the counters of 首页 and the bell,
the notification centre, and the progress page's application with its actions.

It adapts kiosk.services.inbox, .applications and .notifications: the user's 办件 are read from the local store
on a worker (`reload`), and every other read is answered from the newest read; an action is an outbox operation
(`workflow.<action>`) the server decides, and a refusal shows on the item with the server's reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services.applications import ActionInput, Application, action_rule
from kiosk.services.inbox import (
    BOXES,
    InboxSnapshot,
    RefusalWatch,
    application_entity,
    box_items,
    process_choices,
    read_inbox,
    status_choices,
)
from kiosk.services.notifications import UnreadNews, news_message, notification_rows, read_write
from kiosk.services.worklist import (
    LEAVES_TODO,
    ListView,
    arrange,
    default_sort,
    ends_application,
    still_leaving,
)
from kiosk.views.box_list import InboxList
from kiosk.views.context import singleton_for
from kiosk.views.held_writes import HeldWrite, HeldWrites
from kiosk.views.inbox_models import NotificationListModel, WorkItemListModel
from kiosk.views.workers import LatestPersonalRead

if TYPE_CHECKING:
    from kiosk.services.auth import AuthService
    from kiosk.views.app_state import AppState
    from kiosk.views.catalog import Catalog
    from kiosk.views.session import Session
    from kiosk.views.sync import Sync
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
@QmlSingleton
class Inbox(InboxList):
    """待办 / 已办 / 我的申请 with filters, the counters of 首页 and the bell, the notification centre, and the
    actions on an application."""

    changed = Signal()
    countsChanged = Signal()
    # The box's rows were read again or another box was chosen (not a filter): the filters' choices change.
    revisionChanged = Signal()
    # Notifications that arrived since the last look, as one message: title, body and the application a click on
    # it opens ("" for a batch). Desk mode shows it in the system tray.
    notified = Signal(str, str, str)
    # An action of this user the server refused (someone else handled the task first …): the process's name and
    # the server's reason, said once, even when the item itself is gone from the boxes.
    refused = Signal(str, str)

    def __init__(
        self, state: AppState, auth: AuthService, catalog: Catalog, session: Session, sync: Sync, workers: WorkerPool
    ) -> None:
        super().__init__(state)
        self._auth, self._catalog, self._sync = auth, catalog, sync
        self._items = WorkItemListModel(self)
        self._notifications = NotificationListModel(self)
        self._box = "todo"
        self._all: list[Any] = []
        self._process_filter = ""
        self._status_filter = ""
        self._snapshot = InboxSnapshot()
        self._news = UnreadNews()
        self._refusals = RefusalWatch()
        self._reader = LatestPersonalRead(state, auth, workers)
        self._revision = 0
        self._view = ListView()  # the list's search, filters and sort (kiosk.views.box_list)
        self._held = HeldWrites(self)
        self._sent: set[str] = set()  # handled, still in 待办 until the server answers: kept out of the list
        self._held.changed.connect(self._publish)
        session.signedIn.connect(self.reload)
        session.leaving.connect(self.sendHeld)
        session.signedOut.connect(self._forget)
        sync.settled.connect(self.reload)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("Inbox", engine)

    # -- reading ------------------------------------------------------------------------------------------------
    @Slot()
    def reload(self) -> None:
        """Read the user's boxes, counts and notifications from the local store (on a worker), then show them."""
        self._reader.run(read_inbox, self.present)

    def present(self, snapshot: InboxSnapshot) -> None:
        """Show a read of the user's 办件: the lists, counters and notifications change to it; refusals of the
        user's actions since the read before, and notifications new since then, are announced."""
        names = self._names()
        for refusal in self._refusals.news(self._snapshot, snapshot, names):
            self.refused.emit(refusal.process_name, refusal.reason)
        self._snapshot = snapshot
        self._sent = still_leaving(self._sent, snapshot.todo, snapshot.states)
        rows = notification_rows(snapshot.notifications)
        self._notifications.set_rows(rows)
        message = news_message(self._news.news(rows), snapshot.todo)
        if message is not None:
            self.notified.emit(message.title, message.body, message.application_id)
        self._publish()  # emits countsChanged
        self._bump()

    def _bump(self) -> None:
        self._revision += 1
        self.revisionChanged.emit()

    def _names(self) -> dict[str, str]:
        return {code: str(raw.get("name", "")) for code, raw in self._catalog.raw_processes().items()}

    def _publish(self) -> None:
        items = box_items(self._snapshot, self._box, self._names(), datetime.now(UTC), status=self._status_filter)
        # A handled row leaves 待办 at once: held for its undo (back if undone) or on its way (back if refused).
        gone = self._held.ids() | self._sent
        handled = [i for i in items if i.application_id not in gone and not i.pending_action]
        self._all = handled if self._box == "todo" else items
        self._items.merge_rows(arrange(self._all, self._view), "application_id")
        self.changed.emit()
        self.countsChanged.emit()  # 待办's count leaves out the rows handled here (_todo)

    @Slot()
    def sendHeld(self, _reason: str = "") -> None:
        """The user leaves (signs out, the kiosk's idle logout, the app closes) within an undo time: what they
        chose (通过, 不予办理, 终止) is written now, not dropped. Signing out is not 撤销."""
        self._held.flush()

    def _forget(self, _reason: str = "") -> None:
        self._reader.forget()
        self._snapshot = InboxSnapshot()
        self._news.forget()
        self._refusals.forget()
        self._notifications.set_rows([])
        self._publish()
        self._bump()

    @Slot(str)
    def setBox(self, box: str) -> None:
        if box in BOXES and box != self._box:
            self._box = box
            self._process_filter = self._status_filter = ""
            self._view = replace(self._view, sort=default_sort(box), descending=False, process_code="")
            self._publish()
            self._bump()

    @Slot(str, str)
    def setFilter(self, process_code: str, status: str) -> None:
        self._process_filter, self._status_filter = process_code, status
        self._view = replace(self._view, process_code=process_code)
        self._publish()

    @Slot(result="QVariantList")
    def processChoices(self) -> list[dict[str, str]]:
        """The processes that occur in the current box, for its filter."""
        return process_choices(self._snapshot, self._box, self._names())

    @Slot(result="QVariantList")
    def statusChoices(self) -> list[dict[str, str]]:
        return status_choices(self._snapshot, self._box)

    @Slot(str, result="QVariantMap")
    def detail(self, application_id: str) -> dict[str, Any]:
        """What the progress page shows of the application (kiosk.services.applications.Application.detail),
        from the newest read: the store is not read here."""
        return Application.find(self._snapshot, application_id).detail(self._names())

    @Slot(str, "QVariantMap", result="QVariantMap")
    def checkStep(self, application_id: str, values: dict[str, Any]) -> dict[str, str]:
        """The step section's values checked with the form's own rules: {field: Chinese message}."""
        return Application.find(self._snapshot, application_id).check_step(values)

    @Slot(str, result="QVariantMap")
    def actionRule(self, action: str) -> dict[str, Any]:
        """How the action is taken: `flow` (send / sheet / field / form), `reasonRequired`, `chooses`
        (return_target / colleague / field), `choiceRequired`, `ends`."""
        return action_rule(action)

    # -- writing ------------------------------------------------------------------------------------------------
    @Slot(str, str, "QVariantMap", result="QVariantMap")
    def act(self, application_id: str, action: str, given: dict[str, Any]) -> dict[str, Any]:
        """Queue a workflow action (approve, resubmit, return, transfer, reject, urge, withdraw, terminate,
        comment, annotate) with what the user gave it (comment, choice, values, nextHandler). Returns `queued`,
        and when it was not sent, the `problem` (reason / choice / fields / decision) with the step's `fields`
        problems. A final action is held for the undo bar (`held`) before it is written."""
        write = self._prepared(application_id, action, given)
        if not callable(write):
            return write
        if ends_application(Application.find(self._snapshot, application_id).task, action):
            self._held.hold([HeldWrite(application_id, action, write)])
            return {"queued": True, "held": True, "problem": "", "fields": {}}
        return {"queued": write(), "problem": "", "fields": {}}

    def _prepared(self, application_id: str, action: str, given: dict[str, Any]) -> Any:
        """The write of the action as a callable, or why it cannot be sent (act's answer)."""
        user = self._auth.user_id
        if user is None:
            return {"queued": False, "problem": "", "fields": {}}
        application = Application.find(self._snapshot, application_id)
        wanted = ActionInput.of(given)
        refusal = application.refusal(action, wanted)
        if refusal is not None:
            return refusal
        try:
            op_type, payload, apply_local = application.write(user, action, wanted)
        except ValueError:
            return {"queued": False, "problem": "", "fields": {}}

        def saved(_op: dict[str, Any]) -> None:
            self._snapshot = self._snapshot.with_pending(application_id)
            self._refusals.queued(application_id, str(application.view.get("process_code", "")))
            self.reload()

        entity = application_entity(application_id)

        def write() -> bool:
            queued = self._sync.enqueue(op_type, payload, apply_local, saved, entity=entity)
            if queued and action in LEAVES_TODO:
                self._sent.add(application_id)
            return queued

        return write

    @Slot(str)
    def markRead(self, notification_id: str) -> None:
        self._mark([notification_id])

    @Slot()
    def markAllRead(self) -> None:
        self._mark(None)

    def _mark(self, ids: list[str] | None) -> None:
        user = self._auth.user_id
        if user is None:
            return
        op_type, payload, apply_local = read_write(user, ids)
        self._sync.enqueue(op_type, payload, apply_local, lambda _op: self.reload())

    # -- properties ---------------------------------------------------------------------------------------------
    def _get_items(self) -> QObject:
        return self._items

    def _get_notifications(self) -> QObject:
        return self._notifications

    def _get_revision(self) -> int:
        return self._revision

    def _get_box(self) -> str:
        return self._box

    def _counted(self, key: str) -> int:
        return int(self._snapshot.counts.get(key, 0))

    def _todo(self) -> int:
        """What is still to do: a task handled here (held for its undo bar, or on its way to the server) is no
        longer counted, as it is no longer listed; the store counts it until the server's answer arrives."""
        gone = self._held.ids() | self._sent
        handled = {
            str(t.get("application_id"))
            for t in self._snapshot.todo
            if t.get("pending_action") or str(t.get("application_id")) in gone
        }
        return max(0, self._counted("todo") - len(handled))

    def _done(self) -> int:
        return self._counted("done")

    def _mine(self) -> int:
        return self._counted("mine")

    def _unread(self) -> int:
        return self._counted("unread")

    items = Property(WorkItemListModel, _get_items, constant=True)
    notifications = Property(NotificationListModel, _get_notifications, constant=True)
    box = Property(str, _get_box, notify=changed)
    revision = Property(int, _get_revision, notify=revisionChanged)
    todoCount = Property(int, _todo, notify=countsChanged)
    doneCount = Property(int, _done, notify=countsChanged)
    mineCount = Property(int, _mine, notify=countsChanged)
    unreadCount = Property(int, _unread, notify=countsChanged)
