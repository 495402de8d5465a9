"""HTTP client for the sync server's JSON API. Blocking calls: run them off the GUI thread."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from http.client import HTTPConnection

    import requests


DEVICE_HEADER = "X-Device-Credential"


class ApiError(Exception):
    """A failed call: `code` is the server's stable code, or one of ours for transport failures."""

    def __init__(self, code: str, message: str, status: int | None = None, body: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.body = body or {}

    @property
    def is_offline(self) -> bool:
        return self.code in ("offline", "timeout")

    @property
    def is_server_fault(self) -> bool:
        """The server failed on this request itself (500), as opposed to being unreachable or overloaded
        (502, 503, 504: retried like being offline) or refusing it (4xx: an answer)."""
        return self.status == 500


@dataclass(frozen=True)
class Health:
    status: str
    version: str
    schema: str | None
    epoch: str | None
    campus_tz: str | None = None  # the campus's time zone (a server setting; older servers do not say)
    live_wait: int = 0  # the longest wait a pull may ask (kiosk/services/live_pull.py); older servers: 0


class Abort:
    """Ends a blocking call from another thread: the QR long poll, once its code is no longer on the screen (a
    fresh code, a login, the app quitting) — which would otherwise keep a worker, and the app's exit, waiting
    out the server's long poll (8 s)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self.aborted = False

    def watch(self, sock: socket.socket | None) -> bool:
        """The call's connection, to shut when aborted; False if it was aborted already."""
        with self._lock:
            self._socket = sock
            return not self.aborted

    def abort(self) -> None:
        with self._lock:
            self.aborted = True
            sock = self._socket
        if sock is not None:
            # The plain socket's shutdown (also under TLS): the reading thread's recv returns at once.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


class ApiClient:
    def __init__(self, base_url: str, timeout: float = 5.0, session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._http = session
        self.access_token: str | None = None
        # The enrolled terminal's credential (kiosk/services/device.py), sent with every request when held.
        self.device_credential: str | None = None

    def with_token(self, access_token: str | None) -> ApiClient:
        """A client on the same connection pool that holds `access_token` of its own: work started for one user
        keeps acting as that user even if someone else signs in before it ends (it then fails, revoked)."""
        client = ApiClient(self.base_url, self.timeout, session=self.http)
        client.access_token = access_token
        client.device_credential = self.device_credential
        return client

    @property
    def http(self) -> requests.Session:
        # requests costs ~65 ms to import: load it with the first call (on a worker thread), not at start-up.
        if self._http is None:
            import requests

            self._http = requests.Session()
            self._http.headers["User-Agent"] = "campus-kiosk"
        return self._http

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        import requests

        headers = kwargs.pop("headers", {})
        timeout = kwargs.pop("timeout", self.timeout)
        anonymous = kwargs.pop("anonymous", False)
        if self.access_token and not anonymous:
            headers["Authorization"] = f"Bearer {self.access_token}"
        if self.device_credential:
            headers[DEVICE_HEADER] = self.device_credential
        try:
            response = self.http.request(method, self.base_url + path, headers=headers, timeout=timeout, **kwargs)
        except requests.Timeout as exc:
            raise ApiError("timeout", "服务器响应超时") from exc
        except requests.ConnectionError as exc:
            raise ApiError("offline", "无法连接服务器") from exc
        return _answer(response.status_code, response.reason, response.content)

    def health(self) -> Health:
        # Until anything else has been asked, the standard library's http.client asks: the start's health check
        # then does not wait for requests (≈ 70 ms and 18 MiB on the way to a true login screen).
        if self._http is None and not _proxy_configured():
            body = _get_plainly(self.base_url + "/healthz", self.timeout)
        else:
            body = self._request("GET", "/healthz")
        return Health(
            body["status"],
            body["version"],
            body.get("schema"),
            body.get("epoch"),
            body.get("campus_tz"),
            int(body.get("live_wait") or 0),
        )

    def school(self) -> dict[str, Any]:
        result: dict[str, Any] = self._request("GET", "/api/v1/school")
        return result

    def processes(self, audience: str | None = None) -> list[dict[str, Any]]:
        params = {"audience": audience} if audience else None
        result: list[dict[str, Any]] = self._request("GET", "/api/v1/hall/processes", params=params)["processes"]
        return result

    # -- 首页 ------------------------------------------------------------------------------------------------------
    def counters(self) -> dict[str, Any]:
        result: dict[str, Any] = self._request("GET", "/api/v1/me/counters")
        return result

    def mail_password(self, method: str, password: str | None = None) -> dict[str, Any]:
        """个人中心 › 邮箱授权码: GET the state, PUT a password, DELETE it (kiosk/services/mail_password.py checks
        the transport first)."""
        body = {"json": {"password": password}} if method == "PUT" else {}
        result: dict[str, Any] = self._request(method, "/api/v1/me/mail-password", **body)
        return result

    def cas_handoff(self, service: str) -> dict[str, Any]:
        """A one-time link that signs the desk's user into `service` in the browser (docs/cas.md)."""
        result: dict[str, Any] = self._request("POST", "/api/v1/cas/handoff", json={"service": service})
        return result

    def mark_news_read(self, news_ids: list[int]) -> list[int]:
        """The signed-in user read these items (1–500 ids); the server answers with those newly marked."""
        result: list[int] = self._request("POST", "/api/v1/me/news/read", json={"ids": news_ids})["marked"]
        return result

    def calendar_feed_token(self) -> dict[str, Any]:
        """A new secret iCalendar feed URL (`{"token", "path", "url"}`); the previous one stops working."""
        return dict(self._request("POST", "/api/v1/me/calendar/feed-token"))

    def revoke_calendar_feed_token(self) -> None:
        self._request("DELETE", "/api/v1/me/calendar/feed-token")

    def resources(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._request("GET", "/api/v1/content/resources")
        return result

    def apps(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._request("GET", "/api/v1/content/apps")
        return result

    # -- identity ---------------------------------------------------------------------------------------------
    def login(self, user_id: str, password: str, *, kind: str, device_id: str, device_name: str) -> dict[str, Any]:
        result: dict[str, Any] = self._request(
            "POST",
            "/api/v1/auth/login",
            json={
                "user_id": user_id,
                "password": password,
                "kind": kind,
                "device_id": device_id,
                "device_name": device_name,
            },
        )
        return result

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        result: dict[str, Any] = self._request("POST", "/api/v1/auth/refresh", json={"refresh_token": refresh_token})
        return result

    def logout(self) -> None:
        self._request("POST", "/api/v1/auth/logout")

    def change_password(self, old: str, new: str) -> None:
        self._request("POST", "/api/v1/auth/password", json={"old_password": old, "new_password": new})

    def me(self) -> dict[str, Any]:
        result: dict[str, Any] = self._request("GET", "/api/v1/me")
        return result

    def sessions(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._request("GET", "/api/v1/me/sessions")
        return result

    def revoke_session(self, session_id: str) -> None:
        self._request("DELETE", f"/api/v1/me/sessions/{session_id}")

    def qr_create(self, device_id: str, device_name: str) -> dict[str, Any]:
        result: dict[str, Any] = self._request(
            "POST", "/api/v1/auth/qr", json={"device_id": device_id, "device_name": device_name}
        )
        return result

    def qr_poll(
        self, ticket: str, device_id: str, *, wait: float, known: str | None, abort: Abort | None = None
    ) -> dict[str, Any]:
        """The ticket's state once it is no longer `known` or `wait` seconds have passed (a long poll); `abort`
        ends it early with ApiError("aborted")."""
        params: dict[str, Any] = {"device_id": device_id, "wait": wait}
        if known:
            params["known"] = known
        path, timeout = f"/api/v1/auth/qr/{ticket}", wait + self.timeout
        result: dict[str, Any]
        if abort is not None and not _proxy_configured():
            from urllib.parse import urlencode

            headers = {DEVICE_HEADER: self.device_credential} if self.device_credential else {}
            url = f"{self.base_url}{path}?{urlencode(params)}"
            result = _get_plainly(url, timeout, headers, abort)
        else:
            result = self._request("GET", path, params=params, timeout=timeout)
        return result

    # -- sync ---------------------------------------------------------------------------------------------------
    def push_ops(self, device_id: str, ops: list[dict[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = self._request("POST", "/api/v1/sync/push", json={"device_id": device_id, "ops": ops})
        return result

    def push_granted(self, device_id: str, session_id: str, ops: list[dict[str, Any]]) -> dict[str, Any]:
        """Operations of a user who has left, each signed with their session's operation key: no token."""
        body = {"device_id": device_id, "session_id": session_id, "ops": ops}
        result: dict[str, Any] = self._request("POST", "/api/v1/sync/push", json=body, anonymous=True)
        return result

    def pull(self, cursor: int, limit: int, count_remaining: bool = False) -> dict[str, Any]:
        params: dict[str, Any] = {"cursor": cursor, "limit": limit}
        if count_remaining:
            params["count_remaining"] = "true"
        result: dict[str, Any] = self._request("GET", "/api/v1/sync/pull", params=params)
        return result

    # -- this terminal (kiosk/services/device.py) -----------------------------------------------------------------
    def enroll_device(self, code: str) -> dict[str, Any]:
        """The enrollment code for this terminal's credential (once)."""
        result: dict[str, Any] = self._request("POST", "/api/v1/devices/enroll", json={"code": code}, anonymous=True)
        return result

    def heartbeat(self, report: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self._request("POST", "/api/v1/devices/heartbeat", json=report, anonymous=True)
        return result

    # -- attachments (desk mode) --------------------------------------------------------------------------------
    def attachment_create(self, declared: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self._request("POST", "/api/v1/attachments", json=declared)
        return result

    def attachment_put(self, attachment_id: str, offset: int, data: bytes) -> dict[str, Any]:
        result: dict[str, Any] = self._request(
            "PUT",
            f"/api/v1/attachments/{attachment_id}/content",
            params={"offset": offset},
            data=data,
            headers={"Content-Type": "application/octet-stream"},
            timeout=max(self.timeout, 30.0),  # half a megabyte on a slow office line
        )
        return result

    def attachment_state(self, attachment_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._request("GET", f"/api/v1/attachments/{attachment_id}")
        return result

    # -- certificates (打印证明) ----------------------------------------------------------------------------------
    def application_certificate(self, application_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._request("GET", f"/api/v1/applications/{application_id}/certificate")
        return result

    def claim_certificate_copy(self, certificate_id: str, job_id: str, device_id: str, ttl_s: int) -> dict[str, Any]:
        """Hold one copy for print job `job_id` before sending it (409 when none is left)."""
        body = {"job_id": job_id, "device_id": device_id[:64], "ttl_s": ttl_s}
        result: dict[str, Any] = self._request("POST", f"/api/v1/certificates/{certificate_id}/claims", json=body)
        return result

    def release_certificate_copy(self, certificate_id: str, job_id: str) -> dict[str, Any]:
        """Let go of the copy held for a job that failed (idempotent)."""
        result: dict[str, Any] = self._request("DELETE", f"/api/v1/certificates/{certificate_id}/claims/{job_id}")
        return result

    def certificate_pdf(self, certificate_id: str) -> tuple[bytes, str]:
        """The PDF as issued and the SHA-256 the server names for it (X-Content-SHA256)."""
        import requests

        headers = {"Authorization": f"Bearer {self.access_token}"} if self.access_token else {}
        if self.device_credential:
            headers[DEVICE_HEADER] = self.device_credential
        url = f"{self.base_url}/api/v1/certificates/{certificate_id}/pdf"
        try:
            response = self.http.get(url, headers=headers, timeout=max(self.timeout, 30.0))
        except requests.Timeout as exc:
            raise ApiError("timeout", "服务器响应超时") from exc
        except requests.ConnectionError as exc:
            raise ApiError("offline", "无法连接服务器") from exc
        if response.status_code >= 400:
            _answer(response.status_code, response.reason, response.content)
        return response.content, response.headers.get("X-Content-SHA256", "")

    def close(self) -> None:
        if self._http is not None:
            self._http.close()


def _answer(status: int, reason: str | None, content: bytes) -> Any:
    """A response's JSON body, or the ApiError it stands for."""
    if status >= 400:
        try:
            err = json.loads(content)["error"]
            raise ApiError(str(err["code"]), str(err["message"]), status, err)
        except (ValueError, KeyError, TypeError):
            raise ApiError(f"http_{status}", reason or "error", status) from None
    try:
        return json.loads(content)
    except ValueError as exc:
        raise ApiError("bad_response", "服务器返回了无法解析的数据", status) from exc


def _proxy_configured() -> bool:
    # requests would go through such a proxy (trust_env): then requests asks, so both reach the server alike.
    return any(
        os.environ.get(name)
        for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
    )


def plain_connection(url: str, timeout: float) -> HTTPConnection:
    """An http.client connection to `url`'s host, with requests' certificate checks (the same CA bundle:
    REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE or certifi's)."""
    from http.client import HTTPConnection, HTTPSConnection
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme == "https":
        import ssl

        import certifi

        cafile = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or certifi.where()
        context = ssl.create_default_context(cafile=cafile)
        return HTTPSConnection(parts.hostname or "", parts.port, timeout=timeout, context=context)
    return HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)


def _get_plainly(url: str, timeout: float, headers: dict[str, str] | None = None, abort: Abort | None = None) -> Any:
    """GET `url` with http.client, with requests' meaning of failures and its certificate checks (the same CA
    bundle: REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE or certifi's); `abort` may end the wait from another thread."""
    from http.client import HTTPException
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    conn = plain_connection(url, timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        if abort is not None:
            conn.connect()
            if not abort.watch(conn.sock):
                raise ApiError("aborted", "已取消")
        conn.request(
            "GET", target, headers={"User-Agent": "campus-kiosk", "Accept": "application/json", **(headers or {})}
        )
        response = conn.getresponse()
        content = response.read()
    except TimeoutError as exc:
        raise ApiError("timeout", "服务器响应超时") from exc
    except (OSError, HTTPException) as exc:
        if abort is not None and abort.aborted:
            raise ApiError("aborted", "已取消") from exc
        raise ApiError("offline", "无法连接服务器") from exc
    finally:
        if abort is not None:
            abort.watch(None)
        conn.close()
    return _answer(response.status, response.reason, content)
