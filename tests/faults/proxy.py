"""A loopback HTTP fault proxy between the kiosks and the real server.

Every request gets one action, drawn from a seeded `random.Random` in the order requests arrive:

- ``pass``: forwarded, the answer relayed.
- ``drop``: forwarded and the whole answer read (so the server has committed), then the kiosk's connection is
  closed without a byte of it: the case idempotency exists for.
- ``cut``: the kiosk's connection is closed after its request head arrived, before anything is forwarded.
- ``delay``: forwarded after a pause, or relayed after a pause (a slow link on either leg).
- ``503``: answered by the proxy itself, as an overloaded load balancer would.

When the server is down the proxy cannot reach it and closes the kiosk's connection, as a refused connection
would look to the kiosk. Each connection carries one request: the proxy asks the server for ``Connection:
close`` and relays that header, so the kiosk's client opens a fresh connection per request and no half-dead
keep-alive connection outlives a server restart.

One asyncio loop on one thread serves every connection; `stop()` cancels them all and joins the thread, so a
scenario leaves no thread or socket behind (the harness checks).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from collections import Counter
from dataclasses import dataclass

IO_TIMEOUT_S = 30.0  # a stuck peer cannot hold a handler past this
ACTIONS = ("pass", "drop", "cut", "delay", "503")
UNAVAILABLE = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 19\r\n"
    b"Connection: close\r\n\r\nService Unavailable"
)


@dataclass(frozen=True)
class FaultProfile:
    """Probabilities of each fault per request (the rest pass) and the longest delay."""

    drop: float = 0.0
    cut: float = 0.0
    delay: float = 0.0
    unavailable: float = 0.0
    max_delay_s: float = 0.1

    def draw(self, rng: random.Random) -> tuple[str, float, bool]:
        """(action, delay in seconds, whether the delay comes before forwarding)."""
        roll = rng.random()
        # Always draw the same number of values, so one request's action never shifts the next one's.
        delay_s, before = rng.uniform(0.0, self.max_delay_s), rng.random() < 0.5
        for action, p in (("drop", self.drop), ("cut", self.cut), ("delay", self.delay), ("503", self.unavailable)):
            if roll < p:
                return action, delay_s, before
            roll -= p
        return "pass", 0.0, True


HEALED = FaultProfile()


def _rewrite_head(head: bytes) -> bytes:
    """The request head with `Connection: close`, so the server ends the response with its connection."""
    lines = head.split(b"\r\n")
    kept = [line for line in lines[1:] if line and not line.lower().startswith(b"connection:")]
    return b"\r\n".join([lines[0], *kept, b"Connection: close", b"", b""])


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


class FaultProxy:
    def __init__(self, upstream_port: int, seed: str, profile: FaultProfile = HEALED) -> None:
        self.upstream_port = upstream_port
        self.rng = random.Random(seed)
        self.profile = profile
        self.port = 0
        self.stats: Counter[str] = Counter()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="fault-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None or not self.port:
            raise RuntimeError(f"fault proxy did not start: {self._error!r}")
        return self

    def set_profile(self, profile: FaultProfile) -> None:
        # One attribute write: the loop thread reads it once per request (atomic under the GIL).
        self.profile = profile

    def heal(self) -> None:
        self.set_profile(HEALED)

    def stop(self) -> None:
        if self._loop is not None and self._stopping is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(15)
        if self._thread.is_alive():
            raise RuntimeError("fault proxy thread did not stop")

    # -- the loop thread ----------------------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported by start(); the thread must not die silently
            self._error = exc
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            await self._stopping.wait()
        finally:
            server.close()
            await server.wait_closed()
            # Python 3.11's wait_closed does not wait for open connections: cancel their handlers ourselves.
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        answered = False
        try:
            answered = await self._serve(reader, writer)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError):
            pass  # the kiosk went away or sent garbage: nothing to relay
        except asyncio.CancelledError:
            # stop(): end quietly. Re-raising would make asyncio's stream callback log the cancelled task.
            pass
        finally:
            self._tasks.discard(task)  # type: ignore[arg-type]
            if answered:
                writer.close()
            else:
                writer.transport.abort()  # no answer: the kiosk sees its connection reset
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Handle one request; True when an answer was written."""
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), IO_TIMEOUT_S)
        action, delay_s, before = self.profile.draw(self.rng)
        self.stats[action] += 1
        if action == "cut":
            return False
        body = await asyncio.wait_for(reader.readexactly(_content_length(head)), IO_TIMEOUT_S)
        if action == "503":
            writer.write(UNAVAILABLE)
            await writer.drain()
            return True
        if action == "delay" and before:
            await asyncio.sleep(delay_s)
        response = await self._forward(_rewrite_head(head) + body)
        if response is None:
            self.stats["upstream_down"] += 1
            return False
        if action == "drop":
            return False  # the server has answered (and committed); the kiosk never hears of it
        if action == "delay" and not before:
            await asyncio.sleep(delay_s)
        writer.write(response)
        await writer.drain()
        return True

    async def _forward(self, request: bytes) -> bytes | None:
        """Send the request to the server and read its whole answer (it closes the connection after it)."""
        try:
            up_reader, up_writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", self.upstream_port), IO_TIMEOUT_S
            )
        except (OSError, TimeoutError):
            return None  # server down or restarting
        try:
            up_writer.write(request)
            await up_writer.drain()
            response = await asyncio.wait_for(up_reader.read(), IO_TIMEOUT_S)
        except (OSError, TimeoutError):
            return None
        finally:
            up_writer.close()
            with contextlib.suppress(Exception):
                await up_writer.wait_closed()
        # A server killed mid-answer leaves a truncated or empty response: relay nothing, like a reset.
        head, sep, rest = response.partition(b"\r\n\r\n")
        if not sep or len(rest) < _content_length(head):
            return None
        return response
