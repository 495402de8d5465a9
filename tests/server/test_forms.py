"""The form definitions of the 64 hall processes (sync_server/seed/forms/) against the contract in
campus_common/forms.py: one usable definition per process, fitted to its audience, the manual's repair form as
the manual shows it, Chinese messages on the right field, and property tests with tests/form_strategies.py."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from campus_common import forms
from tests.form_strategies import invalid_data, valid_data

SEED = Path(__file__).resolve().parents[2] / "sync_server" / "seed"
STEPS = ["receive", "handle", "review", "dept_review", "leader", "confirm"]
PROCESSES = {p["code"]: p for p in json.loads((SEED / "processes.json").read_text(encoding="utf-8"))}
DEFINITIONS = {
    path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted((SEED / "forms").glob("*.json"))
}
CODES = sorted(PROCESSES)
REPAIR = "xj-diannao-weixiu"

# The generic skeleton every form may carry; what is not in it is specific to the process.
SKELETON = {"applicant", "user_id", "department", "class_name", "phone", "apply_date", "doc_no", "serial", "reason"}

# Profiles as the server knows them (core/applications.profile_values), from the demo users.
STUDENT = {
    "profile.name": "王子涵",
    "profile.user_id": "2022010101",
    "profile.department_name": "信息工程学院",
    "profile.class_name": "2022级计算机科学与技术1班",
    "profile.phone": "13303721458",
}
STAFF = {
    "profile.name": "刘诗宏",
    "profile.user_id": "101203",
    "profile.department_name": "现代教育技术中心",
    "profile.class_name": "",
    "profile.phone": "13303857660",
}
VISITOR = {
    "profile.name": "王建军",
    "profile.user_id": "WB20260001",
    "profile.department_name": "",
    "profile.class_name": "",
    "profile.phone": "13303867733",
}
APPROVER = {
    "profile.name": "贾孟杰",
    "profile.user_id": "101207",
    "profile.department_name": "现教中心实验室管理科",
    "profile.class_name": "",
    "profile.phone": "13303854319",
}


def applicant_profile(code: str) -> dict[str, str]:
    """Who fills the applicant's part: a student only where only students apply (staff have no class)."""
    audience = PROCESSES[code]["audience"]
    if audience == ["学生"]:
        return STUDENT
    if audience == ["校外人员"]:
        return VISITOR
    return STAFF


def sources(definition: dict[str, Any]) -> set[str]:
    return {f.get("source") for f in definition["ui"]["fields"].values() if f.get("source")}


def specific_fields(definition: dict[str, Any]) -> list[str]:
    return [
        n
        for n in forms.applicant_fields(definition)
        if n not in SKELETON and forms.field_ui(definition, n)["widget"] != "readonly"
    ]


# -- the set of definitions ----------------------------------------------------------------------------------
def test_one_definition_per_process() -> None:
    assert len(PROCESSES) == 64
    assert sorted(DEFINITIONS) == CODES  # none missing, no stray file
    for code, definition in DEFINITIONS.items():
        assert definition["process"] == code
        assert isinstance(definition["version"], int) and definition["version"] >= 1


@pytest.mark.parametrize("code", CODES)
def test_definition_is_usable(code: str) -> None:
    definition = DEFINITIONS[code]
    assert forms.definition_problems(definition, known_steps=STEPS) == []
    props = definition["schema"]["properties"]
    for name, prop in props.items():
        hints = forms.field_ui(definition, name)
        widget = hints["widget"]
        if widget == "attachment":  # the kiosk cannot upload: never required, hidden there
            assert hints.get("desk_only") is True and not forms.is_required(definition, name), name
            assert "maxItems" in prop, name
        if widget == "money":
            assert (prop.get("minimum"), prop.get("multipleOf")) == (0, 0.01), name
        if widget == "checkboxes":
            assert prop.get("uniqueItems") is True and prop.get("minItems") == 1, name
        if widget == "signature":
            assert prop.get("maxLength") == 200000, name
        if "pattern" in prop:
            assert hints.get("pattern_message"), name
        for text in (hints["label"], hints.get("placeholder", ""), hints.get("help", ""), hints.get("hint", "")):
            assert text == text.strip() and "\n" not in text, name
    for section in definition["ui"]["sections"]:
        if section.get("step") is not None:
            assert len(section["fields"]) <= 5, section["key"]  # later steps' sections stay small
    assert forms.applicant_fields(definition), "the applicant has a part"


