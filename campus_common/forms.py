"""Form definitions of hall processes, and their validation with Chinese messages per field.

Pure (no database, no Qt): the server validates submissions with it (authoritative) and the kiosk validates
what a user types with the very same code, offline.

A definition (one per process, `sync_server/seed/forms/<process code>.json`):

    {
      "process": "xj-diannao-weixiu",            # the process code
      "version": 1,                              # bumped when the form changes
      "schema": {                                # JSON Schema 2020-12, "type": "object"
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"asset_type": {"type": "string", "enum": ["打印机", "电脑主机", "电脑显示器", "其他"]}, ...},
        "required": [...],
        "additionalProperties": false
      },
      "ui": {
        "summary_fields": ["asset_type", "problem"],  # optional: what a 待办 row shows of the request
        "sections": [                            # in order; every property in exactly one section
          {"key": "basic", "title": "基本信息", "fields": ["doc_no", "department", "applicant", "phone"]},
          {"key": "repair", "title": "报修信息", "fields": [...]},
          {"key": "review", "title": "审核信息", "step": "receive", "fields": [...]}   # filled by a later step
        ],
        "fields": {
          "asset_type": {"widget": "radio", "label": "资产名称"},
          "asset_code": {"widget": "text", "label": "资产编码", "hint": "没有条码请填写暂无"},
          "applicant": {"widget": "readonly", "label": "报修人", "source": "profile.name"},
          ...
        }
      }
    }

UI hints per field: widget (WIDGETS), label, placeholder, help (a line under the field), hint (a note beside
it, as the manual's 没有条码请填写暂无), order is the section's list. `source` fills a read-only field: from
the user's profile (profile.name, profile.department_name, profile.user_id, profile.class_name, profile.major,
profile.phone, profile.id_card, profile.join_date), the date of filling (today), or the server at submission
(server.doc_no: the per-process document number like 202208-003; server.serial: the campus-wide 流水号) — those
show 提交后生成 until then. On a typed field `source` fills it from the school's record, shown read-only with one
tap to give another value for this application (联系电话: 使用其他号码; a record the field would refuse, a landline
for a 手机号码, leaves it to be typed); with `"locked": true` the record, when there is one, is final (身份证号,
专业: read-only, the server stores its own). A schema `default` is where a choice
starts (份数 1).

Attachments (widget "attachment", desk mode only: a kiosk keeps no files): the value is a list of uploaded files,
each `{"id", "name", "size", "sha256"}` as `POST /api/v1/attachments` answered (ATTACHMENT_ITEM); the hints
`accept` (extensions, of ATTACHMENT_TYPES), `max_bytes` and `max_count` are the limits, and must agree with the
schema's `items.properties.size.maximum` and `maxItems`. `check_file` applies them, on the desk client before
it uploads and on the server when it accepts an upload.

Formats (beyond JSON Schema's own): date (YYYY-MM-DD), time (HH:MM), cn-mobile (11 digits, 1[3-9]…),
cn-id-card (18 characters with the GB 11643 check digit), campus-user-id (学号/工号: letters upper-case and
digits). Widgets and the schema types they go with are checked by `definition_problems`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

WIDGETS: dict[str, set[str]] = {
    # widget → the JSON Schema types it edits
    "text": {"string"},
    "textarea": {"string"},
    "number": {"integer", "number"},
    "money": {"number"},
    "date": {"string"},
    "daterange": {"object"},
    "time": {"string"},
    "radio": {"string"},
    "checkboxes": {"array"},
    "select": {"string"},
    "mobile": {"string"},
    "idcard": {"string"},
    "userid": {"string"},
    "attachment": {"array"},
    "signature": {"string"},
    "readonly": {"string"},
}
SOURCES = {
    "profile.name",
    "profile.user_id",
    "profile.department_name",
    "profile.class_name",
    "profile.major",
    "profile.phone",
    "profile.id_card",
    "profile.join_date",
    "today",
    "server.doc_no",
    "server.serial",
}
# Fields the server fills at submission: never typed, never required of the applicant.
SERVER_SOURCES = {"server.doc_no", "server.serial"}


def locked_by_profile(hints: dict[str, Any]) -> bool:
    """A typed field (`"locked": true`, e.g. 身份证号) that the school's records fill when they hold the value: then
    it is shown read-only and the server stores its own record; a person the records lack types it."""
    return bool(hints.get("locked")) and str(hints.get("source", "")).startswith("profile.")


def default_value(definition: dict[str, Any], name: str) -> Any:
    """The schema's `default` for a field (证明语种 中文, 份数 1), or None: what the form starts with."""
    return definition["schema"].get("properties", {}).get(name, {}).get("default")


