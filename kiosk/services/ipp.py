"""A small IPP/1.1 client (RFC 8010/8011) for the kiosk's printer: send a PDF to a CUPS queue, follow its job
and read the printer's state. Blocking: run it on a worker thread.

Why not Qt's printing support: QPrinter cannot print a PDF file — the PDF would have to be rasterised page by
page with QPdfDocument and painted onto the printer (a 300 dpi A4 page is a 25-megapixel image; the text is no
longer text) — and QPrinter hands the job to CUPS without a job id: it cannot tell a completed job from an
aborted one, nor see that the printer is out of paper. CUPS takes the PDF itself (its filters print it as
vector), and IPP, the protocol CUPS speaks (the CUPS API and `lp` use it), answers each job's state and the
printer's state reasons. So the kiosk speaks IPP to the queue named in its configuration, with nothing to
install (no libcups binding) and nothing to parse from `lpstat`'s text."""

from __future__ import annotations

import contextlib
import getpass
import http.client
import itertools
import struct
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

# Operations
PRINT_JOB, CANCEL_JOB, GET_JOB_ATTRIBUTES, GET_PRINTER_ATTRIBUTES = 0x0002, 0x0008, 0x0009, 0x000B
# Delimiter and value tags
OPERATION_GROUP, JOB_GROUP, END = 0x01, 0x02, 0x03
INTEGER, BOOLEAN, ENUM = 0x21, 0x22, 0x23
TEXT, NAME, KEYWORD, URI, CHARSET, LANGUAGE, MIME = 0x41, 0x42, 0x44, 0x45, 0x47, 0x48, 0x49
# job-state
PENDING, HELD, PROCESSING, STOPPED, CANCELED, ABORTED, COMPLETED = 3, 4, 5, 6, 7, 8, 9
# printer-state
PRINTER_IDLE, PRINTER_PROCESSING, PRINTER_STOPPED = 3, 4, 5

_ids = itertools.count(1)


