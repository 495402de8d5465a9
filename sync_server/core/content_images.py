"""Article images kept by the server. A kiosk does not browse the web (and a hall's network may not reach the
school's site), so when an article is written — by a feed import, the admin API or the CLI — the server fetches
the images its body refers to, keeps each one known by the SHA-256 of its bytes, and the body's <img src> is
rewritten to the server's own copy, /api/v1/content/images/{sha256}, which terminals load from the server they
sync with (and may cache for ever: the address names the bytes). An image that could not be fetched loses its
src and keeps its alt text, which terminals show in its place; it is tried again on a later write (a feed's next
import) once its retry time has passed, and the item is updated when it then arrives.

What is fetched, and from where (docs/content.md, "Images"):
- http and https only, at most MAX_REDIRECTS redirects (each hop checked again), CONNECT_TIMEOUT_S to connect,
  READ_TIMEOUT_S per read, DEADLINE_S for the whole fetch (then its sockets are shut down), at most MAX_IMAGE_BYTES;
- a PNG, JPEG, GIF or WebP by its declared Content-Type *and* by its first bytes (SVG is refused: it can carry
  script), at most MAX_SIDE pixels a side and MAX_PIXELS in all (a terminal decodes it);
- server-side request forgery: the server sits inside the campus network and must not be made to fetch from it
  by whoever writes an article. The address a connection actually reached is checked after connecting (so a
  DNS answer that changes between a check and the connection cannot slip through, and each redirect's host is
  checked the same way): for ordinary writes only globally routable addresses are allowed; for a feed IT marked
  campus-internal (`content feed add --internal`) and the CLI's `--internal-images`, private networks (RFC 1918,
  fc00::/7, 100.64/10) and this machine are allowed too. Link-local addresses (169.254/16 — a cloud's metadata
  service — and fe80::/10), multicast, unspecified and reserved ones never are. The admin API is always treated
  as external: a stolen admin token must not become a probe of the campus network.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import logging
import socket
import struct
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import urllib3
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from sync_server.models import ContentImage, ContentImageSource

log = logging.getLogger("sync_server.content_images")

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_SIDE = 10_000
MAX_PIXELS = 40_000_000
MAX_REDIRECTS = 3
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 10.0
DEADLINE_S = 20.0
MAX_PER_ITEM = 20  # images fetched for one article; more keep their alt text only
MAX_FETCHES_PER_RUN = 200  # downloads per feed import or CLI run; the rest wait for the next one
RETRY_TRANSIENT = timedelta(hours=1)  # the site was down, slow, answered 5xx
RETRY_PERMANENT = timedelta(days=1)  # too large, not an image, a refused address, 4xx
MEDIA_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
CACHE_CONTROL = "public, max-age=31536000, immutable"


# -- what the bytes are ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sniffed:
    media_type: str
    width: int
    height: int


def sniff(data: bytes) -> Sniffed | None:
    """The image's type and size from its first bytes, or None when it is not a PNG, JPEG, GIF or WebP."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
            return Sniffed("image/png", width, height)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            width, height = struct.unpack("<HH", data[6:10])
            return Sniffed("image/gif", width, height)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
        if data.startswith(b"\xff\xd8\xff"):
            return _jpeg(data)
    except struct.error:  # cut short
        return None
    return None


def _webp(data: bytes) -> Sniffed | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
    elif chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = (v & 0x3FFF for v in struct.unpack("<HH", data[26:30]))
    elif chunk == b"VP8L" and data[20:21] == b"\x2f":
        bits = int.from_bytes(data[21:25], "little")
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    else:
        return None
    return Sniffed("image/webp", width, height)


def _jpeg(data: bytes) -> Sniffed | None:
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            at += 2
            continue
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return Sniffed("image/jpeg", width, height)
        at += 2 + length
    return None


# -- where it may come from ------------------------------------------------------------------------------------
class AddressRefused(OSError):
    pass