# ASCII digits only, and the whole value (fullmatch: "$" alone would let a trailing newline through).
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_USER_ID = re.compile(r"[A-Z0-9]{4,20}")
_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
_ID_CARD = re.compile(r"[0-9]{17}[0-9X]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_card_ok(value: str) -> bool:
    """An 18-character national ID: 17 digits, a valid birth date, and the GB 11643 check character."""
    if not _ID_CARD.fullmatch(value):
        return False
    try:
        born = datetime.strptime(value[6:14], "%Y%m%d").date()
    except ValueError:
        return False
    if not date(1900, 1, 1) <= born <= date.today():
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def id_card_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _date_ok(value: object) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


FORMAT_CHECKER = FormatChecker(formats=())
FORMAT_CHECKER.checks("date")(lambda v: not isinstance(v, str) or _date_ok(v))
FORMAT_CHECKER.checks("time")(lambda v: not isinstance(v, str) or bool(_TIME.fullmatch(v)))
FORMAT_CHECKER.checks("cn-mobile")(lambda v: not isinstance(v, str) or bool(_MOBILE.fullmatch(v)))
FORMAT_CHECKER.checks("cn-id-card")(lambda v: not isinstance(v, str) or id_card_ok(v))
FORMAT_CHECKER.checks("campus-user-id")(lambda v: not isinstance(v, str) or bool(_USER_ID.fullmatch(v)))


def _multiple_of(validator: Any, divisor: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """multipleOf on the decimal a number is written as: jsonschema divides binary floats, so 0.07 is not
    a multiple of 0.01 there (0.07 / 0.01 == 7.000000000000001) and one amount in nine would be refused."""
    if not validator.is_type(instance, "number"):
        return
    try:
        failed = (Fraction(repr(instance)) / Fraction(repr(divisor))).denominator != 1
    except (ValueError, OverflowError, ZeroDivisionError):
        failed = True
    if failed:
        yield ValidationError(f"{instance!r} is not a multiple of {divisor}")


_Validator = validators.extend(Draft202012Validator, {"multipleOf": _multiple_of})

FORMAT_MESSAGES = {
    "date": "请选择有效的日期",
    "time": "请输入有效的时间（时:分）",
    "cn-mobile": "请输入 11 位手机号码",
    "cn-id-card": "身份证号码不正确（18 位，末位为校验码）",
    "campus-user-id": "请输入有效的学号/工号（大写字母和数字）",
}


# -- attachments ------------------------------------------------------------------------------------------
# The file types an attachment field may accept, and how each one's content begins (checked on both ends: a
# renamed file is refused, not stored under a type it is not).
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
ATTACHMENT_ID = r"^[0-9a-f]{32}$"
ATTACHMENT_NAME_MAX = 120
# What one uploaded file is in a form's value.
ATTACHMENT_ITEM: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": ATTACHMENT_ID},
        "name": {"type": "string", "minLength": 1, "maxLength": ATTACHMENT_NAME_MAX},
        "size": {"type": "integer", "minimum": 1},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    },
    "required": ["id", "name", "size", "sha256"],
    "additionalProperties": False,
}
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


class AttachmentLimits:
    """An attachment field's limits, from its UI hints."""

    def __init__(self, accept: list[str], max_bytes: int, max_count: int) -> None:
        self.accept = accept
        self.max_bytes = max_bytes
        self.max_count = max_count

    def describe(self) -> str:
        """The limits as the field's help says them: PDF、JPG 或 PNG 文件，每个不超过 20MB，最多 5 个."""
        return f"{type_names(self.accept)} 文件，每个不超过 {size_text(self.max_bytes)}，最多 {self.max_count} 个"


def type_names(accept: list[str]) -> str:
    names = list(dict.fromkeys("JPG" if ext in ("jpg", "jpeg") else ext.upper() for ext in accept))
    return "、".join(names[:-1]) + " 或 " + names[-1] if len(names) > 1 else "".join(names)


