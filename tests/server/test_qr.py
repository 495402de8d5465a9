"""QR login over a real server: pending → scanned → confirmed on the phone page, deny, expiry, reuse,
device binding, forged tickets, and a ticket bound to its first scanner."""

from __future__ import annotations

import re
import threading
import time
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import update

from sync_server.db import Database
from sync_server.models import QrTicket
from tests.helpers import LIU, LIU_PW, NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, bearer

DEVICE = {"device_id": "kiosk-0001", "device_name": "图书馆一楼 1 号机"}


def new_ticket(server: LiveServer) -> dict[str, str]:
    body = requests.post(server.url + "/api/v1/auth/qr", json=DEVICE, timeout=10).json()
    assert body["url"].endswith("/m/qr/" + body["ticket"]) and body["expires_in"] == 120
    assert len(body["ticket"]) >= 32  # ≥ 192 random bits, URL-safe base64
    return body


def poll(
    server: LiveServer, ticket: str, wait: float = 0, known: str | None = None, device: str = "kiosk-0001"
) -> requests.Response:
    params = {"device_id": device, "wait": wait}
    if known:
        params["known"] = known
    return requests.get(server.url + f"/api/v1/auth/qr/{ticket}", params=params, timeout=wait + 10)


def phone_login(server: LiveServer, url: str, user_id: str, password: str) -> tuple[requests.Session, str]:
    phone = requests.Session()
    page = phone.get(url, timeout=10)
    assert page.status_code == 200 and "扫码登录自助终端" in page.text and "图书馆一楼 1 号机" in page.text
    confirm = phone.post(url + "/login", data={"user_id": user_id, "password": password}, timeout=10)
    return phone, confirm.text


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert match, page
    return match.group(1)


def test_scan_and_confirm_logs_the_kiosk_in(live_server: LiveServer) -> None:
    activated(live_server, LIU, LIU_PW)
    ticket = new_ticket(live_server)
    assert poll(live_server, ticket["ticket"]).json()["status"] == "pending"

    results: list[requests.Response] = []
    waiter = threading.Thread(
        target=lambda: results.append(poll(live_server, ticket["ticket"], wait=20, known="pending"))
    )
    waiter.start()
    time.sleep(0.3)
    phone, page = phone_login(live_server, ticket["url"], LIU.lower(), NEW_PW)
    assert "登录自助终端 图书馆一楼 1 号机？" in page and "刘诗宏" in page
    waiter.join(10)
    assert results and results[0].json()["status"] == "scanned"  # the long poll returned on the change
    assert results[0].json()["user_name"] == "刘诗宏"

    started = time.monotonic()
    confirm_thread = threading.Thread(
        target=lambda: phone.post(ticket["url"] + "/confirm", data={"csrf": _csrf(page)}, timeout=10)
    )
    results.clear()
    waiter = threading.Thread(
        target=lambda: results.append(poll(live_server, ticket["ticket"], wait=20, known="scanned"))
    )
    waiter.start()
    time.sleep(0.2)
    confirm_thread.start()
    waiter.join(10)
    confirm_thread.join(10)
    body = results[0].json()
    assert body["status"] == "confirmed"
    assert time.monotonic() - started < 1.5  # the kiosk learns within a second of the tap (plus our 0.2 s)
    tokens = body["tokens"]
    me = requests.get(
        live_server.url + "/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=10
    )
    assert me.json()["name"] == "刘诗宏"

    # Single use: neither the kiosk nor the phone can use it again.
    reuse = poll(live_server, ticket["ticket"])
    assert reuse.status_code == 410 and reuse.json()["error"]["code"] == "ticket_used"
    assert "二维码已使用" in phone.get(ticket["url"], timeout=10).text


