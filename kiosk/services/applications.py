"""One application as its progress page shows it, without Qt: what the user sees of it (the form section by
section with this round's 批注, the status, the sync state), which actions they have on it now, each action's
rules (what it asks for before it is sent), and the action as an outbox operation with its local effect."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from campus_common import ops, statuses
from kiosk.services import campus_time, form_fields
from kiosk.services.inbox import InboxSnapshot
from kiosk.services.worklist import decision_conflict, step_inputs


@dataclass(frozen=True)
class ActionRule:
    """How an action is taken on the progress page."""

    sends: str  # the workflow action it queues (批注 is a comment on one field)
    # "send": at once; "sheet": a sheet in the action panel asks for the reason (and the choice), then 确认;
    # "field": a field of the form is chosen first, then the sheet; "form": the form opens to be corrected.
    flow: str
    reason_required: bool = False
    # What the sheet asks to choose, if anything: "return_target" (the applicant, or the step before when the
    # server offers it), "colleague" (one of the server's transfer candidates), "field" (the field annotated).
    chooses: str = ""
    choice_required: bool = False
    with_task: bool = False  # the holder's actions name their task
    fills_step: bool = False  # sends the step's section and the next step's chosen handler
    ends: bool = False  # the application ends with it


# In the order a person reads the buttons. 退回 without a choice goes to the applicant, as the server does.
RULES = {
    "approve": ActionRule("approve", "send", with_task=True, fills_step=True),
    "resubmit": ActionRule("resubmit", "form"),
    "return": ActionRule("return", "sheet", reason_required=True, chooses="return_target", with_task=True),
    "transfer": ActionRule("transfer", "sheet", chooses="colleague", choice_required=True, with_task=True),
    "reject": ActionRule("reject", "sheet", reason_required=True, with_task=True, ends=True),
    "urge": ActionRule("urge", "send"),
    "withdraw": ActionRule("withdraw", "sheet"),
    "terminate": ActionRule("terminate", "sheet", ends=True),
    "comment": ActionRule("comment", "sheet", reason_required=True),
    "annotate": ActionRule("comment", "field", reason_required=True, chooses="field", choice_required=True),
}
# Where the choice goes in the operation's payload.
CHOICE_KEYS = {"return_target": "to", "colleague": "transfer_to", "field": "field"}


@dataclass(frozen=True)
class ActionInput:
    """What the user gave an action: the comment or reason, the choice its sheet asked for, and for 通过 the
    step's section and the next step's handler."""

    comment: str = ""
    choice: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    next_handler: str = ""

    @classmethod
    def of(cls, given: dict[str, Any]) -> ActionInput:
        """From what QML hands over (comment, choice, values, nextHandler; any may be missing)."""
        return cls(
            comment=str(given.get("comment") or ""),
            choice=str(given.get("choice") or ""),
            values=dict(given.get("values") or {}),
            next_handler=str(given.get("nextHandler") or ""),
        )


def _display(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(_display(v) for v in value)
    if isinstance(value, dict):
        if "start" in value:
            return f"{value.get('start', '')} 至 {value.get('end', '')}"
        return str(value.get("name") or "")
    if value is None:
        return ""
    return str(value)


def form_sections(
    form: dict[str, Any], data: dict[str, Any], notes: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """The form as the progress page shows it: each section (the applicant's and each step's) with its
    fields' labels, values and this round's 批注; sections of steps not reached yet are left out."""
    notes = notes or {}
    out = []
    for section in form.get("ui", {}).get("sections", []):
        rows = []
        for name in section.get("fields", []):
            hints = form["ui"]["fields"].get(name, {})
            if hints.get("widget") == "signature":
                value = "已签名" if data.get(name) else ""
            else:
                value = _display(data.get(name))
            rows.append({"name": name, "label": hints.get("label", name), "value": value, "note": notes.get(name, "")})
        if section.get("step") and not any(r["value"] for r in rows):
            continue
        out.append({"title": section.get("title", ""), "step": section.get("step") or "", "rows": rows})
    return out


@dataclass(frozen=True)
class Application:
    """One application as this user has it in a read of their 办件: the server's view of it, their own task on
    it (open, else handled), whether they applied, its form and the state of their last action on it."""

    id: str
    view: dict[str, Any]  # as the server last described it: status, steps, events, actions, data
    task: dict[str, Any]  # the user's task on it, {} when none
    own: bool
    form: dict[str, Any] | None
    state: dict[str, str]

    @classmethod
    def find(cls, snapshot: InboxSnapshot, application_id: str) -> Application:
        """The application in the read; with an empty view when it is not there (any more)."""
        task = next(
            (t for box in ("todo", "done") for t in snapshot.box(box) if t.get("application_id") == application_id),
            None,
        )
        own = next((a for a in snapshot.mine if a.get("id") == application_id), None)
        view = own or (task or {}).get("application") or {}
        form = snapshot.forms.get(str(view.get("process_code", "")))
        return cls(application_id, view, task or {}, own is not None, form, snapshot.state_of(application_id))

    @property
    def open_task(self) -> dict[str, Any] | None:
        return self.task if self.task.get("box") == "todo" else None

    @property
    def acting(self) -> bool:
        """An action of the user's is on its way: nothing more until the server answers."""
        return bool(self.task.get("pending_action"))

    @property
    def handling(self) -> bool:
        """The user holds a handling step (not the applicant's own: 申请人填写 after a return, 申请人确认)."""
        return self.open_task is not None and self.task.get("kind") not in ("apply", "confirm")

    @property
    def can_handle(self) -> bool:
        """The user acts on the current step here; the applicant's own open step (申请人填写) is corrected in
        the form instead."""
        return self.open_task is not None and not self.acting and self.task.get("kind") != "apply"

    @property
    def granted(self) -> set[str]:
        """The actions the server grants the user: their open task's, and the applicant's."""
        mine = set(self.view.get("actions") or []) if self.own else set()
        return set((self.open_task or {}).get("actions") or []) | mine

    @property
    def transfer_candidates(self) -> list[dict[str, Any]]:
        return list((self.open_task or {}).get("transfer_candidates") or []) if self.handling else []

    def step_fields(self) -> list[dict[str, Any]]:
        open_task = self.open_task
        return step_inputs(self.form, open_task.get("section")) if self.form and open_task else []

    def offered(self) -> list[str]:
        """The action buttons, in reading order: the holder's task's, else the applicant's, else 备注 for
        anyone concerned. 转办 only when someone may take it; 批注 for the holder of a handling step."""
        if self.can_handle:
            given = set(self.task.get("actions") or [])
        elif self.own:
            given = set(self.view.get("actions") or [])
        else:
            given = {"comment"} & self.granted
        shown = [a for a in RULES if a in given and (a != "transfer" or self.transfer_candidates)]
        return [*shown, "annotate"] if self.handling and "comment" in self.granted else shown

    def detail(self, names: dict[str, str]) -> dict[str, Any]:
        """What the progress page shows (its keys are the page's)."""
        code = str(self.view.get("process_code", ""))
        granted = self.granted
        notes = form_fields.annotations(list(self.view.get("events") or []))
        can_resubmit = self.own and "resubmit" in granted
        # 办理记录 in the campus's time, labelled where this PC's zone differs (services/campus_time.py).
        events = [{**e, "atText": campus_time.moment_text(e.get("at"))} for e in self.view.get("events") or []]
        return {
            "application": {**self.view, "events": events} if self.view else {},
            "name": names.get(code, str(self.view.get("process_name", ""))),
            "task": self.task,
            "open": self.open_task is not None,
            "mine": self.own,
            "closed": statuses.is_final(self.view.get("status")),
            "acting": self.acting,
            "canHandle": self.can_handle,
            # The applicant sees their own actions unless they act on a step of theirs (申请人确认).
            "applicantView": self.own and not self.can_handle,
            "confirms": self.task.get("kind") == "confirm",
            "actions": self.offered(),
            "actionable": self.can_handle or "comment" in granted or can_resubmit,
            "sections": form_sections(self.form, self.view.get("data") or {}, notes) if self.form else [],
            # 退回 to the applicant or to the step before (the server says which exist); 转办 to a colleague.
            "returnTargets": list(
                (self.open_task or {}).get("return_targets") or [{"to": "applicant", "name": "申请人"}]
            ),
            "transferCandidates": self.transfer_candidates,
            "canAnnotate": self.handling and "comment" in granted,
            "canComment": "comment" in granted,
            "canResubmit": can_resubmit,
            "stepFields": self.step_fields(),
            "syncState": self.state.get("status", ""),
            "syncError": self.state.get("error", ""),
        }

    def check_step(self, values: dict[str, Any]) -> dict[str, str]:
        """The step section's values checked with the form's own rules (offline; the server checks again):
        {field: Chinese message}, empty when they may be sent."""
        section = self.task.get("section")
        if not self.form or not section:
            return {}
        from campus_common import forms  # jsonschema: not on the start-up path

        editable = {f["name"] for f in self.step_fields()}
        data = forms.normalise(self.form, {k: v for k, v in values.items() if k in editable and v not in ("", None)})
        problems = forms.validate(self.form, data, step=section)
        return {k: v for k, v in problems.items() if k in editable or k == ""}

    def problem(self, action: str, given: ActionInput) -> str:
        """Why the action cannot be sent as given: "reason" (a required reason is empty), "choice" (nothing
        chosen where a choice is required), "fields" (the step's section has problems: `check_step`), or ""."""
        rule = RULES.get(action)
        if rule is None:
            return ""
        if rule.reason_required and not given.comment.strip():
            return "reason"
        if rule.choice_required and not given.choice:
            return "choice"
        if rule.fills_step and self.step_fields() and self.check_step(given.values):
            return "fields"
        return ""

    def refusal(self, action: str, given: ActionInput) -> dict[str, Any] | None:
        """Why the action cannot be sent as given, as the desk's `act` answers it (problem: decision, reason,
        choice or fields, with the step's field problems); None when it can."""
        conflict = decision_conflict(self.task, self.form, action, given.values)
        if conflict:
            return {"queued": False, "problem": "decision", "message": conflict, "fields": {}}
        problem = self.problem(action, given)
        if problem:
            fields = self.check_step(given.values) if problem == "fields" else {}
            return {"queued": False, "problem": problem, "fields": fields}
        return None

    def write(self, user_id: str, action: str, given: ActionInput) -> tuple[str, dict[str, Any], Callable[[Any], None]]:
        """(op type, payload, local effect) of the action for `Writer.write`: the payload is the REST body with
        `application_id`; the local effect marks the user's tasks on it as acting (处理中…) until the server
        answers (not for a 批注 or 备注, which leave the task as it is). ValueError for what is not an action,
        or a task id the server did not send."""
        rule = RULES.get(action)
        if rule is None:
            raise ValueError(f"not an action on an application: {action!r}")
        args: dict[str, Any] = {"comment": given.comment.strip()}
        if rule.with_task:
            args["task_id"] = self.task.get("id")
        if rule.chooses:
            args[CHOICE_KEYS[rule.chooses]] = given.choice
        if rule.fills_step:
            if self.step_fields():
                args["data"] = dict(given.values)
            args["next_handler"] = given.next_handler
        payload = {"application_id": self.id, **{k: v for k, v in args.items() if v not in (None, "")}}
        if "task_id" in payload:
            payload["task_id"] = int(payload["task_id"])
        application_id, sends = self.id, rule.sends

        def apply_local(session: Any) -> None:
            if sends == "comment":
                # A 批注 or 备注 leaves the task the holder's: 通过 may follow at once (the outbox sends the two in
                # order). Marked 处理中… it hid the action buttons until the server answered, and a 通过 pressed
                # meanwhile was dropped without a word.
                return
            from kiosk.models.store import mark_acting  # SQLAlchemy: not on the start-up path

            mark_acting(session, user_id, application_id, sends)

        return ops.workflow_op(sends), payload, apply_local


def action_rule(action: str) -> dict[str, Any]:
    """An action's rule as the page reads it ({} for an unknown action)."""
    rule = RULES.get(action)
    if rule is None:
        return {}
    return {
        "sends": rule.sends,
        "flow": rule.flow,
        "reasonRequired": rule.reason_required,
        "chooses": rule.chooses,
        "choiceRequired": rule.choice_required,
        "ends": rule.ends,
    }
