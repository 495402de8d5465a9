"""办事大厅's home fills a kiosk's screen for each audience (before login, a student, a staff member) in landscape
1920×1080 and portrait 1080×1920: 推荐服务 and 热门服务 show only full rows of cards, and 服务分类 is wholly on
screen without scrolling. The A–Z index keys are ≥ 48 px touch targets, and a read-only field of a seed form
carries no `*` and looks read-only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QGuiApplication

from tests.helpers import LIU, LIU_PW, NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, copy_sqlite
from tests.qml.steps import current_page, log_in, open_form_of

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
WHO = {"public": None, "student": STUDENT, "staff": LIU}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("hall-layout")
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, workdir), workdir=workdir).start()
    activated(live, STUDENT, STUDENT_PW)
    activated(live, LIU, LIU_PW)
    yield live
    live.stop()


def _to_hall(ui: Any, user: str | None) -> None:
    if user is not None:
        log_in(ui, user, NEW_PW)
        ui.wait_for(lambda: current_page(ui) == "homePage")
    QGuiApplication.inputMethod().hide()
    ui.settle(250)
    ui.tap(ui.find_visible("nav_hall"))
    ui.wait_for(lambda: current_page(ui) == "hallPage")
    ui.wait_for(lambda: ui.state.hall.property("indexReady"))
    ui.settle(200)


def _cards(ui: Any, flow: Any) -> list[Any]:
    return [i for i in ui.items(flow) if i.objectName().startswith("process_") and i.isVisible()]


@pytest.mark.parametrize("orientation", sorted(SIZES))
@pytest.mark.parametrize("who", sorted(WHO))
def test_hall_home_fills_the_screen(server: LiveServer, launch_ui: Any, who: str, orientation: str) -> None:
    ui = launch_ui(server.url, size=SIZES[orientation])
    _to_hall(ui, WHO[who])
    home = ui.find_visible("hallHome")
    assert home.property("contentY") == 0
    for name in ("recommendedList", "popularList"):
        flow = ui.find_visible(name)
        cards = _cards(ui, flow)
        assert cards, f"{name} is empty"
        per_row = {round(c.mapToItem(flow, QPointF(0, 0)).y()) for c in cards}
        columns = max(1, int(flow.width() // cards[0].width()))
        assert len(cards) % columns == 0, f"{name}: {len(cards)} cards in rows of {columns} ({len(per_row)} rows)"
    # A 热门 place is never invented: only the ranked processes carry a number, the cards that fill the row none.
    ranked = {r.code: r.popular_rank for r in ui.state.hall.popular.rows()}
    for n, card in enumerate(_cards(ui, ui.find_visible("popularList")), start=1):
        name = ui.find("processName", card).property("text")
        code = card.objectName().removeprefix("process_")
        assert name.startswith(f"{n}. ") == (ranked[code] > 0), (name, ranked[code])
    grid = ui.find_visible("categoryGrid")
    tiles = [i for i in ui.items(grid) if i.objectName().startswith("category_") and i.isVisible()]
    assert len(tiles) == len(ui.state.hall.property("categories")) > 0
    bottom = max(t.mapToItem(home, QPointF(0, t.height())).y() for t in tiles)
    assert bottom <= home.height() + 0.5, f"服务分类 ends at {bottom:.0f} px of a {home.height():.0f} px view"
    ui.screenshot(f"kiosk-hall-home-{who}-{orientation}")


@pytest.mark.parametrize("who", ["public", "student"])  # before login: all 64 processes, the most letters
def test_az_index_keys_are_touch_targets(server: LiveServer, launch_ui: Any, who: str) -> None:
    ui = launch_ui(server.url)
    _to_hall(ui, WHO[who])
    ui.tap(ui.find_visible("hallTab_az"))
    keys = [i for i in ui.items(ui.find_visible("azIndex")) if i.objectName().startswith("azKey_")]
    assert len(keys) >= 10
    small = [(k.objectName(), k.width(), k.height()) for k in keys if k.width() < 48 or k.height() < 48]
    assert not small, f"A–Z keys under 48 px: {small}"
    az = ui.find_visible("azList")
    for key in keys:  # every key on screen, beside the list
        top = key.mapToItem(az, QPointF(0, 0))
        assert top.y() >= 0 and top.y() + key.height() <= az.height() + 0.5, key.objectName()
        assert top.x() >= az.width(), key.objectName()
    ui.screenshot(f"kiosk-hall-az-index-{who}")
    # A tap on a letter brings its block to the top of the list.
    last = keys[-1]
    ui.tap(last)
    letter = last.objectName().removeprefix("azKey_")
    section = ui.find_visible("azSection_" + letter)
    assert az.property("contentY") > 0
    # (the last letter's block cannot reach the top: the list ends below it)
    assert -1 <= section.mapToItem(az, QPointF(0, 0)).y() <= az.height() - section.height()


def test_read_only_field_has_no_star(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url)
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    open_form_of(ui, "jw-zaidu-zhengming")
    read_only = [
        i for i in ui.items() if i.objectName().startswith("field_") and i.isVisible() and i.property("readOnly")
    ]
    assert read_only, "在读学籍证明申请 shows no read-only field"
    for field in read_only:
        label = ui.find("fieldLabel", field).property("text")
        assert "*" not in label, f"{field.objectName()}: {label!r}"
        assert ui.find_visible("readOnlyMark", field) is not None
    ui.screenshot("kiosk-form-read-only-fields")