def test_a_ticket_belongs_to_its_first_scanner(live_server: LiveServer) -> None:
    """A bystander who sees the kiosk's code cannot take over someone else's scan: a second user is refused on
    the phone, the kiosk learns that someone else scanned, and the first user can still confirm."""
    activated(live_server, LIU, LIU_PW)
    activated(live_server, STUDENT, STUDENT_PW)
    ticket = new_ticket(live_server)
    first, first_page = phone_login(live_server, ticket["url"], LIU, NEW_PW)
    assert "登录自助终端 图书馆一楼 1 号机？" in first_page and "刘诗宏" in first_page
    scanned = poll(live_server, ticket["ticket"]).json()
    assert (scanned["status"], scanned["user_name"]) == ("scanned", "刘诗宏")

    results: list[requests.Response] = []
    waiter = threading.Thread(
        target=lambda: results.append(poll(live_server, ticket["ticket"], wait=20, known="scanned"))
    )
    waiter.start()
    time.sleep(0.2)
    second, second_page = phone_login(live_server, ticket["url"], STUDENT, NEW_PW)
    waiter.join(10)
    assert "该二维码已被他人扫描" in second_page and "刘诗宏" not in second_page
    # The kiosk's long poll wakes: someone else scanned, and the ticket is still the first scanner's.
    assert results and results[0].json()["status"] == "contested"
    assert results[0].json()["user_name"] == "刘诗宏"
    # Opening again, or posting a confirmation (even with the first phone's form token), changes nothing.
    again = second.get(ticket["url"], timeout=10)
    assert again.status_code == 409 and "该二维码已被他人扫描" in again.text
    for action in ("confirm", "deny"):
        refused = second.post(ticket["url"] + f"/{action}", data={"csrf": _csrf(first_page)}, timeout=10)
        assert refused.status_code == 409 and "该二维码已被他人扫描" in refused.text
    state = poll(live_server, ticket["ticket"]).json()
    assert (state["status"], state["user_name"], state["tokens"]) == ("contested", "刘诗宏", None)

    # The first scanner re-opens the page and confirms: the kiosk is theirs.
    reopened = first.get(ticket["url"], timeout=10)
    assert reopened.status_code == 200 and _csrf(reopened.text) == _csrf(first_page)
    confirmed = first.post(ticket["url"] + "/confirm", data={"csrf": _csrf(reopened.text)}, timeout=10)
    assert "已确认" in confirmed.text
    body = poll(live_server, ticket["ticket"]).json()
    assert body["status"] == "confirmed" and body["user_name"] == "刘诗宏"
    me = requests.get(live_server.url + "/api/v1/me", headers=bearer(body["tokens"]["access_token"]), timeout=10)
    assert me.json()["user_id"] == LIU


def test_deny(live_server: LiveServer) -> None:
    activated(live_server, LIU, LIU_PW)
    ticket = new_ticket(live_server)
    phone, page = phone_login(live_server, ticket["url"], LIU, NEW_PW)
    denied = phone.post(ticket["url"] + "/deny", data={"csrf": _csrf(page)}, timeout=10)
    assert "已取消登录" in denied.text
    body = poll(live_server, ticket["ticket"]).json()
    assert body["status"] == "denied" and body.get("tokens") is None


def test_forged_csrf_and_initial_password_on_the_phone(live_server: LiveServer) -> None:
    activated(live_server, LIU, LIU_PW)
    ticket = new_ticket(live_server)
    phone, page = phone_login(live_server, ticket["url"], LIU, NEW_PW)
    forged = phone.post(ticket["url"] + "/confirm", data={"csrf": "0" * 64}, timeout=10)
    assert forged.status_code == 403
    assert poll(live_server, ticket["ticket"]).json()["status"] == "scanned"
    # A user who never changed the initial password must do so first, not on the phone.
    other = new_ticket(live_server)
    _, page = phone_login(live_server, other["url"], STUDENT, STUDENT_PW)
    assert "请先修改初始密码" in page
    wrong = requests.post(other["url"] + "/login", data={"user_id": STUDENT, "password": "nope"}, timeout=10)
    assert "学号/工号或密码错误" in wrong.text


def test_expiry(live_server: LiveServer) -> None:
    ticket = new_ticket(live_server)
    db = Database(live_server.db_url)
    with db.transaction() as s:
        s.execute(update(QrTicket).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    db.dispose()
    assert poll(live_server, ticket["ticket"]).json()["status"] == "expired"
    page = requests.get(ticket["url"], timeout=10)
    assert page.status_code == 410 and "二维码已过期" in page.text


def test_ticket_is_bound_to_its_device_and_forgeries_are_unknown(live_server: LiveServer) -> None:
    ticket = new_ticket(live_server)
    other_device = poll(live_server, ticket["ticket"], device="kiosk-9999")
    assert other_device.status_code == 404 and other_device.json()["error"]["code"] == "ticket_not_found"
    forged = poll(live_server, "A" * 32)
    assert forged.status_code == 404
    assert requests.get(live_server.url + "/m/qr/" + "A" * 32, timeout=10).status_code == 404
    too_long = requests.get(live_server.url + "/api/v1/auth/qr/" + "A" * 100, params={"device_id": "x"}, timeout=10)
    assert too_long.status_code == 422
    assert requests.post(live_server.url + "/api/v1/auth/qr", json={"device_id": ""}, timeout=10).status_code == 422
