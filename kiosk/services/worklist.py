"""The 待办 list as a desk worker uses it, without Qt: what a row says of the request (its summary fields), the
step's default 办理结果 and whether a row can be approved from the list, the refusal of a contradictory decision,
and the list's search, filters and sorting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.services import campus_time
from kiosk.services.work_item import WorkItem

# Fields a row names when a process's form names no summary_fields: the applicant's first ones they typed.
FALLBACK_SUMMARY = 2
SUMMARY_CHARS = 24  # one value's share of the row (a 故障描述 may be a paragraph)
SORTS = ("waiting", "submitted", "due", "applicant", "serial", "process")


def summary_fields(form: dict[str, Any] | None) -> list[str]:
    """The fields a 待办 row shows of the request: the form's `ui.summary_fields`, else its first fields the
    applicant typed (not read-only, not a phone or an ID number)."""
    if not form:
        return []
    ui = form.get("ui") or {}
    named = ui.get("summary_fields")
    if isinstance(named, list) and named:
        return [str(n) for n in named]
    hints = ui.get("fields") or {}
    typed = [
        name
        for section in ui.get("sections") or []
        if not section.get("step")
        for name in section.get("fields") or []
        if (hints.get(name) or {}).get("widget") not in ("readonly", "mobile", "idcard", "attachment")
    ]
    return typed[:FALLBACK_SUMMARY]


def _shown(value: Any) -> str:
    if isinstance(value, list):
        text = "、".join(str(v) for v in value)
    elif isinstance(value, dict):
        text = "–".join(str(v) for v in value.values())
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


def summary(form: dict[str, Any] | None, data: dict[str, Any]) -> str:
    """The request in one line: "证明用途 办理签证 · 份数 2 · 证明语种 中文" (fields left empty are skipped)."""
    if not form:
        return ""
    hints = (form.get("ui") or {}).get("fields") or {}
    parts = []
    for name in summary_fields(form):
        value = data.get(name)
        if value in (None, "", [], {}):
            continue
        label = str((hints.get(name) or {}).get("label", name))
        parts.append(f"{label} {_shown(value)}")
    return " · ".join(parts)


def applicant_group(data: dict[str, Any]) -> str:
    """班级 for a student, else the department (所在学院 / 部门) the form recorded."""
    return str(data.get("class_name") or data.get("department") or data.get("dept_name") or "")


def step_inputs(form: dict[str, Any], section_key: str | None) -> list[dict[str, Any]]:
    """What the holder of a step fills in (its section's editable fields): widget, options, placeholder."""
    if not section_key:
        return []
    from campus_common import forms  # jsonschema: not on the start-up path

    out = []
    for name in forms.step_fields(form, section_key):
        hints = form["ui"]["fields"].get(name, {})
        if hints.get("widget") == "readonly":
            continue  # 接收人, 接收时间: filled from the actor's records by the server
        prop = form["schema"]["properties"].get(name, {})
        out.append(
            {
                "name": name,
                "label": hints.get("label", name),
                "widget": hints.get("widget", "text"),
                "options": list(prop.get("enum") or []),
                "placeholder": hints.get("placeholder", ""),
                "required": forms.is_required(form, name),
            }
        )
    return out


def step_inputs_of(form: dict[str, Any] | None, section: str | None) -> list[dict[str, Any]]:
    """What the holder fills in at the step (the same list the action panel shows)."""
    if not form or not section:
        return []
    return step_inputs(form, section)


def default_values(task: dict[str, Any], form: dict[str, Any] | None) -> dict[str, Any]:
    """The step's section as it starts: the decision field (办理结果) set to its one positive outcome when it
    has exactly one (已开具，待领取 beside 不予办理); nothing else is guessed."""
    decision = task.get("decision") or {}
    field, negative = decision.get("field"), set(decision.get("negative") or [])
    if not field:
        return {}
    for spec in step_inputs_of(form, task.get("section")):
        if spec["name"] == field:
            yes = [o for o in spec["options"] if o not in negative]
            return {field: yes[0]} if len(yes) == 1 else {}
    return {}


def needs_input(task: dict[str, Any], form: dict[str, Any] | None) -> bool:
    """Whether approving the task asks for more than its defaults: a required step field with no default, or a
    next handler to choose among several. Such rows are opened, not approved from the list."""
    if task.get("box") != "todo" or task.get("kind") not in ("handle", "countersign"):
        return True
    if "approve" not in (task.get("actions") or []) or task.get("pending_action"):
        return True
    defaults = default_values(task, form)
    if any(s["required"] and s["name"] not in defaults for s in step_inputs_of(form, task.get("section"))):
        return True
    following = task.get("next") or {}
    return bool(following.get("choose")) and len(following.get("handlers") or []) != 1


def approve_values(task: dict[str, Any], form: dict[str, Any] | None) -> tuple[dict[str, Any], str]:
    """What 通过 from the list sends: the step's defaults and the one next handler (when it is chosen)."""
    following = task.get("next") or {}
    handlers = following.get("handlers") or []
    handler = str(handlers[0].get("user_id", "")) if following.get("choose") and len(handlers) == 1 else ""
    return default_values(task, form), handler


def decision_conflict(task: dict[str, Any], form: dict[str, Any] | None, action: str, values: dict[str, Any]) -> str:
    """Why the action contradicts the 办理结果 picked (不予办理 with 通过, or 已开具 with 不予办理), in Chinese;
    "" when it does not. The server refuses it too: this says so before anything is sent."""
    decision = task.get("decision") or {}
    field, negative = decision.get("field"), list(decision.get("negative") or [])
    if not field or field not in values or values[field] in ("", None):
        return ""
    labels = (form or {}).get("ui", {}).get("fields", {})
    label = str((labels.get(field) or {}).get("label", field))
    value = values[field]
    if action == "approve" and value in negative:
        return f"{label}为“{value}”时不能通过：请改选{label}，或点“不予办理”或“退回”"
    if action == "reject" and value not in negative:
        return f"{label}为“{value}”时不能不予办理：请改选{label}"
    return ""


@dataclass(frozen=True)
class ListView:
    """How the user wants the list: search text, process and step filters, sort key and direction."""

    query: str = ""
    process_code: str = ""
    step_name: str = ""
    sort: str = "waiting"
    descending: bool = False


def _matches(item: WorkItem, query: str) -> bool:
    words = query.lower().split()
    haystack = f"{item.applicant} {item.applicant_id} {item.serial}".lower()
    return all(w in haystack for w in words)


def _far_future() -> str:
    return "9999"


def sort_key(item: WorkItem, sort: str) -> tuple[Any, ...]:
    """Each sort's key; the task's age breaks ties, so the order never jumps between reads."""
    tie = (item.created_at, item.application_id)
    if sort == "submitted":
        return (item.submitted_at_iso, *tie)
    if sort == "due":
        return (item.due_at or _far_future(), *tie)  # no deadline: last
    if sort == "applicant":
        return (item.applicant, *tie)
    if sort == "serial":
        return (item.serial, *tie)
    if sort == "process":
        return (item.name, *tie)
    return tie  # waiting: the task that has waited longest first (ascending start)


def arrange(items: list[WorkItem], view: ListView) -> list[WorkItem]:
    """The rows shown: those matching the search and the filters, in the chosen order."""
    shown = [
        i
        for i in items
        if (not view.process_code or i.process_code == view.process_code)
        and (not view.step_name or i.step_name == view.step_name)
        and (not view.query.strip() or _matches(i, view.query))
    ]
    if not view.sort:
        return shown  # the box's own order (我的申请, 已办: the newest first)
    sort = view.sort if view.sort in SORTS else "waiting"
    return sorted(shown, key=lambda i: sort_key(i, sort), reverse=view.descending)


def default_sort(box: str) -> str:
    """待办: what has waited longest first; 我的申请 and 已办 keep their newest-first order until a sort is chosen."""
    return "waiting" if box == "todo" else ""


def step_choices(items: list[WorkItem], process_code: str = "") -> list[str]:
    """The steps that occur in the rows (of one process, when chosen), for the step filter."""
    return sorted({i.step_name for i in items if i.step_name and (not process_code or i.process_code == process_code)})


def clock_text(iso: str, now: datetime) -> str:
    """A moment as a list column shows it: 14:20 today, 12-03 14:20 this year, else 2025-12-03."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # the server's times without a zone are UTC
    # The campus's time, as every time shown (the top bar's clock names the zone where the PC's differs).
    local, today = moment.astimezone(campus_time.zone()), now.astimezone(campus_time.zone())
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if local.year == today.year:
        return local.strftime("%m-%d %H:%M")
    return local.strftime("%Y-%m-%d")


def ends_application(task: dict[str, Any], action: str) -> bool:
    """Whether the action is final (通过 at the last step, 不予办理, 终止): such an action is held back a few
    seconds, so it can be undone before its op is sent."""
    if action in ("reject", "terminate"):
        return True
    return action == "approve" and (task.get("next") or {}).get("key") == "done"


# Actions after which the task is no longer the user's to do (批注 and 备注 leave it in 待办).
LEAVES_TODO = frozenset({"approve", "return", "reject", "transfer"})


def still_leaving(sent: set[str], todo: list[dict[str, Any]], states: dict[str, dict[str, str]]) -> set[str]:
    """Of the applications whose task the user handled (`sent`), those a read still lists in 待办: kept out of
    the list until the server's answer removes the task, or refuses the action (then the row is back). A
    server's update of the task for an earlier action (a 批注) may arrive after the action and drop its
    local 处理中… mark, so the mark alone does not say it."""
    listed = {str(t.get("application_id")) for t in todo}
    refused = {e.removeprefix("application:") for e, s in states.items() if s.get("status") == "rejected"}
    return (sent & listed) - refused
