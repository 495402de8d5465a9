"""A form definition as the applicant's fields (FieldRow, prefilled from the profile or restored from a draft or
a returned application), and those fields back as the data to submit with what is wrong in it (in Chinese).

`campus_common.forms` is imported inside the functions: it loads jsonschema, which the start-up path must not
wait for (tests/kiosk/test_startup_imports.py); FieldRow itself is needed as soon as the views register.
"""

# No `from __future__ import annotations` here: annotations() below (the handlers' 批注) would shadow it.
from dataclasses import dataclass, replace
from datetime import date
from typing import Any


@dataclass(frozen=True)
class FieldRow:
    name: str
    widget: str
    label: str
    required: bool
    placeholder: str
    help: str
    hint: str
    options: tuple[str, ...]
    value: Any
    error: str
    read_only: bool
    desk_only: bool
    max_length: int
    section_title: str  # rows of widget "section" are the headers of the sections, in place
    # Attachment fields (desk mode): the files being uploaded or refused ({token, name, size, progress, state,
    # message}), the last problem with a choice of files, and the field's limits.
    uploads: tuple[dict[str, Any], ...] = ()
    notice: str = ""
    accept: tuple[str, ...] = ()
    max_count: int = 0
    # A handler's 批注 on this field, shown when the returned application is corrected ("贾孟杰：请写明型号").
    annotation: str = ""
    # What a read-only field shows when it is not its value: a 身份证号 masked on a kiosk's screen.
    shown: str = ""
    # The choices as shown, one per option (English mode: the form's English; the value stays the option).
    option_labels: tuple[str, ...] = ()
    # Filled read-only from the school's records, but the applicant may give another value for this application
    # (联系电话: 使用其他号码); `school_value` is the record's, to go back to.
    changeable: bool = False
    school_value: str = ""

    @property
    def editable(self) -> bool:
        """A field the user types or picks here (not a header, not filled for them, not for an office PC)."""
        return self.widget != "section" and not self.read_only and not self.desk_only


def filled(value: Any) -> bool:
    return value not in ("", [], None) and not (isinstance(value, dict) and not any(value.values()))


def profile_value(source: str, user: dict[str, Any]) -> str:
    if source == "today":
        return date.today().isoformat()
    if source.startswith("profile."):
        return str(user.get(source.removeprefix("profile.")) or "")
    return ""


def masked(value: str, widget: str = "idcard") -> str:
    """4101**********0311, 133****1458: enough for its owner to recognise, too little for whoever stands behind
    them (a mobile as the operators print it: the first three and last four digits)."""
    if widget == "mobile" and len(value) == 11:
        return value[:3] + "****" + value[-4:]
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else value


def shown_on(mode: str, widget: str, value: str) -> str:
    """What a read-only field shows instead of its value: on a kiosk's screen a 身份证号 or a phone masked."""
    return masked(value, widget) if mode == "kiosk" and widget in ("idcard", "mobile") and value else ""


def _start_value(definition: dict[str, Any], name: str, widget: str) -> Any:
    """What a field starts with before the profile fills it: the schema's default (a number as the text typed)."""
    from campus_common import forms

    default = forms.default_value(definition, name)
    if widget in ("checkboxes", "attachment"):
        return list(default) if isinstance(default, list) else []
    if widget == "daterange":
        return {"start": "", "end": ""}
    if default is None:
        return ""
    return str(default) if isinstance(default, (int, float)) else default


def _section_row(key: str, title: str) -> FieldRow:
    return FieldRow(
        name="section:" + key,
        widget="section",
        label=title,
        required=False,
        placeholder="",
        help="",
        hint="",
        options=(),
        value="",
        error="",
        read_only=True,
        desk_only=False,
        max_length=0,
        section_title=title,
    )


