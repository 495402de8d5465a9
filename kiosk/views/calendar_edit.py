"""CalendarEditor (QML singleton): 新增日程 and 编辑 — the sheet's form as typed, its errors, saving and deleting
a personal event (or one occurrence of a series) through the outbox, and the refusals of those writes once
synced. The rules live in kiosk/services/calendar_edit.py; the writes in kiosk/services/calendar.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services import calendar, calendar_edit, campus_time
from kiosk.views.context import singleton_for
from kiosk.views.workers import LatestPersonalRead

if TYPE_CHECKING:
    from kiosk.services.auth import AuthService
    from kiosk.views.app_state import AppState
    from kiosk.views.session import Session
    from kiosk.views.sync import Sync
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
@QmlSingleton
class CalendarEditor(QObject):
    changed = Signal()  # open, form, errors, busy
    # A write of the user's the server refused once synced: the event's title and the server's reason.
    refused = Signal(str, str)

    def __init__(self, state: AppState, auth: AuthService, session: Session, sync: Sync, workers: WorkerPool) -> None:
        super().__init__(state)
        self._state, self._auth, self._sync = state, auth, sync
        self._reader = LatestPersonalRead(state, auth, workers)
        self._states = LatestPersonalRead(state, auth, workers)
        self._refusals = calendar_edit.RefusalWatch()
        self._open = self._busy = False
        self._form: dict[str, Any] = {}
        self._series: dict[str, Any] | None = None  # the stored series whose one occurrence the form moves
        # By field: a code of calendar_edit.MESSAGES and its values, said in the interface's language when read.
        self._errors: dict[str, tuple[str, dict[str, Any]]] = {}
        self._refusal: tuple[str, str, str] | None = None  # the last refusal, until 知道了: (title, code, words)
        self._language: Callable[[], str] = lambda: "zh_CN"
        session.signedOut.connect(self._forget)
        session.signedIn.connect(self._watch)
        sync.settled.connect(self._watch)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("CalendarEditor", engine)

    def follow_language(self, language: Callable[[], str], changed: Any) -> None:
        """Say errors and refusals in the interface's language (`language()`), again whenever it `changed`."""
        self._language = language
        changed.connect(self.changed)

    def _forget(self, _reason: str = "") -> None:
        self._reader.forget()
        self._states.forget()
        self._refusals.forget()
        self._open = self._busy = False
        self._form, self._errors, self._refusal = {}, {}, None
        self.changed.emit()

    def _show(self, form: dict[str, Any]) -> None:
        self._form, self._errors, self._open, self._busy = form, {}, True, False
        self.changed.emit()

    # -- the sheet ----------------------------------------------------------------------------------------------
    @Slot(str)
    def newEvent(self, day_iso: str) -> None:
        """新增日程 on the shown day (today when none)."""
        try:
            day = date.fromisoformat(day_iso)
        except ValueError:
            day = date.today()
        self._series = None
        self._show(calendar_edit.blank_form(day, campus_time.now()))

    @Slot(str)
    def edit(self, event_id: str) -> None:
        """编辑 a personal event (its id `personal:<uuid>`): the whole series' form, read from the store."""
        self._reader.run(lambda store, user: store.calendar_event(user, event_id), self._edit_loaded)

    def _edit_loaded(self, event: dict[str, Any] | None) -> None:
        if event is not None and event.get("kind") == "personal":
            self._series = None
            self._show(calendar_edit.form_from_event(event))

    @Slot(str, str)
    def editOccurrence(self, event_id: str, occurrence_start: str) -> None:
        """只修改这一次: the form of the occurrence of a series starting at `occurrence_start` (its times to move;
        saved as an exception on its original day, the rest of the series unchanged)."""

        def loaded(event: dict[str, Any] | None) -> None:
            if event is None or event.get("kind") != "personal" or not event.get("repeat"):
                return
            pair = next((p for p in event.get("occurrences") or [] if str(p[0]) == occurrence_start), None)
            if pair is None:
                return  # gone meanwhile (a sync deleted or moved it): the page shows the new state
            self._series = event
            self._show(calendar_edit.occurrence_form(event, str(pair[0]), str(pair[1])))

        self._reader.run(lambda store, user: store.calendar_event(user, event_id), loaded)

    @Slot(str, "QVariant")
    def set(self, field: str, value: Any) -> None:
        """A field changed; its error (and a span's) goes until the next 保存."""
        if self._form.get(field) == value:
            return
        self._form = {**self._form, field: value}
        stale = {field, "end"} if field in ("startDate", "startTime", "endDate", "endTime", "allDay") else {field}
        self._errors = {k: v for k, v in self._errors.items() if k not in stale}
        self.changed.emit()

    @Slot()
    def cancel(self) -> None:
        self._open, self._form, self._errors = False, {}, {}
        self.changed.emit()

    @Slot()
    def save(self) -> None:
        """保存: checked here first (nothing typed is lost on an error), then queued with its local row."""
        errors = calendar_edit.problems(self._form)
        if errors:
            self._errors = errors
            self.changed.emit()
            return
        user = self._auth.user_id
        if user is None or self._busy:
            return
        event_id = str(self._form.get("eventId") or "") or calendar.new_event_id()
        if self._form.get("occurrenceOf") and self._series is not None:
            event = calendar_edit.with_moved_occurrence(self._series, self._form)
        else:
            event = calendar_edit.to_event(self._form, event_id)
        base = int(self._form.get("version") or 0) or None
        self._queue(calendar.event_save_write(user, event, base), event_id, event["title"])

    def _queue(self, write: tuple[str, dict[str, Any], Any], event_id: str, title: str) -> None:
        op_type, payload, local = write
        self._busy = True
        self.changed.emit()

        def saved(_op: dict[str, Any]) -> None:
            self._refusals.queued(event_id, title)
            self._open, self._busy, self._form, self._errors = False, False, {}, {}
            self.changed.emit()

        if not self._sync.enqueue(op_type, payload, local, saved, entity=calendar_edit.entity(event_id)):
            self._busy = False
            self._errors = {"form": ("store_not_ready", {})}
            self.changed.emit()

    # -- deleting -----------------------------------------------------------------------------------------------
    @Slot(str, str, bool)
    def remove(self, event_id: str, occurrence_start: str, only_this: bool) -> None:
        """删除 a personal event, or (`only_this`) the one occurrence of its series starting at
        `occurrence_start` — an exception on that occurrence's day."""

        def loaded(event: dict[str, Any] | None) -> None:
            user = self._auth.user_id
            if event is None or event.get("kind") != "personal" or user is None:
                return
            uuid, base = str(event.get("event_id") or ""), event.get("version")
            if only_this and event.get("repeat"):
                write = calendar.event_save_write(user, calendar_edit.without_occurrence(event, occurrence_start), base)
            else:
                write = calendar.event_delete_write(user, uuid, base)
            self._queue(write, uuid, str(event.get("title") or ""))

        self._reader.run(lambda store, user: store.calendar_event(user, event_id), loaded)

    # -- refusals after a sync ----------------------------------------------------------------------------------
    def _watch(self) -> None:
        self._states.run(lambda store, user: store.calendar_write_states(user), self._states_loaded)

    def _states_loaded(self, states: dict[str, dict[str, Any]]) -> None:
        for title, code, words in self._refusals.news(states):
            self._refusal = (title, code, words)
            self.changed.emit()
            self.refused.emit(title, calendar_edit.refusal_text("", code, words, self._language()))

    @Slot()
    def dismissRefusal(self) -> None:
        self._refusal = None
        self.changed.emit()

    # -- properties ---------------------------------------------------------------------------------------------
    def _get_open(self) -> bool:
        return self._open

    def _get_form(self) -> dict[str, Any]:
        return self._form

    def _get_errors(self) -> dict[str, str]:
        language = self._language()
        return {
            field: calendar_edit.message(code, language, **values) for field, (code, values) in self._errors.items()
        }

    def _get_busy(self) -> bool:
        return self._busy

    def _get_editing(self) -> bool:
        return bool(self._form.get("eventId"))

    def _get_occurrence(self) -> bool:
        return bool(self._form.get("occurrenceOf"))

    def _get_refusal(self) -> str:
        return calendar_edit.refusal_text(*self._refusal, self._language()) if self._refusal else ""

    isOpen = Property(bool, _get_open, notify=changed)
    form = Property(dict, _get_form, notify=changed)
    errors = Property(dict, _get_errors, notify=changed)
    busy = Property(bool, _get_busy, notify=changed)
    editing = Property(bool, _get_editing, notify=changed)
    # 只修改这一次: the sheet moves one occurrence (its times only; the series' fields are shown, not edited).
    occurrence = Property(bool, _get_occurrence, notify=changed)
    # The last refusal, until 知道了: "“组会”：该日程已在其他设备上修改，本次修改未保存".
    refusal = Property(str, _get_refusal, notify=changed)
