"""HeldWrites, the undo bar's hold: a held write is not written until its time is up, 撤销 drops it unwritten,
and a new hold sends the one before at once."""

from __future__ import annotations

from typing import Any

from kiosk.views.held_writes import HeldWrite, HeldWrites


def _write(log: list[str], name: str) -> HeldWrite:
    def write() -> bool:
        log.append(name)
        return True

    return HeldWrite(name, "approve", write)


def test_undo_drops_the_held_write_unwritten(qtbot: Any) -> None:
    log: list[str] = []
    held = HeldWrites(hold_ms=50)
    held.hold([_write(log, "a"), _write(log, "b")])
    assert (held.property("count"), held.property("action"), held.ids()) == (2, "approve", {"a", "b"})
    held.undo()
    qtbot.wait(120)
    assert log == [] and held.property("count") == 0


def test_the_time_up_or_a_new_hold_writes_it(qtbot: Any) -> None:
    log: list[str] = []
    held = HeldWrites(hold_ms=60_000)
    held.hold([_write(log, "a")])
    held.hold([_write(log, "b")])  # one undo bar: the one before goes out now
    assert log == ["a"] and held.ids() == {"b"}
    quick = HeldWrites(hold_ms=30)
    quick.hold([_write(log, "c")])
    qtbot.waitUntil(lambda: log == ["a", "c"], timeout=2_000)
    assert quick.property("count") == 0
