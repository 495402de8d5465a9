"""The kiosk's side of enrollment (kiosk/services/device.py) against a real server that requires enrolled kiosks:
the installer's code file exchanged once and removed, the credential kept in the encrypted fallback file (mode
0600) and sent with every request, a refused code reported and never retried, and a heartbeat that carries the
outbox's depth and the age of its oldest operation."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.services.api_client import ApiClient, ApiError
from kiosk.services.credentials import EncryptedFileStore
from kiosk.services.device import CODE_FILE, DeviceService, outbox_snapshot, refusal_message
from tests.helpers import NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, copy_sqlite, run_server_cli


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("device-server")
    live = LiveServer(
        db_url=copy_sqlite(seeded_sqlite, workdir),
        workdir=workdir,
        extra_env={"CAMPUS_SYNC_REQUIRE_ENROLLED_KIOSKS": "1"},
    ).start()
    activated(live, STUDENT, STUDENT_PW, kind="desk")
    yield live
    live.stop()


def devices(server: LiveServer, *args: str) -> str:
    result = run_server_cli("devices", *args, db_url=server.db_url, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def new_code(server: LiveServer, name: str) -> dict[str, str]:
    made: dict[str, str] = json.loads(devices(server, "enroll", "--name", name, "--json"))
    return made


def test_the_installers_code_is_exchanged_once_and_kept_encrypted(server: LiveServer, tmp_path: Path) -> None:
    made = new_code(server, "图书馆一楼自助机")
    data = tmp_path / "data"
    data.mkdir()
    fd = os.open(data / CODE_FILE, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, (made["code"] + "\n").encode())
    os.close(fd)

    client = ApiClient(server.url)
    service = DeviceService(client, data, credentials=EncryptedFileStore(data / "credentials"))
    assert service.pending_code() == made["code"]
    result = service.prepare()
    assert result.enrolled and result.exchanged and not result.problem
    credential = client.device_credential
    assert credential and not (data / CODE_FILE).exists()

    # On disk only encrypted, in files only this user may read.
    for path in (data / "credentials").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert credential.encode() not in path.read_bytes()

    # A later start (a new process): the stored credential, no code to exchange, kiosk logins accepted.
    again = ApiClient(server.url)
    restarted = DeviceService(again, data, credentials=EncryptedFileStore(data / "credentials"))
    assert restarted.pending_code() == ""
    assert restarted.prepare().enrolled and again.device_credential == credential
    body = again.login(STUDENT, NEW_PW, kind="kiosk", device_id="k", device_name="k")
    again.access_token = body["access_token"]
    assert again.me()["user_id"] == STUDENT

    # Pointed at another server, the terminal holds no credential for it.
    elsewhere = DeviceService(
        ApiClient("http://127.0.0.1:9"), data, credentials=EncryptedFileStore(data / "credentials")
    )
    assert elsewhere.load() is False


def test_a_refused_code_is_reported_and_not_tried_again(server: LiveServer, tmp_path: Path) -> None:
    made = new_code(server, "食堂自助机")
    first = DeviceService(
        ApiClient(server.url), tmp_path / "a", code=made["code"], credentials=EncryptedFileStore(tmp_path / "a")
    )
    assert first.prepare().enrolled

    # The same code on a second terminal (or in a config file after use): refused, and the message says why.
    client = ApiClient(server.url)
    second = DeviceService(client, tmp_path / "b", code=made["code"], credentials=EncryptedFileStore(tmp_path / "b"))
    result = second.prepare()
    assert not result.enrolled and "登记码已使用" in result.problem and client.device_credential is None
    assert second.pending_code() == ""  # never sent again
    # …and what a kiosk without a credential meets.
    with pytest.raises(ApiError) as refused:
        client.login(STUDENT, NEW_PW, kind="kiosk", device_id="k", device_name="k")
    assert refusal_message(refused.value) == "此设备未登记，请联系信息中心"


def test_the_heartbeat_reports_the_outbox(server: LiveServer, tmp_path: Path) -> None:
    from kiosk.models.store import LocalStore

    made = new_code(server, "教学楼A自助机")
    client = ApiClient(server.url)
    service = DeviceService(client, tmp_path, code=made["code"], credentials=EncryptedFileStore(tmp_path / "c"))
    assert service.prepare().enrolled
    store = LocalStore(tmp_path / "kiosk.db")
    try:
        store.enqueue("u1", "favorite.set", {"process_code": "xj-diannao-weixiu", "on": True})
        store.enqueue("u2", "favorite.set", {"process_code": "xj-diannao-weixiu", "on": False})
        depth, oldest = outbox_snapshot(store)
        assert depth == 2 and oldest is not None and 0 <= oldest < 60
        answer = service.heartbeat(store, last_sync_at=None, last_error="无法连接服务器")
    finally:
        store.close()
    assert answer == {"device_id": made["id"], "name": "教学楼A自助机"}
    listed = {d["id"]: d for d in json.loads(devices(server, "list", "--json"))}
    assert listed[made["id"]]["outbox"] == 2 and listed[made["id"]]["last_error"] == "无法连接服务器"
    assert listed[made["id"]]["free_disk_bytes"] > 0


def test_where_the_code_comes_from(tmp_path: Path) -> None:
    """--enroll (or the config's enrollment_code) wins over the installer's file; a code already exchanged here is
    not pending any more, whichever way it came."""
    from kiosk.services.config import load_config

    config_file = tmp_path / "config.toml"
    config_file.write_text('mode = "kiosk"\nenrollment_code = "AAAA-BBBB-CCCC"\n')
    assert load_config(config_file).enrollment_code == "AAAA-BBBB-CCCC"
    assert load_config(config_file, enrollment_code="DDDD-EEEE-FFFF").enrollment_code == "DDDD-EEEE-FFFF"

    (tmp_path / CODE_FILE).write_text("GGGG-HHHH-JJJJ\n")
    client = ApiClient("http://127.0.0.1:9")
    assert DeviceService(client, tmp_path, code="DDDD-EEEE-FFFF").pending_code() == "DDDD-EEEE-FFFF"
    assert DeviceService(client, tmp_path).pending_code() == "GGGG-HHHH-JJJJ"
    (tmp_path / "enrollment_code.used").write_text(hashlib.sha256(b"GGGGHHHHJJJJ").hexdigest())
    assert DeviceService(client, tmp_path, code="gggg hhhh jjjj").pending_code() == ""
    with pytest.raises(ApiError) as offline:  # nothing is lost while the server cannot be reached
        DeviceService(client, tmp_path, code="DDDD-EEEE-FFFF", credentials=EncryptedFileStore(tmp_path)).prepare()
    assert offline.value.is_offline and (tmp_path / CODE_FILE).exists()