def address_allowed(address: str, *, internal: bool) -> bool:
    """Whether the server may fetch an image from `address` (an IP): see the module's docstring."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_link_local or ip.is_multicast or ip.is_unspecified:
        return False
    if ip.is_global:
        return True
    if not internal:
        return False
    if ip.is_loopback or ip in _SHARED or ip.is_private:
        return not ip.is_reserved or ip.is_loopback
    return False


_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: some campuses number their hosts there


def _check_peer(sock: socket.socket, internal: bool) -> None:
    peer = sock.getpeername()[0]
    if not address_allowed(peer, internal=internal):
        sock.close()
        raise AddressRefused(f"address {peer} is not allowed")
    watch = getattr(_fetching, "watch", None)
    if watch is not None:
        watch.add(sock)


class _Watch:
    """The sockets of one fetch, shut down when its deadline passes: per-read timeouts alone would let a site
    that sends a byte every few seconds (headers or body) hold a worker for ever."""

    def __init__(self) -> None:
        self.sockets: list[socket.socket] = []
        self.expired = False
        self._lock = threading.Lock()

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self.sockets.append(sock)
            if self.expired:
                _shut(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self.sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # closed already
        sock.shutdown(socket.SHUT_RDWR)  # a blocked read returns at once


_fetching = threading.local()  # .watch: the _Watch of the fetch running on this thread


class _PublicHTTP(HTTPConnection):
    internal = False

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _check_peer(sock, self.internal)
        return sock


class _PublicHTTPS(HTTPSConnection):
    internal = False

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _check_peer(sock, self.internal)
        return sock


class _InternalHTTP(_PublicHTTP):
    internal = True


class _InternalHTTPS(_PublicHTTPS):
    internal = True


def _manager(http: type[HTTPConnection], https: type[HTTPSConnection]) -> urllib3.PoolManager:
    # The connection classes check the address each connection reached (after DNS, per redirect hop); no
    # environment proxy is used (the proxy's address would be checked, not the image's).
    manager = urllib3.PoolManager(num_pools=8, retries=False)
    pools: dict[str, Any] = {
        "http": type("Pool", (HTTPConnectionPool,), {"ConnectionCls": http}),
        "https": type("SPool", (HTTPSConnectionPool,), {"ConnectionCls": https}),
    }
    manager.pool_classes_by_scheme = pools
    return manager


_MANAGERS = {False: _manager(_PublicHTTP, _PublicHTTPS), True: _manager(_InternalHTTP, _InternalHTTPS)}


# -- fetching ----------------------------------------------------------------------------------------------------
@dataclass
class Fetched:
    data: bytes | None = None
    sniffed: Sniffed | None = None
    error: str | None = None
    permanent: bool = False  # whether trying again soon is pointless


def _refused(error: str, permanent: bool = True) -> Fetched:
    return Fetched(error=error[:200], permanent=permanent)


def fetch_image(url: str, *, internal: bool = False) -> Fetched:
    """Download one image within the limits of the module's docstring. Never raises for what a site does."""
    watch = _Watch()
    timer = threading.Timer(DEADLINE_S, watch.expire)
    timer.daemon = True
    _fetching.watch = watch
    timer.start()
    try:
        outcome = _fetch(url, internal, time.monotonic())
    finally:
        timer.cancel()
        _fetching.watch = None
    if watch.expired and outcome.data is None:
        return _refused(f"download took longer than {DEADLINE_S:g} s", permanent=False)
    return outcome


def _fetch(url: str, internal: bool, started: float) -> Fetched:
    for _hop in range(MAX_REDIRECTS + 1):
        if urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).hostname:
            return _refused("not an http(s) URL")
        try:
            response = _MANAGERS[internal].request(
                "GET",
                url,
                # Connection: close — each fetch opens its own connections, which its deadline can watch.
                headers={
                    "User-Agent": "campus-sync-server image cache",
                    "Accept": ", ".join(MEDIA_TYPES),
                    "Connection": "close",
                },
                timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT_S, read=READ_TIMEOUT_S),
                redirect=False,
                preload_content=False,
            )
        except (urllib3.exceptions.HTTPError, OSError, ValueError) as failed:
            refused = _address_refusal(failed)
            if refused is not None:
                return _refused(str(refused))
            return _refused(f"unreachable: {type(failed).__name__}", permanent=False)
        try:
            if response.status in (301, 302, 303, 307, 308) and response.headers.get("location"):
                url = urljoin(url, response.headers["location"])
                continue
            return _read(response, started)
        finally:
            response.close()  # never back to the pool: the next fetch's deadline must see its own socket
            response.release_conn()
    return _refused("too many redirects")


def _address_refusal(failed: BaseException) -> AddressRefused | None:
    """The AddressRefused behind urllib3's wrapping of it (MaxRetryError.reason, ProtocolError's argument)."""
    seen: BaseException | None = failed
    for _depth in range(5):
        if seen is None or isinstance(seen, AddressRefused):
            return seen
        inner = getattr(seen, "reason", None) or next((a for a in seen.args if isinstance(a, BaseException)), None)
        seen = inner or seen.__cause__ or seen.__context__
    return None


