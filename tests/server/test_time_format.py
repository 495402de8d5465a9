"""Every time the API writes is RFC 3339 with an offset (issue 13): the fields OpenAPI declares as date-time, any
example it gives for them, and what the main endpoints really answer demo users, on SQLite (which hands back
naive datetimes) and PostgreSQL. Dates stay dates."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import requests

from tests.helpers import NEW_PW, LiveServer
from tests.server.workflow_helpers import JIA, LIU, REPAIR, REPAIR_CODE, STUDENT, Client

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
LOOKS_LIKE_A_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_rfc3339(value: object) -> bool:
    return isinstance(value, str) and bool(RFC3339.match(value)) and datetime.fromisoformat(value).tzinfo is not None


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _is_date_time(doc: dict[str, Any], schema: dict[str, Any]) -> bool:
    schema = _resolve(doc, schema)
    return schema.get("format") == "date-time" or any(_is_date_time(doc, s) for s in schema.get("anyOf", []))


def declared_date_times(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (name, prop)
        for name, schema in doc["components"]["schemas"].items()
        for prop, sub in schema.get("properties", {}).items()
        if _is_date_time(doc, sub)
    }


class Checker:
    """Walks answers: by their OpenAPI schema where it names a date-time, and by shape everywhere (the
    application's view and the pull's data are free-form): a `*_at` field or anything that looks like a time."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.by_schema = 0  # values checked because OpenAPI declares them date-time
        self.by_shape = 0
        self.bad: list[tuple[str, object]] = []

    def schema_walk(self, where: str, value: object, schema: dict[str, Any]) -> None:
        schema = _resolve(self.doc, schema)
        if value is None:
            return
        if _is_date_time(self.doc, schema):
            self.by_schema += 1
            if not is_rfc3339(value):
                self.bad.append((where, value))
            return
        for option in schema.get("anyOf", []):
            self.schema_walk(where, value, option)
        if isinstance(value, dict):
            for key, sub in schema.get("properties", {}).items():
                if key in value:
                    self.schema_walk(f"{where}.{key}", value[key], sub)
        elif isinstance(value, list) and "items" in schema:
            for n, item in enumerate(value):
                self.schema_walk(f"{where}[{n}]", item, schema["items"])

    def shape_walk(self, where: str, value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                self.shape_walk(f"{where}.{k}", v, k)
        elif isinstance(value, list):
            for n, item in enumerate(value):
                self.shape_walk(f"{where}[{n}]", item, key)
        elif isinstance(value, str) and (key.endswith("_at") or LOOKS_LIKE_A_TIME.match(value)):
            self.by_shape += 1
            if not is_rfc3339(value):
                self.bad.append((where, value))

    def check(self, path: str, response: requests.Response, template: str | None = None) -> Any:
        assert response.status_code == 200, (path, response.text)
        body = response.json()
        operation = self.doc["paths"][template or path]["get" if response.request.method == "GET" else "post"]
        content = operation["responses"]["200"].get("content", {}).get("application/json", {})
        self.schema_walk(path, body, content.get("schema", {}))
        self.shape_walk(path, body)
        return body


def test_openapi_declares_the_times_it_writes_and_its_examples_are_rfc3339(live_server: LiveServer) -> None:
    doc = requests.get(live_server.url + "/openapi.json", timeout=10).json()
    declared = declared_date_times(doc)
    assert {
        ("NewsSummary", "published_at"),
        ("SessionPublic", "created_at"),
        ("SessionPublic", "last_seen_at"),
        ("TaskRef", "due_at"),
        ("TaskItem", "submitted_at"),
        ("NotificationPublic", "created_at"),
        ("NotificationPublic", "read_at"),
    } <= declared

    examples: list[tuple[str, object]] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            if _is_date_time(doc, node):
                examples.extend((path, e) for e in [node.get("example"), *node.get("examples", [])] if e is not None)
            for key, sub in node.items():
                walk(sub, f"{path}/{key}")
        elif isinstance(node, list):
            for n, sub in enumerate(node):
                walk(sub, f"{path}/{n}")

    walk(doc, "")
    assert [(p, e) for p, e in examples if not is_rfc3339(e)] == []


def test_live_answers_write_every_time_as_rfc3339_with_an_offset(live_server: LiveServer) -> None:
    doc = requests.get(live_server.url + "/openapi.json", timeout=10).json()
    checker = Checker(doc)
    liu, jia, student = Client(live_server, LIU), Client(live_server, JIA), Client(live_server, STUDENT)
    app_id = liu.submit(REPAIR_CODE, REPAIR, next_handler=JIA)
    assert jia.act(app_id, "comment", comment="已收到").status_code == 200
    login = requests.post(live_server.url + "/api/v1/auth/login", json={"user_id": LIU, "password": NEW_PW}, timeout=10)
    checker.check("/api/v1/auth/login", login)  # no times in it today; any it gains are checked

    for client in (liu, jia, student):
        checker.check("/api/v1/me", client.get("/api/v1/me"))
        sessions = checker.check("/api/v1/me/sessions", client.get("/api/v1/me/sessions"))
        assert sessions and all(is_rfc3339(s["created_at"]) for s in sessions)
        for box in ("todo", "done", "mine"):
            checker.check("/api/v1/me/tasks", client.get("/api/v1/me/tasks", box=box))
        checker.check("/api/v1/me/notifications", client.get("/api/v1/me/notifications"))
    checker.check("/api/v1/hall/processes", liu.get("/api/v1/hall/processes"))
    news = checker.check("/api/v1/content/news", liu.get("/api/v1/content/news"))
    assert news["items"]
    checker.check(
        "/api/v1/content/news/{news_id}",
        liu.get(f"/api/v1/content/news/{news['items'][0]['id']}"),
    )
    for client in (liu, jia):
        view = checker.check("/api/v1/applications/{app_id}", client.get(f"/api/v1/applications/{app_id}"))
        assert is_rfc3339(view["created_at"])
        assert DATE.match(view["data"]["repair_date"])  # a form's date stays a date
    for client in (liu, jia):
        checker.shape_walk("pull", [c["data"] for c in client.pull()])

    assert checker.bad == []
    # Not a vacuous pass: the declared fields and the free-form ones were really seen.
    assert checker.by_schema >= 20 and checker.by_shape >= 40, (checker.by_schema, checker.by_shape)
