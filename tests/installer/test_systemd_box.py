"""The campus server's install under a real systemd: installer/server/install.sh, then the service's life.

This machine's PID 1 is not systemd, so the test boots one as PID 1 of its own PID and mount namespaces
(tests/installer/systemd_box.sh): root is an overlay of / on a tmpfs, so the install's user, /etc and /var
changes vanish with it, and every unit the host has enabled is masked. Inside, a unit runs the real
`install.sh` (an existing venv, as `--venv` allows: the box has no network for pip), waits for /healthz as the
sandboxed service answers it, kills the service's main process with SIGKILL and waits for systemd to restart
it, runs the backup service once and records `systemd-analyze security`. Then, in the same boot, a kiosk-like
unit with the real start-guard.sh before a release that crashes at every start is seen rolled back. Slow: ~40 s.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sysconfig
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow

BOX = ROOT / "tests" / "installer" / "systemd_box.sh"
SYSTEMD = Path("/lib/systemd/systemd")
DEBIAN_PYTHON = Path("/usr/bin/python3")

CHECK = textwrap.dedent("""\
    #!/bin/sh
    # Inside the box, as a unit. The venv: Debian's python3 with this checkout and the test venv's packages
    # (bind-mounted read-only under /opt, out of reach of the service's PrivateTmp and ProtectHome).
    exec >/srv/out/check.log 2>&1
    set -x
    /usr/bin/python3 -m venv --without-pip /opt/campus-sync-server
    site=$(/opt/campus-sync-server/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    printf '/opt/campus-src\\n/opt/campus-deps\\n' > "$site/campus-box.pth"
    entry='import sys\\nfrom sync_server.cli import main\\nif __name__ == "__main__":\\n    sys.exit(main())\\n'
    printf "#!/opt/campus-sync-server/bin/python3\\n$entry" > /opt/campus-sync-server/bin/campus-sync-server
    chmod 755 /opt/campus-sync-server/bin/campus-sync-server
    get='import urllib.request as u; print(u.urlopen("http://127.0.0.1:8765/healthz", timeout=2).status)'
    health() { /usr/bin/python3 -c "$get"; }
    wait_health() { for i in $(seq 1 90); do health && return 0; sleep 1; done; return 1; }
    /opt/campus-src/installer/server/install.sh --workers 2 > /srv/out/install.log 2>&1
    echo "install=$?" >> /srv/out/result
    wait_health; echo "health1=$?" >> /srv/out/result
    systemctl show campus-sync-server -p ActiveState -p MainPID -p NRestarts -p User > /srv/out/show1
    pid=$(systemctl show campus-sync-server -p MainPID --value)
    ps -o user= -p "$pid" > /srv/out/ps1
    kill -9 "$pid"
    sleep 3
    wait_health; echo "health2=$?" >> /srv/out/result
    systemctl show campus-sync-server -p ActiveState -p MainPID -p NRestarts > /srv/out/show2
    systemctl start campus-sync-server-backup.service; echo "backup=$?" >> /srv/out/result
    ls /var/backups/campus-sync-server > /srv/out/backups
    systemd-analyze security campus-sync-server --no-pager > /srv/out/security 2>&1
    journalctl -u campus-sync-server --no-pager > /srv/out/journal 2>&1
    echo done >> /srv/out/result
""")


def _props(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def boot_box(tmp_path: Path, script: str, binds: str = "") -> tuple[Path, subprocess.CompletedProcess[str] | None]:
    """Boot the box with one oneshot unit running `script` (as /srv/out/check.sh), which ends with a poweroff;
    returns (box dir, PID 1's exit or None after a timeout)."""
    if os.geteuid() != 0 or not SYSTEMD.exists() or not DEBIAN_PYTHON.exists() or shutil.which("unshare") is None:
        pytest.skip("needs root, systemd, Debian's python3 and unshare")
    if Path("/proc/1/comm").read_text().strip() == "systemd":
        pytest.skip("a real systemd runs here: use systemd-nspawn instead")  # the box would fight it for cgroups
    box = tmp_path / "box"
    (box / "units").mkdir(parents=True)
    (box / "out").mkdir()
    check = box / "out" / "check.sh"
    check.write_text(script)
    check.chmod(0o755)
    (box / "units" / "box-check.service").write_text(
        "[Unit]\nDescription=the test's steps\nAfter=basic.target\n"
        "[Service]\nType=oneshot\nExecStart=/srv/out/check.sh\n"
    )
    (box / "binds").write_text(binds)
    cmd = ["unshare", "--pid", "--fork", "--mount", "--net", "--uts", "--ipc", "--propagation", "private"]
    cmd += [str(BOX), str(box), "box-check.service"]
    # The box's PID 1 is unshare's child: on a timeout, SIGKILL it, which ends every process in the namespace.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=240)
        boot: subprocess.CompletedProcess[str] | None = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    except subprocess.TimeoutExpired:
        boot = None
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        for pid in children:
            os.kill(int(pid), signal.SIGKILL)
        proc.kill()
        proc.communicate()
    if boot is not None and not (box / "out" / "result").exists() and "cgroup" in boot.stderr:
        pytest.skip(f"systemd cannot boot in a namespace here: {boot.stderr[-500:]}")
    return box, boot


def test_server_unit_runs_sandboxed_and_restarts_under_real_systemd(booted: tuple[Path, Any]) -> None:
    box, boot = booted
    log = (box / "out" / "check.log").read_text() if (box / "out" / "check.log").exists() else ""
    result_file = box / "out" / "result"
    assert result_file.exists(), (boot and boot.stderr[-2000:], log[-3000:])
    result = _props(result_file.with_name("result")) if "=" in result_file.read_text() else {}
    journal = (box / "out" / "journal").read_text() if (box / "out" / "journal").exists() else ""
    assert result.get("install") == "0", (box / "out" / "install.log").read_text()[-3000:]
    assert result.get("health1") == "0", journal[-3000:]
    first, second = _props(box / "out" / "show1"), _props(box / "out" / "show2")
    assert first["ActiveState"] == "active" and first["User"] == "campus-sync"
    assert (box / "out" / "ps1").read_text().split()[0].startswith("campus-")  # not root
    assert result.get("health2") == "0", journal[-3000:]  # restarted after SIGKILL…
    assert second["MainPID"] != first["MainPID"] and int(second["NRestarts"]) == int(first["NRestarts"]) + 1
    assert result.get("backup") == "0" and (box / "out" / "backups").read_text().strip().endswith(".backup")
    security = (box / "out" / "security").read_text()
    exposure = float(security.rsplit("Overall exposure level for campus-sync-server.service:", 1)[1].split()[0])
    assert exposure < 2.5, security[-2000:]  # systemd's scale: 0 (locked down) … 10 (unprotected)


ROLLBACK = textwrap.dedent("""\
    #!/bin/sh
    # Inside the box: an install's releases/ with 1.0 current and 2.0 switched to by an update (the trial file
    # as kiosk/services/updates.py writes it), 2.0 crashing at every start; a unit like the kiosk's (the real
    # start-guard.sh as ExecStartPre, Restart=always, no start limit) minus cage and the tty.
    exec >/srv/out/rollback.log 2>&1
    set -x
    P=/opt/campus-kiosk
    mkdir -p $P/releases/1.0 $P/releases/2.0
    cp /opt/campus-src/installer/linux/start-guard.sh $P/start-guard.sh
    printf '#!/bin/sh\\necho 1.0 >>/srv/out/runs\\nexec sleep 600\\n' > $P/releases/1.0/campus-kiosk
    printf '#!/bin/sh\\necho 2.0 >>/srv/out/runs\\nexit 1\\n' > $P/releases/2.0/campus-kiosk
    chmod 755 $P/releases/*/campus-kiosk
    ln -s releases/2.0 $P/current
    echo "2.0 1.0 0" > $P/releases/.trial
    printf '[Service]\\nExecStartPre=-%s/start-guard.sh %s\\nExecStart=%s/current/campus-kiosk\\n' $P $P $P \\
        > /etc/systemd/system/fake-kiosk.service
    printf 'Restart=always\\nRestartSec=200ms\\n[Unit]\\nStartLimitIntervalSec=0\\n' \\
        >> /etc/systemd/system/fake-kiosk.service
    systemctl daemon-reload
    systemctl start fake-kiosk.service
    for i in $(seq 1 100); do grep -q 1.0 /srv/out/runs 2>/dev/null && break; sleep 0.2; done
    readlink $P/current > /srv/out/current
    cat $P/releases/.bad > /srv/out/bad
    systemctl show fake-kiosk -p NRestarts -p ActiveState > /srv/out/show
    journalctl -u fake-kiosk --no-pager > /srv/out/journal 2>&1
    echo done > /srv/out/rollback-done
""")


def test_a_kiosk_release_that_keeps_crashing_is_rolled_back_by_systemd(booted: tuple[Path, Any]) -> None:
    box, boot = booted
    out = box / "out"
    assert (out / "rollback-done").exists(), (boot and boot.stderr[-2000:], (out / "rollback.log").read_text()[-3000:])
    journal = (out / "journal").read_text()
    assert (out / "runs").read_text().split() == ["2.0", "2.0", "2.0", "1.0"], journal[-3000:]
    assert (out / "current").read_text().strip() == "releases/1.0"
    assert (out / "bad").read_text().split() == ["2.0"]
    show = _props(out / "show")
    assert show["ActiveState"] == "active" and show["NRestarts"] == "3"
    assert "did not start 3 times: back to 1.0" in journal


@pytest.fixture(scope="module")
def booted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str] | None]:
    """One boot for both tests (a boot costs ~20 s here): the server's steps, then the kiosk rollback's."""
    binds = f"{ROOT} /opt/campus-src\n{sysconfig.get_paths()['purelib']} /opt/campus-deps\n"
    script = CHECK + ROLLBACK.split("\n", 1)[1] + "systemctl --no-block poweroff\n"
    return boot_box(tmp_path_factory.mktemp("systemd"), script, binds)
