"""replace lone surrogates and NUL in stored user text with U+FFFD

Before pushes were checked (issue 13), a lone UTF-16 surrogate ("\\ud800") or a NUL in a form field or a comment was
stored as sent; JSON columns keep them as escapes on both backends, and from then on every pull passing that
change, and the application's REST view, failed with a 500. Reads now replace such characters as they send them
(core/stored_text.py); this migration replaces them where they are stored, with the same character, so a
terminal that was served the replacement and the database agree.

What is scanned: the columns users (or their terminals) write — JSON: change_log.data, applications.data,
workflow_tasks.data, application_events.data, applied_ops.result and .error (replayed to the terminal); text:
workflow_tasks.comment, application_events.comment, notifications.title and .body (they quote comments),
attachments.name (a file name the client chose), auth_sessions.device_name and .user_agent. favorites.process_code
is a foreign key to the catalog, so it can hold nothing else. On SQLite each value is read as bytes, so also a
value a raw insert left as invalid UTF-8 (which the driver would refuse to read) is repaired. On PostgreSQL the
columns are `json`, which keeps "\\u0000" and "\\ud800" escapes as typed (`jsonb` could hold neither); its text
columns cannot hold NUL or surrogates at all (a UTF8 database refuses them), so only the JSON ones are scanned.

Nothing to undo on downgrade: the replaced characters are not put back.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 09:00:00
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("sync_server.migrations")

# (table, primary key, column): self-contained rather than imported from the models, which may change later.
JSON_COLUMNS = (
    ("change_log", "seq", "data"),
    ("applications", "id", "data"),
    ("workflow_tasks", "id", "data"),
    ("application_events", "id", "data"),
    ("applied_ops", "op_id", "result"),
    ("applied_ops", "op_id", "error"),
)
TEXT_COLUMNS = (
    ("workflow_tasks", "id", "comment"),
    ("application_events", "id", "comment"),
    ("notifications", "id", "title"),
    ("notifications", "id", "body"),
    ("attachments", "id", "name"),
    ("auth_sessions", "id", "device_name"),
    ("auth_sessions", "id", "user_agent"),
)
REPLACEMENT = "\ufffd"
BATCH = 2000
_UNSOUND = re.compile("[\x00\ud800-\udfff]")
# In JSON text: a NUL or surrogate escape, or the raw character (a raw insert on SQLite).
_UNSOUND_JSON = re.compile(r"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})|[\x00\ud800-\udfff]")


def _clean(value: Any) -> tuple[Any, int]:
    if isinstance(value, str):
        return _UNSOUND.subn(REPLACEMENT, value)
    if isinstance(value, dict):
        pairs = [(_clean(k), _clean(v)) for k, v in value.items()]
        return {k: v for (k, _), (v, _) in pairs}, sum(nk + nv for (_, nk), (_, nv) in pairs)
    if isinstance(value, list):
        items = [_clean(v) for v in value]
        return [v for v, _ in items], sum(n for _, n in items)
    return value, 0


def _decoded(raw: bytes | str) -> tuple[str, bool]:
    """Stored text as Python text, and whether it was not valid UTF-8 (then it must be written back)."""
    if isinstance(raw, str):
        return raw, False
    try:
        return raw.decode(), False
    except UnicodeDecodeError:
        # An encoded surrogate (ED A0 80) becomes the surrogate, cleaned below; any other bad byte, U+FFFD.
        text = raw.decode(errors="surrogatepass") if _decodes_with_surrogates(raw) else raw.decode(errors="replace")
        return text, True


def _decodes_with_surrogates(raw: bytes) -> bool:
    try:
        raw.decode(errors="surrogatepass")
    except UnicodeDecodeError:
        return False
    return True


def _rows(bind: sa.Connection, table: str, key: str, column: str, as_bytes: bool) -> Iterator[tuple[Any, Any]]:
    """(key, stored value as text or bytes) of the rows where `column` is set, in batches by key."""
    value = f"CAST({column} AS BLOB)" if as_bytes else f"CAST({column} AS TEXT)"
    last: Any = None
    while True:
        after = f"AND {key} > :last" if last is not None else ""
        batch = bind.execute(
            sa.text(
                f"SELECT {key}, {value} FROM {table} WHERE {column} IS NOT NULL {after} ORDER BY {key} LIMIT {BATCH}"
            ),
            {"last": last} if last is not None else {},
        ).all()
        yield from ((row[0], row[1]) for row in batch)
        if len(batch) < BATCH:
            return
        last = batch[-1][0]


def _clean_json(bind: sa.Connection, table: str, key: str, column: str, sqlite: bool) -> int:
    changed = 0
    target = ":value" if sqlite else "CAST(:value AS JSON)"
    update = sa.text(f"UPDATE {table} SET {column} = {target} WHERE {key} = :key")
    for pk, raw in list(_rows(bind, table, key, column, as_bytes=sqlite)):
        text, repaired = _decoded(raw)
        if not repaired and not _UNSOUND_JSON.search(text):
            continue
        try:
            cleaned, replaced = _clean(json.loads(text, strict=False))
        except ValueError:  # not JSON at all: nothing this migration can mend
            log.warning("0008: %s.%s of %s %r is not JSON; left as it is", table, column, key, pk)
            continue
        if replaced or repaired:
            # As SQLAlchemy's JSON type writes it (json.dumps, ASCII escapes).
            bind.execute(update, {"value": json.dumps(cleaned), "key": pk})
            changed += 1
    return changed


def _clean_text(bind: sa.Connection, table: str, key: str, column: str) -> int:
    changed = 0
    update = sa.text(f"UPDATE {table} SET {column} = :value WHERE {key} = :key")
    for pk, raw in list(_rows(bind, table, key, column, as_bytes=True)):
        text, repaired = _decoded(raw)
        cleaned, replaced = _UNSOUND.subn(REPLACEMENT, text)
        if replaced or repaired:
            bind.execute(update, {"value": cleaned, "key": pk})
            changed += 1
    return changed


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    counts = {f"{t}.{c}": _clean_json(bind, t, k, c, sqlite) for t, k, c in JSON_COLUMNS}
    if sqlite:
        counts.update({f"{t}.{c}": _clean_text(bind, t, k, c) for t, k, c in TEXT_COLUMNS})
    changed = {name: n for name, n in counts.items() if n}
    if changed:
        log.warning(
            "0008: replaced lone surrogates and NUL with U+FFFD in %d stored row(s)",
            sum(changed.values()),
            extra={"rows_changed": changed},
        )
    else:
        log.info("0008: no stored text needed cleaning", extra={"rows_changed": {}})


def downgrade() -> None:
    pass