def build_rows(definition: dict[str, Any], user: dict[str, Any], mode: str, language: str = "zh_CN") -> list[FieldRow]:
    """The applicant's fields, in section order, with values prefilled from the profile; in English mode
    (`language` en_US) with the form's English labels, choices and section titles where it has them."""
    from campus_common import forms

    schema_props = definition["schema"].get("properties", {})
    english = definition["ui"].get("en", {}) if language.startswith("en") else {}
    rows: list[FieldRow] = []
    for section in definition["ui"]["sections"]:
        if section.get("step") is not None:
            continue  # a later step's section: the applicant neither sees it empty nor fills it
        key = str(section.get("key", len(rows)))
        rows.append(_section_row(key, str(english.get("sections", {}).get(key) or section["title"])))
        for name in section["fields"]:
            hints = {**forms.field_ui(definition, name), **english.get("fields", {}).get(name, {})}
            prop = schema_props.get(name, {})
            widget = hints.get("widget", "text")
            source = hints.get("source")
            value = _start_value(definition, name, widget)
            if isinstance(source, str) and source not in forms.SERVER_SOURCES:
                value = profile_value(source, user)
            # What the school holds is final (身份证号): shown, not asked; the server stores its own record.
            locked = forms.locked_by_profile(hints) and value != ""
            # What it holds that the applicant may change (联系电话) is shown the same way, with one tap to give
            # another value for this application — when it is one the field takes: a landline in the records is
            # no 手机号码, and the field is left for the applicant to type.
            changeable = False
            if widget != "readonly" and not locked and str(source or "").startswith("profile.") and value != "":
                changeable = name not in forms.validate(definition, {name: value})
                value = value if changeable else ""
            options = prop.get("enum") or prop.get("items", {}).get("enum") or []
            limits = forms.attachment_limits(definition, name) if widget == "attachment" else None
            rows.append(
                FieldRow(
                    name=name,
                    widget=widget,
                    label=str(hints.get("label", name)),
                    required=forms.is_required(definition, name),
                    placeholder=str(hints.get("placeholder", "")),
                    help=str(hints.get("help", "")),
                    hint=str(hints.get("hint", "")),
                    options=tuple(str(o) for o in options),
                    value=value,
                    error="",
                    read_only=widget == "readonly" or locked or changeable,
                    desk_only=bool(hints.get("desk_only")) and mode == "kiosk",
                    max_length=int(prop.get("maxLength", 0) or 0),
                    section_title="",
                    accept=tuple(limits.accept) if limits else (),
                    max_count=limits.max_count if limits else 0,
                    shown=shown_on(mode, widget, value) if locked or changeable else "",
                    option_labels=tuple(str(o) for o in hints.get("options") or options),
                    changeable=changeable,
                    school_value=value if changeable else "",
                )
            )
    return rows


def draft_values(rows: list[FieldRow]) -> dict[str, Any]:
    """What a draft keeps: every field the user edits, as typed (valid or not); read-only ones are filled again
    from the profile when the draft is opened (a school-filled one given another value is kept, as typed)."""
    return {r.name: r.value for r in rows if r.editable}


def changed_to(row: FieldRow, value: Any) -> FieldRow:
    """A field the school filled, given another value for this application (使用其他号码): typed from now on."""
    return replace(row, read_only=False, shown="", value=value)


def back_to_school_value(row: FieldRow, mode: str) -> FieldRow:
    """用登记的号码: the school's value again, read-only (masked on a kiosk) as the form opened."""
    return replace(
        row, read_only=True, value=row.school_value, shown=shown_on(mode, row.widget, row.school_value), error=""
    )


def restore_values(rows: list[FieldRow], values: dict[str, Any]) -> tuple[list[FieldRow], set[str]]:
    """Put a draft's (or a sent form's) values back into the rows of the form as it is now (a field the form no
    longer has, or whose kind of value changed, is left as the form starts it; one the school filled keeps the
    school's value unless another one was given). Returns the rows and the fields restored."""
    out, restored = [], set()
    for row in rows:
        value = values.get(row.name)
        if row.name in values and row.editable and isinstance(value, type(row.value)):
            out.append(replace(row, value=value))
            restored.add(row.name)
        elif row.changeable and row.read_only and isinstance(value, str) and value not in ("", row.value):
            out.append(changed_to(row, value))
            restored.add(row.name)
        else:
            out.append(row)
    return out, restored


def restore_sent(rows: list[FieldRow], returned: dict[str, Any]) -> tuple[list[FieldRow], set[str]]:
    """修改后重新提交: the form as the returned application was sent, each handler's 批注 on its field. What the
    server filled (单号) stays as it was; the profile's and today's are filled again. Returns the rows and the
    fields restored."""
    sent = dict(returned.get("data") or {})
    notes = annotations(list(returned.get("events") or []))
    rows, restored = restore_values(rows, sent)
    rows = [
        replace(r, value=sent[r.name]) if r.read_only and not filled(r.value) and filled(sent.get(r.name)) else r
        for r in rows
    ]
    return [replace(r, annotation=notes.get(r.name, "")) for r in rows], restored


