"""首页's figures and order, Qt-free: the server's counters read without inventing a number, 办事中心's order,
and the news rows (kiosk/services/portal.py)."""

from __future__ import annotations

from typing import Any

from kiosk.services.api_client import ApiError
from kiosk.services.portal import (
    COUNTER_KEYS,
    Counter,
    fetch_counters,
    parse_counters,
    placeholders,
    reason_text,
    recent_process_codes,
    service_center_codes,
)


def test_counters_are_read_as_the_server_says_and_never_invented() -> None:
    body = {
        "mail_unread": {"value": 2, "source": "imap", "as_of": "2026-12-05T09:15:04+08:00", "demo": False},
        "loans": {"value": None, "source": "sip2", "reason_code": "source_down", "reason": "图书馆系统暂不可用"},
        "overdue": {"value": -1, "source": "sip2"},  # malformed: no figure rather than a wrong one
        "todo": {"value": 0, "source": "workflow", "as_of": "2026-12-05T09:15:04+08:00", "demo": False},
    }
    mail, loans, overdue, todo = parse_counters(body)
    assert [c.key for c in (mail, loans, overdue, todo)] == list(COUNTER_KEYS)
    assert (mail.text, mail.demo, mail.to_qml()["known"]) == ("2", False, True)
    assert (loans.text, loans.reason, loans.reason_code) == ("—", "图书馆系统暂不可用", "source_down")
    assert overdue.text == "—" and todo.text == "0"  # 0 overdue shows 0, as the manual says; a bad value "—"
    assert parse_counters({})[0].reason_code == "missing"
    assert parse_counters({"loans": {"value": True}})[1].text == "—"  # a bool is not a count


class _Down:
    def counters(self) -> dict[str, Any]:
        raise ApiError("offline", "无法连接服务器")


class _Refusing:
    def counters(self) -> dict[str, Any]:
        raise ApiError("unauthorized", "登录已失效", 401)


def test_offline_keeps_the_figures_already_shown_or_says_why() -> None:
    known = [Counter("mail_unread", 3, as_of="2026-12-05T09:00:00+08:00")]
    assert fetch_counters(_Down(), known) is known  # type: ignore[arg-type]
    fresh = fetch_counters(_Down(), None)  # type: ignore[arg-type]
    assert {c.text for c in fresh} == {"—"} and {c.reason_code for c in fresh} == {"offline"}
    try:
        fetch_counters(_Refusing(), None)  # type: ignore[arg-type]
    except ApiError as exc:
        assert exc.status == 401  # a refusal is not "offline": the caller hears of it
    else:
        raise AssertionError("a 401 must not read as offline")


def test_service_center_puts_stars_then_recent_then_recommended() -> None:
    visible = [("a", False, False), ("b", False, True), ("c", True, False), ("d", False, False), ("e", False, True)]
    recent = recent_process_codes(
        [{"process_code": "d"}, {"process_code": "x"}, {"process_code": "d"}, {"process_code": "a"}]
    )
    assert recent == ["d", "x", "a"]
    # x is not in what this user may start: left out.
    assert service_center_codes(visible, recent) == ["c", "d", "a", "b", "e"]


def test_every_reason_the_server_gives_is_worded_here_in_both_languages() -> None:
    """The reason under a counter is ready text from the service (QML holds no table): the server's every code
    has words in Chinese — the very ones the server sends — and in English."""
    from sync_server.core.counters.source import REASONS

    labels = {"mail_unread": "邮箱服务", "loans": "图书馆系统"}
    for code, template in REASONS.items():
        for key, label in labels.items():
            assert reason_text(key, code, "服务器的原话", "zh_CN") == template.format(what=label), (code, key)
            english = reason_text(key, code, "服务器的原话", "en_US")
            assert english and english.isascii(), (code, key, english)
    assert reason_text("loans", "source_down", "", "en_US") == "Library system unavailable"
    assert reason_text("mail_unread", "app_password_invalid", "", "zh_CN") == "授权码无效"
    # A code this client does not know: the server's own words; an unknown language: Chinese.
    assert reason_text("loans", "new_code", "服务器的原话", "en_US") == "服务器的原话"
    assert reason_text("mail_unread", "timeout", "", "fr_FR") == "邮箱服务响应超时"


def test_the_qml_gets_the_reason_ready_in_the_interfaces_language() -> None:
    mail, loans, *_ = parse_counters(
        {
            "mail_unread": {
                "value": None,
                "source": "imap",
                "reason_code": "no_app_password",
                "reason": "未填写邮箱授权码",
            },
            "loans": {"value": 3, "source": "sip2", "as_of": "2026-03-02T09:15:04+08:00", "demo": False},
        }
    )
    assert mail.to_qml("en_US")["reason"] == "No mail app password given"
    assert mail.to_qml()["reason"] == "未填写邮箱授权码"
    assert loans.to_qml("en_US")["reason"] == "" and "reasonCode" not in loans.to_qml()
    assert placeholders("x", "offline")[0].to_qml("en_US")["reason"] == "Offline: not available now"
