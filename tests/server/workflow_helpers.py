"""Helpers for the workflow tests: demo people and their passwords, valid form data for any process and step,
and the HTTP calls (REST actions, sync push, lists) a terminal makes."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import requests
from hypothesis import HealthCheck, Phase, find, settings

from sync_server.core.security import default_password
from tests.form_strategies import valid_data
from tests.helpers import LiveServer, activated, bearer

SEED = Path(__file__).resolve().parents[2] / "sync_server" / "seed"
CONTENT = json.loads((SEED / "demo_content.json").read_text(encoding="utf-8"))
PEOPLE = {u["user_id"]: u for u in CONTENT["users"]}
DEPARTMENTS = {d["code"]: d for d in CONTENT["departments"]}
FORMS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((SEED / "forms").glob("*.json"))}
WORKFLOWS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((SEED / "workflows").glob("*.json"))}
PROCESSES = {p["code"]: p for p in json.loads((SEED / "processes.json").read_text(encoding="utf-8"))}

LIU, JIA = "101203", "101207"  # 刘诗宏 (staff, 现代教育技术中心), 贾孟杰 (现教中心实验室管理科接收人)
STUDENT, STUDENT_2 = "2022010101", "2022010102"  # 王子涵, 陈雨桐 (信息工程学院)
JWC_A, JWC_B = "100512", "102525"  # 陈晓燕, 袁丽萍: both 教务处办事员
HUANG, YANG, LIN = "101645", "101822", "101390"  # 黄佳 教学秘书, 杨帆 辅导员, 林峰 (staff) of 信息工程学院
XSC = "100745"  # 孙丽娟 学生处办事员

REPAIR_CODE = "xj-diannao-weixiu"
REPAIR = {  # the manual's 教职工办公电脑维修申请
    "repair_date": "2022-08-25",
    "phone": "13303857660",
    "asset_type": "打印机",
    "location": "综合实验楼101",
    "asset_code": "101007",
    "problem": "打印机无法共享打印!",
}


def password(user_id: str) -> str:
    return default_password(PEOPLE[user_id]["national_id"])


def profile(user_id: str) -> dict[str, str]:
    """A user as the server's profile_values knows them (what read-only fields are filled with)."""
    person = PEOPLE[user_id]
    dept = DEPARTMENTS.get(person.get("department") or "", {})
    return {
        "profile.name": person["name"],
        "profile.user_id": person["user_id"],
        "profile.department_name": dept.get("name", ""),
        "profile.class_name": person.get("class") or "",
        "profile.phone": person.get("phone") or "",
    }


def example(
    code: str,
    user_id: str,
    step: str | None = None,
    where: Callable[[dict[str, Any]], bool] = lambda _: True,
    **fixed: Any,
) -> dict[str, Any]:
    """Valid data for one part of a process's form (the applicant's, or a step's section), deterministic: the
    first draw of tests/form_strategies.valid_data that `where` accepts, with `fixed` values put in."""
    drawn = find(
        valid_data(FORMS[code], profile(user_id), step),
        lambda d: where({**d, **fixed}),
        settings=settings(
            database=None,
            derandomize=True,
            phases=[Phase.generate],
            max_examples=200,
            suppress_health_check=list(HealthCheck),
        ),
    )
    return {**drawn, **fixed}


def positive(code: str, section: str | None) -> Callable[[dict[str, Any]], bool]:
    """A section's data whose decision (审核意见) is not a no."""
    step = next((s for s in WORKFLOWS[code]["steps"] if s.get("section") == section), None)
    decision = step.get("decision") if step else None
    if not decision:
        return lambda _: True
    return lambda d: d.get(decision["field"]) not in decision["negative"]


