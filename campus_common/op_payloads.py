"""The payload of every operation type (campus_common/ops.py) as a JSON Schema, and the check both sides run.

The server refuses a payload that does not fit before any handler runs (a recorded rejection, `invalid_payload`);
the kiosk's tests hold its writers to the same schemas. What the schemas guarantee is what the columns and JSON
documents they reach can store and every client can read back:

- strings are Unicode scalar values without NUL (a lone surrogate cannot be encoded as UTF-8, PostgreSQL stores
  no NUL), with lengths bounded by the column they reach;
- integers are ints (not 3.0, not true) within the 64-bit signed range of the id columns, numbers are finite;
- no field the handler does not read (additionalProperties false);
- form data is free-form per process (its own schema is the handler's check, campus_common/forms.py), but made of
  such strings, numbers, booleans, lists and objects, at most FORM_DEPTH containers deep and bounded in size.

Imports jsonschema: keep it off the kiosk's start-up path (ops.py is on it, this module is not).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError, best_match

from campus_common import ops
from campus_common.statuses import ACTIONS

INT64_MAX = 2**63 - 1
# No NUL, no lone surrogate (U+D800–U+DFFF): every string a payload carries must be storable as UTF-8 text.
SCALAR_TEXT = "^[^\\x00\\ud800-\\udfff]*$"
UUID = "^[0-9a-fA-F-]{32,36}$"
MAX_COMMENT = 2000  # the handler's own limit (500 after stripping) answers longer ones with comment_too_long
MAX_FORM_TEXT = 200_000  # a signature field's PNG data URL (the seed forms' largest maxLength)
MAX_FORM_KEY = 64
MAX_FORM_FIELDS = 200
MAX_FORM_ITEMS = 100
FORM_DEPTH = 4  # data → a field's list → an attachment's object → its values, and one to spare
MAX_NOTIFICATION_IDS = 500


def text(max_length: int, min_length: int = 0) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "maxLength": max_length, "pattern": SCALAR_TEXT}
    if min_length:
        schema["minLength"] = min_length
    return schema


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    """A field a client may leave out or send as null (the handlers read null as absent)."""
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return {**schema, "type": [*types, "null"]}


def _form_value(depth: int) -> dict[str, Any]:
    """Any JSON value a form may hold, with containers at most `depth` levels deep (0: scalars only)."""
    scalar_types = ["string", "number", "boolean", "null"]
    schema: dict[str, Any] = {
        "type": scalar_types + (["array", "object"] if depth else []),
        "maxLength": MAX_FORM_TEXT,
        "pattern": SCALAR_TEXT,
        "minimum": -(2**63),
        "maximum": INT64_MAX,
    }
    if depth:
        inner = _form_value(depth - 1)
        schema.update(
            maxItems=MAX_FORM_ITEMS,
            items=inner,
            maxProperties=MAX_FORM_FIELDS,
            propertyNames=text(MAX_FORM_KEY),
            additionalProperties=inner,
        )
    return schema


def _payload(properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
        **extra,
    }


PROCESS_CODE = text(64, 1)  # processes.code
USER_ID = text(32)  # users.user_id: a chosen handler, a transfer target
TASK_ID = {"type": "integer", "minimum": 1, "maximum": INT64_MAX}  # workflow_tasks.id
# The top level too may be any value: that form data is an object of the form's fields is the form's own check
# (the handler answers `invalid_form`, as the kiosk shows it on the form).
FORM_DATA = _form_value(FORM_DEPTH)
APPLICATION_ID = {"type": "string", "pattern": UUID}

# What each workflow action reads besides application_id (sync_server/core/workflow.py, PERFORMERS); the
# kiosk's writers (kiosk/services/applications.py, submissions.py) send a subset, the REST body the same.
_COMMENT = _optional(text(MAX_COMMENT))
_ACTION_FIELDS: dict[str, dict[str, Any]] = {
    "approve": {
        "task_id": _optional(TASK_ID),
        "comment": _COMMENT,
        "next_handler": _optional(USER_ID),
        "data": FORM_DATA,
    },
    "return": {
        "task_id": _optional(TASK_ID),
        "comment": _COMMENT,
        "to": {"enum": ["applicant", "previous", None]},
    },
    "reject": {"task_id": _optional(TASK_ID), "comment": _COMMENT, "data": FORM_DATA},
    "transfer": {"task_id": _optional(TASK_ID), "comment": _COMMENT, "transfer_to": _optional(USER_ID)},
    "withdraw": {"comment": _COMMENT},
    "terminate": {"comment": _COMMENT},
    "urge": {"comment": _COMMENT},
    "comment": {"comment": _COMMENT, "field": _optional(text(MAX_FORM_KEY))},
    "resubmit": {"data": FORM_DATA, "next_handler": _optional(USER_ID), "comment": _COMMENT},
}
assert set(_ACTION_FIELDS) == set(ACTIONS), "every workflow action needs its payload schema"

# 个人日程 (docs/calendar.md#personal-events-through-the-outbox). Times are RFC 3339 with an offset, or for an
# all-day event dates (YYYY-MM-DD, the last day inclusive); the handler checks what a pattern cannot (real dates,
# end after start, an exception on a day the series has).
MAX_EVENT_TITLE = ops.MAX_EVENT_TITLE
MAX_EVENT_NOTE = ops.MAX_EVENT_NOTE
MAX_EVENT_EXCEPTIONS = 200
MAX_REMINDER_MINUTES = 40320  # four weeks
EVENT_ID = {"type": "string", "pattern": UUID}
EVENT_VERSION = {"type": "integer", "minimum": 1, "maximum": INT64_MAX}
DATE = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
EVENT_TIME = {
    "type": "string",
    "maxLength": 40,
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2}))?$",
}
_REPEAT = {
    "type": ["object", "null"],
    "properties": {
        "freq": {"enum": ["daily", "weekly"]},
        "interval": {"type": "integer", "minimum": 1, "maximum": 99},
        "until": _optional(DATE),
        "count": _optional({"type": "integer", "minimum": 1, "maximum": 1000}),
    },
    "required": ["freq"],
    "additionalProperties": False,
}
_EXCEPTION = {
    "type": "object",
    "properties": {
        "date": DATE,  # the occurrence's original day (daily and weekly series have at most one a day)
        "deleted": {"type": "boolean"},
        "start": EVENT_TIME,
        "end": EVENT_TIME,
    },
    "required": ["date"],
    "additionalProperties": False,
    # Deleted, or moved to a new start and end.
    "anyOf": [
        {"required": ["deleted"], "properties": {"deleted": {"const": True}}},
        {"required": ["start", "end"]},
    ],
}
CALENDAR_EVENT_FIELDS: dict[str, Any] = {
    "event_id": EVENT_ID,
    # The version this edit was made on; null (or absent) creates the event. A save or delete made on a version
    # the server no longer has is refused (calendar_conflict).
    "base_version": _optional(EVENT_VERSION),
    "title": text(MAX_EVENT_TITLE, 1),
    "all_day": {"type": "boolean"},
    "start": EVENT_TIME,
    "end": EVENT_TIME,
    "place": _optional(text(64)),
    "note": _optional(text(MAX_EVENT_NOTE)),
    "reminder_minutes": _optional({"type": "integer", "minimum": 0, "maximum": MAX_REMINDER_MINUTES}),
    "repeat": _REPEAT,
    "exceptions": {"type": "array", "maxItems": MAX_EVENT_EXCEPTIONS, "items": _EXCEPTION},
}

# 打印证明: which certificate, the kiosk's print job (a UUID: the same job is counted once, whatever op carries it),
# the terminal and when the job completed.
CERTIFICATE_PRINT_FIELDS: dict[str, Any] = {
    "certificate_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
    "job_id": {"type": "string", "pattern": UUID},
    "device_id": text(64),
    "printed_at": EVENT_TIME,
}

SCHEMAS: dict[str, dict[str, Any]] = {
    ops.FAVORITE_SET: _payload({"process_code": PROCESS_CODE, "on": {"type": "boolean"}}, ("process_code", "on")),
    ops.APPLICATION_SUBMIT: _payload(
        {
            "application_id": APPLICATION_ID,
            "process_code": PROCESS_CODE,
            "data": FORM_DATA,
            "next_handler": _optional(USER_ID),
        },
        ("application_id", "process_code", "data"),
    ),
    ops.NOTIFICATION_READ: _payload(
        {
            "ids": {
                "type": "array",
                "maxItems": MAX_NOTIFICATION_IDS,
                "items": {"type": "integer", "minimum": 1, "maximum": INT64_MAX},  # notifications.id
            },
            "all": {"type": "boolean"},
        },
        # Either the ids, or all of them.
        anyOf=[{"required": ["ids"]}, {"required": ["all"], "properties": {"all": {"const": True}}}],
    ),
    **{
        ops.workflow_op(action): _payload({"application_id": APPLICATION_ID, **fields}, ("application_id",))
        for action, fields in _ACTION_FIELDS.items()
    },
    ops.CALENDAR_EVENT_SAVE: _payload(CALENDAR_EVENT_FIELDS, ("event_id", "title", "start", "end")),
    ops.CALENDAR_EVENT_DELETE: _payload(
        {"event_id": EVENT_ID, "base_version": _optional(EVENT_VERSION)}, ("event_id",)
    ),
    # One switch or both: the others keep their value on the server.
    ops.SETTINGS_NOTIFY_SET: _payload(
        {"email_todo": {"type": "boolean"}, "email_result": {"type": "boolean"}},
        anyOf=[{"required": ["email_todo"]}, {"required": ["email_result"]}],
    ),
    ops.CERTIFICATE_PRINT: _payload(CERTIFICATE_PRINT_FIELDS, ("certificate_id", "job_id", "printed_at")),
}


# -- checking ---------------------------------------------------------------------------------------------------
def _is_int(_: Any, value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(_: Any, value: Any) -> bool:
    # NaN and ±Infinity: Python's JSON reads them, JSON columns cannot store them and other clients cannot read them.
    return _is_int(_, value) or (isinstance(value, float) and math.isfinite(value))


_TYPES = Draft202012Validator.TYPE_CHECKER.redefine_many({"integer": _is_int, "number": _is_number})
_Validator = validators.extend(Draft202012Validator, type_checker=_TYPES)

_REASONS = {
    "type": "类型不正确",
    "pattern": "含有不允许的字符或格式不正确",
    "maxLength": "过长",
    "minLength": "不能为空",
    "maximum": "超出范围",
    "minimum": "超出范围",
    "maxItems": "项数过多",
    "maxProperties": "项数过多",
    "required": "缺少必填项",
    "additionalProperties": "不是该操作的字段",
    "enum": "不是可选的值",
    "const": "不是可选的值",
    "anyOf": "格式不正确",
}


@dataclass(frozen=True)
class Problem:
    """Why a payload does not fit: where (`path`, "data.problem", "ids.0", "" for the payload itself) and why
    (a Chinese phrase)."""

    path: str
    reason: str

    @property
    def message(self) -> str:
        return f"操作数据不正确：{self.path or '数据'}{self.reason}"


def _safe(part: object) -> str:
    """A path element as text that can be stored and logged: the offending key may itself be the bad string."""
    return str(part)[:MAX_FORM_KEY].encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def _problem_of(error: ValidationError) -> Problem:
    path = [_safe(p) for p in error.absolute_path]
    instance = error.instance
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = error.schema.get("properties", {})
        path.append(_safe(next((k for k in instance if k not in allowed), "")))
    elif error.validator == "required" and isinstance(instance, dict):
        path.append(_safe(next((k for k in error.validator_value if k not in instance), "")))
    elif "propertyNames" in error.absolute_schema_path:  # the key itself is wrong: name it
        return Problem(".".join([*path, _safe(instance)]), "字段名不正确")
    return Problem(".".join(path), _REASONS.get(str(error.validator), "格式不正确"))


class PayloadSchema:
    """One operation type's payload schema, compiled once."""

    def __init__(self, op_type: str, schema: dict[str, Any]) -> None:
        self.op_type, self.schema = op_type, schema
        self._validator = _Validator(schema)

    def problem(self, payload: object) -> Problem | None:
        """None when `payload` fits; otherwise the first thing wrong with it."""
        error = best_match(self._validator.iter_errors(payload))
        return None if error is None else _problem_of(error)


PAYLOADS: dict[str, PayloadSchema] = {op_type: PayloadSchema(op_type, schema) for op_type, schema in SCHEMAS.items()}
assert set(PAYLOADS) == set(ops.OP_TYPES), "every operation type needs its payload schema"


def problem(op_type: str, payload: object) -> Problem | None:
    """What is wrong with `payload` as an `op_type` operation's (KeyError for a type that is not one)."""
    return PAYLOADS[op_type].problem(payload)
