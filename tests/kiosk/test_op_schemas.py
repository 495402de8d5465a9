"""Every operation the kiosk's writers queue fits the payload schema the server checks it against
(campus_common/op_payloads.py), so the two sides cannot drift: a kiosk op that did not fit would be rejected as
`invalid_payload` and its local effect reverted.

The writers are the real ones (kiosk/services: favorites, notifications, submissions, applications), fed what
the pages give them: the seed forms' valid data (tests/form_strategies.py), the actions' comments and choices."""

from __future__ import annotations

import json
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campus_common import op_payloads, ops
from campus_common.statuses import ACTIONS
from kiosk.services import calendar, certificates, favorites, notifications, notify_settings, submissions
from kiosk.services.applications import CHOICE_KEYS, RULES, ActionInput, Application
from kiosk.services.inbox import InboxSnapshot
from tests.form_strategies import readable_text, valid_data
from tests.helpers import ROOT

SEED = ROOT / "sync_server" / "seed"
FORMS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((SEED / "forms").glob("*.json"))}
CODES = [p["code"] for p in json.loads((SEED / "processes.json").read_text(encoding="utf-8"))]
PROFILE = {"name": "刘诗宏", "user_id": "101203", "department_name": "现代教育技术中心", "phone": "13303857660"}
REPAIR = "xj-diannao-weixiu"
WRITES = settings(
    max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)


def _fits(op_type: str, payload: dict[str, Any]) -> None:
    assert op_payloads.problem(op_type, payload) is None, (op_type, payload, op_payloads.problem(op_type, payload))


def test_every_notification_switch_fits_and_names_only_itself() -> None:
    for field in notify_settings.FIELDS:
        for on in (True, False):
            op_type, payload, _ = notify_settings.notify_write("101203", {}, field, on)
            _fits(op_type, payload)
            assert payload == {field: on}


def test_a_favourite_of_every_process_fits() -> None:
    for code in CODES:
        for on in (True, False):
            op_type, payload, _ = favorites.favorite_write("101203", code, on)
            _fits(op_type, payload)


def test_marking_notifications_read_fits() -> None:
    for ids in (None, [], ["1", "42", str(2**62)], ["7", "not-a-number"]):
        op_type, payload, _ = notifications.read_write("101203", ids)
        _fits(op_type, payload)


def test_personal_events_as_the_calendar_writes_them_fit() -> None:
    weekly = {
        "event_id": calendar.new_event_id(),
        "title": "组会",
        "all_day": False,
        "start": "2026-12-07T16:30:00+08:00",
        "end": "2026-12-07T17:30:00+08:00",
        "place": "信息楼402",
        "note": "带上周报",
        "reminder_minutes": 10,
        "repeat": {"freq": "weekly", "interval": 1, "count": 5},
        "exceptions": [{"date": "2026-12-21", "deleted": True}],
    }
    holiday = {
        "event_id": calendar.new_event_id(),
        "title": "校运会",
        "all_day": True,
        "start": "2026-12-18",
        "end": "2026-12-19",
        "repeat": None,
    }
    for event, version in ((weekly, None), (weekly, 3), (holiday, None)):
        op_type, payload, _ = calendar.event_save_write("101203", event, version)
        _fits(op_type, payload)
    op_type, payload, _ = calendar.event_delete_write("101203", weekly["event_id"], 3)
    _fits(op_type, payload)


@WRITES
@given(st.sampled_from(sorted(FORMS)).flatmap(lambda code: st.tuples(st.just(code), valid_data(FORMS[code], PROFILE))))
def test_a_new_and_a_corrected_application_of_every_form_fit(drawn: tuple[str, dict[str, Any]]) -> None:
    code, data = drawn
    for handler in ("", "100512"):
        new = submissions.new_application("101203", code, FORMS[code], data, handler)
        _fits(new.op_type, new.payload)
        corrected = submissions.corrected_application("101203", str(uuid.uuid4()), data, handler)
        _fits(corrected.op_type, corrected.payload)


def _holder(app_id: str) -> Application:
    application = {"id": app_id, "process_code": REPAIR, "status": "in_progress", "data": {}, "events": []}
    task = {
        "id": 7,
        "application_id": app_id,
        "process_code": REPAIR,
        "box": "todo",
        "kind": "handle",
        "section": "receive",
        "actions": list(ACTIONS),
        "transfer_candidates": [{"user_id": "101208", "name": "王老师"}],
        "application": application,
    }
    return Application.find(InboxSnapshot(todo=[task], forms={REPAIR: FORMS[REPAIR]}), app_id)


def _applicant(app_id: str) -> Application:
    mine = [{"id": app_id, "process_code": REPAIR, "status": "submitted", "data": {}, "actions": list(ACTIONS)}]
    return Application.find(InboxSnapshot(mine=mine, forms={REPAIR: FORMS[REPAIR]}), app_id)


CHOICES = {"return_target": st.sampled_from(["applicant", "previous"]), "colleague": st.just("101208")}


@WRITES
@given(
    st.sampled_from(sorted(RULES)),
    readable_text(max_size=500),
    valid_data(FORMS[REPAIR], {"name": "贾孟杰", "user_id": "101207"}, "receive"),
    st.sampled_from(["", "101203"]),
    st.data(),
)
def test_every_action_of_the_progress_page_fits(
    action: str, comment: str, values: dict[str, Any], next_handler: str, data: st.DataObject
) -> None:
    rule = RULES[action]
    field_names = sorted(FORMS[REPAIR]["schema"]["properties"])
    choice = data.draw(CHOICES.get(rule.chooses, st.sampled_from(field_names))) if rule.chooses else ""
    given_input = ActionInput(comment, choice, values, next_handler)
    app_id = str(uuid.uuid4())
    for application in (_holder(app_id), _applicant(app_id)):
        op_type, payload, _ = application.write("101207", action, given_input)
        _fits(op_type, payload)
        if rule.chooses:
            assert payload.get(CHOICE_KEYS[rule.chooses]) == choice


def test_a_printed_copy_fits() -> None:
    for device in ("", "kiosk-大厅-1", "x" * 100):
        op_type, payload, _ = certificates.print_write("101203", str(uuid.uuid4()), uuid.uuid4().hex, device)
        _fits(op_type, payload)


def test_the_writers_cover_every_operation_type() -> None:
    """So that the tests above reach every schema: each type is queued by one of the writers tried there."""
    written = {
        favorites.favorite_write("101203", REPAIR, True)[0],
        notifications.read_write("101203", None)[0],
        submissions.new_application("101203", REPAIR, FORMS[REPAIR], {}).op_type,
        submissions.corrected_application("101203", str(uuid.uuid4()), {}).op_type,
        *(ops.workflow_op(rule.sends) for rule in RULES.values()),
        calendar.event_save_write("101203", {"event_id": "e", "title": "t", "start": "s", "end": "e"})[0],
        calendar.event_delete_write("101203", "e", None)[0],
        notify_settings.notify_write("101203", {}, "email_todo", False)[0],
        certificates.print_write("101203", str(uuid.uuid4()), "0" * 32, "kiosk-1")[0],
    }
    assert written == set(ops.OP_TYPES)
