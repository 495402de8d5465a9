"""Calendar (QML singleton): 日程中心 — the chosen tab (全部日程 | 每周会议 | 个人日程 | 我的课表), view (月 | 周 | 日)
and date, the month grid, week or day agenda read from the local store on a worker, and an event's details.
The views' rules live in kiosk/services/calendar_views.py."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services import calendar_views as cv
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


def _views(occurrences: list[dict[str, Any]], mode: str, shown: date, today: date, tab: str) -> dict[str, Any]:
    """The shown mode's view built from occurrences; the others empty."""
    return {
        "month": cv.month_grid(occurrences, shown, today, tab) if mode == "month" else [],
        "week": cv.week_view(occurrences, shown, today, tab)
        if mode == "week"
        else {"days": [], "fromHour": 8, "toHour": 18},
        "day": cv.day_agenda(occurrences, shown, tab) if mode == "day" else [],
    }


@QmlElement
@QmlSingleton
class Calendar(QObject):
    changed = Signal()  # tab, mode, shown date
    dataChanged = Signal()  # month, week, day, loaded
    detailsChanged = Signal()

    def __init__(self, state: AppState, auth: AuthService, session: Session, sync: Sync, workers: WorkerPool) -> None:
        super().__init__(state)
        self._personal = LatestPersonalRead(state, auth, workers)
        self._tab, self._mode = "all", "month"
        self._mode_chosen = False  # the user picked 月 | 周 | 日 since signing in: suggestions no longer apply
        self._shown = self._today = date.today()
        self._occurrences: list[dict[str, Any]] = []  # the shown span's, all kinds (a tab filters without a read)
        self._loaded = False
        self._details: dict[str, Any] = {}
        self._views: dict[str, Any] = {}  # built once per change, not per property read
        self._build()
        session.signedIn.connect(self._signed_in)
        session.signedOut.connect(self._signed_out)
        sync.settled.connect(self.reload)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("Calendar", engine)

    def _signed_in(self) -> None:
        self._tab, self._mode_chosen = "all", False
        self._shown = self._today = date.today()
        self.changed.emit()
        self.reload()

    def _signed_out(self, _reason: str = "") -> None:
        self._personal.forget()
        self._occurrences, self._loaded, self._details = [], False, {}
        self._tab, self._mode, self._mode_chosen = "all", "month", False  # the next person starts afresh
        self._shown = self._today = date.today()
        self.changed.emit()
        self._build()
        self.detailsChanged.emit()

    def _build(self, prebuilt: dict[str, Any] | None = None) -> None:
        """The shown view from what is loaded (or as built on the worker with the read); the others empty (QML
        draws only the shown one)."""
        self._views = prebuilt or _views(self._occurrences, self._mode, self._shown, self._today, self._tab)
        self.dataChanged.emit()

    @Slot()
    def reload(self) -> None:
        """Read the shown span (all kinds) from the store and build its view, both on the worker; only the newest
        read is shown, and its view only if the tab, mode and date are still those it was built for."""
        first, end = cv.span(self._shown, self._mode)
        key = (first, end)
        wanted = (self._mode, self._shown, self._today, self._tab)

        def read(store: Any, user: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
            occurrences = store.calendar_between(user, first.isoformat(), end.isoformat())
            return occurrences, _views(occurrences, *wanted)

        def loaded(result: tuple[list[dict[str, Any]], dict[str, Any]]) -> None:
            occurrences, views = result
            if key == cv.span(self._shown, self._mode):
                self._occurrences, self._loaded = occurrences, True
                current = (self._mode, self._shown, self._today, self._tab)
                self._build(views if current == wanted else None)

        self._personal.run(read, loaded)

    def _move_to(self, shown: date) -> None:
        old_span = cv.span(self._shown, self._mode)
        self._shown = shown
        self.changed.emit()
        if cv.span(shown, self._mode) != old_span:
            # Another span: drawn once, when its read arrives (a few ms on a worker). Drawing it first from what
            # was loaded meant two rebuilds of the grid per ‹ ›, which a full term's month made cost about 40 ms
            # more (bench/bench_calendar_month.py).
            self.reload()
        else:
            self._build()

    # -- what QML calls ---------------------------------------------------------------------------------------
    @Slot(str)
    def setTab(self, tab: str) -> None:
        if tab in cv.TABS and tab != self._tab:
            self._tab = tab
            self.changed.emit()
            self._build()

    @Slot(str)
    def setMode(self, mode: str) -> None:
        self._mode_chosen = True
        self._apply_mode(mode)

    @Slot(str)
    def suggestMode(self, mode: str) -> None:
        """The page's default (日 in portrait or for a student at a kiosk), unless the user has chosen one."""
        if not self._mode_chosen:
            self._apply_mode(mode)

    def _apply_mode(self, mode: str) -> None:
        if mode in cv.MODES and mode != self._mode:
            self._mode = mode
            self.changed.emit()
            self._build()
            self.reload()

    @Slot(int)
    def step(self, step: int) -> None:
        """‹ (-1) or › (+1): a month, week or day, as the view shows."""
        self._move_to(cv.shift(self._shown, self._mode, step))

    @Slot()
    def goToday(self) -> None:
        self._today = date.today()
        self._move_to(self._today)

    @Slot(str)
    def showDate(self, iso: str) -> None:
        """Show the day `iso` (YYYY-MM-DD): a tapped month cell, or a fixed date for a test or a demo."""
        try:
            shown = date.fromisoformat(iso)
        except ValueError:
            return
        self._move_to(shown)

    @Slot(str, str)
    def openEvent(self, event_id: str, start: str) -> None:
        """An event was tapped: its details from what is loaded (every field the store holds for it)."""
        found = next((o for o in self._occurrences if o["id"] == event_id and o["start"] == start), None)
        self._details = cv.details(found) if found is not None else {}
        self.detailsChanged.emit()

    @Slot()
    def closeEvent(self) -> None:
        self._details = {}
        self.detailsChanged.emit()

    # -- properties ---------------------------------------------------------------------------------------------
    def _get_tab(self) -> str:
        return self._tab

    def _get_mode(self) -> str:
        return self._mode

    def _get_shown(self) -> str:
        return self._shown.isoformat()

    def _get_year(self) -> int:
        return self._shown.year

    def _get_month_number(self) -> int:
        return self._shown.month

    def _get_span(self) -> list[str]:
        """The shown span's first and last day (the week view's title)."""
        first, end = cv.span(self._shown, self._mode)
        return [first.isoformat(), date.fromordinal(end.toordinal() - 1).isoformat()]

    def _get_today(self) -> str:
        return self._today.isoformat()

    def _get_loaded(self) -> bool:
        return self._loaded

    def _get_month(self) -> list[dict[str, Any]]:
        return list(self._views["month"])

    def _get_week(self) -> dict[str, Any]:
        return dict(self._views["week"])

    def _get_day(self) -> list[dict[str, Any]]:
        return list(self._views["day"])

    def _get_details(self) -> dict[str, Any]:
        return self._details

    tab = Property(str, _get_tab, notify=changed)
    mode = Property(str, _get_mode, notify=changed)
    shownDate = Property(str, _get_shown, notify=changed)
    year = Property(int, _get_year, notify=changed)
    monthNumber = Property(int, _get_month_number, notify=changed)
    span = Property(list, _get_span, notify=changed)
    today = Property(str, _get_today, notify=changed)
    loaded = Property(bool, _get_loaded, notify=dataChanged)
    month = Property(list, _get_month, notify=dataChanged)
    week = Property(dict, _get_week, notify=dataChanged)
    day = Property(list, _get_day, notify=dataChanged)
    details = Property(dict, _get_details, notify=detailsChanged)
