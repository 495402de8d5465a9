"""The sources in the server's own database: 待办 from the workflow engine, and the demo figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sync_server.core import inbox
from sync_server.core.counters.source import SourceError
from sync_server.models import ExternalCounter


@dataclass
class WorkflowTodo:
    """待办: the user's open tasks, the figure the 待办事宜 list counts (core/inbox.py)."""

    sessions: sessionmaker[Session]

    name: ClassVar[str] = "workflow"
    label: ClassVar[str] = "办事大厅"
    keys: ClassVar[tuple[str, ...]] = ("todo",)
    demo: ClassVar[bool] = False
    # The server's own data: cheap to count, and a task just handled must leave the badge at once.
    cached: ClassVar[bool] = False

    def fetch(self, user_id: str) -> dict[str, int]:
        with self.sessions() as session:
            return {"todo": inbox.counts(session, user_id)["todo"]}


# The seed's names (sync_server/seed/demo_content.json, "counters") for the counters they stand in for.
DEMO_NAMES = {"unread_mail": "mail_unread", "books_borrowed": "loans", "books_overdue": "overdue"}


@dataclass
class DemoFigures:
    """The demo: mail and library figures from the seed data, reported with demo=true so that no one takes them
    for live ones. A user the seed gives no figures gets none (no_demo_data), not a zero."""

    sessions: sessionmaker[Session]

    name: ClassVar[str] = "demo"
    label: ClassVar[str] = "演示数据"
    keys: ClassVar[tuple[str, ...]] = ("mail_unread", "loans", "overdue")
    demo: ClassVar[bool] = True
    cached: ClassVar[bool] = True

    def fetch(self, user_id: str) -> dict[str, int]:
        with self.sessions() as session:
            rows = session.execute(
                select(ExternalCounter.name, ExternalCounter.value).where(ExternalCounter.user_id == user_id)
            ).all()
        figures = {DEMO_NAMES[name]: value for name, value in rows if name in DEMO_NAMES}
        if not figures:
            raise SourceError("no_demo_data", user_id)
        return figures
