"""未读邮件 in app-password mode, against the real dovecot of the counter tests: each user gives their own 授权码
(over HTTPS, or loopback), the server keeps it encrypted with its Fernet key and logs in with it; a wrong one
shows "—" and 授权码无效, never a number; removing it says so; the keys rotate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.fernet import Fernet
from sqlalchemy import select

from sync_server.cli import main as cli
from sync_server.core.config import Settings
from sync_server.core.counters import SourceError
from sync_server.core.counters.app_passwords import SecretBox
from sync_server.core.counters.imap import ImapUnread
from sync_server.db import Database
from sync_server.models import MailAppPassword
from tests.helpers import LiveServer
from tests.server.counter_sources import APP_PW, Dovecot
from tests.server.workflow_helpers import JIA, LIU, Client

KEY = Fernet.generate_key().decode()
PATH = "/api/v1/me/mail-password"


def _own_login(dovecot: Dovecot, password: str | None) -> ImapUnread:
    return ImapUnread(
        host="127.0.0.1", port=dovecot.port, security="plain", auth="app_password", app_password=lambda _u: password
    )


def test_the_users_own_login_counts_unseen_and_a_wrong_one_gives_no_figure(dovecot: Dovecot) -> None:
    dovecot.clear(JIA)
    assert _own_login(dovecot, APP_PW).fetch(JIA) == {"mail_unread": 0}
    dovecot.deliver(JIA, "实验室安全检查")
    dovecot.deliver(JIA, "设备报修")
    assert _own_login(dovecot, APP_PW).fetch(JIA) == {"mail_unread": 2}
    for password, code in ((APP_PW + "x", "app_password_invalid"), (None, "no_app_password")):
        with pytest.raises(SourceError) as caught:
            _own_login(dovecot, password).fetch(JIA)
        assert caught.value.code == code
        assert APP_PW not in str(caught.value)  # what is logged never holds the password


@pytest.fixture
def app_pw_server(db_url: str, tmp_path: Path, dovecot: Dovecot) -> Iterator[LiveServer]:
    env = {
        "CAMPUS_SYNC_IMAP_HOST": "127.0.0.1",
        "CAMPUS_SYNC_IMAP_PORT": str(dovecot.ssl_port),
        "CAMPUS_SYNC_IMAP_SECURITY": "ssl",
        "CAMPUS_SYNC_IMAP_CA_FILE": str(dovecot.cert),
        "CAMPUS_SYNC_IMAP_AUTH": "app_password",
        "CAMPUS_SYNC_MAIL_SECRET_KEYS": KEY,
        "CAMPUS_SYNC_COUNTERS_TIMEOUT": "2",
    }
    server = LiveServer(db_url=db_url, workdir=tmp_path, extra_env=env).start()
    yield server
    server.stop()


def _mail(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/me/counters")
    assert response.status_code == 200, response.text
    mail: dict[str, Any] = response.json()["mail_unread"]
    return mail


def _put(client: Client, password: str) -> requests.Response:
    return requests.put(client.server.url + PATH, json={"password": password}, headers=client.headers, timeout=20)


def _delete(client: Client) -> requests.Response:
    return requests.delete(client.server.url + PATH, headers=client.headers, timeout=20)


def _stored(db_url: str) -> dict[str, str]:
    db = Database(db_url)
    try:
        with db.sessions() as s:
            return {r.user_id: r.secret for r in s.scalars(select(MailAppPassword))}
    finally:
        db.dispose()


def test_a_user_gives_a_wrong_then_the_right_app_password_then_removes_it(
    app_pw_server: LiveServer, dovecot: Dovecot, db_url: str
) -> None:
    dovecot.clear(JIA)
    dovecot.deliver(JIA, "期末监考安排")
    jia, liu = Client(app_pw_server, JIA), Client(app_pw_server, LIU)
    assert jia.get(PATH).json() == {"mode": "app_password", "set": False, "updated_at": None}
    assert _mail(jia) == {
        "value": None,
        "source": "imap",
        "reason_code": "no_app_password",
        "reason": "未填写邮箱授权码",
    }

    assert _put(jia, "wrong-" + APP_PW).status_code == 200
    invalid = {"value": None, "source": "imap", "reason_code": "app_password_invalid", "reason": "授权码无效"}
    assert _mail(jia) == invalid

    given = _put(jia, APP_PW)
    assert given.status_code == 200 and given.json()["set"] is True and given.json()["updated_at"]
    mail = _mail(jia)  # the wrong one's failure is not served from the cache: giving a new one drops it
    assert (mail["value"], mail["source"], mail["demo"]) == (1, "imap", False)

    # Encrypted at rest: the row holds a Fernet token that only the server's key opens.
    secret = _stored(db_url)[JIA]
    assert APP_PW not in secret and APP_PW.encode() not in secret.encode()
    assert Fernet(KEY.encode()).decrypt(secret.encode()).decode() == APP_PW
    with pytest.raises(Exception):  # noqa: B017 — any other key is refused
        Fernet(Fernet.generate_key()).decrypt(secret.encode())
    # Another user's mail is untouched by JIA's password.
    assert _mail(liu)["reason_code"] == "no_app_password"

    removed = _delete(jia)
    assert removed.status_code == 200 and removed.json()["set"] is False
    assert _mail(jia)["reason_code"] == "no_app_password" and JIA not in _stored(db_url)

    # Refusals: nothing to give, or too long; no password is echoed in the error.
    for bad in ("", "x" * 257, "line\nbreak"):
        response = _put(jia, bad)
        assert response.status_code == 422, (bad, response.text)
        assert "break" not in response.text
    assert requests.put(app_pw_server.url + PATH, json={"password": APP_PW}, timeout=10).status_code == 401


def test_a_server_without_the_mode_refuses_app_passwords(shared_server: LiveServer) -> None:
    client = Client(shared_server, LIU)
    assert client.get(PATH).json()["mode"] == "off"
    refused = _put(client, APP_PW)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "app_passwords_off"


def test_the_mode_needs_valid_keys_and_no_master_user() -> None:
    env = {
        "CAMPUS_SYNC_DB": "sqlite:///x.db",
        "CAMPUS_SYNC_IMAP_HOST": "mail.example.edu",
        "CAMPUS_SYNC_IMAP_AUTH": "app_password",
        "CAMPUS_SYNC_MAIL_SECRET_KEYS": f"{KEY}, {Fernet.generate_key().decode()}",
    }
    settings = Settings.from_env(env)
    assert settings.imap_auth == "app_password" and Settings.from_env(settings.to_env()) == settings
    for bad in (
        {"CAMPUS_SYNC_MAIL_SECRET_KEYS": ""},
        {"CAMPUS_SYNC_MAIL_SECRET_KEYS": "not-a-key"},
        {"CAMPUS_SYNC_IMAP_AUTH": "oauth"},
    ):
        with pytest.raises(ValueError, match="CAMPUS_SYNC_"):
            Settings.from_env({**env, **bad})


def test_keys_rotate_with_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    from sync_server.migrate import upgrade
    from sync_server.models import User

    url = f"sqlite:///{tmp_path / 'rotate.db'}"
    upgrade(url)
    old, new = KEY, Fernet.generate_key().decode()
    db = Database(url)
    try:
        with db.transaction() as s:
            from sync_server.core import clock
            from sync_server.core.counters import app_passwords

            s.add(User(user_id=JIA, name="贾孟杰", role="approver", password_hash="x", created_at=clock.now()))
            s.flush()
            app_passwords.save(s, SecretBox(old), JIA, APP_PW)
    finally:
        db.dispose()

    assert cli(["mail-keys", "new"]) == 0
    printed = capsys.readouterr().out.strip()
    Fernet(printed.encode())  # a usable key
    monkeypatch.setenv("CAMPUS_SYNC_MAIL_SECRET_KEYS", f"{new},{old}")  # the new key first, the old still opens
    assert cli(["mail-keys", "rotate", "--db", url]) == 0
    assert "：1" in capsys.readouterr().out
    assert SecretBox(new).open(_stored(url)[JIA]) == APP_PW  # the old key can now be dropped