@pytest.mark.parametrize("code", CODES)
def test_definition_fits_its_audience(code: str) -> None:
    definition, audience = DEFINITIONS[code], PROCESSES[code]["audience"]
    used, labels = sources(definition), {forms.label_of(definition, n) for n in forms.applicant_fields(definition)}
    if audience == ["校外人员"]:
        # A visitor has no class or department: they give their own name, ID card and phone.
        assert not used & {"profile.class_name", "profile.department_name"}
        widgets = {forms.field_ui(definition, n)["widget"] for n in forms.applicant_fields(definition)}
        assert {"idcard", "mobile"} <= widgets and "姓名" in labels
        return
    if code == REPAIR:  # the manual's form as it is: 报修部门 and 报修人, no 工号
        assert "profile.class_name" not in used
        return
    assert "profile.user_id" in used
    if audience == ["学生"]:
        assert "学号" in labels
    elif audience == ["教工"]:
        assert "工号" in labels and "profile.class_name" not in used
    else:  # students and staff: staff have no class
        assert "学号/工号" in labels and "profile.class_name" not in used


def test_no_two_definitions_have_the_same_fields() -> None:
    seen: dict[frozenset[str], str] = {}
    for code, definition in DEFINITIONS.items():
        names = frozenset(definition["schema"]["properties"])
        assert names not in seen, f"{code} has the fields of {seen.get(names)}"
        seen[names] = code


def test_most_used_processes_have_specific_forms() -> None:
    specific = [code for code, d in DEFINITIONS.items() if len(specific_fields(d)) >= 6]
    assert len(specific) >= 15
    for code in ("jw-xiuxue", "jw-zhuanzhuanye", "jw-chengjidan", "jw-zaidu-zhengming", "jw-huankao", "hq-baoxiu"):
        assert code in specific
    # and every form asks at least something of its own
    assert all(specific_fields(d) for code, d in DEFINITIONS.items()), "a form with only the skeleton"


def test_repair_form_is_the_manuals() -> None:
    d = DEFINITIONS[REPAIR]
    assert [(s["title"], s.get("step")) for s in d["ui"]["sections"]] == [
        ("基本信息", None),
        ("报修信息", None),
        ("审核信息", "receive"),
    ]
    labels = [forms.label_of(d, n) for n in forms.field_order(d)]
    assert labels == [
        "报修日期",
        "单号",
        "报修部门",
        "报修人",
        "联系电话",
        "资产名称",
        "存放地点",
        "资产编码",
        "需维修问题",
        "验收人",
        "维修情况",
        "接收人",
        "接收时间",
    ]
    assert all(forms.is_required(d, n) for n in forms.field_order(d))  # every field has the manual's *
    assert d["schema"]["properties"]["asset_type"]["enum"] == ["打印机", "电脑主机", "电脑显示器", "其他"]
    assert forms.field_ui(d, "asset_type")["widget"] == "radio"
    assert forms.field_ui(d, "asset_code")["hint"] == "没有条码请填写暂无"
    assert forms.field_ui(d, "doc_no")["source"] == "server.doc_no"


