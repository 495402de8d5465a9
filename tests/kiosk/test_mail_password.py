"""个人中心 › 邮箱授权码 on the terminal: the password goes only to a server reached over HTTPS or on this machine
(kiosk/services/mail_password.py); over plain HTTP to another host it is refused before anything is sent."""

from __future__ import annotations

import pytest

from kiosk.services import mail_password
from kiosk.services.api_client import ApiClient, ApiError


def test_only_https_or_loopback_may_receive_it() -> None:
    for url in ("https://portal.example.edu.cn", "http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:1"):
        assert mail_password.may_send(url), url
    for url in ("http://portal.example.edu.cn", "http://10.0.0.5:8765", "http://192.0.2.1", "ftp://127.0.0.2x"):
        assert not mail_password.may_send(url), url


def test_plain_http_to_another_host_is_refused_before_it_is_sent() -> None:
    # Had it tried to send, the unresolvable name would give an "offline" error, not this refusal.
    client = ApiClient("http://campus-kiosk.invalid:8765")
    with pytest.raises(ApiError) as refused:
        mail_password.give(client, "secret-app-pw")
    assert refused.value.code == "https_required" and refused.value.message == "服务器未使用 HTTPS，授权码不能发送"