def latest_round(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The audit events since the application was last submitted (its current round)."""
    starts = [i for i, e in enumerate(events) if e.get("action") in ("submit", "resubmit")]
    return events[starts[-1] :] if starts else list(events)


def annotations(events: list[dict[str, Any]]) -> dict[str, str]:
    """The 批注 of this round, per field: "贾孟杰：请写明型号" (several joined by a line break)."""
    out: dict[str, list[str]] = {}
    for event in latest_round(events):
        if event.get("action") == "annotate" and event.get("field"):
            out.setdefault(str(event["field"]), []).append(f"{event.get('actor_name', '')}：{event.get('comment', '')}")
    return {name: "\n".join(notes) for name, notes in out.items()}


def return_note(events: list[dict[str, Any]]) -> str:
    """Why the application is back with its applicant: the latest 退回 (or 撤回) of this round."""
    for event in reversed(latest_round(events)):
        if event.get("action") == "return":
            reason = f"：{event['comment']}" if event.get("comment") else ""
            return f"{event.get('actor_name', '')}退回了申请{reason}"
        if event.get("action") == "withdraw":
            return "您已撤回申请"
    return ""


def to_data(definition: dict[str, Any], rows: list[FieldRow]) -> tuple[dict[str, Any], dict[str, str]]:
    """What is submitted: typed values converted to the schema's types; empty optional fields left out.
    Returns (data, problems the conversion itself found, e.g. letters in a number)."""
    from campus_common import forms

    props = definition["schema"].get("properties", {})
    data: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for row in rows:
        if row.widget == "section":
            continue
        hints = forms.field_ui(definition, row.name)
        if hints.get("source") in forms.SERVER_SOURCES or row.desk_only:
            continue
        value = row.value
        kind = props.get(row.name, {}).get("type")
        if isinstance(value, str):
            if row.widget not in ("signature",):
                value = value.strip()
            if value == "":
                continue
            if kind in ("number", "integer"):
                try:
                    number = float(value)
                except ValueError:
                    problems[row.name] = "请输入数字"
                    continue
                value = int(number) if kind == "integer" and number.is_integer() else number
                if kind == "integer" and not isinstance(value, int):
                    problems[row.name] = "请输入整数"
                    continue
            elif row.widget in ("userid", "idcard"):
                value = value.upper()  # the manual: letters in IDs are upper-case
            elif row.widget == "time" and len(value) == 4 and value.isascii() and value.isdigit():
                value = value[:2] + ":" + value[2:]  # 1430 on the digit pad: 14:30
        elif value is None or value == [] or (isinstance(value, dict) and not any(value.values())):
            continue  # an empty choice list or date range: not given (a number 0 is a value)
        data[row.name] = value
    return data, problems


def problems(definition: dict[str, Any], rows: list[FieldRow]) -> dict[str, str]:
    """Every field's problem, whether shown yet or not: the conversion's, half a date range, then the schema's
    (campus_common.forms.validate, the server's own check)."""
    from campus_common import forms

    data, found = to_data(definition, rows)
    for row in rows:
        # Half a date range says which half is missing (the schema would call the empty end "not a date").
        if row.widget == "daterange" and isinstance(row.value, dict):
            start, end = row.value.get("start") or "", row.value.get("end") or ""
            if bool(start) != bool(end):
                found[row.name] = "请选择结束日期" if start else "请选择开始日期"
    for name, message in forms.validate(definition, data).items():
        found.setdefault(name, message)
    return found


def next_step(workflow: dict[str, Any] | None, handlers: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """完成本操作后，流程将转到以下步骤: the first step of the process's workflow (as last synced) and, when the
    applicant may choose who handles it (选择审核人), the holders of its post to choose from. Empty when not
    known."""
    steps = (workflow or {}).get("steps") or []
    if not steps:
        return {}
    first = steps[0]
    people = list(handlers.get(str(first.get("key")), [])) if first.get("choose") else []
    return {"name": first.get("name", ""), "choose": bool(people), "handlers": people}


def default_handler(step: dict[str, Any]) -> str:
    """As the manual shows it: when one person holds the post, they are already chosen."""
    people = step.get("handlers") or []
    return str(people[0].get("user_id", "")) if len(people) == 1 else ""
