"""Demo data: the manual's 64 processes, news, resources, apps, departments, timetable and demo users.

The files under seed/ are the one source of these facts; `seed_demo` upserts them, so running it twice
changes nothing, and it never overwrites a password a user already changed.
"""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from sync_server.core.cas import seed_services
from sync_server.core.content import NewsDraft, check_draft, write_news
from sync_server.core.meta import ensure_epoch, get_meta, set_meta
from sync_server.core.security import default_password, hash_password
from sync_server.models import (
    App,
    Application,
    Department,
    ExternalCounter,
    FormDefinition,
    Meeting,
    NewsItem,
    PersonalEvent,
    Post,
    Process,
    Resource,
    User,
    WorkflowDefinition,
)

SEED_DIR = Path(__file__).with_name("seed")


def load_seed(name: str) -> Any:
    with (SEED_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


def english_of(process: dict[str, Any], dept_name: str, glossary: dict[str, Any]) -> dict[str, Any]:
    """A process in English (seed/english.json): its own texts, and the shared terms its guide needs."""
    terms: dict[str, str] = glossary["terms"]
    own = glossary["processes"][process["code"]]
    workflow = SEED_DIR / "workflows" / f"{process['code']}.json"
    steps = [s["name"] for s in json.loads(workflow.read_text(encoding="utf-8"))["steps"]] if workflow.exists() else []
    return {
        **own,
        "department_name": terms[dept_name],
        "category": terms[process["category"]],
        "audience": [terms[a] for a in process["audience"]],
        "terms": {t: terms[t] for t in ["申请人填写", "办结", *steps] if t in terms},
    }


def english_form(definition: dict[str, Any], terms: dict[str, str]) -> dict[str, Any]:
    """A form definition with its English (`ui.en`: each field's label and options, each section's title), for
    English mode; a text with no English keeps its Chinese."""
    ui = definition["ui"]
    props = definition["schema"].get("properties", {})
    fields = {}
    for name, hints in ui["fields"].items():
        prop = props.get(name, {})
        options = prop.get("enum") or prop.get("items", {}).get("enum") or []
        entry: dict[str, Any] = {"label": terms.get(hints["label"], hints["label"])}
        if options:
            entry["options"] = [terms.get(str(o), str(o)) for o in options]
        for key in ("placeholder", "help", "hint"):
            if hints.get(key) in terms:
                entry[key] = terms[hints[key]]
        fields[name] = entry
    sections = {s["key"]: terms.get(s["title"], s["title"]) for s in ui["sections"]}
    return {**definition, "ui": {**ui, "en": {"fields": fields, "sections": sections}}}


def _upsert(session: Session, model: type, key: dict[str, Any], values: dict[str, Any]) -> None:
    row = session.get(model, tuple(key.values()) if len(key) > 1 else next(iter(key.values())))
    if row is None:
        session.add(model(**key, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def seed_news(session: Session, items: list[dict[str, Any]]) -> None:
    """The demo news through core/content.py, so it is sanitized and announced like any other; an item that is
    already as seeded is left alone (nothing new in the change log)."""
    for n in items:
        body = n.get("body", "")
        draft = NewsDraft(
            category=n["category"],
            title=n["title"],
            body=body,
            body_format="html" if body.lstrip().startswith("<") else "text",
            summary=n.get("summary"),
            author=n.get("author", ""),
            published_at=_dt(n["published_at"]),
        )
        write_news(session, check_draft(draft), item=session.get(NewsItem, n["id"]), source="seed", news_id=n["id"])
    if session.get_bind().dialect.name == "postgresql":  # ids given explicitly: move the sequence past them
        session.execute(text("SELECT setval(pg_get_serial_sequence('news', 'id'), (SELECT max(id) FROM news))"))


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
    if get_meta(session, "application.serial") is None:
        # The demo's 流水号 continue from the manual's screenshots (92818, 92819, …).
        set_meta(session, "application.serial", "92817")

    # Parents before children, so foreign keys hold on PostgreSQL too.
    departments = sorted(content["departments"], key=lambda d: d["parent"] is not None)
    for d in departments:
        _upsert(
            session,
            Department,
            {"code": d["code"]},
            {
                "name": d["name"],
                "short_name": d["short_name"],
                "parent_code": d["parent"],
                "kind": d["kind"],
                "phone": d.get("phone"),
                "office": d.get("office"),
            },
        )
    session.flush()
    for p in content["posts"]:
        _upsert(session, Post, {"code": p["code"]}, {"name": p["name"], "department_code": p["department"]})
    session.flush()

    by_short = {d["short_name"]: d["code"] for d in content["departments"]}
    by_name = {d["name"]: d["code"] for d in content["departments"]}
    dept_names = {d["code"]: d["name"] for d in content["departments"]}
    glossary = load_seed("english.json")
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
                "english": english_of(p, dept_names[dept], glossary),
            },
        )

    session.flush()
    seed_forms(session)

    seed_news(session, content["news"])
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
    # 应用中心's single sign-on: the campus systems the portal may sign users into (core/cas.py).
    seed_services(session, load_seed("cas_services.json"))

    dept_names = {d["code"]: d["name"] for d in content["departments"]}
    users = _seed_users(session, content["users"], dept_names)
    session.flush()
    seed_workflows(session)  # after the users: terminals get each fixed post's holders with the definition
    seed_history(session, processes)
    seed_grades(session)  # the demo students' transcripts (成绩单打印申请)

    seed_calendar(session, content)
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


def seed_calendar(session: Session, content: dict[str, Any]) -> None:
    """日程中心's demo: the term (demo_content's, with seed/calendar.json's holidays and make-up days), its
    timetable imported through `import-timetable`'s own code, meetings published as the admin API does (matched by
    title and start, so re-seeding announces nothing new) and personal events (created once, never overwritten)."""
    from sync_server.core import calendar_meetings, calendar_personal, calendar_timetable

    extra = load_seed("calendar.json")
    timetable = content["timetable"]
    term = calendar_timetable.save_term(
        session,
        {
            "name": timetable["term"],
            "start": timetable["term_start"],
            "weeks": timetable["weeks"],
            "periods": timetable["periods"],
            **extra["term"],
        },
    )
    rows = [
        (
            line,
            {
                "code": c["code"],
                "course": c["name"],
                "teacher": c["teacher"],
                "teacher_id": c.get("teacher_id") or "",
                "room": c["location"],
                "class": c.get("class") or "",
                "students": " ".join(c.get("students", [])),
                "weekday": str(c["weekday"]),
                "periods": f"{c['start_period']}-{c['end_period']}",
                "weeks": c["weeks"],
            },
        )
        for line, c in enumerate(timetable["courses"] + extra["courses"], start=2)
    ]
    # The demo's elective has no class: its students are the demo's students of 信息工程学院.
    for _, row in rows:
        if not row["class"] and not row["students"]:
            row["students"] = " ".join(
                session.scalars(select(User.user_id).where(User.role == "student", User.department_code == "xxgcxy"))
            )
    report = calendar_timetable.import_timetable(session, rows, term_name=term.name)
    if report.errors:
        raise ValueError("; ".join(f"timetable line {line}: {reason}" for line, reason in report.errors))

    specs: list[dict[str, Any]] = []
    for m in content.get("meetings", []) + extra["meetings"]:
        for week in range(m.get("every_week", 1)):
            shift = timedelta(weeks=week)
            specs.append(
                {
                    **m,
                    "place": m["location"],
                    "start": (_dt(m["start"]) + shift).isoformat(),
                    "end": (_dt(m["end"]) + shift).isoformat(),
                }
            )
    existing = {
        (m.title, m.start.isoformat() if m.start.tzinfo else m.start.replace(tzinfo=UTC).isoformat()): m
        for m in session.scalars(select(Meeting))
    }
    for spec in specs:
        key = (spec["title"], _dt(spec["start"]).astimezone(UTC).isoformat())
        if key in existing:
            calendar_meetings.update(session, existing[key].id, spec)
        else:
            calendar_meetings.publish(session, spec)

    for e in extra["personal_events"]:
        event_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"campus-kiosk-demo:{e['user']}:{e['title']}"))
        user = session.get(User, e["user"])
        if user is None or session.get(PersonalEvent, event_id) is not None:
            continue
        payload = {k: v for k, v in e.items() if k != "user"}
        calendar_personal.save(session, user, {**payload, "event_id": event_id, "base_version": None})


