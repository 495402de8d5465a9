"""installer/server/nginx/campus-sync.conf in a real nginx on loopback, with a self-signed certificate made here,
in front of a real two-worker server: HTTPS, the redirect from HTTP, a login through it, the client's own address
and scheme seen by the server (and forged forwarding headers ignored), an oversize body refused in the server's
error format."""

from __future__ import annotations

import datetime
import http.client
import ipaddress
import json
import os
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.helpers import NEW_PW, ROOT, STUDENT, STUDENT_PW, LiveServer, bearer, copy_sqlite

SITE = ROOT / "installer" / "server" / "nginx" / "campus-sync.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
LOOPBACK = "127.0.0.1"
CLIENT = "127.0.0.2"  # loopback too (all of 127/8 on Linux), but not nginx's own address towards the server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(NGINX is None, reason="nginx missing (./run test installs nginx-light)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def self_signed(where: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kiosk.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("kiosk.test"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = where / "fullchain.pem", where / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def site_for_test(server_port: int, http_port: int, https_port: int, cert: Path, key: Path) -> str:
    """The sample site with only its addresses and paths changed; each change must apply (a renamed line in the
    sample fails here rather than leaving a test of some other config)."""
    text = SITE.read_text()
    for old, new in (
        ("    listen 80;\n", f"    listen 127.0.0.1:{http_port};\n"),
        ("    listen 443 ssl http2;\n", f"    listen 127.0.0.1:{https_port} ssl http2;\n"),
        ("/etc/ssl/campus-sync/fullchain.pem", str(cert)),
        ("/etc/ssl/campus-sync/privkey.pem", str(key)),
        ("server 127.0.0.1:8765;", f"server 127.0.0.1:{server_port};"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return "\n".join(line for line in text.splitlines() if "[::]" not in line)  # no IPv6 needed on loopback


@dataclass
class Proxied:
    server: LiveServer
    http_port: int
    https_port: int
    cert: Path

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[Proxied]:
    work = tmp_path_factory.mktemp("nginx")
    server = LiveServer(db_url=copy_sqlite(seeded_sqlite, work / "db"), workdir=work, workers=2).start()
    cert, key = self_signed(work)
    http_port, https_port = free_port(), free_port()
    (work / "site.conf").write_text(site_for_test(server.port, http_port, https_port, cert, key))
    temp = work / "temp"
    temp.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers that may read this test's private temp dirs
    (work / "nginx.conf").write_text(
        f"""{user}worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {work}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {work}/site.conf;
}}
"""
    )
    command = [str(NGINX), "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen([*command, "-g", "daemon off;"], start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                assert nginx.poll() is None and time.monotonic() < deadline, (work / "error.log").read_text()
                time.sleep(0.05)
        yield Proxied(server, http_port, https_port, cert)
    finally:
        os.killpg(nginx.pid, signal.SIGTERM)
        try:
            nginx.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(nginx.pid, signal.SIGKILL)
            nginx.wait()
        server.stop()


def request_from(
    source: str, port: int, method: str, path: str, body: bytes | None = None, **options: object
) -> tuple[int, dict[str, str], bytes]:
    """One request from `source` (http.client can bind the client's address; requests cannot)."""
    headers: dict[str, str] = dict(options.pop("headers", {}) or {})  # type: ignore[call-overload]
    context = options.pop("context", None)
    if context is not None:
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1",
            port,
            timeout=15,
            source_address=(source, 0),
            context=context,  # type: ignore[arg-type]
        )
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json", **headers})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_https_health_and_the_redirect_from_http(proxied: Proxied) -> None:
    health = requests.get(proxied.url + "/healthz", verify=str(proxied.cert), timeout=10)
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert health.headers["strict-transport-security"].startswith("max-age=")
    plain = requests.get(f"http://127.0.0.1:{proxied.http_port}/healthz?x=1", allow_redirects=False, timeout=10)
    assert plain.status_code == 301
    assert plain.headers["location"] == "https://127.0.0.1/healthz?x=1"


def test_a_login_through_the_proxy_and_the_address_the_server_sees(proxied: Proxied) -> None:
    # The first login, the required password change and the next login, all through nginx.
    def log_in(password: str) -> requests.Response:
        return requests.post(
            proxied.url + "/api/v1/auth/login",
            json={"user_id": STUDENT, "password": password, "kind": "desk"},
            verify=str(proxied.cert),
            timeout=10,
        )

    first = log_in(STUDENT_PW)
    assert first.status_code == 200 and first.json()["must_change_password"], first.text
    changed = requests.post(
        proxied.url + "/api/v1/auth/password",
        json={"old_password": STUDENT_PW, "new_password": NEW_PW},
        headers=bearer(first.json()["access_token"]),
        verify=str(proxied.cert),
        timeout=10,
    )
    assert changed.status_code == 200, changed.text
    ok = log_in(NEW_PW)
    assert ok.status_code == 200 and not ok.json()["must_change_password"], ok.text
    token = ok.json()["access_token"]
    me = requests.get(proxied.url + "/api/v1/me", headers=bearer(token), verify=str(proxied.cert), timeout=10)
    assert me.status_code == 200 and me.json()["user_id"] == STUDENT

    # A wrong password from 127.0.0.2 through nginx, with a forged X-Forwarded-For: the throttle counts 127.0.0.2.
    status, _, _ = request_from(
        CLIENT,
        proxied.https_port,
        "POST",
        "/api/v1/auth/login",
        json.dumps({"user_id": "NOBODY9", "password": "wrong1", "kind": "desk"}).encode(),
        headers={"X-Forwarded-For": "203.0.113.9", "X-Request-ID": "via-nginx-1"},
        context=proxied.context(),
    )
    assert status == 401
    db_file = proxied.server.db_url.removeprefix("sqlite:///")
    with sqlite3.connect(db_file) as conn:
        throttled = {row[0] for row in conn.execute("SELECT address FROM address_throttle")}
    assert CLIENT in throttled and "203.0.113.9" not in throttled and "127.0.0.1" not in throttled

    def logged_lines() -> list[dict[str, object]]:
        return [
            json.loads(line)
            for line in proxied.server.log_path.read_text().splitlines()
            if line.startswith("{") and "via-nginx-1" in line
        ]

    deadline = time.monotonic() + 10  # a worker's access line reaches the log file a moment after the answer
    while not (logged := logged_lines()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [entry["client"] for entry in logged] == [CLIENT]

    # The scheme: a QR login's link is made from the request's own URL (no CAMPUS_SYNC_PUBLIC_URL here). Through
    # nginx the server sees https and the public host; straight from a peer that is no trusted proxy, a forged
    # X-Forwarded-Proto changes nothing.
    qr = json.dumps({"device_id": "kiosk-test-1", "device_name": "测试机"}).encode()
    status, _, body = request_from(CLIENT, proxied.https_port, "POST", "/api/v1/auth/qr", qr, context=proxied.context())
    assert status == 200 and json.loads(body)["url"].startswith("https://127.0.0.1/m/qr/"), body
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    status, _, body = request_from(CLIENT, proxied.server.port, "POST", "/api/v1/auth/qr", qr, headers=forged)
    assert status == 200 and json.loads(body)["url"].startswith(f"http://127.0.0.1:{proxied.server.port}/m/qr/"), body


def test_an_oversize_body_is_refused_cleanly(proxied: Proxied) -> None:
    big = b'{"ops": [' + b" " * (2 * 1024 * 1024) + b"]}"
    status, headers, body = request_from(
        "127.0.0.1", proxied.https_port, "POST", "/api/v1/sync/push", big, context=proxied.context()
    )
    assert status == 413
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == "payload_too_large"
    # A body just under the limit goes on to the server, which answers it itself (its request id, its JSON).
    near = b'{"ops": [' + b" " * (900 * 1024) + b"]}"
    answer = requests.post(proxied.url + "/api/v1/sync/push", data=near, verify=str(proxied.cert), timeout=10)
    assert answer.status_code in (401, 422) and "x-request-id" in answer.headers, answer.text
    assert answer.json()["error"]["code"] != "payload_too_large"
