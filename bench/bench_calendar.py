"""Timetable benchmark: expanding a 5,000-student term timetable on the server.

In-process against a real database (a fresh SQLite file, and a fresh PostgreSQL database on the
CAMPUS_TEST_PG_URL cluster when it is set, dropped afterwards), through the code `import-timetable` runs:

1. The schema is migrated and one term is saved (18 weeks, 10 periods, the National Day holiday and two make-up
   days). S students are bulk-inserted in classes of 50, and T teachers.
2. A timetable CSV is generated: each class has C weekly slots (weekday, periods, week patterns such as `1-16`,
   `1-8,10-16`, `1-15单`, `2-16双`), each slot with one of the teachers.
3. `import_timetable` checks every row, expands each slot into its dated occurrences, stores the slots and
   writes one "calendar_event" change per slot and person, in one transaction (timed, with the commit).
4. The same file is imported again (nothing changed: no change written), then a file with one class's room
   changed (only that class's people are told).

Reported per backend: the time, slots, occurrences, change-log rows and their bytes. Table to stdout, everything
to bench/results/calendar.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, insert, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sync_server.core.calendar_timetable import import_timetable, read_csv, save_term  # noqa: E402
from sync_server.db import Database  # noqa: E402
from sync_server.migrate import upgrade  # noqa: E402
from sync_server.models import ChangeLog, User  # noqa: E402

TERM = {
    "name": "基准学期",
    "start": "2026-09-07",
    "weeks": 18,
    "periods": [
        {"index": i + 1, "start": s, "end": e}
        for i, (s, e) in enumerate(
            [
                ("08:00", "08:45"),
                ("08:55", "09:40"),
                ("10:00", "10:45"),
                ("10:55", "11:40"),
                ("14:30", "15:15"),
                ("15:25", "16:10"),
                ("16:30", "17:15"),
                ("17:25", "18:10"),
                ("19:00", "19:45"),
                ("19:55", "20:40"),
            ]
        )
    ],
    "holidays": ["2026-10-01..2026-10-07"],
    "makeup_days": [{"date": "2026-09-27", "follows": "2026-10-07"}, {"date": "2026-10-10", "follows": "2026-10-06"}],
}
WEEKS = ["1-16", "1-8,10-16", "1-15单", "2-16双", "1-18", "3-14"]
PERIODS = ["1-2", "3-4", "5-6", "7-8", "9-10"]


def fill(db: Database, students: int, teachers: int) -> list[str]:
    now = datetime.now(UTC)
    classes = [f"2026级基准{n:03d}班" for n in range((students + 49) // 50)]
    with db.transaction() as s:
        rows = [
            {
                "user_id": f"B{n:07d}",
                "name": f"学生{n}",
                "role": "student",
                "class_name": classes[n // 50],
                "password_hash": "x",
                "must_change_password": True,
                "created_at": now,
            }
            for n in range(students)
        ] + [
            {
                "user_id": f"T{n:05d}",
                "name": f"教师{n}",
                "role": "staff",
                "password_hash": "x",
                "must_change_password": True,
                "created_at": now,
            }
            for n in range(teachers)
        ]
        s.execute(insert(User), rows)
        save_term(s, TERM)
    return classes


def timetable_csv(classes: list[str], per_class: int, teachers: int, room_suffix: str = "") -> str:
    lines = ["code,course,teacher,teacher_id,room,class,students,weekday,periods,weeks"]
    for c, class_name in enumerate(classes):
        for k in range(per_class):
            teacher = (c * per_class + k) % teachers
            weekday, period = 1 + k % 5, PERIODS[(k // 5 + c) % len(PERIODS)]
            room = f"教{c % 40}-{k}{room_suffix if c == 0 else ''}"
            lines.append(
                f"C{k:03d},课程{k},教师{teacher},T{teacher:05d},{room},{class_name},,{weekday},{period},"
                f"{WEEKS[(c + k) % len(WEEKS)]}"
            )
    return "\n".join(lines) + "\n"


def log_figures(db: Database) -> tuple[int, int]:
    with db.sessions() as s:
        rows = s.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.entity == "calendar_event"))
        datas = s.scalars(select(ChangeLog.data).where(ChangeLog.entity == "calendar_event"))
        size = sum(len(json.dumps(d, ensure_ascii=False).encode()) for d in datas)
    return int(rows or 0), int(size or 0)


def run(url: str, students: int, per_class: int, teachers: int) -> dict[str, object]:
    upgrade(url)
    db = Database(url)
    try:
        classes = fill(db, students, teachers)
        rows = read_csv(timetable_csv(classes, per_class, teachers))
        figures: dict[str, object] = {"students": students, "classes": len(classes), "csv_rows": len(rows)}
        for label, data in (
            ("first", rows),
            ("again", rows),
            ("one_class_moved", read_csv(timetable_csv(classes, per_class, teachers, "改"))),
        ):
            before = log_figures(db)[0]
            started = time.perf_counter()
            with db.transaction() as s:
                report = import_timetable(s, data, term_name=TERM["name"])
            elapsed = time.perf_counter() - started
            assert not report.errors, report.errors[:3]
            after, size = log_figures(db)
            figures[label] = {
                "seconds": round(elapsed, 2),
                "slots": report.slots,
                "occurrences": report.occurrences,
                "changes": after - before,
                "change_log_rows": after,
                "change_log_mb": round(size / 1e6, 1),
            }
            print(f"  {label}: {figures[label]}", file=sys.stderr)
        return figures
    finally:
        db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=5000)
    parser.add_argument("--per-class", type=int, default=20, help="weekly slots per class")
    parser.add_argument("--teachers", type=int, default=300)
    parser.add_argument("--pg", default=os.environ.get("CAMPUS_TEST_PG_URL", ""), help="PostgreSQL admin URL")
    args = parser.parse_args()
    results: dict[str, object] = {"machine": platform.platform(), "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite", file=sys.stderr)
        results["sqlite"] = run(f"sqlite:///{tmp}/bench.db", args.students, args.per_class, args.teachers)
    if args.pg:
        from sqlalchemy import create_engine

        name = f"bench_calendar_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            print("PostgreSQL", file=sys.stderr)
            results["postgresql"] = run(
                args.pg.rsplit("/", 1)[0] + "/" + name, args.students, args.per_class, args.teachers
            )
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "calendar.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print("| backend | import | seconds | slots | occurrences | changes written | change log (MB) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for backend in ("sqlite", "postgresql"):
        for label in ("first", "again", "one_class_moved"):
            f = results.get(backend, {}).get(label)  # type: ignore[union-attr]
            if f:
                print(
                    f"| {backend} | {label} | {f['seconds']} | {f['slots']} | {f['occurrences']} | {f['changes']} "
                    f"| {f['change_log_mb']} |"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
