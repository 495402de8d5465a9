"""The sync server's HTTP contract, over a real server on loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import socket

import pytest
import requests

from sync_server.migrate import head_revision
from tests.helpers import LiveServer


def test_healthz_reports_version_schema_and_epoch(live_server: LiveServer) -> None:
    body = requests.get(live_server.url + "/healthz", timeout=5).json()
    assert body["status"] == "ok"
    assert body["version"] == "0.1.0"
    assert body["schema"] == head_revision()
    assert isinstance(body["epoch"], str) and len(body["epoch"]) == 16


def test_catalog_lists_all_64_processes(live_server: LiveServer) -> None:
    body = requests.get(live_server.url + "/api/v1/hall/processes", timeout=5).json()
    assert body["count"] == 64 == len(body["processes"])
    names = {p["name"] for p in body["processes"]}
    assert "教职工办公电脑维修申请" in names and "网络报修申请（宿舍）" in names
    repair = next(p for p in body["processes"] if p["name"] == "教职工办公电脑维修申请")
    assert repair["department"] == "现教中心"
    assert repair["department_name"] == "现代教育技术中心"
    assert repair["audience"] == ["教工"]
    recommended = {p["name"] for p in body["processes"] if p["recommended"]}
    assert recommended == {"后勤报修申请", "在职证明申请", "人事考核申请"}


def test_catalog_filters_by_audience(live_server: LiveServer) -> None:
    url = live_server.url + "/api/v1/hall/processes"
    visitors = requests.get(url, params={"audience": "校外人员"}, timeout=5).json()
    assert {p["name"] for p in visitors["processes"]} == {"外来人员来访报备登记申请", "校外人员临时卡申请"}
    bad = requests.get(url, params={"audience": "'; DROP TABLE processes; --"}, timeout=5)
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] in ("invalid_audience", "validation_error")
    assert requests.get(url, timeout=5).json()["count"] == 64  # nothing was dropped


def test_single_process_and_not_found(live_server: LiveServer) -> None:
    listing = requests.get(live_server.url + "/api/v1/hall/processes", timeout=5).json()["processes"]
    code = next(p["code"] for p in listing if p["name"] == "教职工办公电脑维修申请")
    one = requests.get(live_server.url + f"/api/v1/hall/processes/{code}", timeout=5)
    assert one.status_code == 200 and one.json()["materials"]
    missing = requests.get(live_server.url + "/api/v1/hall/processes/nope", timeout=5)
    assert missing.status_code == 404
    assert missing.json() == {"error": {"code": "process_not_found", "message": "No such process."}}


def test_content_endpoints(live_server: LiveServer) -> None:
    base = live_server.url + "/api/v1"
    news = requests.get(base + "/content/news", params={"limit": 100}, timeout=5).json()
    titles = [n["title"] for n in news["items"]]
    assert news["total"] >= 10
    assert any("不忘初心跟党走" in t for t in titles)
    assert any("暂停校园参观" in t for t in titles)
    dates = [n["published_at"] for n in news["items"]]
    assert dates == sorted(dates, reverse=True)
    notices = requests.get(base + "/content/news", params={"category": "通知公告"}, timeout=5).json()
    assert notices["items"] and all(n["category_name"] == "通知公告" for n in notices["items"])
    first = requests.get(base + f"/content/news/{news['items'][0]['id']}", timeout=5).json()
    assert first["body"]
    resources = [r["name"] for r in requests.get(base + "/content/resources", timeout=5).json()]
    assert resources[0] == "中国知网" and len(resources) == 8
    apps = requests.get(base + "/content/apps", timeout=5).json()
    assert {a["name"] for a in apps if a["sso"]} >= {"教务系统"}
    school = requests.get(base + "/school", timeout=5).json()
    assert school["name"] == "郑州工商学院"
    departments = {d["short_name"] for d in requests.get(base + "/departments", timeout=5).json()}
    assert {"教务处", "人事处", "现教中心", "就业办"} <= departments


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/api/v1/nothing-here", 404, "not_found"),
        ("DELETE", "/healthz", 405, "method_not_allowed"),
        ("GET", "/api/v1/content/news?limit=0", 422, "validation_error"),
        ("GET", "/api/v1/content/news?limit=abc", 422, "validation_error"),
        ("GET", "/api/v1/content/news/99999999999999999999", 422, "validation_error"),
        ("GET", "/api/v1/content/news/424242", 404, "news_not_found"),
    ],
)
def test_errors_are_json_with_stable_codes(
    live_server: LiveServer, method: str, path: str, status: int, code: str
) -> None:
    response = requests.request(method, live_server.url + path, timeout=5)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code and error["message"]


def test_body_size_limit_declared_and_chunked(live_server: LiveServer) -> None:
    big = b"x" * (1_048_576 + 1)
    declared = requests.post(live_server.url + "/api/v1/hall/processes", data=big, timeout=10)
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "payload_too_large"

    def chunks():  # no Content-Length: the limit must hold while streaming too
        for _ in range(20):
            yield b"y" * 65_536

    streamed = requests.post(live_server.url + "/api/v1/hall/processes", data=chunks(), timeout=10)
    assert streamed.status_code == 413
    assert streamed.json()["error"]["code"] == "payload_too_large"
    assert requests.get(live_server.url + "/healthz", timeout=5).ok


def test_garbage_on_the_socket_does_not_kill_the_server(live_server: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=5) as sock:
        sock.sendall(b"\x00\xffNOT HTTP\r\n\r\n")
        sock.recv(1024)
    assert requests.get(live_server.url + "/healthz", timeout=5).ok


def test_request_id_and_structured_access_log(live_server: LiveServer) -> None:
    response = requests.get(live_server.url + "/healthz", headers={"X-Request-ID": "abc123"}, timeout=5)
    assert response.headers["x-request-id"] == "abc123"
    generated = requests.get(live_server.url + "/healthz", timeout=5).headers["x-request-id"]
    assert len(generated) == 16
    live_server.stop()  # flush the log
    lines = [json.loads(line) for line in live_server.log_path.read_text().splitlines() if line.startswith("{")]
    access = [entry for entry in lines if entry["logger"] == "sync_server.access"]
    entry = next(e for e in access if e.get("request_id") == "abc123")
    assert entry["status"] == 200 and entry["path"] == "/healthz" and entry["ms"] >= 0


def test_openapi_documents_every_route(live_server: LiveServer) -> None:
    spec = requests.get(live_server.url + "/openapi.json", timeout=5).json()
    for path in (
        "/healthz",
        "/api/v1/hall/processes",
        "/api/v1/hall/processes/{code}",
        "/api/v1/content/news",
        "/api/v1/content/news/{news_id}",
        "/api/v1/content/resources",
        "/api/v1/content/apps",
        "/api/v1/school",
        "/api/v1/departments",
    ):
        assert path in spec["paths"], path
