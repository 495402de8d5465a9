"""Workflow definitions of hall processes: the format, the checks, and which steps an application takes.

Pure (no database): the server's engine (core/workflow.py) runs them and the kiosk can show them offline.
One definition per process, `sync_server/seed/workflows/<process code>.json`, synced as public "workflow" changes:

    {
      "process": "xj-diannao-weixiu",
      "version": 1,                                  # bumped when the definition changes
      "steps": [                                     # after 申请人填写, in order; then 办结
        {"key": "receive", "name": "现教中心实验室管理科接收",
         "assign": {"post": "xjzx-sys-jsr"},         # who may act (below)
         "choose": true,                             # the previous actor picks one of them (选择审核人)
         "section": "receive",                       # the form section (step key in the form) this step fills
         "decision": {"field": "…_result", "negative": ["不同意"]},   # values that are a no, not an approval
         "when": {"field": "amount", "op": ">", "value": 10000},     # taken only when the applicant's data says so
         "due_hours": 72},
        {"key": "confirm", "name": "申请人确认", "assign": {"applicant": true}, "due_hours": 72}
      ]
    }

Assignments (`assign`):
- `{"post": "<post code>"}`: the holders of a post (岗位), e.g. 教务处办事员;
- `{"department": "applicant" | {"field": "<form field>"}, "post_type": "<suffix>"}`: the post `<dept>-<suffix>`
  (fzr 负责人, fdy 辅导员, jxms 教学秘书) of the applicant's department, or of the department a form field names
  (转入学院); a department without that post defers to its parent;
- `{"department": "applicant", "staff": true}`: the staff of the applicant's department (with `choose`: 指导教师);
- `{"applicant": true}`: the applicant (申请人确认, 销假);
- `{"members": [assignment, …]}` with `"countersign": {"mode": "all"}` or `{"mode": "any", "k": 2}` (会签): every
  person the members resolve to gets a task; the step completes when all of them, or any k, approved.

Without `choose`, or when the previous actor does not choose, everyone eligible gets the task and the first to act
takes it. The applicant never handles their own application (they are not eligible for a handling step).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from campus_common import forms

APPLY = "apply"  # the applicant's own step: filling in, and again after a return or withdrawal
RESERVED_KEYS = {APPLY, "done"}
POST_TYPES = {"fzr": "负责人", "fdy": "辅导员", "jxms": "教学秘书"}
CONDITION_OPS = (">", ">=", "<", "<=", "==", "!=", "in")
MAX_DUE_HOURS = 24 * 90
_KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")


def steps(definition: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = definition["steps"]
    return out


def step_of(definition: dict[str, Any], key: str | None) -> dict[str, Any] | None:
    return next((s for s in steps(definition) if s["key"] == key), None)


def is_applicant_step(step: dict[str, Any]) -> bool:
    return bool(step["assign"].get("applicant"))


def is_countersign(step: dict[str, Any]) -> bool:
    return "countersign" in step


def condition_holds(when: dict[str, Any] | None, data: dict[str, Any]) -> bool:
    """Whether a step's `when` holds for the applicant's data. A field left empty satisfies no comparison."""
    if not when:
        return True
    value, op, expected = data.get(when["field"]), when["op"], when["value"]
    if op == "in":
        return value in expected
    if op == "==":
        return bool(value == expected)
    if op == "!=":
        return bool(value != expected)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    return {">": value > expected, ">=": value >= expected, "<": value < expected, "<=": value <= expected}[op]


def next_step(definition: dict[str, Any], data: dict[str, Any], after: str | None) -> dict[str, Any] | None:
    """The step that follows `after` (None or APPLY: the first) for this data; None means 办结."""
    keys = [s["key"] for s in steps(definition)]
    start = 0 if after is None or after == APPLY else keys.index(after) + 1
    return next((s for s in steps(definition)[start:] if condition_holds(s.get("when"), data)), None)


def path(definition: dict[str, Any], data: dict[str, Any]) -> list[dict[str, Any]]:
    """The steps this data takes, in order."""
    return [s for s in steps(definition) if condition_holds(s.get("when"), data)]


def section_fields(form: dict[str, Any], step: dict[str, Any]) -> list[str]:
    return forms.step_fields(form, step["section"]) if step.get("section") else []


# -- checking definitions ----------------------------------------------------------------------------------
def _assignment_problems(where: str, assign: object, form: dict[str, Any], posts: set[str] | None) -> list[str]:
    if not isinstance(assign, dict):
        return [f"{where}: assign must be an object"]
    out: list[str] = []
    applicant_fields = set(forms.applicant_fields(form))
    if set(assign) == {"post"}:
        if not isinstance(assign["post"], str):
            out.append(f"{where}: post must be a post code")
        elif posts is not None and assign["post"] not in posts:
            out.append(f"{where}: unknown post {assign['post']}")
    elif set(assign) in ({"department", "post_type"}, {"department", "staff"}):
        department = assign["department"]
        if isinstance(department, dict):
            field = department.get("field")
            if set(department) != {"field"} or field not in applicant_fields:
                out.append(f"{where}: department field must be one of the applicant's fields")
            elif form["schema"]["properties"][field].get("type") != "string":
                out.append(f"{where}: department field {field} must be text")
        elif department != "applicant":
            out.append(f'{where}: department must be "applicant" or {{"field": name}}')
        if "post_type" in assign and assign["post_type"] not in POST_TYPES:
            out.append(f"{where}: post_type must be one of {sorted(POST_TYPES)}")
        if "staff" in assign and assign["staff"] is not True:
            out.append(f"{where}: staff must be true")
    elif assign == {"applicant": True}:
        pass
    else:
        out.append(f"{where}: unknown assignment {sorted(assign)}")
    return out


def _condition_problems(where: str, when: object, form: dict[str, Any]) -> list[str]:
    if not isinstance(when, dict) or set(when) != {"field", "op", "value"}:
        return [f"{where}: when needs field, op and value"]
    field, op, value = when["field"], when["op"], when["value"]
    if field not in forms.applicant_fields(form):
        return [f"{where}: when.field {field} is not one of the applicant's fields"]
    if op not in CONDITION_OPS:
        return [f"{where}: when.op must be one of {CONDITION_OPS}"]
    kind = form["schema"]["properties"][field].get("type")
    if op in (">", ">=", "<", "<=") and (kind not in ("number", "integer") or not isinstance(value, int | float)):
        return [f"{where}: {op} compares a number field with a number"]
    if op == "in" and not isinstance(value, list):
        return [f"{where}: in needs a list"]
    return []


def definition_problems(
    definition: dict[str, Any], form: dict[str, Any], posts: Iterable[str] | None = None
) -> list[str]:
    """What is wrong with a workflow definition for this form (empty when it is usable): well-formed steps with
    unique keys, known assignments (and posts, when `posts` is given), every section a later step fills in the
    form owned by exactly one step, decisions and conditions that refer to real fields and values."""
    known_posts = set(posts) if posts is not None else None
    if not isinstance(definition, dict):
        return ["a definition is an object"]
    out: list[str] = []
    if definition.get("process") != form.get("process"):
        out.append("process does not match the form's")
    if not isinstance(definition.get("version"), int) or definition["version"] < 1:
        out.append("version must be a positive integer")
    step_list = definition.get("steps")
    if not isinstance(step_list, list) or not step_list:
        return [*out, "steps must be a non-empty list"]
    form_sections = {s["step"] for s in form["ui"]["sections"] if s.get("step")}
    owned: list[str] = []
    keys: list[str] = []
    for n, step in enumerate(step_list):
        where = f"step {n + 1}"
        if not isinstance(step, dict):
            out.append(f"{where}: must be an object")
            continue
        key = step.get("key")
        if not isinstance(key, str) or not _KEY.fullmatch(key) or key in RESERVED_KEYS:
            out.append(f"{where}: key must be a short lower-case name other than {sorted(RESERVED_KEYS)}")
        elif key in keys:
            out.append(f"{where}: key {key} is used twice")
        else:
            keys.append(key)
            where = f"step {key}"
        known = {"key", "name", "assign", "choose", "countersign", "section", "decision", "when", "due_hours"}
        if set(step) - known:
            out.append(f"{where}: unknown properties {sorted(set(step) - known)}")
        name = step.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 64:
            out.append(f"{where}: name must be 1–64 characters")
        due = step.get("due_hours")
        if due is not None and (not isinstance(due, int) or isinstance(due, bool) or not 1 <= due <= MAX_DUE_HOURS):
            out.append(f"{where}: due_hours must be 1–{MAX_DUE_HOURS}")
        assign = step.get("assign")
        countersign = step.get("countersign")
        if countersign is not None:
            if not isinstance(assign, dict) or set(assign) != {"members"} or not isinstance(assign["members"], list):
                out.append(f"{where}: a countersign step assigns members")
            else:
                members = assign["members"]
                if not members:
                    out.append(f"{where}: members must not be empty")
                for m, member in enumerate(members):
                    problems = _assignment_problems(f"{where} member {m + 1}", member, form, known_posts)
                    if not problems and isinstance(member, dict) and member.get("applicant"):
                        problems = [f"{where} member {m + 1}: the applicant cannot countersign"]
                    out.extend(problems)
                mode = countersign.get("mode") if isinstance(countersign, dict) else None
                if countersign == {"mode": "all"}:
                    pass
                elif mode == "any" and set(countersign) == {"mode", "k"}:
                    k = countersign["k"]
                    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= len(members):
                        out.append(f"{where}: countersign k must be 1–{len(members)}")
                else:
                    out.append(f'{where}: countersign is {{"mode": "all"}} or {{"mode": "any", "k": n}}')
            if step.get("choose"):
                out.append(f"{where}: a countersign step cannot be chosen")
        else:
            out.extend(_assignment_problems(where, assign, form, known_posts))
        if "choose" in step and not isinstance(step["choose"], bool):
            out.append(f"{where}: choose must be true or false")
        if isinstance(assign, dict) and assign.get("applicant"):
            if step.get("choose"):
                out.append(f"{where}: the applicant's step has nobody to choose")
            if n == 0:
                out.append(f"{where}: the first step after submission cannot be the applicant's")
        if n == 0 and "when" in step:
            out.append(f"{where}: the first step always runs (no when)")
        section = step.get("section")
        if section is not None:
            if section not in form_sections:
                out.append(f"{where}: the form has no section for step {section}")
            owned.append(section)
        decision = step.get("decision")
        if decision is not None:
            fields = forms.step_fields(form, section) if section in form_sections else []
            if not isinstance(decision, dict) or set(decision) != {"field", "negative"}:
                out.append(f"{where}: decision needs field and negative")
            elif decision["field"] not in fields:
                out.append(f"{where}: decision field {decision['field']} is not in the step's section")
            else:
                enum = form["schema"]["properties"][decision["field"]].get("enum", [])
                negative = decision["negative"]
                if not isinstance(negative, list) or not negative or not set(negative) <= set(enum):
                    out.append(f"{where}: decision.negative must be values of {decision['field']}")
        if "when" in step:
            out.extend(_condition_problems(where, step["when"], form))
    for section in sorted(form_sections):
        if owned.count(section) != 1:
            out.append(f"the form's section for step {section} must be filled by exactly one step")
    return out
