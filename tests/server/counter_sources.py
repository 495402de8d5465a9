"""Real sources for the 首页 counters on loopback: Debian's dovecot (IMAP, started as a foreground process with a
generated config in a temp dir) and a SIP2 responder speaking the real framing, which can be told to drop the
connection, send a bad checksum or stall."""

from __future__ import annotations

import getpass
import grp
import imaplib
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sync_server.core.counters.sip2 import checksum, checksum_ok, sip_date

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
MASTER, MASTER_PW = "portal", "master-secret"
APP_PW = "mail-app-pw-2026"  # the one user's own password (their 授权码) given in Dovecot(passwords=…)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Dovecot:
    """A throwaway dovecot: maildirs in a temp dir, passwd-file users, one master user, plain IMAP and IMAPS
    (self-signed, for 127.0.0.1) on free loopback ports."""

    def __init__(self, users: list[str], passwords: dict[str, str] | None = None) -> None:
        assert DOVECOT, "dovecot is not installed"
        self.dir = Path(tempfile.mkdtemp(prefix="dovecot-"))
        self.dir.chmod(0o755)  # dovecot's unprivileged processes read below it
        self.users = users
        self.passwords = passwords or {}  # a user's own login (app-password mode); the others: unguessable
        self.port, self.ssl_port = free_port(), free_port()
        self.cert = self.dir / "cert.pem"
        self.process: subprocess.Popen[bytes] | None = None
        self._configure()

    def _configure(self) -> None:
        if os.geteuid() == 0:  # dovecot refuses to run its login processes as root
            internal, login, group = "dovecot", "dovenull", "dovecot"
        else:
            internal = login = getpass.getuser()
            group = grp.getgrgid(os.getegid()).gr_name
        for sub in ("mail", "home"):
            (self.dir / sub).mkdir()
            shutil.chown(self.dir / sub, internal, group)
        key = self.dir / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(self.cert)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        (self.dir / "master.passwd").write_text(f"{MASTER}:{{PLAIN}}{MASTER_PW}\n")
        (self.dir / "users.passwd").write_text(
            "".join(f"{u.lower()}:{{PLAIN}}{self.passwords.get(u, f'not-used-{u}')}\n" for u in self.users)
        )
        d = self.dir
        (d / "dovecot.conf").write_text(f"""
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{self.cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login
# The tests fail logins on purpose: no delay and no growing per-address penalty to slow the next one.
auth_failure_delay = 0
auth_master_user_separator = *
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
mail_location = maildir:{d}/mail/%u
mail_uid = {internal}
mail_gid = {group}
first_valid_uid = 0
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.ssl_port}
    ssl = yes
  }}
  chroot =
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
passdb {{
  driver = passwd-file
  args = {d}/master.passwd
  master = yes
  result_success = continue
}}
passdb {{
  driver = passwd-file
  args = {d}/users.passwd
}}
userdb {{
  driver = static
  args = uid={internal} gid={group} home={d}/home/%u
}}
""")

    def start(self, timeout: float = 20.0) -> Dovecot:
        assert DOVECOT
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.dir / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with imaplib.IMAP4("127.0.0.1", self.port, timeout=2) as conn:
                    conn.noop()
                return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        log = (self.dir / "dovecot.log").read_text() if (self.dir / "dovecot.log").exists() else ""
        self.stop()
        raise RuntimeError(f"dovecot did not start: {log[-2000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None
        # The port is free once the listener is gone.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                time.sleep(0.1)
            except OSError:
                return

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _as(self, user: str) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(f"{user.lower()}*{MASTER}", MASTER_PW)
        return conn

    def deliver(self, user: str, subject: str) -> None:
        """A new (unseen) message in the user's INBOX, appended as a delivery agent would store it."""
        message = f"From: 教务处 <jwc@example.edu>\r\nTo: {user}\r\nSubject: {subject}\r\n\r\n正文\r\n"
        with self._as(user) as conn:
            status, _ = conn.append("INBOX", None, None, message.encode())
            assert status == "OK"

    def clear(self, user: str) -> None:
        """An empty INBOX."""
        with self._as(user) as conn:
            conn.select("INBOX")
            _, data = conn.search(None, "ALL")
            if data[0]:
                conn.store("1:*", "+FLAGS", "\\Deleted")
                conn.expunge()

    def mark_one_seen(self, user: str) -> None:
        with self._as(user) as conn:
            conn.select("INBOX")
            _, data = conn.search(None, "UNSEEN")
            first = data[0].split()[0]
            status, _ = conn.store(first.decode(), "+FLAGS", "\\Seen")
            assert status == "OK"


@dataclass
class Patron:
    name: str
    charged: list[str]  # titles
    overdue: int = 0


@dataclass
class Sip2Responder:
    """A library's SIP2 server (ACS) on a free loopback port. It checks every request's checksum (answering 96 to
    a bad one), answers 93 with 94 and 63 with 64, and on cue: `drop` closes the connection on a request,
    `bad_checksums` corrupts that many replies (a 97 then gets the reply again, as it should: intact, or
    corrupted again while `bad_resends` remain), `stall` answers nothing until stopped."""

    patrons: dict[str, Patron]
    institution: str = "ZZTU"
    login: tuple[str, str] | None = None
    drop: bool = False
    bad_checksums: int = 0
    bad_resends: int = 0
    stall: bool = False
    connections: int = 0
    requests: list[dict[str, str]] = field(default_factory=list)  # each 63's variable fields, in order
    resend_requests: int = 0
    _release: threading.Event = field(default_factory=threading.Event)

    def start(self) -> Sip2Responder:
        responder = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                responder.connections += 1
                logged_in = responder.login is None
                last = b""
                buffer = b""
                while True:
                    chunk = self.request.recv(4096)
                    if not chunk:
                        return
                    buffer += chunk
                    while b"\r" in buffer:  # SIP2 ends a message with CR alone
                        message, _, buffer = buffer.partition(b"\r")
                        message = message.lstrip(b"\n")
                        if message.startswith(b"97"):
                            responder.resend_requests += 1
                            self.request.sendall(responder._maybe_corrupt(last, resend=True))
                            continue
                        if not checksum_ok(message):
                            self.request.sendall(responder.framed("96", None))
                            continue
                        if responder.drop:
                            return
                        if responder.stall:
                            responder._release.wait(30)
                            return
                        at = message.rindex(b"AY")
                        seq = int(message[at + 2 : at + 3])
                        text = message.decode()
                        if text.startswith("93"):
                            fields = responder.fields(text[4:])
                            logged_in = (fields.get("CN"), fields.get("CO")) == responder.login
                            last = responder.framed("94" + ("1" if logged_in else "0"), seq)
                        elif text.startswith("63") and logged_in:
                            last = responder.patron_information(text, seq)
                        else:
                            last = responder.framed("96", None)
                        self.request.sendall(responder._maybe_corrupt(last))

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @staticmethod
    def fields(text: str) -> dict[str, str]:
        body = text[: text.rindex("AY")] if "AY" in text else text
        return {part[:2]: part[2:] for part in body.split("|") if len(part) >= 2}

    @staticmethod
    def framed(body: str, sequence: int | None) -> bytes:
        head = body.encode() + (f"AY{sequence}AZ" if sequence is not None else "AZ").encode()
        return head + checksum(head).encode() + b"\r"

    def _maybe_corrupt(self, reply: bytes, resend: bool = False) -> bytes:
        if reply and (self.bad_resends if resend else self.bad_checksums) > 0:
            if resend:
                self.bad_resends -= 1
            else:
                self.bad_checksums -= 1
            bad = f"{(int(reply[-5:-1], 16) + 1) & 0xFFFF:04X}".encode()
            return reply[:-5] + bad + b"\r"
        return reply

    def patron_information(self, text: str, seq: int) -> bytes:
        # 63: language 3, date 18, summary 10, then the fields.
        fields = self.fields(text[2 + 3 + 18 + 10 :])
        self.requests.append(fields)
        patron = self.patrons.get(fields.get("AA", ""))
        if fields.get("AO") != self.institution:
            patron = None
        counts = (0, 0) if patron is None else (patron.overdue, len(patron.charged))
        fixed = " " * 14 + "001" + sip_date(datetime.now().astimezone())
        fixed += f"0000{counts[0]:04d}{counts[1]:04d}000000000000"
        variable = f"AO{self.institution}|AA{fields.get('AA', '')}|"
        if patron is None:
            variable += "BLN|"
        else:
            variable += f"AE{patron.name}|BLY|CQN|" + "".join(f"AU{title}|" for title in patron.charged)
        return self.framed("64" + fixed + variable, seq)
