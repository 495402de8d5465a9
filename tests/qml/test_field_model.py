"""FieldListModel (the form page's fields) checked with pytest-qt's model tester: rows built from a real form,
changed in place as the form is filled (dataChanged, no reset), and the attachment rows' upload state."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from kiosk.services.form_fields import FieldRow
from kiosk.services.form_state import FormState
from kiosk.views.field_model import FieldListModel, FieldRole
from sync_server.seed import SEED_DIR

PROFILE = {"user_id": "2022010101", "name": "王小明", "department_name": "信息工程学院", "class_name": "计科 2201"}


def _definition(code: str) -> dict[str, Any]:
    return json.loads((SEED_DIR / "forms" / f"{code}.json").read_text(encoding="utf-8"))


def test_field_model_of_a_form_being_filled(qtmodeltester: Any) -> None:
    form = FormState.opened(_definition("jw-xiuxue"), PROFILE, "kiosk")
    model = FieldListModel()
    model.set_rows(form.rows)
    qtmodeltester.check(model)
    names = {bytes(v).decode() for v in model.roleNames().values()}
    assert {"name", "widget", "value", "error", "uploads", "annotation", "display"} <= names
    first = model.index(0, 0)
    assert model.data(first, FieldRole.Widget) == "section" and model.data(first, Qt.ItemDataRole.DisplayRole)
    assert model.data(model.index(model.rowCount(), 0), FieldRole.Name) is None  # past the end
    assert model.rowCount(first) == 0  # a list: no children

    # Filled in: rows change in place, only those that differ.
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles=(): changed.append(top.row()))
    model.modelReset.connect(lambda: changed.append(-1))
    form.set_value("id_card", "not an id")
    model.update_rows(form.rows)
    row = next(i for i, r in enumerate(form.rows) if r.name == "id_card")
    assert changed == [row]
    assert model.data(model.index(row, 0), FieldRole.Error)  # left with a wrong value: its error shows
    assert model.data(model.index(row, 0), FieldRole.Options) == []  # tuples reach QML as lists
    qtmodeltester.check(model)
    assert model.index(0, 0, QModelIndex()).isValid()


def test_field_model_carries_the_upload_state(qtmodeltester: Any) -> None:
    row = FieldRow(
        name="photos",
        widget="attachment",
        label="现场照片",
        required=False,
        placeholder="",
        help="",
        hint="",
        options=(),
        value=[{"id": "a" * 32, "name": "a.pdf", "size": 10, "sha256": "0" * 64}],
        error="",
        read_only=False,
        desk_only=False,
        max_length=0,
        section_title="",
        uploads=({"token": "t", "name": "b.png", "size": 0, "progress": 0.5, "state": "uploading", "message": ""},),
        accept=("pdf", "png"),
        max_count=3,
    )
    model = FieldListModel()
    model.set_rows([row])
    qtmodeltester.check(model)
    index = model.index(0, 0)
    assert model.data(index, FieldRole.Uploads)[0]["progress"] == 0.5
    assert model.data(index, FieldRole.Accept) == ["pdf", "png"] and model.data(index, FieldRole.MaxCount) == 3
