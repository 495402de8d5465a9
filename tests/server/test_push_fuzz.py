"""What clients send, fuzzed against a live server on each backend: every operation type's payload through
/api/v1/sync/push, drawn from its schema (campus_common/op_payloads.py) and made hostile (lone surrogates, NUL,
integers beyond 64 bits, NaN, deep nesting, unknown fields, wrong types), and the REST action and mark-read bodies.

No answer is a 5xx; every operation is answered (applied or rejected, and `duplicate` with the same answer when
the batch is sent again); a payload that does not fit its schema is rejected as `invalid_payload`; afterwards
every demo user can still pull to the end and the applications the fuzz submitted can still be viewed.

Bounded in time (a fixed, derandomized set of examples; about 15 s a backend on this machine)."""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from campus_common import op_payloads, ops
from campus_common.statuses import ACTIONS
from sync_server.core import auth
from sync_server.db import Database
from sync_server.models import Process, User
from tests.helpers import LiveServer, bearer
from tests.op_strategies import BAD_INTS, BAD_TEXT, WRONG_TYPES, hostile_payloads, payloads
from tests.server.workflow_helpers import JIA, LIU, REPAIR, REPAIR_CODE

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
SURROGATE, NUL = "\ud800", "\x00"


@dataclass
class Fuzzed:
    server: LiveServer
    tokens: dict[str, str]  # every demo user's access token
    process_codes: list[str]
    application_id: str  # LIU's repair request, with JIA's task on it
    seq: dict[str, int] = field(default_factory=dict)
    submitted: dict[str, str] = field(default_factory=dict)  # application id → its applicant

    def headers(self, user_id: str) -> dict[str, str]:
        return {**bearer(self.tokens[user_id]), "Content-Type": "application/json"}

    def post(self, user_id: str, path: str, body: Any) -> requests.Response:
        # NaN and infinities go over the wire as Python's JSON writes them: a client can send them.
        data = json.dumps(body, allow_nan=True).encode()
        return requests.post(self.server.url + path, data=data, headers=self.headers(user_id), timeout=30)

    def ops(self, user_id: str, drawn: list[tuple[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for op_type, payload in drawn:
            self.seq[user_id] = self.seq.get(user_id, 0) + 1
            out.append(
                {
                    "id": str(uuid.uuid4()),
                    "seq": self.seq[user_id],
                    "type": op_type,
                    "payload": payload,
                    "created_at": datetime.now(UTC).isoformat(),
                }
            )
        return out

    def push(self, user_id: str, ops_: list[dict[str, Any]]) -> list[dict[str, Any]]:
        response = self.post(user_id, "/api/v1/sync/push", {"device_id": f"fuzz-{user_id}", "ops": ops_})
        assert response.status_code == 200, response.text[:500]
        results: list[dict[str, Any]] = response.json()["results"]
        return results


def _demo(db_url: str) -> tuple[dict[str, str], list[str]]:
    """An access token for every demo user, made in the database (53 argon2 logins would take half a minute),
    and the codes of the hall's processes."""
    db = Database(db_url)
    tokens = {}
    with db.transaction() as session:
        for user in session.scalars(select(User).order_by(User.user_id)):
            user.must_change_password = False
            tokens[user.user_id] = auth.create_session(
                session, user, "kiosk", device_id=f"fuzz-{user.user_id}"
            ).access_token
        codes = list(session.scalars(select(Process.code).order_by(Process.code)))
    db.dispose()
    return tokens, codes


@pytest.fixture
def fuzzed(db_url: str, tmp_path: Path) -> Iterator[Fuzzed]:
    tokens, codes = _demo(db_url)
    server = LiveServer(db_url=db_url, workdir=tmp_path).start()
    try:
        state = Fuzzed(server, tokens, codes, "")
        submit = state.ops(LIU, [(ops.APPLICATION_SUBMIT, _submit_payload(REPAIR))])
        result = state.push(LIU, submit)[0]
        assert result["status"] == "applied", result
        state.application_id = result["result"]["application_id"]
        state.submitted[state.application_id] = LIU
        yield state
    finally:
        server.stop()


def _submit_payload(data: Any, code: str = REPAIR_CODE) -> dict[str, Any]:
    return {"application_id": str(uuid.uuid4()), "process_code": code, "data": data}


def _check_answers(sent: list[dict[str, Any]], results: list[dict[str, Any]]) -> None:
    assert [r["id"] for r in results] == [op["id"] for op in sent]
    for op, result in zip(sent, results, strict=True):
        assert result["status"] in ("applied", "rejected"), result
        if op_payloads.problem(op["type"], op["payload"]) is not None:
            assert result["status"] == "rejected" and result["error"]["code"] == "invalid_payload", (op, result)


def _push_and_replay(fz: Fuzzed, user_id: str, sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    results = fz.push(user_id, sent)
    _check_answers(sent, results)
    again = fz.push(user_id, sent)  # a terminal that never saw the answer sends the batch again
    assert [r["status"] for r in again] == ["duplicate"] * len(sent), again
    assert [r.get("error") for r in again] == [r.get("error") for r in results]
    for op, result in zip(sent, results, strict=True):
        if op["type"] == ops.APPLICATION_SUBMIT and result["status"] == "applied":
            fz.submitted[result["result"]["application_id"]] = user_id
    return results


def _everyone_can_still_read(fz: Fuzzed) -> None:
    for user_id, token in [*fz.tokens.items(), ("(anonymous)", "")]:
        cursor = 0
        while True:
            headers = bearer(token) if token else {}
            response = requests.get(
                fz.server.url + "/api/v1/sync/pull",
                params={"cursor": cursor, "limit": 1000},
                headers=headers,
                timeout=30,
            )
            assert response.status_code == 200, (user_id, response.text[:300])
            page = response.json()
            cursor = page["cursor"]
            if not page["has_more"]:
                break
    for app_id, applicant in fz.submitted.items():
        view = requests.get(
            fz.server.url + f"/api/v1/applications/{app_id}", headers=bearer(fz.tokens[applicant]), timeout=30
        )
        assert view.status_code == 200, (app_id, view.text[:300])


def test_the_issue_cases_are_recorded_rejections_that_replay_alike(fuzzed: Fuzzed) -> None:
    fz, app_id = fuzzed, fuzzed.application_id
    cases = [
        (ops.FAVORITE_SET, {"process_code": "jw" + SURROGATE, "on": True}, "process_code"),
        (ops.APPLICATION_SUBMIT, _submit_payload(REPAIR, code="xj" + SURROGATE), "process_code"),
        (ops.workflow_op("comment"), {"application_id": app_id, "comment": "好" + SURROGATE}, "comment"),
        (ops.APPLICATION_SUBMIT, _submit_payload({**REPAIR, "problem": "坏了" + SURROGATE}), "data.problem"),
        (ops.FAVORITE_SET, {"process_code": "jw" + NUL, "on": True}, "process_code"),
        (ops.workflow_op("comment"), {"application_id": app_id, "comment": "好" + NUL}, "comment"),
        (ops.APPLICATION_SUBMIT, _submit_payload({**REPAIR, "problem": "坏了" + NUL}), "data.problem"),
        (ops.NOTIFICATION_READ, {"ids": [2**70]}, "ids.0"),
        (ops.APPLICATION_SUBMIT, _submit_payload({**REPAIR, "problem": "x" * (op_payloads.MAX_FORM_TEXT + 1)}), None),
        (ops.APPLICATION_SUBMIT, _submit_payload({**REPAIR, "asset_code": math.nan}), "data.asset_code"),
    ]
    sent = fz.ops(LIU, [(op_type, payload) for op_type, payload, _ in cases])
    results = _push_and_replay(fz, LIU, sent)
    for (_, _, path), result in zip(cases, results, strict=True):
        assert result["error"]["code"] == "invalid_payload", result
        if path is not None:
            assert path in result["error"]["fields"], result
    # The op after them in the same batch is applied: one bad op no longer holds up a queue.
    assert fz.push(LIU, fz.ops(LIU, [(ops.FAVORITE_SET, {"process_code": REPAIR_CODE, "on": True})]))[0]["status"] == (
        "applied"
    )

    rest = [
        ("/api/v1/me/notifications/read", {"ids": [2**70]}, "validation_error"),
        ("/api/v1/me/notifications/read", {"ids": [-(2**63) - 1]}, "validation_error"),
        (
            f"/api/v1/applications/{app_id}/actions",
            {"action": "comment", "comment": "好" + SURROGATE},
            "validation_error",
        ),
        (f"/api/v1/applications/{app_id}/actions", {"action": "comment", "comment": "好" + NUL}, "validation_error"),
        (f"/api/v1/applications/{app_id}/actions", {"action": "approve", "task_id": 2**64}, "validation_error"),
        (
            f"/api/v1/applications/{app_id}/actions",
            {"action": "approve", "data": {"repair_result": "好" + SURROGATE}},
            "invalid_payload",
        ),
    ]
    for path, body, code in rest:
        response = fz.post(JIA, path, body)
        assert response.status_code == 422 and response.json()["error"]["code"] == code, (body, response.text)
    envelope = fz.post(LIU, "/api/v1/sync/push", {"device_id": "k" + NUL, "ops": []})
    assert envelope.status_code == 422 and envelope.json()["error"]["code"] == "validation_error"
    _everyone_can_still_read(fz)


def test_fuzzed_pushes_and_action_bodies_never_fail_the_server(fuzzed: Fuzzed) -> None:
    fz = fuzzed
    hints = {
        "process_code": st.sampled_from(fz.process_codes),
        "application_id": st.just(fz.application_id),
        "data": st.just(REPAIR),
        "ids": st.lists(st.integers(1, 50), max_size=5),
    }
    one_op = st.sampled_from(ops.OP_TYPES).flatmap(
        lambda t: st.tuples(st.just(t), st.one_of(payloads(t, hints), hostile_payloads(t, hints)))
    )

    @FUZZ
    @given(st.sampled_from([LIU, JIA]), st.lists(one_op, min_size=1, max_size=8))
    def push_batches(user_id: str, drawn: list[tuple[str, Any]]) -> None:
        _push_and_replay(fz, user_id, fz.ops(user_id, drawn))

    body_of = st.sampled_from(ACTIONS).flatmap(
        lambda a: st.tuples(
            st.just(a), st.one_of(payloads(ops.workflow_op(a), hints), hostile_payloads(ops.workflow_op(a), hints))
        )
    )

    @FUZZ
    @given(st.sampled_from([LIU, JIA]), body_of, st.sampled_from([fuzzed.application_id, str(uuid.uuid4())]))
    def action_bodies(user_id: str, drawn: tuple[str, dict[str, Any]], app_id: str) -> None:
        action, payload = drawn
        body = {k: v for k, v in payload.items() if k != "application_id"}
        response = fz.post(user_id, f"/api/v1/applications/{app_id}/actions", {**body, "action": action})
        assert response.status_code < 500, (body, response.text[:500])
        if response.status_code >= 400:
            assert response.json()["error"]["code"], response.text
        taken = op_payloads.SCHEMAS[ops.workflow_op(action)]["properties"]
        checked = {k: v for k, v in body.items() if k in taken and v is not None}
        if op_payloads.problem(ops.workflow_op(action), {**checked, "application_id": app_id}) is not None:
            assert response.status_code == 422, (body, response.text[:500])

    bad_ids = st.lists(st.one_of(st.integers(1, 50), BAD_INTS, WRONG_TYPES, BAD_TEXT), max_size=4)

    @FUZZ
    @given(st.one_of(st.fixed_dictionaries({"ids": bad_ids}), st.fixed_dictionaries({"all": WRONG_TYPES})))
    def mark_read_bodies(body: dict[str, Any]) -> None:
        response = fz.post(LIU, "/api/v1/me/notifications/read", body)
        assert response.status_code < 500, (body, response.text[:500])

    push_batches()
    action_bodies()
    mark_read_bodies()
    _everyone_can_still_read(fz)