def seed_grades(session: Session) -> int:
    """seed/grades.csv (import-grades' format) into an empty grades table; returns how many rows."""
    from sync_server.core.certificates_grades import import_grades
    from sync_server.models import Grade

    if session.scalar(select(func.count()).select_from(Grade)):
        return 0
    added, _ = import_grades(session, (SEED_DIR / "grades.csv").read_text(encoding="utf-8"), datetime.now(UTC))
    return added


def seed_history(session: Session, processes: list[dict[str, Any]]) -> int:
    """Past applications of the last weeks, so 热门服务 — computed from real submission counts over 30 days —
    shows the manual's list in its order in the demo. Only into an empty table (re-seeding adds nothing).
    They are finished (办结) applications of demo users with no form data of their own."""
    if session.scalar(select(func.count()).select_from(Application)):
        return 0
    ranked = sorted((p for p in processes if p.get("popular_rank")), key=lambda p: p["popular_rank"])
    applicants = {
        "学生": [u for u in session.scalars(select(User.user_id).where(User.role == "student"))],
        "教工": [u for u in session.scalars(select(User.user_id).where(User.role.in_(["staff", "approver"])))],
    }
    now = datetime.now(UTC)
    serial = int(get_meta(session, "application.serial") or "92817")
    added = 0
    for rank, process in enumerate(ranked):
        group = "学生" if "学生" in process["audience"] else "教工"
        people = applicants[group] or applicants["教工"]
        for n in range(40 - 4 * rank):  # 40, 36, 32, …: strictly decreasing, so the order is the manual's
            serial += 1
            moment = now - timedelta(days=1 + (n * 7 + rank) % 27, hours=n % 9)
            session.add(
                Application(
                    id=str(uuid.UUID(int=serial)),
                    serial=serial,
                    process_code=process["code"],
                    applicant_id=people[n % len(people)],
                    form_version=1,
                    data={},
                    status="completed",
                    created_at=moment,
                    updated_at=moment,
                )
            )
            added += 1
    set_meta(session, "application.serial", str(serial))
    session.flush()
    # Each applicant's terminal lists them in 我的申请, as the server's own list (GET /me/tasks?box=mine) does.
    from sync_server.core.workflow_views import announce_application

    for app in session.scalars(select(Application).order_by(Application.serial)):
        announce_application(session, app)
    return added


