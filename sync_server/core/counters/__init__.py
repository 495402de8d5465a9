"""首页's four counters — 未读邮件, 在借图书, 逾期图书, 待办 — each read from its own source (IMAP, SIP2, the workflow
engine, or the demo figures), cached per user, and reported as a figure or as the reason there is none.

`board.CounterBoard.read(user)` is the one call: the sources are asked at once, each within a time bound, so a
slow or broken one costs the answer no more than that bound and touches no other counter. docs/portal.md."""

from sync_server.core.counters.board import KEYS, CounterBoard, build_board
from sync_server.core.counters.source import Reading, SourceError

__all__ = ["KEYS", "CounterBoard", "Reading", "SourceError", "build_board"]
