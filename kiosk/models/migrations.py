"""The local store's schema migrations: each one's frozen DDL, in order, and the runner that brings a file's
user_version up to SCHEMA_VERSION. Plain sqlite3 (no SQLAlchemy): a start migrates the file before the ORM loads."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.models.sqlite_file import StoreError


# Each migration's DDL is frozen text, not the live models: a migration must create the schema of its time,
# or a later one that alters it would find its columns already there.
def _run(conn: sqlite3.Connection, *statements: str) -> None:
    for statement in statements:
        conn.execute(statement)


def _migration_1(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        'CREATE TABLE meta ("key" VARCHAR(64) NOT NULL, value TEXT NOT NULL, PRIMARY KEY ("key"))',
        "CREATE TABLE processes (code VARCHAR(64) NOT NULL, name VARCHAR(64) NOT NULL, "
        "department VARCHAR(32) NOT NULL, department_name VARCHAR(64) NOT NULL, audience JSON NOT NULL, "
        "category VARCHAR(16) NOT NULL, description TEXT NOT NULL, recommended INTEGER NOT NULL, "
        "popular_rank INTEGER, sort_order INTEGER NOT NULL, PRIMARY KEY (code))",
    )


def _migration_2(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        "CREATE TABLE user_profile (user_id VARCHAR(32) NOT NULL, name VARCHAR(64) NOT NULL, "
        "role VARCHAR(16) NOT NULL, department_name VARCHAR(64), class_name VARCHAR(64), PRIMARY KEY (user_id))",
    )


def _migration_3(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        "CREATE TABLE outbox (id VARCHAR(36) NOT NULL, user_id VARCHAR(32) NOT NULL, seq INTEGER NOT NULL, "
        "type VARCHAR(48) NOT NULL, payload JSON NOT NULL, created_at VARCHAR(40) NOT NULL, "
        "status VARCHAR(12) NOT NULL, error_code VARCHAR(48), error_message TEXT, attempts INTEGER NOT NULL, "
        "PRIMARY KEY (id))",
        "CREATE INDEX ix_outbox_user_id ON outbox (user_id)",
        "CREATE TABLE favorites (user_id VARCHAR(32) NOT NULL, process_code VARCHAR(64) NOT NULL, "
        "PRIMARY KEY (user_id, process_code))",
    )


def _migration_4(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE outbox ADD COLUMN session_id VARCHAR(32)")
    conn.execute("ALTER TABLE outbox ADD COLUMN signature VARCHAR(64)")
    conn.execute("ALTER TABLE outbox ADD COLUMN entity VARCHAR(96)")
    conn.execute("CREATE INDEX ix_outbox_entity ON outbox (entity)")
    # Sequence numbers now come from one counter of the terminal that survives logout (settled rows are
    # deleted then, so max(seq) could go backwards and reorder a user's stream on the server).
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) SELECT 'outbox.last_seq', CAST(COALESCE(MAX(seq), 0) AS TEXT) "
        "FROM outbox"
    )


def _migration_5(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        "CREATE TABLE forms (process_code VARCHAR(64) NOT NULL, version INTEGER NOT NULL, "
        "definition JSON NOT NULL, PRIMARY KEY (process_code))",
        "CREATE TABLE applications (id VARCHAR(36) NOT NULL, user_id VARCHAR(32) NOT NULL, "
        "process_code VARCHAR(64) NOT NULL, form_version INTEGER NOT NULL, data JSON NOT NULL, "
        "status VARCHAR(16) NOT NULL, serial INTEGER, doc_no VARCHAR(16), created_at VARCHAR(40), summary JSON, "
        "PRIMARY KEY (id))",
        "CREATE INDEX ix_applications_user_id ON applications (user_id)",
    )


def _migration_6(conn: sqlite3.Connection) -> None:
    _run(conn, "ALTER TABLE processes ADD COLUMN guide JSON")


def _migration_7(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        "CREATE TABLE drafts (user_id VARCHAR(32) NOT NULL, process_code VARCHAR(64) NOT NULL, "
        "form_version INTEGER NOT NULL, data JSON NOT NULL, saved_at VARCHAR(40) NOT NULL, "
        "PRIMARY KEY (user_id, process_code))",
    )


def _migration_8(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        "CREATE TABLE workflows (process_code VARCHAR(64) NOT NULL, version INTEGER NOT NULL, "
        "definition JSON NOT NULL, PRIMARY KEY (process_code))",
        "CREATE TABLE tasks (id VARCHAR(36) NOT NULL, user_id VARCHAR(32) NOT NULL, "
        "application_id VARCHAR(36) NOT NULL, process_code VARCHAR(64) NOT NULL, box VARCHAR(8) NOT NULL, "
        "created_at VARCHAR(40) NOT NULL, acted_at VARCHAR(40), view JSON NOT NULL, PRIMARY KEY (id))",
        "CREATE INDEX ix_tasks_user_id ON tasks (user_id)",
        "CREATE INDEX ix_tasks_application_id ON tasks (application_id)",
        "CREATE TABLE notifications (id VARCHAR(36) NOT NULL, user_id VARCHAR(32) NOT NULL, "
        "created_at VARCHAR(40) NOT NULL, read INTEGER NOT NULL, view JSON NOT NULL, PRIMARY KEY (id))",
        "CREATE INDEX ix_notifications_user_id ON notifications (user_id)",
    )


def strip_post_holders(definition: dict[str, Any]) -> dict[str, Any]:
    """A workflow definition without the staff names servers before 0007 put in it (`candidates`). Migration 9
    strips the definitions kept from before; applying a pulled one strips it too (an old server still sends them)."""
    steps = [{k: v for k, v in step.items() if k != "candidates"} for step in definition.get("steps") or []]
    return {**definition, "steps": steps}


def _migration_9(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        "CREATE TABLE workflow_handlers (process_code VARCHAR(64) NOT NULL, user_id VARCHAR(32) NOT NULL, "
        "steps JSON NOT NULL, PRIMARY KEY (process_code, user_id))",
    )
    # Post holders are personal data now: out of the definitions kept from before (they outlive logouts).
    for code, raw in conn.execute("SELECT process_code, definition FROM workflows").fetchall():
        stripped = json.dumps(strip_post_holders(json.loads(raw)), ensure_ascii=False)
        conn.execute("UPDATE workflows SET definition = ? WHERE process_code = ?", (stripped, code))


def _migration_10(conn: sqlite3.Connection) -> None:
    # Drafts are sealed from now on, with a key kept outside this file (kiosk/services/drafts.py). Those written
    # before are plain text and the key is out of a migration's reach: they are dropped, not carried over, and
    # secure_delete zeroes their pages, so what was typed leaves the file.
    _run(
        conn,
        "DROP TABLE drafts",
        "CREATE TABLE drafts (user_id VARCHAR(32) NOT NULL, process_code VARCHAR(64) NOT NULL, "
        "form_version INTEGER NOT NULL, sealed TEXT NOT NULL, saved_at VARCHAR(40) NOT NULL, "
        "PRIMARY KEY (user_id, process_code))",
    )


def _migration_11(conn: sqlite3.Connection) -> None:
    # 消息中心's news (public, kept across logouts) and the user's read marks (personal; `sent` 0 until the
    # server has the mark). Listing is newest first by category or all: one index each.
    _run(
        conn,
        "CREATE TABLE news (id INTEGER NOT NULL, category VARCHAR(32) NOT NULL, title VARCHAR(200) NOT NULL, "
        "summary TEXT NOT NULL, author VARCHAR(64) NOT NULL, cover TEXT NOT NULL, published_at VARCHAR(40) NOT NULL, "
        "updated_at VARCHAR(40) NOT NULL, body TEXT NOT NULL, PRIMARY KEY (id))",
        "CREATE INDEX ix_news_category_published ON news (category, published_at, id)",
        "CREATE INDEX ix_news_published ON news (published_at, id)",
        "CREATE TABLE news_reads (user_id VARCHAR(32) NOT NULL, news_id INTEGER NOT NULL, "
        "read_at VARCHAR(40) NOT NULL, sent INTEGER NOT NULL, PRIMARY KEY (user_id, news_id))",
    )


def _migration_12(conn: sqlite3.Connection) -> None:
    # 日程中心: the user's calendar events as pulled (one row per event, its whole change kept) and their dated
    # occurrences (what the month/week/day views and 首页 read by time). Personal: wiped at logout.
    _run(
        conn,
        "CREATE TABLE calendar_events (user_id VARCHAR(32) NOT NULL, id VARCHAR(64) NOT NULL, "
        "kind VARCHAR(16) NOT NULL, data JSON NOT NULL, PRIMARY KEY (user_id, id))",
        "CREATE TABLE calendar_occurrences (user_id VARCHAR(32) NOT NULL, event_id VARCHAR(64) NOT NULL, "
        'start VARCHAR(40) NOT NULL, "end" VARCHAR(40) NOT NULL, all_day INTEGER NOT NULL, '
        "PRIMARY KEY (user_id, event_id, start))",
        "CREATE INDEX ix_calendar_occurrences_time ON calendar_occurrences (user_id, start)",
    )


def _migration_13(conn: sqlite3.Connection) -> None:
    # 日程中心's reminders shown, by (event, occurrence start): none is shown twice, not even after a restart,
    # and one that fell due while the app was closed is still known to be unshown. Personal: wiped at logout.
    _run(
        conn,
        "CREATE TABLE calendar_reminders_fired (user_id VARCHAR(32) NOT NULL, event_id VARCHAR(64) NOT NULL, "
        "start VARCHAR(40) NOT NULL, fired_at VARCHAR(40) NOT NULL, PRIMARY KEY (user_id, event_id, start))",
    )


def _migration_14(conn: sqlite3.Connection) -> None:
    # 打印证明 (docs/certificates.md#printing): the user's certificates as the server last described them (the
    # copy count with them) and the PDF once downloaded, so an offline kiosk can still print a copy it may.
    # Personal: wiped at logout.
    _run(
        conn,
        "CREATE TABLE certificates_held (user_id VARCHAR(32) NOT NULL, application_id VARCHAR(36) NOT NULL, "
        "certificate_id VARCHAR(32) NOT NULL, meta TEXT NOT NULL, pdf BLOB, "
        "PRIMARY KEY (user_id, application_id))",
    )


# Append-only: migration N brings user_version N-1 to N. Never edit one that has shipped.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migration_1,
    _migration_2,
    _migration_3,
    _migration_4,
    _migration_5,
    _migration_6,
    _migration_7,
    _migration_8,
    _migration_9,
    _migration_10,
    _migration_11,
    _migration_12,
    _migration_13,
    _migration_14,
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Run the migrations the file at `path` has not had yet; refuse a file of a newer program. `conn` is a
    connection that leaves transactions to its caller (sqlite_file.connect)."""
    # One transaction, opened here: Python's sqlite3 would run DDL outside any transaction, and a kiosk killed
    # between a CREATE TABLE and its user_version could never open its store again ("table meta already
    # exists"; the fault harness found it). IMMEDIATE also keeps a second process from migrating the same
    # file at the same time.
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(f"{path} has schema version {version}, newer than this program's {SCHEMA_VERSION}")
        for number in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[number - 1](conn)
            conn.execute(f"PRAGMA user_version={number}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return SCHEMA_VERSION