def seed_forms(session: Session) -> int:
    """Load seed/forms/<code>.json; a new or changed definition is stored and announced to terminals as a
    public "form" change (unchanged ones are left alone, so re-seeding adds nothing to the change log).
    Returns how many changed."""
    from sync_server.core.change_log import append_change

    changed = 0
    terms = load_seed("english.json")["terms"]
    for path in sorted((SEED_DIR / "forms").glob("*.json")):
        definition = english_form(json.loads(path.read_text(encoding="utf-8")), terms)
        code = definition["process"]
        if session.get(Process, code) is None:
            continue
        row = session.get(FormDefinition, code)
        if row is not None and row.definition == definition:
            continue
        now = datetime.now(UTC)
        if row is None:
            session.add(
                FormDefinition(process_code=code, version=definition["version"], definition=definition, updated_at=now)
            )
        else:
            row.version, row.definition, row.updated_at = definition["version"], definition, now
        append_change(session, "public", "form", code, "upsert", definition)
        changed += 1
    return changed


def seed_workflows(session: Session) -> int:
    """Load seed/workflows/<code>.json (format: core/workflow_defs.py). A definition is checked against its form
    and the posts; a new or changed one is stored as the process's next version (applications in flight keep
    theirs), and terminals are told of what changed. Returns how many versions were added."""
    from sync_server.core import workflow_defs as defs
    from sync_server.core import workflow_state, workflow_views

    posts = set(session.scalars(select(Post.code)))
    added = 0
    for path in sorted((SEED_DIR / "workflows").glob("*.json")):
        definition = json.loads(path.read_text(encoding="utf-8"))
        code = definition.get("process")
        form = session.get(FormDefinition, code)
        if session.get(Process, code) is None or form is None:
            continue
        problems = defs.definition_problems(definition, form.definition, posts)
        if problems:
            raise ValueError(f"{path.name}: {'; '.join(problems)}")
        latest = workflow_state.latest_definition(session, code)
        if latest is not None and {**latest.definition, "version": 0} == {**definition, "version": 0}:
            continue
        version = max(definition["version"], latest.version + 1 if latest else 1)
        session.add(
            WorkflowDefinition(
                process_code=code,
                version=version,
                definition={**definition, "version": version},
                created_at=datetime.now(UTC),
            )
        )
        added += 1
    session.flush()
    workflow_views.announce_definitions(session)
    return added


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
                major=spec.get("major"),
                email=spec.get("email"),
                phone=spec.get("phone"),
                national_id=spec.get("national_id"),
                join_date=spec.get("join_date"),
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