class IppError(Exception):
    """The printer could not be reached, or refused the request (`status`: the IPP status code, 0 if none)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


def _attr(tag: int, name: str, *values: Any) -> bytes:
    out = b""
    for i, value in enumerate(values):
        if tag in (INTEGER, ENUM):
            raw = struct.pack(">i", int(value))
        elif tag == BOOLEAN:
            raw = b"\x01" if value else b"\x00"
        else:
            raw = str(value).encode("utf-8")
        key = name.encode("ascii") if i == 0 else b""
        out += struct.pack(">BH", tag, len(key)) + key + struct.pack(">H", len(raw)) + raw
    return out


def _decode(tag: int, raw: bytes) -> Any:
    if tag in (INTEGER, ENUM) and len(raw) == 4:
        return struct.unpack(">i", raw)[0]
    if tag == BOOLEAN and len(raw) == 1:
        return raw != b"\x00"
    if 0x40 <= tag <= 0x4F:
        return raw.decode("utf-8", "replace")
    return raw


@dataclass
class Response:
    status: int
    groups: list[dict[str, list[Any]]] = field(default_factory=list)

    def first(self, name: str, default: Any = None) -> Any:
        for group in self.groups:
            if group.get(name):
                return group[name][0]
        return default

    def all(self, name: str) -> list[Any]:
        for group in self.groups:
            if name in group:
                return list(group[name])
        return []


def parse(body: bytes) -> Response:
    try:
        return _parse(body)
    except (struct.error, IndexError) as exc:
        raise IppError("打印服务的应答无法解析") from exc


def _parse(body: bytes) -> Response:
    if len(body) < 8:
        raise IppError("打印服务的应答不完整")
    status = struct.unpack(">H", body[2:4])[0]
    response, pos, name = Response(status), 8, ""
    group: dict[str, list[Any]] | None = None
    while pos < len(body):
        tag = body[pos]
        pos += 1
        if tag == END:
            break
        if tag < 0x10:  # a new attribute group
            group = {}
            response.groups.append(group)
            continue
        (name_len,) = struct.unpack(">H", body[pos : pos + 2])
        pos += 2
        if name_len:
            name = body[pos : pos + name_len].decode("ascii", "replace")
            pos += name_len
        (value_len,) = struct.unpack(">H", body[pos : pos + 2])
        pos += 2
        value = _decode(tag, body[pos : pos + value_len])
        pos += value_len
        if group is not None:
            group.setdefault(name, []).append(value)
    return response


@dataclass(frozen=True)
class JobState:
    state: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PrinterState:
    state: int
    reasons: tuple[str, ...]
    accepting: bool


class IppPrinter:
    """One CUPS queue, `ipp://host:port/printers/NAME` (ipps: over TLS)."""

    def __init__(self, uri: str, timeout: float = 10.0) -> None:
        parts = urlsplit(uri)
        if parts.scheme not in ("ipp", "ipps", "http", "https") or not parts.hostname:
            raise IppError(f"打印机地址不正确：{uri}")
        self.uri, self.timeout = uri, timeout
        self._tls = parts.scheme in ("ipps", "https")
        self._host, self._port = parts.hostname, parts.port or 631
        self._path = parts.path or "/"
        self.user = _user()

    def _request(self, operation: int, attributes: bytes, document: bytes = b"") -> Response:
        header = struct.pack(">BBHI", 1, 1, operation, next(_ids))
        common = (
            _attr(CHARSET, "attributes-charset", "utf-8")
            + _attr(LANGUAGE, "attributes-natural-language", "zh-cn")
            + _attr(URI, "printer-uri", self.uri)
        )
        body = header + bytes([OPERATION_GROUP]) + common + attributes + bytes([END]) + document
        kind = http.client.HTTPSConnection if self._tls else http.client.HTTPConnection
        conn = kind(self._host, self._port, timeout=self.timeout)
        try:
            conn.request("POST", self._path, body, {"Content-Type": "application/ipp"})
            answer = conn.getresponse()
            data = answer.read()
        except (OSError, http.client.HTTPException) as exc:
            raise IppError(f"无法连接打印服务：{exc}") from exc
        finally:
            conn.close()
        if answer.status != 200:
            raise IppError(f"打印服务拒绝了请求（HTTP {answer.status}）")
        response = parse(data)
        if response.status >= 0x0100:
            message = response.first("status-message", "")
            raise IppError(f"打印服务拒绝了请求：{message or hex(response.status)}", response.status)
        return response

    def print_pdf(self, document: bytes, title: str) -> int:
        """Send a PDF as one job of one copy; returns the job id."""
        attributes = (
            _attr(NAME, "requesting-user-name", self.user)
            + _attr(NAME, "job-name", title[:120] or "certificate")
            + _attr(MIME, "document-format", "application/pdf")
            + bytes([JOB_GROUP])
            + _attr(INTEGER, "copies", 1)
        )
        response = self._request(PRINT_JOB, attributes, document)
        job_id = response.first("job-id")
        if not isinstance(job_id, int):
            raise IppError("打印服务没有返回任务编号")
        return job_id

    def job(self, job_id: int) -> JobState:
        attributes = (
            _attr(INTEGER, "job-id", job_id)
            + _attr(NAME, "requesting-user-name", self.user)
            + _attr(KEYWORD, "requested-attributes", "job-state", "job-state-reasons")
        )
        response = self._request(GET_JOB_ATTRIBUTES, attributes)
        return JobState(int(response.first("job-state", 0)), tuple(str(r) for r in response.all("job-state-reasons")))

    def printer(self) -> PrinterState:
        attributes = _attr(NAME, "requesting-user-name", self.user) + _attr(
            KEYWORD, "requested-attributes", "printer-state", "printer-state-reasons", "printer-is-accepting-jobs"
        )
        response = self._request(GET_PRINTER_ATTRIBUTES, attributes)
        return PrinterState(
            int(response.first("printer-state", 0)),
            tuple(str(r) for r in response.all("printer-state-reasons")),
            bool(response.first("printer-is-accepting-jobs", True)),
        )

    def cancel(self, job_id: int) -> None:
        attributes = _attr(INTEGER, "job-id", job_id) + _attr(NAME, "requesting-user-name", self.user)
        # Already finished, or the printer is gone: nothing more to stop.
        with contextlib.suppress(IppError):
            self._request(CANCEL_JOB, attributes)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "kiosk"
