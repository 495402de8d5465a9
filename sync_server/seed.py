"""Demo data: the manual's 64 processes, news, resources, apps, departments, timetable and demo users.

The files under seed/ are the one source of these facts; `seed_demo` upserts them, so running it twice
changes nothing, and it never overwrites a password a user already changed.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sync_server.core.meta import ensure_epoch, set_meta
from sync_server.core.security import default_password, hash_password
from sync_server.models import (
    App,
    Course,
    Department,
    ExternalCounter,
    Meeting,
    NewsItem,
    Post,
    Process,
    Resource,
    Term,
    User,
)

SEED_DIR = Path(__file__).with_name("seed")


def load_seed(name: str) -> Any:
    with (SEED_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


def _upsert(session: Session, model: type, key: dict[str, Any], values: dict[str, Any]) -> None:
    row = session.get(model, tuple(key.values()) if len(key) > 1 else next(iter(key.values())))
    if row is None:
        session.add(model(**key, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def seed_demo(session: Session) -> list[dict[str, str]]:
    """Load the demo data; returns the demo users with their initial passwords."""
    content = load_seed("demo_content.json")
    processes = load_seed("processes.json")

    school = content["school"]
    set_meta(session, "school_name", school["name"])
    set_meta(session, "school_name_en", school["name_en"])
    set_meta(session, "portal_title", school.get("portal_title", "融合门户"))
    set_meta(session, "hall_title", school.get("hall_title", "一站式办事大厅"))
    ensure_epoch(session)

    # Parents before children, so foreign keys hold on PostgreSQL too.
    departments = sorted(content["departments"], key=lambda d: d["parent"] is not None)
    for d in departments:
        _upsert(
            session,
            Department,
            {"code": d["code"]},
            {"name": d["name"], "short_name": d["short_name"], "parent_code": d["parent"], "kind": d["kind"]},
        )
    session.flush()
    for p in content["posts"]:
        _upsert(session, Post, {"code": p["code"]}, {"name": p["name"], "department_code": p["department"]})
    session.flush()

    by_short = {d["short_name"]: d["code"] for d in content["departments"]}
    by_name = {d["name"]: d["code"] for d in content["departments"]}
    for order, p in enumerate(processes):
        dept = by_short.get(p["department"]) or by_name[p["department"]]
        _upsert(
            session,
            Process,
            {"code": p["code"]},
            {
                "name": p["name"],
                "department_code": dept,
                "audience": p["audience"],
                "category": p["category"],
                "description": p["description"],
                "materials": p.get("materials", []),
                "expected_days": p.get("expected_days", 3),
                "recommended": p.get("recommended", False),
                "popular_rank": p.get("popular_rank"),
                "sort_order": order,
            },
        )

    for n in content["news"]:
        _upsert(
            session,
            NewsItem,
            {"id": n["id"]},
            {
                "category": n["category"],
                "title": n["title"],
                "author": n.get("author", ""),
                "body": n.get("body", ""),
                "published_at": _dt(n["published_at"]),
            },
        )
    for order, r in enumerate(content["resources"]):
        _upsert(
            session,
            Resource,
            {"code": r["code"]},
            {
                "name": r["name"],
                "description": r["description"],
                "url": r["url"],
                "trial": r["trial"],
                "sort_order": order,
            },
        )
    for order, a in enumerate(content["apps"]):
        _upsert(
            session,
            App,
            {"code": a["code"]},
            {
                "name": a["name"],
                "description": a["description"],
                "url": a["url"],
                "sso": a["sso"],
                "icon": a.get("icon", "apps"),
                "sort_order": order,
            },
        )

    dept_names = {d["code"]: d["name"] for d in content["departments"]}
    users = _seed_users(session, content["users"], dept_names)

    timetable = content["timetable"]
    _upsert(
        session,
        Term,
        {"name": timetable["term"]},
        {
            "start_date": date.fromisoformat(timetable["term_start"]),
            "weeks": timetable["weeks"],
            "periods": timetable["periods"],
        },
    )
    # Timetable and meetings have no natural key: replace them whole.
    session.execute(delete(Course))
    for c in timetable["courses"]:
        session.add(
            Course(
                code=c["code"],
                name=c["name"],
                teacher=c["teacher"],
                teacher_id=c.get("teacher_id"),
                class_name=c.get("class"),
                location=c["location"],
                weekday=c["weekday"],
                start_period=c["start_period"],
                end_period=c["end_period"],
                weeks=c["weeks"],
            )
        )
    session.execute(delete(Meeting))
    for m in content.get("meetings", []):
        session.add(
            Meeting(
                title=m["title"],
                start=_dt(m["start"]),
                end=_dt(m["end"]),
                location=m["location"],
                organizer_code=m.get("organizer"),
                attendees=m.get("attendees", []),
            )
        )
    now = datetime.now(UTC)
    for user_id, figures in content.get("counters", {}).items():
        for name, value in figures.items():
            _upsert(
                session,
                ExternalCounter,
                {"user_id": user_id, "name": name},
                {"value": value, "updated_at": now},
            )
    return users


def _seed_users(session: Session, specs: list[dict[str, Any]], dept_names: dict[str, str]) -> list[dict[str, str]]:
    existing = set(session.scalars(select(User.user_id)))
    new_specs = [u for u in specs if u["user_id"].upper() not in existing]
    # argon2id costs ~0.1 s a hash by design; hash the new users' passwords in parallel (it releases the GIL).
    with ThreadPoolExecutor(max_workers=4) as pool:
        hashes = list(pool.map(lambda u: hash_password(default_password(u["national_id"])), new_specs))
    now = datetime.now(UTC)
    for spec, password_hash in zip(new_specs, hashes, strict=True):
        session.add(
            User(
                user_id=spec["user_id"].upper(),
                name=spec["name"],
                role=spec["role"],
                department_code=spec.get("department"),
                post_code=spec.get("post"),
                class_name=spec.get("class"),
                email=spec.get("email"),
                phone=spec.get("phone"),
                password_hash=password_hash,
                must_change_password=True,
                created_at=now,
            )
        )
    session.flush()
    return [
        {
            "user_id": u["user_id"].upper(),
            "name": u["name"],
            "role": u["role"],
            "department": dept_names.get(u.get("department") or "", ""),
            "password": default_password(u["national_id"]),
        }
        for u in specs
    ]
