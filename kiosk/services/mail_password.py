"""个人中心 › 邮箱授权码: when the campus counts unread mail with each user's own app password (docs/portal.md), the
user gives it here. It goes straight to the server over HTTPS (or to a server on this machine) and nowhere else:
not into the outbox, whose rows are kept, not into the store, not into a log; a failed send is not retried."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from kiosk.services.api_client import ApiClient, ApiError


@dataclass(frozen=True)
class MailPasswordState:
    mode: str  # master (nothing to give) | app_password | off | unknown (not asked yet, or offline)
    set: bool = False
    updated_at: str = ""

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> MailPasswordState:
        return cls(str(body.get("mode") or "unknown"), bool(body.get("set")), str(body.get("updated_at") or ""))


UNKNOWN = MailPasswordState("unknown")


def may_send(base_url: str) -> bool:
    """Whether a password may go to this server: HTTPS, or a loopback address (it never leaves the machine)."""
    parts = urlsplit(base_url)
    if parts.scheme == "https":
        return True
    host = parts.hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def fetch(client: ApiClient) -> MailPasswordState:
    return MailPasswordState.from_body(client.mail_password("GET"))


def give(client: ApiClient, password: str) -> MailPasswordState:
    if not may_send(client.base_url):
        raise ApiError("https_required", "服务器未使用 HTTPS，授权码不能发送")
    return MailPasswordState.from_body(client.mail_password("PUT", password))


def remove(client: ApiClient) -> MailPasswordState:
    return MailPasswordState.from_body(client.mail_password("DELETE"))
