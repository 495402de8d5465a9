"""The store's reads for the views: the catalog, the profile, cached forms and workflows with their post holders,
the user's tasks, applications and notifications, the inbox counts and favourites."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from kiosk.models.base import StoreBase
from kiosk.models.first_look import read_catalog
from kiosk.models.tables import (
    CachedForm,
    CachedWorkflow,
    LocalApplication,
    LocalFavorite,
    LocalNotification,
    LocalTask,
    LocalWorkflowHandlers,
    UserProfile,
)


class QueriesMixin(StoreBase):
    def catalog(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return read_catalog(conn.connection.dbapi_connection)  # type: ignore[arg-type]

    def profile(self) -> dict[str, Any] | None:
        with self.sessions() as session:
            row = session.scalars(select(UserProfile)).first()
            if row is None:
                return None
            return {
                "user_id": row.user_id,
                "name": row.name,
                "role": row.role,
                "department_name": row.department_name,
                "class_name": row.class_name,
            }

    def form(self, process_code: str) -> dict[str, Any] | None:
        with self.sessions() as session:
            row = session.get(CachedForm, process_code)
            return dict(row.definition) if row else None

    def workflow(self, process_code: str) -> dict[str, Any] | None:
        with self.sessions() as session:
            row = session.get(CachedWorkflow, process_code)
            return dict(row.definition) if row else None

    def workflow_handlers(self, user_id: str, process_code: str) -> dict[str, list[dict[str, Any]]]:
        """Who holds each post-assigned step of the process (step key → people), as told to this user."""
        with self.sessions() as session:
            row = session.get(LocalWorkflowHandlers, (process_code, user_id))
            return dict(row.steps) if row else {}

    def tasks(self, user_id: str, box: str) -> list[dict[str, Any]]:
        """The user's 待办 (box "todo": oldest first, the longest waiting on top) or 已办 ("done": latest
        first, one row per application), as the server described each, with the application it belongs to."""
        order = LocalTask.created_at.asc() if box == "todo" else LocalTask.acted_at.desc()
        with self.sessions() as session:
            rows = session.scalars(
                select(LocalTask).where(LocalTask.user_id == user_id, LocalTask.box == box).order_by(order)
            ).all()
        if box == "todo":
            return [dict(r.view) for r in rows]
        # 已办 lists an application once, with the latest task (approved, returned to them, approved again).
        seen: set[str] = set()
        out = []
        for row in rows:
            if row.application_id not in seen:
                seen.add(row.application_id)
                out.append(dict(row.view))
        return out

    def task_of(self, user_id: str, application_id: str) -> dict[str, Any] | None:
        """The user's open task on an application, else their latest done one."""
        with self.sessions() as session:
            rows = session.scalars(
                select(LocalTask)
                .where(LocalTask.user_id == user_id, LocalTask.application_id == application_id)
                .order_by(LocalTask.box.desc(), LocalTask.created_at.desc())
            ).all()
            return dict(rows[0].view) if rows else None

    def application_view(self, user_id: str, application_id: str) -> dict[str, Any] | None:
        """The server's full view of an application (steps, events, actions) the user may see: their own, or
        one they hold a task on."""
        with self.sessions() as session:
            own = session.get(LocalApplication, application_id)
            if own is not None and own.user_id == user_id:
                view = dict(own.summary or {})
                view.setdefault("id", own.id)
                view.setdefault("process_code", own.process_code)
                view.setdefault("data", dict(own.data))
                view.setdefault("status", own.status)
                view.setdefault("serial", own.serial)
                return view
        task = self.task_of(user_id, application_id)
        return dict(task["application"]) if task and task.get("application") else None

    def notifications(self, user_id: str, limit: int = 100) -> list[dict[str, Any]]:
        with self.sessions() as session:
            rows = session.scalars(
                select(LocalNotification)
                .where(LocalNotification.user_id == user_id)
                .order_by(LocalNotification.created_at.desc())
                .limit(limit)
            ).all()
            return [{**r.view, "read": bool(r.read)} for r in rows]

    def inbox_counts(self, user_id: str) -> dict[str, int]:
        """待办, 已办, 我的申请 and unread notifications, for the top bar and 首页's 待办 counter."""
        with self.sessions() as session:
            boxes = dict(
                session.execute(
                    select(LocalTask.box, func.count(LocalTask.application_id.distinct()))
                    .where(LocalTask.user_id == user_id)
                    .group_by(LocalTask.box)
                ).all()
            )
            mine = session.scalar(
                select(func.count()).select_from(LocalApplication).where(LocalApplication.user_id == user_id)
            )
            unread = session.scalar(
                select(func.count())
                .select_from(LocalNotification)
                .where(LocalNotification.user_id == user_id, LocalNotification.read == 0)
            )
        return {
            "todo": int(boxes.get("todo", 0)),
            "done": int(boxes.get("done", 0)),
            "mine": int(mine or 0),
            "unread": int(unread or 0),
        }

    def applications(self, user_id: str) -> list[dict[str, Any]]:
        """The user's applications (我的申请), newest first: the server's view of each (status, current step,
        steps) over the local facts (a queued one has no serial yet: 待分配)."""
        with self.sessions() as session:
            rows = session.scalars(
                select(LocalApplication)
                .where(LocalApplication.user_id == user_id)
                .order_by(LocalApplication.created_at.desc())
            ).all()
            return [
                {
                    **(r.summary or {}),
                    "id": r.id,
                    "process_code": r.process_code,
                    "status": r.status,
                    "serial": r.serial,
                    "doc_no": r.doc_no,
                    "data": dict(r.data),
                    "created_at": r.created_at,
                }
                for r in rows
            ]

    def favorites(self, user_id: str) -> list[str]:
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(LocalFavorite.process_code)
                    .where(LocalFavorite.user_id == user_id)
                    .order_by(LocalFavorite.process_code)
                )
            )
