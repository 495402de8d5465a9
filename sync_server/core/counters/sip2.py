"""在借图书 and 逾期图书 over SIP2 (3M Standard Interchange Protocol 2.00), the protocol of library self-service
machines: an optional Login (93 → 94), then Patron Information (63 → 64), whose fixed fields carry the patron's
charged and overdue item counts.

Framing as the spec has it: every message ends with a sequence number `AY` (0–9) and a checksum `AZ` (four hex
digits: the two's complement of the sum of the bytes up to and including "AZ") and a carriage return. A reply with
a bad checksum is asked for again once with Request ACS Resend (97), a request the library could not read (96) is
sent again once; anything else unexpected is a protocol error, never a guessed figure. One connection per read:
the reads are cached, and a connection kept open would be one more thing that goes stale."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from sync_server.core.clock import CAMPUS_TZ
from sync_server.core.counters.source import SourceError

MAX_MESSAGE = 65_536
_TRAILER = re.compile(rb"AY([0-9])AZ([0-9A-Fa-f]{4})$")


def checksum(data: bytes) -> str:
    """The AZ value for a message whose bytes up to and including "AZ" are `data`."""
    return f"{-sum(data) & 0xFFFF:04X}"


def frame(body: str, sequence: int, encoding: str = "utf-8") -> bytes:
    """`body` (command and fields) with its sequence number, checksum and terminator."""
    head = body.encode(encoding) + f"AY{sequence % 10}AZ".encode("ascii")
    return head + checksum(head).encode("ascii") + b"\r"


def checksum_ok(message: bytes) -> bool:
    """Whether a received message (without its terminator) carries a checksum that matches its bytes."""
    found = _TRAILER.search(message)
    return found is not None and checksum(message[: found.start(2)]) == found.group(2).upper().decode("ascii")


def sip_date(moment: datetime) -> str:
    """The 18-character transaction date: YYYYMMDD, four characters of zone (blank: local), HHMMSS."""
    return moment.astimezone(CAMPUS_TZ).strftime("%Y%m%d    %H%M%S")


@dataclass
class Reply:
    """A received message: its command, its text after the command and without the trailer, its fields."""

    command: str
    fixed: str
    fields: dict[str, str] = field(default_factory=dict)
    sequence: int | None = None

    @classmethod
    def parse(cls, message: bytes, encoding: str = "utf-8", fixed_length: int = 0) -> Reply:
        found = _TRAILER.search(message)
        sequence = int(found.group(1)) if found else None
        text = message[: found.start() if found else len(message)].decode(encoding, errors="replace")
        command, rest = text[:2], text[2:]
        fields: dict[str, str] = {}
        for part in rest[fixed_length:].split("|"):
            if len(part) >= 2:
                fields.setdefault(part[:2], part[2:])
        return cls(command, rest[:fixed_length], fields, sequence)


@dataclass(frozen=True)
class PatronCounts:
    charged: int
    overdue: int
    valid: bool | None  # BL: is the patron known (None: the library did not say)


class Sip2Client:
    """One conversation with the library's SIP2 server (the ACS)."""

    # 64's fixed part: patron status 14, language 3, date 18, then six counts of 4: hold, overdue, charged, fine,
    # recall, unavailable holds.
    PATRON_FIXED: ClassVar[int] = 14 + 3 + 18 + 6 * 4

    def __init__(self, host: str, port: int, *, timeout: float, encoding: str = "utf-8") -> None:
        self.host, self.port, self.timeout, self.encoding = host, port, timeout, encoding
        self._sock: socket.socket | None = None
        self._sequence = 0
        self._buffer = b""

    def __enter__(self) -> Sip2Client:
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except TimeoutError as exc:
            raise SourceError("timeout", f"connect: {exc}") from exc
        except OSError as exc:
            raise SourceError("source_down", f"connect: {exc}") from exc
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def _send(self, data: bytes) -> None:
        assert self._sock is not None
        try:
            self._sock.sendall(data)
        except TimeoutError as exc:
            raise SourceError("timeout", f"send: {exc}") from exc
        except OSError as exc:
            raise SourceError("source_down", f"send: {exc}") from exc

    def _receive(self) -> bytes:
        assert self._sock is not None
        while b"\r" not in self._buffer:
            if len(self._buffer) > MAX_MESSAGE:
                raise SourceError("protocol_error", "message too long")
            try:
                chunk = self._sock.recv(4096)
            except TimeoutError as exc:
                raise SourceError("timeout", f"receive: {exc}") from exc
            except OSError as exc:
                raise SourceError("source_down", f"receive: {exc}") from exc
            if not chunk:
                raise SourceError("source_down", "connection closed")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\r")
        self._buffer = self._buffer.lstrip(b"\n")  # some servers end with CR LF
        return message.lstrip(b"\n")

    def exchange(self, body: str, expect: str, fixed_length: int = 0) -> Reply:
        """Send `body`, return the reply whose command is `expect`, after at most one resend either way."""
        sequence = self._sequence
        self._sequence = (self._sequence + 1) % 10
        request = frame(body, sequence, self.encoding)
        self._send(request)
        resent = False
        while True:
            message = self._receive()
            if message.startswith(b"96") and not resent:  # the library could not read ours: once more
                resent = True
                self._send(request)
                continue
            if not checksum_ok(message):
                if resent:
                    raise SourceError("protocol_error", f"bad checksum twice: {message[:80]!r}")
                resent = True
                self._send(b"97AZ" + checksum(b"97AZ").encode("ascii") + b"\r")  # Request ACS Resend
                continue
            reply = Reply.parse(message, self.encoding, fixed_length)
            if reply.command != expect or reply.sequence != sequence:
                raise SourceError(
                    "protocol_error", f"expected {expect} seq {sequence}, got {reply.command} seq {reply.sequence}"
                )
            if len(reply.fixed) < fixed_length:
                raise SourceError("protocol_error", f"{expect}: fixed fields too short")
            return reply

    def login(self, user: str, password: str, location: str = "") -> None:
        reply = self.exchange(f"9300CN{user}|CO{password}|CP{location}|", "94", fixed_length=1)
        if reply.fixed != "1":
            raise SourceError("auth_failed", "94: login refused")

    def patron_counts(self, *, institution: str, patron: str, terminal_password: str, now: datetime) -> PatronCounts:
        body = f"63001{sip_date(now)}{' ' * 10}AO{institution}|AA{patron}|AC{terminal_password}|"
        reply = self.exchange(body, "64", fixed_length=self.PATRON_FIXED)
        counts = reply.fixed[35:]
        overdue, charged = counts[4:8], counts[8:12]
        if not (overdue.isdigit() and charged.isdigit()):
            # Blank counts mean the library does not keep them: no figure rather than a made-up one.
            raise SourceError("protocol_error", f"64: counts {counts!r}")
        if reply.fields.get("AA", patron) != patron:
            raise SourceError("protocol_error", "64: another patron's answer")
        valid = {"Y": True, "N": False}.get(reply.fields.get("BL", ""))
        return PatronCounts(charged=int(charged), overdue=int(overdue), valid=valid)


