"""What the school knows is filled in (kiosk/services/form_fields.py on the seed's real forms): 身份证号 and 专业
from the profile, read-only and (身份证号) masked on a kiosk's screen, typed when the school's records lack them;
联系电话 the same, with one tap to give another number for this application (and one back); choices start at the
schema's defaults (证明语种 中文, 份数 1), so a student types only what only they know."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from campus_common import forms
from kiosk.services.form_fields import build_rows, draft_values, masked, restore_sent, to_data
from kiosk.services.form_state import FormState

FORMS = Path(__file__).resolve().parents[2] / "sync_server" / "seed" / "forms"
DEFINITIONS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(FORMS.glob("*.json"))}
STUDENT: dict[str, Any] = {
    "user_id": "2022010101",
    "name": "王子涵",
    "department_name": "信息工程学院",
    "class_name": "2022级计算机科学与技术1班",
    "phone": "13303721458",
    "id_card": "410105200403150311",
    "major": "计算机科学与技术",
}


def test_masked_keeps_the_ends() -> None:
    assert masked("410105200403150311") == "4101**********0311"
    assert masked("13812341234", "mobile") == "138****1234"  # as the operators print a mobile
    assert masked("12345678") == "12345678"  # nothing short is worth masking


def test_the_certificate_asks_only_what_the_student_knows() -> None:
    definition = DEFINITIONS["jw-zaidu-zhengming"]
    state = FormState.opened(definition, STUDENT, "kiosk")
    rows = {r.name: r for r in state.rows}
    assert rows["id_card"].read_only and rows["id_card"].shown == "4101**********0311"
    assert rows["id_card"].value == "410105200403150311"
    assert (rows["cert_language"].value, rows["copies"].value) == ("中文", "1")
    editable = [r.name for r in state.rows if r.editable]
    assert editable == ["cert_language", "purpose", "receiver_org", "copies", "wanted_date"]
    assert not state.set_value("id_card", "11010519491231002X")  # locked: not the student's to change
    assert not state.change("id_card")  # nor to give another: the school's record is final
    assert state.set_value("purpose", "办理签证") and state.check_all()
    assert state.data()["id_card"] == "410105200403150311" and state.data()["copies"] == 1
    assert state.data()["phone"] == "13303721458"  # the number itself, never what the screen shows


def test_the_phone_the_school_holds_is_shown_masked_and_can_be_changed() -> None:
    """联系电话: the school's mobile, read-only and masked on a kiosk; 使用其他号码 opens it empty for this
    application, 用登记的号码 puts the record back."""
    state = FormState.opened(DEFINITIONS["jw-zaidu-zhengming"], STUDENT, "kiosk")
    phone = state.row("phone")
    assert phone is not None and phone.read_only and phone.changeable and not phone.editable
    assert (phone.value, phone.shown) == ("13303721458", "133****1458")
    assert not state.set_value("phone", "13912345678")  # one tap first: a number is not changed by accident
    assert not state.keep_school_value("phone")  # already the school's
    assert state.change("phone")
    phone = state.row("phone")
    assert phone is not None and phone.editable and (phone.value, phone.shown) == ("", "")
    assert not state.change("phone")  # already being typed
    assert state.set_value("purpose", "办理签证")
    assert not state.check_all() and state.first_error_field() == "phone"  # an empty number: asked for
    assert state.set_value("phone", "13912345678") and state.check_all()
    assert state.data()["phone"] == "13912345678"
    assert draft_values(state.rows)["phone"] == "13912345678"  # a desk draft keeps the number given
    assert state.keep_school_value("phone")
    phone = state.row("phone")
    assert (
        phone is not None
        and phone.read_only
        and (phone.value, phone.shown, phone.error)
        == (
            "13303721458",
            "133****1458",
            "",
        )
    )
    assert state.check_all() and state.data()["phone"] == "13303721458"
    assert "phone" not in draft_values(state.rows)


def test_a_phone_the_school_lacks_or_cannot_use_is_typed() -> None:
    """No number in the records, or a landline where the form asks for a 手机号码: the field is left to be typed
    (with the digit pad), empty — a landline prefilled would only be refused."""
    definition = DEFINITIONS["jw-zaidu-zhengming"]
    for phone in (None, "", "0371-63801234", "63801234"):
        row = next(r for r in build_rows(definition, {**STUDENT, "phone": phone}, "kiosk") if r.name == "phone")
        assert row.editable and not row.changeable and (row.value, row.shown) == ("", ""), phone


def test_a_desk_shows_the_phone_and_a_sent_number_comes_back_changed() -> None:
    definition = DEFINITIONS["jw-zaidu-zhengming"]
    desk = FormState.opened(definition, STUDENT, "desk")
    phone = desk.row("phone")
    assert phone is not None and phone.read_only and phone.shown == ""  # an office PC: the number itself
    assert desk.change("phone") and desk.keep_school_value("phone") and desk.row("phone").shown == ""  # type: ignore[union-attr]
    # 修改后重新提交 of an application sent with another number: that number, editable.
    rows, restored = restore_sent(build_rows(definition, STUDENT, "kiosk"), {"data": {"phone": "13912345678"}})
    phone = next(r for r in rows if r.name == "phone")
    assert "phone" in restored and phone.editable and phone.value == "13912345678" and phone.shown == ""
    rows, restored = restore_sent(build_rows(definition, STUDENT, "kiosk"), {"data": {"phone": "13303721458"}})
    assert "phone" not in restored and next(r for r in rows if r.name == "phone").read_only


@pytest.mark.parametrize(
    "code", sorted(c for c, d in DEFINITIONS.items() if forms.field_ui(d, "phone").get("source") == "profile.phone")
)
def test_every_applicants_phone_comes_from_the_profile(code: str) -> None:
    row = next(r for r in build_rows(DEFINITIONS[code], STUDENT, "kiosk") if r.name == "phone")
    assert row.read_only and row.changeable and row.shown == "133****1458", code
    assert to_data(DEFINITIONS[code], [row])[0] == {"phone": STUDENT["phone"]}


def test_the_major_comes_from_the_profile() -> None:
    """专业 is the school's (users.major, from import-users): read-only where a form asks for it, typed by a person
    the records lack it for."""
    majors = {
        "jy-baodaozheng": "major",
        "jy-sanfang-xieyi": "major",
        "jw-biyezheng-buban": "major",
        "jw-zhuanzhuanye": "current_major",
        "jw-baoliu-ruxue": "admitted_major",
    }
    for code, name in majors.items():
        hints = forms.field_ui(DEFINITIONS[code], name)
        assert forms.locked_by_profile(hints) and hints["source"] == "profile.major", code
        row = next(r for r in build_rows(DEFINITIONS[code], STUDENT, "kiosk") if r.name == name)
        assert row.read_only and not row.changeable and row.value == "计算机科学与技术" and row.shown == "", code
        typed = next(r for r in build_rows(DEFINITIONS[code], {**STUDENT, "major": None}, "kiosk") if r.name == name)
        assert typed.editable and typed.value == "", code
    # Every field the school's records could fill says so: no form asks a student to type their own 专业.
    for code, definition in DEFINITIONS.items():
        for name, hints in definition["ui"]["fields"].items():
            if hints.get("label") in ("专业", "现就读专业", "毕业专业", "录取专业") and "intern" not in name:
                audience_is_staff = code == "jw-peiyang-fangan"  # 培养方案: a major's programme, not the applicant's
                assert audience_is_staff or hints.get("source") == "profile.major", (code, name)


def test_a_desk_shows_the_number_and_unknown_numbers_are_typed() -> None:
    definition = DEFINITIONS["jw-zaidu-zhengming"]
    desk = {r.name: r for r in build_rows(definition, STUDENT, "desk")}
    assert desk["id_card"].read_only and desk["id_card"].shown == ""  # an office PC: the full number
    unknown = {r.name: r for r in build_rows(definition, {**STUDENT, "id_card": None}, "kiosk")}
    assert not unknown["id_card"].read_only and unknown["id_card"].value == ""


@pytest.mark.parametrize("code", sorted(c for c, d in DEFINITIONS.items() if "id_card" in d["schema"]["properties"]))
def test_every_id_card_comes_from_the_profile(code: str) -> None:
    definition = DEFINITIONS[code]
    assert forms.locked_by_profile(forms.field_ui(definition, "id_card")), code
    row = next(r for r in build_rows(definition, STUDENT, "kiosk") if r.name == "id_card")
    assert row.read_only and to_data(definition, [row])[0] == {"id_card": STUDENT["id_card"]}


def test_a_time_typed_on_the_digit_pad() -> None:
    """The kiosk's time field opens the digit pad: 0915 is sent as 09:15; what is no time stays refused."""
    state = FormState.opened(DEFINITIONS["jw-huankao"], STUDENT, "kiosk")
    assert state.set_value("exam_time", "0915")
    assert state.data()["exam_time"] == "09:15" and "exam_time" not in {r.name for r in state.rows if r.error}
    assert state.set_value("exam_time", "2561") and state.check_all() is False
    assert state.row("exam_time").error  # type: ignore[union-attr]


