"""installer/server/install.sh into a staging root (DESTDIR): the files, the settings the server reads, the
sandboxing, `systemd-analyze verify` on the units, the PostgreSQL steps of a real install (dry run), uninstall."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sync_server.core.config import Settings
from tests.helpers import ROOT

INSTALL = ROOT / "installer" / "server" / "install.sh"
UNIT = "etc/systemd/system/campus-sync-server.service"
BACKUP_UNIT = "etc/systemd/system/campus-sync-server-backup.service"
TIMER = "etc/systemd/system/campus-sync-server-backup.timer"
ENV_FILE = "etc/campus-sync-server/server.env"
# This test's own environment: a venv that holds campus-sync-server (what --venv points the units at).
VENV = str(Path(sys.executable).parent.parent)


def install(destdir: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DESTDIR"}
    if destdir is not None:
        env["DESTDIR"] = str(destdir)
    return subprocess.run([str(INSTALL), *args], env=env, capture_output=True, text=True, timeout=60)


def files_under(root: Path) -> set[str]:
    return {"/" + str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def unit_settings(text: str) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


def env_file(path: Path) -> dict[str, str]:
    return dict(
        line.split("=", 1) for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")
    )


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("server-root")
    done = install(root, "--venv", VENV, "--workers", "3", "--nginx", "kiosk.example.edu.cn")
    assert done.returncode == 0, done.stderr
    return root


def test_install_writes_the_units_settings_and_site(staged: Path) -> None:
    assert {
        "/" + UNIT,
        "/" + BACKUP_UNIT,
        "/" + TIMER,
        "/" + ENV_FILE,
        "/etc/nginx/sites-available/campus-sync.conf",
    } <= files_under(staged)
    for directory in ("var/lib/campus-sync-server", "var/backups/campus-sync-server", "etc/campus-sync-server"):
        assert stat.S_IMODE((staged / directory).stat().st_mode) == 0o750, directory
    # The settings: not world-readable (a database password, the metrics token), and what the server accepts.
    assert stat.S_IMODE((staged / ENV_FILE).stat().st_mode) == 0o640
    settings = Settings.from_env(env_file(staged / ENV_FILE))
    assert settings.db_url == "sqlite:////var/lib/campus-sync-server/campus.db"
    assert (settings.host, settings.port, settings.workers) == ("127.0.0.1", 8765, 3)
    assert settings.public_url == "https://kiosk.example.edu.cn"
    assert settings.trusted_proxies == "127.0.0.1/32,::1/128"
    site = (staged / "etc/nginx/sites-available/campus-sync.conf").read_text()
    assert "server_name kiosk.example.edu.cn;" in site and "server 127.0.0.1:8765;" in site


def test_the_service_runs_unprivileged_and_sandboxed(staged: Path) -> None:
    unit = unit_settings((staged / UNIT).read_text())
    assert unit["ExecStart"] == [f"{VENV}/bin/campus-sync-server serve"]
    assert unit["User"] == ["campus-sync"] and unit["EnvironmentFile"] == ["/etc/campus-sync-server/server.env"]
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "PrivateDevices": "yes",
        "CapabilityBoundingSet": "",
        "StateDirectory": "campus-sync-server",  # the only writable place (the SQLite file)
        "Restart": "on-failure",
    }.items():
        assert unit[key] == [value], key
    backup = unit_settings((staged / BACKUP_UNIT).read_text())
    assert f"exec {VENV}/bin/campus-sync-server backup --out /var/backups/campus-sync-server/" in backup["ExecStart"][0]
    assert backup["ReadWritePaths"] == ["/var/backups/campus-sync-server"] and backup["User"] == ["campus-sync"]
    assert unit_settings((staged / TIMER).read_text())["Persistent"] == ["true"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing (./run test installs it)")
def test_units_pass_systemd_analyze_verify(staged: Path, tmp_path: Path) -> None:
    units = [str(staged / u) for u in (UNIT, BACKUP_UNIT, TIMER)]
    verify = ["systemd-analyze", "verify"]
    done = subprocess.run([*verify, *units], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    # The check can fail: an ExecStart that does not exist, or a misspelt sandboxing option, does not pass.
    broken = tmp_path / "campus-sync-server.service"
    broken.write_text((staged / UNIT).read_text().replace(f"{VENV}/bin/", "/nonexistent/bin/"))
    done = subprocess.run(["systemd-analyze", "verify", str(broken)], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "/nonexistent/bin/campus-sync-server" in done.stderr
    broken.write_text((staged / UNIT).read_text().replace("ProtectSystem=strict", "ProtectSystem=stricter"))
    done = subprocess.run(["systemd-analyze", "verify", str(broken)], capture_output=True, text=True, timeout=60)
    assert "stricter" in done.stderr  # a warning on stderr: what the clean run above must not have


def test_postgres_setup_creates_the_role_and_database_with_peer_auth(tmp_path: Path) -> None:
    root = tmp_path / "root"
    done = install(root, "--venv", VENV, "--postgres")
    assert done.returncode == 0, done.stderr
    settings = Settings.from_env(env_file(root / ENV_FILE))
    assert settings.db_url == "postgresql+psycopg:///campus_sync?host=/var/run/postgresql"
    assert "createuser campus-sync" in done.stderr  # a DESTDIR install says what to run on the host
    # A real install (shown, not done, with --dry-run): the role, then the database it owns, then the service.
    shown = install(None, "--dry-run", "--venv", VENV, "--postgres")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    create_user = next(i for i, line in enumerate(lines) if "createuser" in line and "campus-sync" in line)
    create_db = next(i for i, line in enumerate(lines) if "createdb --owner campus-sync" in line)
    enable = next(i for i, line in enumerate(lines) if "systemctl enable --now campus-sync-server.service" in line)
    assert create_user < create_db < enable
    assert "+ write /etc/systemd/system/campus-sync-server.service (mode 0644)" in lines


def test_a_second_run_keeps_the_settings_and_uninstall_removes_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "etc/systemd/system").mkdir(parents=True)
    (root / "etc/systemd/system/other.service").write_text("[Service]\nExecStart=/bin/true\n")  # not ours
    before = files_under(root)
    assert install(root, "--venv", VENV).returncode == 0
    edited = (root / ENV_FILE).read_text() + "CAMPUS_SYNC_METRICS_TOKEN=abcdefabcdefabcdef\n"
    (root / ENV_FILE).write_text(edited)
    again = install(root, "--venv", VENV, "--workers", "8")
    assert again.returncode == 0 and "kept" in again.stderr
    assert (root / ENV_FILE).read_text() == edited
    (root / "var/lib/campus-sync-server/campus.db").write_bytes(b"data")  # the server's data: kept
    done = install(root, "--uninstall")
    assert done.returncode == 0, done.stderr
    assert files_under(root) == before | {"/var/lib/campus-sync-server/campus.db"}
    assert install(root, "--uninstall", "--purge").returncode == 0  # nothing recorded any more: nothing to do


def test_dry_run_changes_nothing_and_bad_arguments_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "root"
    done = install(root, "--dry-run", "--venv", VENV)
    assert done.returncode == 0, done.stderr
    assert f"+ write {root}/etc/systemd/system/campus-sync-server.service (mode 0644)" in done.stdout
    assert not root.exists() or not files_under(root)
    for bad in (
        ["--workers", "0"],
        ["--port", "70000"],
        ["--public-url", "ftp://x"],
        ["--nginx", "bad name; rm -rf /"],
        ["--db", "mysql://x"],
        ["--postgres", "--db", "sqlite:////tmp/x.db"],
    ):
        assert install(root, "--venv", VENV, *bad).returncode == 2, bad


def test_nginx_body_limit_matches_the_servers() -> None:
    import re

    site = (ROOT / "installer/server/nginx/campus-sync.conf").read_text()
    (size,) = re.findall(r"^\s*client_max_body_size (\d+)m;", site, flags=re.MULTILINE)
    assert int(size) * 1024 * 1024 == Settings(db_url="sqlite://").max_body_bytes