def _read(response: Any, started: float) -> Fetched:
    if response.status != 200:
        return _refused(f"HTTP {response.status}", permanent=400 <= response.status < 500)
    declared = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if declared not in MEDIA_TYPES:
        return _refused(f"not an image: Content-Type {declared or 'missing'}")
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_IMAGE_BYTES:
        return _refused(f"larger than {MAX_IMAGE_BYTES} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.stream(65_536):
            size += len(chunk)
            if size > MAX_IMAGE_BYTES:
                return _refused(f"larger than {MAX_IMAGE_BYTES} bytes")
            if time.monotonic() - started > DEADLINE_S:
                return _refused(f"download took longer than {DEADLINE_S:g} s", permanent=False)
            chunks.append(chunk)
    except (urllib3.exceptions.HTTPError, OSError) as failed:
        return _refused(f"download failed: {type(failed).__name__}", permanent=False)
    data = b"".join(chunks)
    sniffed = sniff(data)
    if sniffed is None or sniffed.media_type != declared.replace("image/jpg", "image/jpeg"):
        return _refused(f"not a {declared} image")
    if not (0 < sniffed.width <= MAX_SIDE and 0 < sniffed.height <= MAX_SIDE) or (
        sniffed.width * sniffed.height > MAX_PIXELS
    ):
        return _refused(f"{sniffed.width}×{sniffed.height} pixels is too large")
    return Fetched(data=data, sniffed=sniffed)


# -- keeping ---------------------------------------------------------------------------------------------------
def _url_hash(url: str, internal: bool) -> str:
    # Per policy: what an internal feed may fetch says nothing about what an outside writer may (and the latter
    # must not learn from the cache what the campus network holds).
    policy = b"internal " if internal else b"public "
    return hashlib.sha256(policy + url.encode("utf-8", "replace")).hexdigest()


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@dataclass
class ImageCache:
    """Turns remote image URLs into the server's copies for one run of writes (a feed import, a request, a CLI
    command). Fetches happen outside the caller's transaction: call `localize` before opening it."""

    sessions: sessionmaker[Session]
    internal: bool = False
    budget: int = MAX_FETCHES_PER_RUN
    fetched: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, reason) of this run

    def localize(self, urls: Iterable[str], *, now: datetime | None = None) -> dict[str, str | None]:
        """url → the image's SHA-256, or None when there is none (yet). A URL known to have worked is not
        fetched again; one that failed is tried again only after its retry time."""
        now = now or datetime.now(UTC)
        found: dict[str, str | None] = {}
        for url in list(dict.fromkeys(urls))[:MAX_PER_ITEM]:
            key = _url_hash(url, self.internal)
            with self.sessions() as session:
                known = session.get(ContentImageSource, key)
                if known is not None and known.sha256 is not None:
                    found[url] = known.sha256
                    continue
                if known is not None and known.retry_after is not None and _utc(known.retry_after) > now:
                    found[url] = None
                    continue
            if self.fetched >= self.budget:
                found[url] = None  # nothing recorded: the next run fetches it
                continue
            self.fetched += 1
            outcome = fetch_image(url, internal=self.internal)
            found[url] = self._keep(key, url, outcome, now)
        return found

    def _keep(self, key: str, url: str, outcome: Fetched, now: datetime) -> str | None:
        sha = hashlib.sha256(outcome.data).hexdigest() if outcome.data is not None else None
        if outcome.error:
            self.failed.append((url, outcome.error))
            log.info("image %s not kept: %s", url[:200], outcome.error)
        retry = None if sha else now + (RETRY_PERMANENT if outcome.permanent else RETRY_TRANSIENT)
        for _attempt in range(2):  # another worker may store the same image or URL at the same moment
            try:
                with self.sessions.begin() as session:
                    if sha is not None and outcome.sniffed is not None and session.get(ContentImage, sha) is None:
                        session.add(
                            ContentImage(
                                sha256=sha,
                                media_type=outcome.sniffed.media_type,
                                size=len(outcome.data or b""),
                                width=outcome.sniffed.width,
                                height=outcome.sniffed.height,
                                data=outcome.data,
                                created_at=now,
                            )
                        )
                        session.flush()
                    row = session.get(ContentImageSource, key) or ContentImageSource(url_hash=key, url=url)
                    row.sha256, row.error, row.fetched_at, row.retry_after = sha, outcome.error, now, retry
                    session.add(row)
                return sha
            except IntegrityError:
                continue
        return sha


def stored_image(session: Session, sha256: str) -> ContentImage | None:
    return session.get(ContentImage, sha256)
