"""Filling a form without Qt (kiosk/services/form_fields.py and form_state.py): rows from a definition and the
profile, typed values converted and checked with the server's own code, which errors show when, drafts and
returned applications restored, uploads on their way, and the next step's handlers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from campus_common import forms
from kiosk.services.form_fields import (
    FieldRow,
    annotations,
    build_rows,
    default_handler,
    draft_values,
    next_step,
    problems,
    restore_sent,
    restore_values,
    return_note,
    to_data,
)
from kiosk.services.form_state import FormState

FILE = {"id": "a" * 32, "name": "诊断证明.pdf", "size": 2048, "sha256": "0" * 64}
ITEM = {  # an uploaded file of at most 1 MiB
    **forms.ATTACHMENT_ITEM,
    "properties": {
        **forms.ATTACHMENT_ITEM["properties"],
        "size": {"type": "integer", "minimum": 1, "maximum": 1 << 20},
    },
}
DEFINITION: dict[str, Any] = {
    "process": "sample",
    "version": 3,
    "schema": {
        "type": "object",
        "properties": {
            "applicant": {"type": "string", "maxLength": 64},
            "doc_no": {"type": "string", "maxLength": 16},
            "filled_on": {"type": "string", "format": "date"},
            "room": {"type": "string", "minLength": 1, "maxLength": 20},
            "people": {"type": "integer", "minimum": 1},
            "budget": {"type": "number"},
            "student": {"type": "string", "format": "campus-user-id"},
            "period": {
                "type": "object",
                "properties": {
                    "start": {"type": "string", "format": "date"},
                    "end": {"type": "string", "format": "date"},
                },
                "required": ["start", "end"],
                "additionalProperties": False,
            },
            "needs": {"type": "array", "items": {"type": "string", "enum": ["投影", "音响"]}},
            "proofs": {"type": "array", "items": ITEM, "maxItems": 2},
            "signature": {"type": "string"},
            "verdict": {"type": "string", "enum": ["同意", "不同意"]},
        },
        "required": ["applicant", "doc_no", "filled_on", "room", "people", "verdict"],
        "additionalProperties": False,
    },
    "ui": {
        "sections": [
            {"key": "who", "title": "申请人", "fields": ["applicant", "doc_no", "filled_on"]},
            {
                "key": "what",
                "title": "申请内容",
                "fields": ["room", "people", "budget", "student", "period", "needs", "proofs", "signature"],
            },
            {"key": "review", "title": "审核", "step": "review", "fields": ["verdict"]},
        ],
        "fields": {
            "applicant": {"widget": "readonly", "label": "申请人", "source": "profile.name"},
            "doc_no": {"widget": "readonly", "label": "单号", "source": "server.doc_no"},
            "filled_on": {"widget": "readonly", "label": "日期", "source": "today"},
            "room": {"widget": "text", "label": "房间", "placeholder": "如：综合实验楼101", "hint": "写全称"},
            "people": {"widget": "number", "label": "人数"},
            "budget": {"widget": "money", "label": "预算"},
            "student": {"widget": "userid", "label": "学号"},
            "period": {"widget": "daterange", "label": "起止日期"},
            "needs": {"widget": "checkboxes", "label": "设备"},
            "proofs": {
                "widget": "attachment",
                "label": "证明材料",
                "desk_only": True,
                "accept": ["pdf", "png"],
                "max_bytes": 1 << 20,
                "max_count": 2,
            },
            "signature": {"widget": "signature", "label": "签名"},
            "verdict": {"widget": "radio", "label": "审核意见"},
        },
    },
}
USER = {"user_id": "2022010101", "name": "王小明"}


def _rows(mode: str = "desk") -> dict[str, FieldRow]:
    return {r.name: r for r in build_rows(DEFINITION, USER, mode)}


def test_the_sample_is_a_valid_definition() -> None:
    assert forms.definition_problems(DEFINITION, ["review"]) == []


def test_rows_follow_the_applicants_sections_prefilled_from_the_profile() -> None:
    rows = build_rows(DEFINITION, USER, "desk")
    assert [r.name for r in rows] == [
        "section:who",
        "applicant",
        "doc_no",
        "filled_on",
        "section:what",
        "room",
        "people",
        "budget",
        "student",
        "period",
        "needs",
        "proofs",
        "signature",
    ]  # the review step's section is not the applicant's
    by_name = {r.name: r for r in rows}
    assert by_name["section:who"].section_title == "申请人" and by_name["section:who"].read_only
    assert by_name["applicant"].value == "王小明" and by_name["applicant"].read_only
    assert by_name["filled_on"].value == date.today().isoformat()
    assert by_name["doc_no"].value == ""  # the server fills it at submission
    room = by_name["room"]
    assert (room.required, room.placeholder, room.hint, room.max_length) == (True, "如：综合实验楼101", "写全称", 20)
    assert by_name["needs"].value == [] and by_name["needs"].options == ("投影", "音响")
    assert by_name["period"].value == {"start": "", "end": ""}
    proofs = by_name["proofs"]
    assert (proofs.value, proofs.accept, proofs.max_count, proofs.desk_only) == ([], ("pdf", "png"), 2, False)
    assert _rows("kiosk")["proofs"].desk_only  # a kiosk only says to use an office PC


def test_typed_values_become_the_schemas_types() -> None:
    rows = [
        r if r.read_only else replace(r, value=value)
        for r, value in zip(
            build_rows(DEFINITION, USER, "desk"),
            [None, None, None, None, None, "  101 ", "12", "3.5", "ab12", {"start": "", "end": ""}, [], [], " ink "],
            strict=True,
        )
    ]
    data, found = to_data(DEFINITION, rows)
    assert found == {}
    assert data == {
        "applicant": "王小明",
        "filled_on": date.today().isoformat(),
        "room": "101",  # trimmed
        "people": 12,
        "budget": 3.5,
        "student": "AB12",  # letters in IDs are upper-case
        "signature": " ink ",  # a signature is left as drawn
    }  # no 单号 (the server's), no empty range or lists


@pytest.mark.parametrize(
    ("value", "message"), [("十二", "请输入数字"), ("1.5", "请输入整数"), ("x1", "请输入数字")], ids=str
)
def test_a_number_that_is_not_one_is_said_on_its_field(value: str, message: str) -> None:
    form = FormState.opened(DEFINITION, USER, "desk")
    form.set_value("people", value)
    assert "people" not in form.data() and form.row("people").error == message  # type: ignore[union-attr]


def test_problems_name_the_missing_half_of_a_range_and_use_the_servers_check() -> None:
    rows = {r.name: r for r in build_rows(DEFINITION, USER, "desk")}
    found = problems(DEFINITION, list(rows.values()))
    assert set(found) == {"room", "people"}  # required and empty; 单号 is not the applicant's
    half = [replace(r, value={"start": "2026-09-01", "end": ""}) if r.name == "period" else r for r in rows.values()]
    assert problems(DEFINITION, half)["period"] == "请选择结束日期"
    other = [replace(r, value={"start": "", "end": "2026-09-01"}) if r.name == "period" else r for r in rows.values()]
    assert problems(DEFINITION, other)["period"] == "请选择开始日期"


def test_errors_show_once_a_field_is_left_and_all_after_check_all() -> None:
    form = FormState.opened(DEFINITION, USER, "desk")
    assert form.error_count == 2 and form.first_error_field() == "" and not any(r.error for r in form.rows)
    form.touch("room")
    assert form.row("room").error and form.first_error_field() == "room"  # type: ignore[union-attr]
    assert not form.row("people").error  # type: ignore[union-attr]
    form.set_value("room", "101")
    assert form.error_count == 1 and form.first_error_field() == ""
    assert not form.check_all() and form.first_error_field() == "people"
    form.set_value("people", "3")
    assert form.check_all() and form.error_count == 0
    assert form.data()["people"] == 3


def test_read_only_and_unknown_fields_take_no_value() -> None:
    form = FormState.opened(DEFINITION, USER, "desk")
    assert not form.set_value("applicant", "冒名顶替") and not form.set_value("nonexistent", "x")
    assert form.row("applicant").value == "王小明"  # type: ignore[union-attr]


def test_the_start_of_a_range_alone_is_not_a_mistake_yet() -> None:
    form = FormState.opened(DEFINITION, USER, "desk")
    form.set_value("period", {"start": "2026-09-01", "end": ""})
    assert form.row("period").error == ""  # type: ignore[union-attr]
    form.set_value("period", {"start": "2026-09-01", "end": "not a date"})
    assert form.row("period").error  # type: ignore[union-attr]


def test_a_draft_keeps_what_is_typed_and_comes_back_into_the_form_as_it_is_now() -> None:
    form = FormState.opened(DEFINITION, USER, "desk")
    form.set_value("room", "  综合实验楼101")
    form.set_value("people", "x")  # wrong, kept as typed
    values = form.draft_values()
    assert values["room"] == "  综合实验楼101" and values["people"] == "x"
    assert "applicant" not in values and not any(k.startswith("section:") for k in values)

    again = FormState.opened(DEFINITION, USER, "desk")
    # A field the form no longer has, or whose kind of value changed, is left as the form starts it.
    again.resume({**values, "gone": "x", "needs": "投影"})
    assert again.row("room").value == "  综合实验楼101" and again.row("needs").value == []  # type: ignore[union-attr]
    assert again.row("people").error == "请输入数字"  # restored and filled: shown as if left
    assert again.row("budget").error == ""  # type: ignore[union-attr]
    assert draft_values(again.rows)["room"] == "  综合实验楼101"
    rows, restored = restore_values(build_rows(DEFINITION, USER, "kiosk"), {"proofs": [FILE], "room": "1"})
    assert restored == {"room"}  # a kiosk's attachment field is not its to fill
    assert next(r for r in rows if r.name == "proofs").value == []


EVENTS = [
    {"action": "submit", "actor_name": "王小明"},
    {"action": "annotate", "field": "room", "actor_name": "张老师", "comment": "旧批注"},
    {"action": "return", "actor_name": "张老师", "comment": "旧的退回"},
    {"action": "resubmit", "actor_name": "王小明"},
    {"action": "annotate", "field": "room", "actor_name": "贾孟杰", "comment": "请写明楼号"},
    {"action": "annotate", "field": "room", "actor_name": "贾孟杰", "comment": "以及房间号"},
    {"action": "annotate", "field": "people", "actor_name": "贾孟杰", "comment": "人数不对"},
    {"action": "return", "actor_name": "贾孟杰", "comment": "请按批注修改"},
]


def test_the_notes_of_a_returned_application_are_this_rounds() -> None:
    assert annotations(EVENTS) == {"room": "贾孟杰：请写明楼号\n贾孟杰：以及房间号", "people": "贾孟杰：人数不对"}
    assert return_note(EVENTS) == "贾孟杰退回了申请：请按批注修改"
    assert return_note([*EVENTS[:4], {"action": "withdraw"}]) == "您已撤回申请"
    assert return_note([{"action": "return", "actor_name": "张老师"}]) == "张老师退回了申请"
    assert return_note(EVENTS[:1]) == "" and annotations([]) == {}


def test_a_returned_application_opens_as_it_was_sent_with_its_notes() -> None:
    returned = {
        "data": {"room": "101", "people": 0, "doc_no": "202611-001", "applicant": "旧名字", "needs": ["投影"]},
        "events": EVENTS,
    }
    rows, restored = restore_sent(build_rows(DEFINITION, USER, "desk"), returned)
    by_name = {r.name: r for r in rows}
    assert restored == {"room", "needs"}  # people was sent as a number; the form holds text
    assert by_name["doc_no"].value == "202611-001"  # what the server filled stays
    assert by_name["applicant"].value == "王小明"  # the profile's is filled again
    assert by_name["room"].annotation == "贾孟杰：请写明楼号\n贾孟杰：以及房间号"

    form = FormState.opened(DEFINITION, USER, "desk", returned)
    assert form.first_annotated_field() == "room"
    assert form.row("people").error == ""  # not sent as the form holds it: not counted as left
    assert not form.check_all() and form.row("people").error  # type: ignore[union-attr]


def test_uploads_take_what_the_field_has_room_for() -> None:
    form = FormState.opened(DEFINITION, USER, "desk")
    assert form.limits("proofs").max_count == 2 and form.add_uploads("room", ["a.pdf"]) == []
    tokens = form.add_uploads("proofs", ["a.pdf", "b.png", "c.pdf"])
    proofs = form.row("proofs")
    assert proofs is not None and len(tokens) == 2 and form.uploading == 2
    assert [u["name"] for u in proofs.uploads] == ["a.pdf", "b.png"]
    assert proofs.notice == "最多上传 2 个文件，未添加：c.pdf"

    form.show_progress({tokens[0]: (512, 2048)})
    first, second = form.row("proofs").uploads  # type: ignore[union-attr]
    assert (first["progress"], first["size"]) == (0.25, 2048) and second["progress"] == 0.0

    form.upload_failed("proofs", tokens[1], "只能上传 PDF 或 PNG 文件")
    form.upload_done("proofs", tokens[0], FILE)
    form.upload_done("proofs", tokens[0], FILE)  # told twice: listed once
    proofs = form.row("proofs")
    assert proofs is not None and proofs.value == [FILE] and form.uploading == 0
    assert [(u["name"], u["state"], u["message"]) for u in proofs.uploads] == [
        ("b.png", "failed", "只能上传 PDF 或 PNG 文件")
    ]
    # A new choice clears the earlier refusals; one place is left of two.
    assert len(form.add_uploads("proofs", ["d.pdf", "e.pdf"])) == 1
    assert [u["name"] for u in form.row("proofs").uploads] == ["d.pdf"]  # type: ignore[union-attr]
    form.dismiss_upload("proofs", form.row("proofs").uploads[0]["token"])  # type: ignore[union-attr]
    assert form.row("proofs").uploads == () and form.row("proofs").notice == ""  # type: ignore[union-attr]
    form.remove_attachment("proofs", FILE["id"])
    assert form.row("proofs").value == []  # type: ignore[union-attr]


def test_the_next_step_and_its_handlers() -> None:
    workflow = {"steps": [{"key": "receive", "name": "实验室管理科接收", "choose": True}, {"key": "done"}]}
    jia = {"user_id": "100871", "name": "贾孟杰"}
    step = next_step(workflow, {"receive": [jia]})
    assert step == {"name": "实验室管理科接收", "choose": True, "handlers": [jia]}
    assert default_handler(step) == "100871"  # the one holder of the post, already chosen
    two = next_step(workflow, {"receive": [jia, {"user_id": "100872"}]})
    assert two["choose"] and default_handler(two) == ""  # the applicant chooses
    fixed = next_step({"steps": [{"key": "receive", "name": "接收"}]}, {"receive": [jia]})
    assert fixed == {"name": "接收", "choose": False, "handlers": []}  # not the applicant's to choose
    assert next_step(None, {}) == {} and next_step({"steps": []}, {}) == {}
