"""办事通知 without Qt: the rows of 消息 and the bell, which of them are news since the user's last look (desk mode
shows them in the system tray, one message a batch), and marking them read as an outbox operation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from campus_common import ops
from kiosk.services.inbox import waiting_text


@dataclass(frozen=True)
class NotificationRow:
    id: str
    kind: str
    title: str
    body: str
    application_id: str
    read: bool
    when: str  # how long ago, as a person says it


def notification_rows(notes: list[dict[str, Any]], now: datetime | None = None) -> list[NotificationRow]:
    return [
        NotificationRow(
            id=str(n.get("id", "")),
            kind=str(n.get("kind", "")),
            title=str(n.get("title", "")),
            body=str(n.get("body", "")),
            application_id=str(n.get("application_id") or ""),
            read=bool(n.get("read")),
            when=waiting_text(n.get("created_at"), now),
        )
        for n in notes
    ]


class UnreadNews:
    """Which unread notifications arrived since the last look. The first look after signing in finds none:
    what was already there is old news, and a burst of it would bury the new ones."""

    def __init__(self) -> None:
        self._seen: set[str] | None = None

    def news(self, rows: list[NotificationRow]) -> list[NotificationRow]:
        fresh = [] if self._seen is None else [r for r in rows if r.id not in self._seen and not r.read]
        self._seen = {r.id for r in rows}
        return fresh

    def forget(self) -> None:
        """The user left: the next look is a first look again."""
        self._seen = None


@dataclass(frozen=True)
class NewsMessage:
    """One system tray message for a batch of news."""

    title: str
    body: str
    application_id: str  # what a click on it opens; "" for a batch: the 待办 list


def news_message(fresh: list[NotificationRow], todo: list[dict[str, Any]], named: int = 3) -> NewsMessage | None:
    """What the tray says of the news of one read: the notification itself when there is one; for several, how
    many and from whom ("3 件新待办：王子涵、李思思、张伟 等"), the applicants taken from the user's 待办 (`todo`,
    the read's open tasks), else the processes named in the titles."""
    if not fresh:
        return None
    if len(fresh) == 1:
        return NewsMessage(fresh[0].title, fresh[0].body, fresh[0].application_id)
    applicants = {
        str(t.get("application_id", "")): str(((t.get("application") or {}).get("applicant") or {}).get("name", ""))
        for t in todo
    }
    names: list[str] = []
    for row in fresh:
        name = applicants.get(row.application_id) or row.title.partition("：")[2] or row.title
        if name and name not in names:
            names.append(name)
    what = "件新待办" if all(r.kind == "task" for r in fresh) else "条新通知"
    more = " 等" if len(names) > named else ""
    return NewsMessage(f"{len(fresh)} {what}", "、".join(names[:named]) + more, "")


def read_write(user_id: str, ids: list[str] | None) -> tuple[str, dict[str, Any], Callable[[Any], None]]:
    """(op type, payload, local effect) of marking notifications read (None: all of the user's), for
    `Writer.write`. The server numbers notifications; an id that is not a number never came from it."""
    payload: dict[str, Any] = {"all": True} if ids is None else {"ids": [int(i) for i in ids if i.isdigit()]}

    def apply_local(session: Any) -> None:
        from kiosk.models.store import mark_read

        mark_read(session, user_id, ids)

    return ops.NOTIFICATION_READ, payload, apply_local
