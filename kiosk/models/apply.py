"""What the server sent, written to the store: a pulled page of changes with its cursor (one transaction, one
writer per change kind), the catalog, the user's profile; and forgetting what was pulled when the server's data
was restored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

from sqlalchemy import bindparam, delete, insert
from sqlalchemy.orm import Session

from kiosk.models.base import StoreBase
from kiosk.models.calendar import apply_calendar
from kiosk.models.meta_keys import SYNCED_AT_KEY, VERSION_KEY
from kiosk.models.migrations import strip_post_holders
from kiosk.models.news import apply_news
from kiosk.models.tables import (
    CachedForm,
    CachedNews,
    CachedProcess,
    CachedWorkflow,
    LocalApplication,
    LocalFavorite,
    LocalNewsRead,
    LocalNotification,
    LocalTask,
    LocalWorkflowHandlers,
    Meta,
    UserProfile,
)
from kiosk.models.user_settings import apply_user_settings

GUIDE_KEYS = ("materials", "expected_days", "contact_phone", "contact_office", "steps", "en")


class ApplyMixin(StoreBase):
    def replace_catalog(self, processes: list[dict[str, Any]]) -> None:
        """Store the server's catalog in one transaction: readers see the old list or the new, never half."""
        with self.transaction() as session:
            session.execute(delete(CachedProcess))
            session.add_all(
                CachedProcess(
                    code=p["code"],
                    name=p["name"],
                    department=p["department"],
                    department_name=p.get("department_name", p["department"]),
                    audience=list(p["audience"]),
                    category=p["category"],
                    description=p.get("description", ""),
                    recommended=int(bool(p.get("recommended"))),
                    popular_rank=p.get("popular_rank"),
                    sort_order=order,
                    guide={k: p.get(k) for k in GUIDE_KEYS},
                )
                for order, p in enumerate(processes)
            )

    def save_profile(self, user: dict[str, Any]) -> None:
        with self.transaction() as session:
            session.merge(
                UserProfile(
                    user_id=user["user_id"],
                    name=user["name"],
                    role=user["role"],
                    department_name=user.get("department_name"),
                    class_name=user.get("class_name"),
                )
            )

    def apply_changes(
        self,
        user_id: str | None,
        changes: list[dict[str, Any]],
        cursor_key: str,
        cursor: int,
        epoch: str,
        still_current: Callable[[], bool] | None = None,
    ) -> bool:
        """One pulled page and its cursor, in one transaction. `still_current` is asked inside the transaction
        (under the write lock): a page of a user who logged out while it was on its way is dropped, never
        written after the logout's wipe. Returns whether the page was applied.

        Each run of consecutive favourite upserts (or deletes) is one executemany, and runs go in page order, so
        a later change of the same row still wins.
        Per-row `session.merge` (a SELECT, then an INSERT) took 24 s of a 27 s first pull of 100,000 rows; this
        takes about 0.5 s (bench/README.md, `bench_sync.py`)."""
        upsert = insert(LocalFavorite).prefix_with("OR REPLACE")
        remove = delete(LocalFavorite).where(
            LocalFavorite.user_id == bindparam("uid"), LocalFavorite.process_code == bindparam("code")
        )
        with self.transaction() as session:
            if user_id is not None and still_current is not None and not still_current():
                return False
            conn = session.connection()
            for change in changes:
                if change["entity"] == "form":
                    self._apply_form(session, change)
                elif change["entity"] == "application" and user_id is not None:
                    self._apply_application(session, user_id, change)
                elif change["entity"] == "workflow":
                    self._apply_workflow(session, change)
                elif change["entity"] == "workflow_handlers" and user_id is not None:
                    self._apply_handlers(session, user_id, change)
                elif change["entity"] == "task" and user_id is not None:
                    self._apply_task(session, user_id, change)
                elif change["entity"] == "notification" and user_id is not None:
                    self._apply_notification(session, user_id, change)
            if user_id is not None:
                favorites = (c for c in changes if c["entity"] == "favorite")
                for is_delete, run in groupby(favorites, key=lambda c: c["op"] == "delete"):
                    if is_delete:
                        conn.execute(remove, [{"uid": user_id, "code": c["id"]} for c in run])
                    else:
                        conn.execute(upsert, [{"user_id": user_id, "process_code": c["id"]} for c in run])
            news_changed = apply_news(conn, user_id, changes)
            apply_calendar(conn, user_id, changes)
            apply_user_settings(conn, user_id, changes)
            # The age 消息中心 shows offline: when a pull last reached the server, news in it or not.
            now = datetime.now(UTC).isoformat(timespec="seconds")
            conn.execute(
                insert(Meta).prefix_with("OR REPLACE"),
                [
                    {"key": cursor_key, "value": str(cursor)},
                    {"key": "sync.epoch", "value": epoch},
                    {"key": SYNCED_AT_KEY, "value": now},
                ],
            )
            if news_changed:  # 消息中心 re-reads its list only when this moved
                conn.exec_driver_sql(
                    "INSERT INTO meta (\"key\", value) VALUES (?, '1') "
                    'ON CONFLICT ("key") DO UPDATE SET value = CAST(value AS INTEGER) + 1',
                    (VERSION_KEY,),
                )
        return True

    @staticmethod
    def _apply_form(session: Session, change: dict[str, Any]) -> None:
        if change["op"] == "delete":
            session.execute(delete(CachedForm).where(CachedForm.process_code == change["id"]))
            return
        definition = change["data"] or {}
        session.merge(
            CachedForm(process_code=change["id"], version=int(definition.get("version", 1)), definition=definition)
        )

    @staticmethod
    def _apply_workflow(session: Session, change: dict[str, Any]) -> None:
        if change["op"] == "delete":
            session.execute(delete(CachedWorkflow).where(CachedWorkflow.process_code == change["id"]))
            return
        definition = strip_post_holders(change["data"] or {})
        session.merge(
            CachedWorkflow(process_code=change["id"], version=int(definition.get("version", 1)), definition=definition)
        )

    @staticmethod
    def _apply_handlers(session: Session, user_id: str, change: dict[str, Any]) -> None:
        if change["op"] == "delete":
            session.execute(
                delete(LocalWorkflowHandlers).where(
                    LocalWorkflowHandlers.process_code == change["id"], LocalWorkflowHandlers.user_id == user_id
                )
            )
            return
        steps = (change["data"] or {}).get("steps") or {}
        session.merge(LocalWorkflowHandlers(process_code=change["id"], user_id=user_id, steps=steps))

    @staticmethod
    def _apply_task(session: Session, user_id: str, change: dict[str, Any]) -> None:
        if change["op"] == "delete":
            session.execute(delete(LocalTask).where(LocalTask.id == change["id"]))
            return
        view = change["data"] or {}
        session.merge(
            LocalTask(
                id=change["id"],
                user_id=user_id,
                application_id=str(view.get("application_id", "")),
                process_code=str(view.get("process_code", "")),
                box=str(view.get("box", "todo")),
                created_at=str(view.get("created_at") or ""),
                acted_at=view.get("acted_at"),
                view=view,
            )
        )

    @staticmethod
    def _apply_notification(session: Session, user_id: str, change: dict[str, Any]) -> None:
        if change["op"] == "delete":
            session.execute(delete(LocalNotification).where(LocalNotification.id == change["id"]))
            return
        view = change["data"] or {}
        session.merge(
            LocalNotification(
                id=change["id"],
                user_id=user_id,
                created_at=str(view.get("created_at") or ""),
                read=1 if view.get("read") else 0,
                view=view,
            )
        )

    @staticmethod
    def _apply_application(session: Session, user_id: str, change: dict[str, Any]) -> None:
        """The server's view of one of the user's applications replaces the queued local copy."""
        if change["op"] == "delete":
            session.execute(delete(LocalApplication).where(LocalApplication.id == change["id"]))
            return
        summary = change["data"] or {}
        session.merge(
            LocalApplication(
                id=change["id"],
                user_id=user_id,
                process_code=summary.get("process_code", ""),
                form_version=int(summary.get("form_version", 1) or 1),
                data=summary.get("data") or {},
                status=summary.get("status", "submitted"),
                serial=summary.get("serial"),
                doc_no=summary.get("doc_no"),
                created_at=summary.get("created_at"),
                summary=summary,
            )
        )

    def reset_synced_state(self, user_id: str | None, cursor_key: str) -> None:
        """The server's data was restored: forget what was pulled (not the outbox) and start from zero."""
        with self.transaction() as session:
            if user_id is not None:
                session.execute(delete(LocalFavorite).where(LocalFavorite.user_id == user_id))
                session.execute(delete(LocalNewsRead).where(LocalNewsRead.user_id == user_id, LocalNewsRead.sent == 1))
            # The news comes again with the pull from zero; an item the restored server no longer has must go.
            session.execute(delete(CachedNews))
            session.merge(Meta(key=cursor_key, value="0"))
