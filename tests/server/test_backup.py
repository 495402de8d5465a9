"""`campus-sync-server backup` while a live server writes, then `restore` into a fresh database that a new server
starts on, on SQLite (the online backup API) and PostgreSQL (pg_dump -Fc / pg_restore); and the refusals."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest
import requests

from tests.helpers import (
    ADMIN,
    ADMIN_PW,
    NEW_PW,
    PG_URL,
    STUDENT,
    STUDENT_PW,
    LiveServer,
    activated,
    create_pg_database,
    login,
    server_cmd,
)


def cli(*args: str, db_url: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        server_cmd(*args, db_url=db_url), capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})}
    )


def fresh_database(db_url: str, where: Path) -> str:
    if db_url.startswith("sqlite"):
        return f"sqlite:///{where / 'restored.db'}"
    return create_pg_database()


def test_backup_while_serving_then_restore_into_a_fresh_database(
    live_server: LiveServer, db_url: str, tmp_path: Path
) -> None:
    activated(live_server, STUDENT, STUDENT_PW)  # a write the restored copy must hold: the new password
    # A writer keeps going while the backup runs: logins, a session row each. (Not failed logins: the restored
    # address throttle would then refuse this test's own logins.)
    stop = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:
        while not stop.is_set():
            written.append(login(live_server, ADMIN, ADMIN_PW).status_code)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        out = tmp_path / "backups" / "campus.backup"
        done = cli("backup", "--out", str(out), db_url=db_url)
    finally:
        stop.set()
        writer.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert written and set(written) == {200}, written  # the server kept writing during the backup
    assert out.is_file() and not out.with_name(out.name + ".partial").exists()
    assert out.read_bytes()[:5] == (b"SQLit" if db_url.startswith("sqlite") else b"PGDMP")

    # Not over a database that holds data, unless asked.
    refused = cli("restore", str(out), db_url=db_url)
    assert refused.returncode == 1 and "--force" in refused.stderr

    target = fresh_database(db_url, tmp_path)
    done = cli("restore", str(out), db_url=target)
    assert done.returncode == 0, done.stderr
    restored = LiveServer(db_url=target, workdir=tmp_path / "restored")
    restored.workdir.mkdir()
    restored.start()
    try:
        assert requests.get(restored.url + "/healthz", timeout=5).json()["status"] == "ok"
        assert login(restored, STUDENT, NEW_PW).status_code == 200  # the password changed before the backup
        assert login(restored, STUDENT, STUDENT_PW).status_code == 401
    finally:
        restored.stop()

    # --force replaces what is there (the restored server's new session rows go with it).
    forced = cli("restore", str(out), "--force", db_url=target)
    assert forced.returncode == 0, forced.stderr


def test_restore_refuses_a_file_of_the_other_kind(tmp_path: Path) -> None:
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    done = cli("restore", str(not_a_backup), db_url=f"sqlite:///{tmp_path / 'x.db'}")
    assert done.returncode == 1 and "不是 SQLite 备份" in done.stderr


@pytest.mark.postgres
def test_a_missing_pg_dump_is_named(tmp_path: Path) -> None:
    done = cli(
        "backup",
        "--out",
        str(tmp_path / "x.dump"),
        db_url=PG_URL,
        env={"CAMPUS_SYNC_PG_BIN": str(tmp_path / "no-postgres-here")},
    )
    assert done.returncode == 1
    assert "找不到 pg_dump" in done.stderr and "postgresql-client" in done.stderr
    assert not (tmp_path / "x.dump").exists()


def test_db_downgrade_goes_back_one_revision_and_serve_upgrades_again(seeded_sqlite: Path, tmp_path: Path) -> None:
    import sqlite3

    from tests.helpers import copy_sqlite

    db_url = copy_sqlite(seeded_sqlite, tmp_path)
    path = db_url.removeprefix("sqlite:///")

    def revision_and_tables() -> tuple[str, set[str]]:
        with sqlite3.connect(path) as conn:
            (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return revision, tables

    head, tables = revision_and_tables()
    assert "devices" in tables
    previous = f"{int(head) - 1:04d}"
    done = cli("db-downgrade", previous, db_url=db_url)
    assert done.returncode == 0, done.stderr
    assert revision_and_tables()[0] == previous
    assert cli("init-db", db_url=db_url).returncode == 0  # what serve does first
    assert revision_and_tables() == (head, tables)