def test_defaults_are_values_the_field_accepts() -> None:
    bad = {**DEFINITIONS["jw-zaidu-zhengming"]}
    bad["schema"] = {**bad["schema"], "properties": {**bad["schema"]["properties"]}}
    bad["schema"]["properties"]["copies"] = {"type": "integer", "minimum": 1, "maximum": 10, "default": 0}
    assert "copies: default 0 is not a valid value" in forms.definition_problems(bad)
    with_defaults = [
        c for c, d in DEFINITIONS.items() if any("default" in p for p in d["schema"]["properties"].values())
    ]
    assert {"jw-zaidu-zhengming", "rs-zaizhi-zhengming", "jw-chengjidan"} <= set(with_defaults)


def test_a_form_in_english_keeps_its_values() -> None:
    """English mode: the form's `ui.en` labels, choices and section titles are shown; the values stay the
    options, so what reaches the server is the same in either language."""
    definition = {**DEFINITIONS["jw-zaidu-zhengming"]}
    definition["ui"] = {
        **definition["ui"],
        "en": {
            "fields": {"cert_language": {"label": "Language", "options": ["Chinese", "English", "Both"]}},
            "sections": {"cert": "Certificate"},
        },
    }
    rows = {r.name: r for r in build_rows(definition, STUDENT, "kiosk", "en_US")}
    assert rows["cert_language"].label == "Language"
    assert rows["cert_language"].option_labels == ("Chinese", "English", "Both")
    assert rows["cert_language"].options == ("中文", "英文", "中英文各一份") and rows["cert_language"].value == "中文"
    assert rows["section:cert"].label == "Certificate"
    assert rows["purpose"].label == "证明用途"  # no English for it: its Chinese, not nothing
    chinese = {r.name: r for r in build_rows(definition, STUDENT, "kiosk", "zh_CN")}
    assert (
        chinese["cert_language"].label == "证明语种"
        and chinese["cert_language"].option_labels == chinese["cert_language"].options
    )


def test_the_catalog_in_english() -> None:
    from kiosk.services.catalog import localized

    process = {
        "code": "jw-zaidu-zhengming",
        "name": "在读学籍证明申请",
        "department": "教务处",
        "department_name": "教务处",
        "audience": ["学生"],
        "category": "教学教务",
        "materials": ["学生证"],
        "en": {"name": "Certificate of enrolment", "audience": ["Students"], "category": "Teaching", "materials": []},
    }
    english = localized(process, "en_US")
    assert (english["name"], english["audience_text"], english["category_text"]) == (
        "Certificate of enrolment",
        "Students",
        "Teaching",
    )
    assert english["audience"] == ["学生"] and english["category"] == "教学教务"  # what the hall filters on
    assert english["department_name"] == "教务处"  # no English for it: its Chinese
    assert localized(process, "zh_CN")["name"] == "在读学籍证明申请"
    assert localized({**process, "en": {}}, "en_US")["name"] == "在读学籍证明申请"
