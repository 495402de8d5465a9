"""Calendar (QML singleton): 日程中心 — the chosen tab (全部日程 | 每周会议 | 个人日程 | 我的课表), view (月 | 周 | 日)
and date, the month grid, week or day agenda read from the local store on a worker, and an event's details.
The views' rules live in kiosk/services/calendar_views.py."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
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

# What the view holds in memory: the shown span and SPARE spans each side (months: nine, one read in parts), read
# once the user has not stepped for IDLE_MS.
SPARE = 4
IDLE_MS = 250


def _views(occurrences: cv.Occurrences, mode: str, shown: date, today: date, tab: str) -> dict[str, Any]:
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
        # The shown span and two spans each side, all kinds, by day (a tab filters without a read; ‹ › inside it
        # are drawn at once, from memory).
        self._window = cv.DayBuckets([], date.min, date.min)
        self._loaded = False
        # More of the window is read once the user pauses (no step for IDLE_MS): never during a burst of ‹ ›, when
        # the worker's Python would hold the GIL while the GUI thread evaluates each new grid.
        self._extend_timer = QTimer(self)
        self._extend_timer.setSingleShot(True)
        self._extend_timer.setInterval(IDLE_MS)
        self._extend_timer.timeout.connect(self._extend)
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
        self._window, self._loaded, self._details = cv.DayBuckets([], date.min, date.min), False, {}
        self._extend_timer.stop()
        self._tab, self._mode, self._mode_chosen = "all", "month", False  # the next person starts afresh
        self._shown = self._today = date.today()
        self.changed.emit()
        self._build()
        self.detailsChanged.emit()

    def _build(self, prebuilt: dict[str, Any] | None = None) -> None:
        """The shown view from what is loaded (or as built on the worker with the read); the others empty (QML
        draws only the shown one)."""
        if prebuilt is None:
            covered = self._window.covers(*cv.span(self._shown, self._mode))
            # Outside the window (a jump, before its read arrives): the empty view, not another span's days.
            source = self._window if covered else []
            prebuilt = _views(source, self._mode, self._shown, self._today, self._tab)
        self._views = prebuilt
        self.dataChanged.emit()

    @Slot()
    def reload(self) -> None:
        """Read the span around the shown one (all kinds) from the store, put it in per-day buckets and build the
        shown view, all on the worker; only the newest read is shown, and its view only if the tab, mode and date
        are still those it was built for. Called when the store may have changed (a sync, a write), and for a
        jump out of what is held. The shown span alone at first (the quickest read); SPARE each side once the
        user pauses."""
        self._extend_timer.stop()
        first, end = cv.window(self._shown, self._mode, spare=0)
        wanted = (self._mode, self._shown, self._today, self._tab)

        def read(store: Any, user: str) -> tuple[cv.DayBuckets, dict[str, Any]]:
            buckets = cv.DayBuckets(store.calendar_between(user, first.isoformat(), end.isoformat()), first, end)
            return buckets, _views(buckets, *wanted)

        def loaded(result: tuple[cv.DayBuckets, dict[str, Any]]) -> None:
            buckets, views = result
            if buckets.covers(*cv.span(self._shown, self._mode)):
                self._window, self._loaded = buckets, True
                current = (self._mode, self._shown, self._today, self._tab)
                self._build(views if current == wanted else None)
                self._want_more()

        self._personal.run(read, loaded)

    def _want_more(self) -> None:
        """Once the user pauses, read the spans the window lacks around the shown one."""
        if self._window.missing(*cv.window(self._shown, self._mode, SPARE)):
            self._extend_timer.start()  # restarted by every step

    def _extend(self) -> None:
        """Read only the spans missing around the shown one (a month's read, not the window's) and merge them in;
        dropped if the window was read again meanwhile (a sync, a write, a jump)."""
        held = self._window
        first, end = cv.window(self._shown, self._mode, SPARE)
        parts = held.missing(first, end)
        if not parts:
            return

        def read(store: Any, user: str) -> list[cv.DayBuckets]:
            return [cv.DayBuckets(store.calendar_between(user, a.isoformat(), b.isoformat()), a, b) for a, b in parts]

        def loaded(result: list[cv.DayBuckets]) -> None:
            if self._window is held:
                self._window = held.merged(result, first, end)

        self._personal.run(read, loaded)

    def _move_to(self, shown: date) -> None:
        old_span = cv.span(self._shown, self._mode)
        self._shown = shown
        self.changed.emit()
        if cv.span(shown, self._mode) == old_span:
            self._build()
        elif self._window.covers(*cv.span(shown, self._mode)):
            # Inside the window: drawn from memory in the frame of the heading (no worker round trip, which with
            # a full term's month cost more than the drawing; bench/bench_calendar_month.py).
            self._build()
            self._want_more()
        else:
            # A jump out of the window: drawn once, when its read arrives (the heading moves at once).
            self.reload()

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
        found = self._window.find(event_id, start)
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