class Client:
    """One logged-in person against a live server (password changed once, as the manual requires)."""

    _tokens: ClassVar[dict[tuple[str, str], str]] = {}

    def __init__(self, server: LiveServer, user_id: str) -> None:
        self.server, self.user_id = server, user_id
        key = (server.url + server.db_url, user_id)
        if key not in Client._tokens:
            Client._tokens[key] = activated(server, user_id, password(user_id))["access_token"]
        self.token = Client._tokens[key]
        self.seq = 0

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)

    def get(self, path: str, **params: Any) -> requests.Response:
        return requests.get(self.server.url + path, params=params, headers=self.headers, timeout=20)

    def post(self, path: str, body: dict[str, Any]) -> requests.Response:
        return requests.post(self.server.url + path, json=body, headers=self.headers, timeout=20)

    def act(self, app_id: str, action: str, **body: Any) -> requests.Response:
        return self.post(f"/api/v1/applications/{app_id}/actions", {"action": action, **body})

    def push(self, op_type: str, payload: dict[str, Any]) -> dict[str, Any]:
        self.seq += 1
        op = {
            "id": str(uuid.uuid4()),
            "seq": self.seq,
            "type": op_type,
            "payload": payload,
            "created_at": datetime.now(UTC).isoformat(),
        }
        response = self.post("/api/v1/sync/push", {"device_id": f"kiosk-{self.user_id}", "ops": [op]})
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()["results"][0]
        return result

    def submit(self, code: str, data: dict[str, Any], next_handler: str | None = None) -> str:
        payload: dict[str, Any] = {"application_id": str(uuid.uuid4()), "process_code": code, "data": data}
        if next_handler is not None:
            payload["next_handler"] = next_handler
        result = self.push("application.submit", payload)
        assert result["status"] == "applied", result
        return str(result["result"]["application_id"])

    def submit_many(self, code: str, datas: list[dict[str, Any]], next_handler: str | None = None) -> list[str]:
        """Submit many applications in one sync push (seeding a long 待办 list quickly); their ids in order."""
        ops = []
        for data in datas:
            self.seq += 1
            payload: dict[str, Any] = {"application_id": str(uuid.uuid4()), "process_code": code, "data": data}
            if next_handler is not None:
                payload["next_handler"] = next_handler
            ops.append(
                {
                    "id": str(uuid.uuid4()),
                    "seq": self.seq,
                    "type": "application.submit",
                    "payload": payload,
                    "created_at": datetime.now(UTC).isoformat(),
                }
            )
        response = self.post("/api/v1/sync/push", {"device_id": f"kiosk-{self.user_id}", "ops": ops})
        assert response.status_code == 200, response.text
        results = response.json()["results"]
        assert all(r["status"] == "applied" for r in results), results
        return [str(r["result"]["application_id"]) for r in results]

    def box(self, box: str = "todo", **params: Any) -> dict[str, Any]:
        response = self.get("/api/v1/me/tasks", box=box, **params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def application(self, app_id: str) -> dict[str, Any]:
        response = self.get(f"/api/v1/applications/{app_id}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def pull(self) -> list[dict[str, Any]]:
        changes, cursor = [], 0
        while True:
            page = self.get("/api/v1/sync/pull", cursor=cursor, limit=1000).json()
            changes += page["changes"]
            cursor = page["cursor"]
            if not page["has_more"]:
                return changes


def latest(changes: list[dict[str, Any]], entity: str) -> dict[str, dict[str, Any] | None]:
    """The state a terminal ends with after applying `changes`: entity id → data (None when deleted)."""
    out: dict[str, dict[str, Any] | None] = {}
    for change in changes:
        if change["entity"] == entity:
            out[change["id"]] = change["data"] if change["op"] == "upsert" else None
    return out


def error_code(response: requests.Response) -> str:
    return str(response.json()["error"]["code"])


def submit(server: LiveServer, token: str, code: str, data: dict[str, Any], app_id: str | None = None) -> Any:
    op = {
        "id": str(uuid.uuid4()),
        "seq": 1,
        "type": "application.submit",
        "payload": {"application_id": app_id or str(uuid.uuid4()), "process_code": code, "data": data},
        "created_at": datetime.now(UTC).isoformat(),
    }
    response = requests.post(
        server.url + "/api/v1/sync/push", json={"device_id": "t", "ops": [op]}, headers=bearer(token), timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()["results"][0]