# -- messages ------------------------------------------------------------------------------------------------
def _xiuxue(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "applicant": "王子涵",
        "user_id": "2022010101",
        "department": "信息工程学院",
        "class_name": "2022级计算机科学与技术1班",
        "phone": "13303721458",
        "id_card": "11010519491231002X",
        "suspend_reason": "因病",
        "suspend_period": {"start": "2025-09-01", "end": "2026-07-15"},
        "explanation": "腿部骨折需住院治疗",
        "parent_name": "王建国",
        "parent_phone": "13903712345",
        "parent_informed": "是",
        "signature": "data:image/png;base64,iVBORw0KGgo=",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_validate_messages() -> None:
    xiuxue = DEFINITIONS["jw-xiuxue"]
    assert forms.validate(xiuxue, _xiuxue()) == {}
    assert forms.validate(xiuxue, _xiuxue(suspend_reason=None)) == {"suspend_reason": "请选择休学原因"}
    assert forms.validate(xiuxue, _xiuxue(explanation=None)) == {"explanation": "请填写原因说明"}
    assert forms.validate(xiuxue, _xiuxue(parent_phone="1390371234")) == {"parent_phone": "请输入 11 位手机号码"}
    assert forms.validate(xiuxue, _xiuxue(parent_phone="13903712345\n")) == {"parent_phone": "请输入 11 位手机号码"}
    bad_check = {"id_card": "身份证号码不正确（18 位，末位为校验码）"}
    assert forms.validate(xiuxue, _xiuxue(id_card="110105194912310021")) == bad_check
    assert forms.validate(xiuxue, _xiuxue(suspend_reason="想休息")) == {"suspend_reason": "请从选项中选择休学原因"}
    assert forms.validate(xiuxue, _xiuxue(explanation=" \u3000 ")) == {"explanation": "请填写原因说明"}
    backwards = {"start": "2026-07-15", "end": "2025-09-01"}
    assert forms.validate(xiuxue, _xiuxue(suspend_period=backwards)) == {"suspend_period": "结束日期不能早于开始日期"}
    # inside a date range the field, not "end", is what is wrong
    half = {"start": "2025-09-01"}
    assert forms.validate(xiuxue, _xiuxue(suspend_period=half)) == {"suspend_period": "请选择休学起止"}
    assert forms.validate(xiuxue, _xiuxue(explanation="病" * 801)) == {"explanation": "原因说明最多 800 个字"}
    assert forms.validate(xiuxue, _xiuxue(signature="我签了")) == {"signature": "请在签名框内手写签名"}

    funds = DEFINITIONS["jw-jiaoxue-jingfei"]
    base = {
        "applicant": "林峰",
        "user_id": "101390",
        "department": "信息工程学院",
        "phone": "13303852274",
        "apply_date": date.today().isoformat(),
        "fund_item": "实验耗材",
        "budget_no": "JX-2025-017",
        "amount": 1234.07,  # a binary float jsonschema's own multipleOf refuses (0.07 / 0.01 != 7)
        "use_period": {"start": "2025-09-01", "end": "2025-12-31"},
        "usage": "购买单片机实验耗材",
        "budget_detail": "开发板 40 块，单价 30.85 元",
    }
    assert forms.validate(funds, base) == {}
    assert forms.validate(funds, {**base, "amount": 1234.075}) == {"amount": "申请金额最多保留两位小数"}
    assert forms.validate(funds, {**base, "amount": -1}) == {"amount": "申请金额不能小于 0"}
    assert forms.validate(funds, {**base, "budget_no": "经费"}) == {
        "budget_no": "经费项目编号为 4–20 位大写字母、数字或短横线"
    }

    transfer = DEFINITIONS["jw-zhuanzhuanye"]
    problems = forms.validate(transfer, {"gpa": 3.456, "target_college": "法学院"})
    assert problems["gpa"] == "平均学分绩点最多保留两位小数"
    assert problems["target_college"] == "请从选项中选择拟转入学院"
    assert problems["applicant"] == "请填写姓名"

    # a workflow step's part is checked on its own
    assert forms.validate(xiuxue, {}, step="review") == {
        "review_result": "请选择审核意见",
        "review_by": "请填写审核人",
        "review_date": "请填写审核日期",
    }


# -- properties ----------------------------------------------------------------------------------------------
PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("code", CODES)
def test_valid_data_is_accepted(code: str) -> None:
    definition = DEFINITIONS[code]

    @PROPERTY_SETTINGS
    @given(valid_data(definition, applicant_profile(code)))
    def check(data: dict[str, Any]) -> None:
        assert forms.validate(definition, data) == {}

    check()


@pytest.mark.parametrize("code", CODES)
def test_invalid_data_is_reported_on_its_field(code: str) -> None:
    definition = DEFINITIONS[code]

    @PROPERTY_SETTINGS
    @given(invalid_data(definition, applicant_profile(code)))
    def check(pair: tuple[dict[str, Any], str]) -> None:
        data, field = pair
        problems = forms.validate(definition, data)
        assert set(problems) == {field}, problems
        assert problems[field]

    check()


STEP_PARTS = [
    (code, section["step"]) for code in CODES for section in DEFINITIONS[code]["ui"]["sections"] if section.get("step")
]


@pytest.mark.parametrize(("code", "step"), STEP_PARTS)
def test_step_parts(code: str, step: str) -> None:
    definition = DEFINITIONS[code]

    @settings(PROPERTY_SETTINGS, max_examples=10)
    @given(valid_data(definition, APPROVER, step), invalid_data(definition, APPROVER, step))
    def check(data: dict[str, Any], pair: tuple[dict[str, Any], str]) -> None:
        assert forms.validate(definition, data, step) == {}
        assert set(forms.validate(definition, pair[0], step)) == {pair[1]}

    check()