def size_text(size: int) -> str:
    """20971520 → 20MB, 1536 → 1.5KB, as people read sizes."""
    for unit, step in (("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= step:
            value = size / step
            return f"{value:.0f}{unit}" if value == int(value) or value >= 100 else f"{value:.1f}{unit}"
    return f"{size}B"


def attachment_limits(definition: dict[str, Any], name: str) -> AttachmentLimits:
    hints = field_ui(definition, name)
    return AttachmentLimits(
        accept=[str(e).lower() for e in hints.get("accept", [])],
        max_bytes=int(hints.get("max_bytes", 0)),
        max_count=int(hints.get("max_count", 0)),
    )


def extension(file_name: str) -> str:
    return file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""


def check_file(limits: AttachmentLimits, file_name: str, size: int, head: bytes | None = None) -> str | None:
    """Why this file cannot be attached (a Chinese message), or None. `head` is the file's first bytes when
    known: its content must be of the type its name says."""
    if not file_name.strip() or _BAD_NAME.search(file_name):
        return "文件名不正确"
    if len(file_name) > ATTACHMENT_NAME_MAX:
        return f"文件名过长（最多 {ATTACHMENT_NAME_MAX} 个字），请改短后再上传"
    ext = extension(file_name)
    if ext not in limits.accept or ext not in ATTACHMENT_TYPES:
        return f"只能上传 {type_names(limits.accept)} 文件"
    if size <= 0:
        return "文件是空的"
    if size > limits.max_bytes:
        return f"文件超过 {size_text(limits.max_bytes)}，请压缩后再上传"
    if head is not None and not head.startswith(ATTACHMENT_TYPES[ext][1]):
        return f"文件内容不是有效的 {type_names([ext])} 文件"
    return None


# -- reading a definition ---------------------------------------------------------------------------------
def field_order(definition: dict[str, Any]) -> list[str]:
    return [name for section in definition["ui"]["sections"] for name in section["fields"]]


def step_fields(definition: dict[str, Any], step: str | None) -> list[str]:
    """The fields of the applicant's part (step None) or of the sections a workflow step owns."""
    return [
        name for section in definition["ui"]["sections"] if section.get("step") == step for name in section["fields"]
    ]


def field_ui(definition: dict[str, Any], name: str) -> dict[str, Any]:
    ui: dict[str, Any] = definition["ui"]["fields"][name]
    return ui


def label_of(definition: dict[str, Any], name: str) -> str:
    return str(field_ui(definition, name).get("label", name))


def is_required(definition: dict[str, Any], name: str) -> bool:
    return name in definition["schema"].get("required", [])


def applicant_fields(definition: dict[str, Any]) -> list[str]:
    """What the applicant's form shows, in order (their sections; server-filled fields included, read-only)."""
    return step_fields(definition, None)


def _step_schema(definition: dict[str, Any], step: str | None) -> dict[str, Any]:
    """The schema restricted to one part's fields; server-filled fields are not required of a client."""
    schema = definition["schema"]
    names = set(step_fields(definition, step))
    server = {n for n in names if field_ui(definition, n).get("source") in SERVER_SOURCES}
    return {
        **schema,
        "properties": {k: v for k, v in schema.get("properties", {}).items() if k in names},
        "required": [n for n in schema.get("required", []) if n in names and n not in server],
    }


def normalise(definition: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """What both ends make of typed values before validating: text trimmed (a signature is left alone), and
    a blank text, an empty choice list or an empty date range counts as not given."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        widget = definition["ui"]["fields"].get(name, {}).get("widget")
        if isinstance(value, str) and widget != "signature":
            value = value.strip()
        if (
            value == ""
            or value == []
            or (isinstance(value, dict) and widget == "daterange" and not any(value.values()))
        ):
            continue
        out[name] = value
    return out


# -- validation ------------------------------------------------------------------------------------------
def _message(definition: dict[str, Any], field: str, error: ValidationError) -> str:
    label = label_of(definition, field) if field in definition["ui"]["fields"] else field
    widget = definition["ui"]["fields"].get(field, {}).get("widget", "text")
    v = error.validator
    value = error.validator_value
    if v == "required":
        return (
            f"请{'选择' if widget in ('radio', 'select', 'checkboxes', 'date', 'daterange', 'time') else '填写'}{label}"
        )
    if v == "format":
        return FORMAT_MESSAGES.get(str(value), f"{label}格式不正确")
    if v == "enum":
        return f"请从选项中选择{label}"
    if v == "minLength":
        return f"{label}不能为空" if value == 1 else f"{label}至少需要 {value} 个字"
    if v == "maxLength":
        return f"{label}最多 {value} 个字"
    if v == "pattern":
        return str(field_ui(definition, field).get("pattern_message") or f"{label}格式不正确")
    if v in ("minimum", "exclusiveMinimum"):
        return f"{label}不能小于{'或等于' if v == 'exclusiveMinimum' else ''} {value}"
    if v in ("maximum", "exclusiveMaximum"):
        return f"{label}不能大于{'或等于' if v == 'exclusiveMaximum' else ''} {value}"
    if v == "multipleOf":
        if widget == "money":
            return f"{label}最多保留两位小数"
        places = {0.1: "一", 0.01: "两", 0.001: "三"}.get(value)  # a number such as 绩点 with multipleOf 0.01
        return f"{label}最多保留{places}位小数" if places else f"{label}必须是 {value} 的整数倍"
    if v == "minItems":
        return f"请至少选择 {value} 项{label}" if widget == "checkboxes" else f"请至少添加 {value} 个{label}"
    if v == "maxItems":
        return f"{label}最多 {value} 项"
    if v == "uniqueItems":
        return f"{label}中有重复的选项"
    if v == "type":
        return f"{label}的内容类型不正确"
    if v == "additionalProperties":
        return "表单中有未定义的内容"
    return f"{label}填写不正确"


def _field_of(error: ValidationError) -> str:
    path = [p for p in error.absolute_path if isinstance(p, str)]
    if error.validator == "required" and error.message != "blank" and not path:
        # "'x' is a required property" of the form itself: the missing name is in the message's first quotes
        # (inside a field, e.g. a date range's "end", the field is the path's first step as for any error)
        match = re.match(r"'([^']+)'", error.message)
        if match:
            return match.group(1)
    return path[0] if path else ""


def validate(definition: dict[str, Any], data: object, step: str | None = None) -> dict[str, str]:
    """Check `data` (the applicant's part, or a step's section) and return {field: Chinese message}; empty
    when valid. The form as a whole is keyed "" (e.g. data that is not an object)."""
    if not isinstance(data, dict):
        return {"": "表单数据格式不正确"}
    validator = _Validator(_step_schema(definition, step), format_checker=FORMAT_CHECKER)
    problems: dict[str, str] = {}
    # A required text of only spaces is as empty as no text at all.
    for name in _step_schema(definition, step)["required"]:
        value = data.get(name)
        if isinstance(value, str) and not value.strip():
            problems[name] = _message(definition, name, ValidationError("blank", validator="required"))
    for error in sorted(validator.iter_errors(data), key=lambda e: (list(e.absolute_path), e.validator)):
        field = _field_of(error)
        if field not in problems:
            problems[field] = _message(definition, field, error)
    # Cross-field checks JSON Schema cannot say: a date range must not end before it starts.
    for name in step_fields(definition, step):
        if field_ui(definition, name).get("widget") == "daterange" and name not in problems:
            value = data.get(name)
            dates_ok = isinstance(value, dict) and _date_ok(value.get("start")) and _date_ok(value.get("end"))
            if dates_ok and isinstance(value, dict) and value["end"] < value["start"]:
                problems[name] = "结束日期不能早于开始日期"
    return problems


# -- checking definitions ----------------------------------------------------------------------------------
def definition_problems(definition: dict[str, Any], known_steps: Iterable[str] = ()) -> list[str]:
    """What is wrong with a definition (empty when it is usable): the schema is valid 2020-12, every property
    has UI hints with a known widget of a matching type and sits in exactly one section, choices have enums,
    sources are known, and the applicant has something to fill in."""
    out: list[str] = []
    schema = definition.get("schema")
    ui = definition.get("ui")
    if not isinstance(schema, dict) or not isinstance(ui, dict):
        return ["schema and ui are required"]
    try:
        Draft202012Validator.check_schema(schema)
    except Exception as exc:
        out.append(f"schema: {exc}")
        return out
    if schema.get("type") != "object" or schema.get("additionalProperties") is not False:
        out.append('schema must be "type": "object" with "additionalProperties": false')
    properties: dict[str, Any] = schema.get("properties", {})
    placed = [n for s in ui.get("sections", []) for n in s.get("fields", [])]
    if sorted(placed) != sorted(properties):
        out.append(f"sections must hold every property once: {sorted(set(placed) ^ set(properties))}")
    summary = ui.get("summary_fields", [])
    if not isinstance(summary, list) or not set(summary) <= set(properties):
        out.append(f"summary_fields must name properties: {summary}")
    steps = set(known_steps)
    for section in ui.get("sections", []):
        if not section.get("title"):
            out.append(f"section {section.get('key')} has no title")
        if section.get("step") is not None and steps and section["step"] not in steps:
            out.append(f"section {section.get('key')} belongs to an unknown step {section['step']}")
    for name, prop in properties.items():
        hints = ui.get("fields", {}).get(name)
        if not isinstance(hints, dict) or not hints.get("label"):
            out.append(f"{name}: no UI hints with a label")
            continue
        widget = hints.get("widget")
        if widget not in WIDGETS:
            out.append(f"{name}: unknown widget {widget}")
            continue
        types = prop.get("type")
        if types not in WIDGETS[widget]:
            out.append(f"{name}: widget {widget} cannot edit type {types}")
        if widget in ("radio", "select") and not prop.get("enum"):
            out.append(f"{name}: {widget} needs an enum")
        if widget == "checkboxes" and not prop.get("items", {}).get("enum"):
            out.append(f"{name}: checkboxes need items.enum")
        if widget == "readonly" and hints.get("source") not in SOURCES:
            out.append(f"{name}: readonly needs a source of {sorted(SOURCES)}")
        if hints.get("locked") and not locked_by_profile(hints):
            out.append(f"{name}: locked needs a profile source")
        if "default" in prop:
            out.extend(_default_problems(name, prop))
        if widget == "mobile" and prop.get("format") != "cn-mobile":
            out.append(f"{name}: mobile needs format cn-mobile")
        if widget == "idcard" and prop.get("format") != "cn-id-card":
            out.append(f"{name}: idcard needs format cn-id-card")
        if widget == "userid" and prop.get("format") != "campus-user-id":
            out.append(f"{name}: userid needs format campus-user-id")
        if widget == "date" and prop.get("format") != "date":
            out.append(f"{name}: date needs format date")
        if widget == "time" and prop.get("format") != "time":
            out.append(f"{name}: time needs format time")
        if widget in ("text", "textarea") and "maxLength" not in prop:
            out.append(f"{name}: text needs a maxLength")
        if widget == "attachment":
            out.extend(_attachment_problems(name, prop, hints))
    editable = [n for n in step_fields(definition, None) if ui.get("fields", {}).get(n, {}).get("widget") != "readonly"]
    if not editable:
        out.append("the applicant has nothing to fill in")
    return out


def _default_problems(name: str, prop: dict[str, Any]) -> list[str]:
    """A default must be a value the field accepts: one of its choices, within its bounds."""
    default = prop["default"]
    errors = list(_Validator({**prop}, format_checker=FORMAT_CHECKER).iter_errors(default))
    return [f"{name}: default {default!r} is not a valid value"] if errors else []


def _attachment_problems(name: str, prop: dict[str, Any], hints: dict[str, Any]) -> list[str]:
    """An attachment field holds ATTACHMENT_ITEMs, and its hints' limits agree with its schema."""
    out = []
    items = prop.get("items", {})
    item_props = items.get("properties", {})
    if set(items.get("required", [])) != set(ATTACHMENT_ITEM["required"]) or set(item_props) != set(
        ATTACHMENT_ITEM["properties"]
    ):
        out.append(f"{name}: attachment items must be {{id, name, size, sha256}}")
    accept = hints.get("accept")
    if not isinstance(accept, list) or not accept or any(e not in ATTACHMENT_TYPES for e in accept):
        out.append(f"{name}: accept must list extensions of {sorted(ATTACHMENT_TYPES)}")
    max_bytes, max_count = hints.get("max_bytes"), hints.get("max_count")
    if not isinstance(max_bytes, int) or max_bytes < 1 or item_props.get("size", {}).get("maximum") != max_bytes:
        out.append(f"{name}: max_bytes must be items.properties.size.maximum")
    if not isinstance(max_count, int) or max_count < 1 or prop.get("maxItems") != max_count:
        out.append(f"{name}: max_count must be maxItems")
    return out