@dataclass
class Sip2Library:
    """The library connector: 在借图书 (charged items) and 逾期图书 (overdue items) of the patron the user is."""

    host: str
    port: int
    institution: str
    patron_template: str = "{user_id}"
    login_user: str | None = None
    login_password: str | None = None
    location: str = ""
    terminal_password: str = ""
    timeout: float = 3.0
    encoding: str = "utf-8"

    name: ClassVar[str] = "sip2"
    label: ClassVar[str] = "图书馆系统"
    keys: ClassVar[tuple[str, ...]] = ("loans", "overdue")
    demo: ClassVar[bool] = False
    cached: ClassVar[bool] = True

    def fetch(self, user_id: str) -> dict[str, int]:
        patron = self.patron_template.format(user_id=user_id, user_id_lower=user_id.lower())
        with Sip2Client(self.host, self.port, timeout=self.timeout, encoding=self.encoding) as client:
            if self.login_user:
                client.login(self.login_user, self.login_password or "", self.location)
            counts = client.patron_counts(
                institution=self.institution,
                patron=patron,
                terminal_password=self.terminal_password,
                now=datetime.now(CAMPUS_TZ),
            )
        if counts.valid is False:
            raise SourceError("unknown_patron", patron)
        return {"loans": counts.charged, "overdue": counts.overdue}
