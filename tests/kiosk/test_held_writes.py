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


def test_the_list_model_removes_a_handled_row_in_place(qtbot: Any) -> None:
    """A row that left is removed alone: the others keep their delegates (no reset)."""
    from dataclasses import dataclass

    from kiosk.views.inbox_models import WorkItemListModel

    @dataclass(frozen=True)
    class Row:
        application_id: str
        name: str

    model = WorkItemListModel()
    model.set_rows([Row("a", "1"), Row("b", "2"), Row("c", "3")])
    removed: list[tuple[int, int]] = []
    resets: list[bool] = []
    model.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    model.modelReset.connect(lambda: resets.append(True))
    model.merge_rows([Row("a", "1"), Row("c", "3*")], "application_id")
    assert removed == [(1, 1)] and resets == [] and [r.name for r in model.rows()] == ["1", "3*"]
    model.merge_rows([Row("c", "3*"), Row("a", "1")], "application_id")  # another order: a reset
    assert resets == [True]
