"""日程提醒 on the real QML of a desk client, against a live server: a personal event's reminder fires at its time
(a banner on the page and a tray message), by a timer set to it rather than a poll; after a restart the one that
fell due while the app was closed is shown once, and neither is shown again after another restart.

The reminders' clock is injected (CalendarReminders.set_clock): the app runs in real time, its idea of "now" is
moved to just before a reminder, so nothing waits for minutes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kiosk.models.store import LocalStore
from kiosk.services import calendar, calendar_edit
from kiosk.services.api_client import ApiClient
from kiosk.services.sync import SyncEngine
from kiosk.views.tray import DeskTray
from tests.helpers import LIU, LIU_PW, NEW_PW, LiveServer, activated, copy_sqlite, login
from tests.qml.steps import current_page, log_in

TZ = ZoneInfo("Asia/Shanghai")  # the campus zone the test server names (campus_time.DEFAULT_ZONE)
DESK = (1366, 768)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("calendar-reminder-server")
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, workdir), workdir=workdir).start()
    activated(live, LIU, LIU_PW)
    yield live
    live.stop()


def _save_elsewhere(server: LiveServer, tmp_path: Path, events: list[tuple[str, datetime, int]]) -> None:
    """Another terminal of 刘诗宏's saves personal events (title, start, reminder minutes) on the server."""
    client = ApiClient(server.url)
    client.access_token = login(server, LIU, NEW_PW).json()["access_token"]
    store = LocalStore(tmp_path / "other.db")
    engine = SyncEngine(client, store, "other-terminal")
    for title, start, minutes in events:
        payload = {
            "event_id": calendar.new_event_id(),
            "title": title,
            "all_day": False,
            "start": start.isoformat(),
            "end": (start + timedelta(minutes=45)).isoformat(),
            "place": "信息楼402",
            "reminder_minutes": minutes,
            "repeat": None,
        }
        op_type, body, local = calendar.event_save_write(LIU, payload)
        store.enqueue(LIU, op_type, body, local, entity=calendar_edit.entity(payload["event_id"]))
    assert engine.push(LIU).applied == len(events)
    store.close()


def _clock_at(moment: datetime) -> Callable[[], datetime]:
    """A clock that reads `moment` now and runs on in real time."""
    offset = moment - datetime.now(TZ)
    return lambda: datetime.now(TZ) + offset


def _banner_titles(ui: Any) -> list[str]:
    return [str(r["title"]) for r in ui.state.reminders.property("shown")]


def _desk(ui_factory: Any, url: str, data_dir: str | None = None) -> Any:
    ui = ui_factory(url, mode="desk", size=DESK, data_dir=data_dir)
    return ui


def test_reminders_fire_at_their_time_and_once_across_restarts(
    server: LiveServer, launch_ui: Any, tmp_path: Path
) -> None:
    now = datetime.now(TZ).replace(second=0, microsecond=0)
    soon, later = now + timedelta(hours=1), now + timedelta(hours=3)
    _save_elsewhere(server, tmp_path, [("实验室例会", soon, 15), ("与贾孟杰核对台账", later, 60)])

    ui = _desk(launch_ui, server.url)
    tray = DeskTray(ui.state.inbox, ui.state.state, reminders=ui.state.reminders)
    ui.click("rememberMe")
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    reminders = ui.state.reminders
    ui.wait_for(lambda: ui.state.store.calendar_between(LIU, now.date().isoformat(), "2099-01-01") != [])
    ui.state.workers.wait(10_000)
    assert _banner_titles(ui) == []  # nothing due yet

    # Half a second before 实验室例会's reminder (15 minutes before it): the timer is set to it, then fires.
    reminders.set_clock(_clock_at(soon - timedelta(minutes=15, milliseconds=600)))
    ui.wait_for(lambda: 0 <= reminders.property("nextLookMs") <= 700, timeout=5_000)
    assert _banner_titles(ui) == []
    ui.wait_for(lambda: _banner_titles(ui) == ["实验室例会"], timeout=5_000)
    banner = ui.find_visible("reminder_实验室例会")
    shown = " ".join(ui.texts(banner))
    assert "日程提醒：实验室例会" in shown and f"{soon:%H:%M} 开始 · 信息楼402" in shown
    assert tray.shown[-1] == ("日程提醒：实验室例会", f"{soon:%H:%M} 开始 · 信息楼402")
    ui.screenshot("desk-calendar-reminder")
    # The next one is set: 与贾孟杰核对台账's, an hour before it (about 1 h 45 min on).
    ui.state.workers.wait(5_000)
    assert reminders.property("nextLookMs") > 15 * 60 * 1000 - 2000  # capped at 15 minutes: no per-second poll
    ui.click("reminderOk_0")
    assert _banner_titles(ui) == []

    # The app closes; it starts again after 与贾孟杰核对台账's reminder time: shown once, at the start.
    data_dir = ui.state.config.data_dir
    ui.state.shutdown()
    ui.window.close()
    again = _desk(launch_ui, server.url, data_dir)
    again.wait_for(lambda: again.state.session.property("loggedIn"), timeout=15_000)
    again.state.reminders.set_clock(_clock_at(later - timedelta(minutes=50)))
    again.wait_for(lambda: _banner_titles(again) == ["与贾孟杰核对台账"], timeout=10_000)
    again.screenshot("desk-calendar-reminder-missed")
    again.state.reminders.set_clock(_clock_at(later - timedelta(minutes=40)))
    again.state.workers.wait(5_000)
    again.settle(200)
    assert _banner_titles(again) == ["与贾孟杰核对台账"]  # not a second time

    # And after yet another restart, neither comes back.
    again.state.shutdown()
    again.window.close()
    third = _desk(launch_ui, server.url, data_dir)
    third.wait_for(lambda: third.state.session.property("loggedIn"), timeout=15_000)
    third.state.reminders.set_clock(_clock_at(later - timedelta(minutes=10)))
    third.state.workers.wait(5_000)
    third.settle(300)
    assert _banner_titles(third) == []
    fired = third.state.store.reminders_fired(LIU, now.date().isoformat())
    assert len(fired) == 2
    # Signing out forgets them with the rest of the user's data.
    third.click("logoutButton")
    third.wait_for(lambda: current_page(third) == "loginPage")
    third.state.workers.wait(5_000)
    assert third.state.store.reminders_fired(LIU, "2000-01-01") == set()
