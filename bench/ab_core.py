"""In-process timings of the sync core, for before/after comparisons of one tree against another on a noisy
machine (CPU seconds, not wall): run it with PYTHONPATH=<tree> on each tree in turn.

    PYTHONPATH=TREE .venv/bin/python bench/ab_core.py push SEEDED.db [N=1000]   (core.sync.push of N ★)
    PYTHONPATH=TREE .venv/bin/python bench/ab_core.py pull SEEDED.db [N=50000]  (pull_answer + serialising)
    PYTHONPATH=TREE .venv/bin/python bench/ab_core.py apply [N=50000]           (the kiosk's apply_changes)

SEEDED.db: `campus-sync-server seed-demo --db sqlite:///SEEDED.db` made by the same tree (it is copied, not changed).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path


def _copy(template: str) -> Path:
    tmp = Path(tempfile.mkdtemp()) / "db.sqlite"
    shutil.copy(template, tmp)
    return tmp


def push(template: str, n: int) -> float:
    from sync_server.core import sync
    from sync_server.db import Database

    db = Database(f"sqlite:///{_copy(template)}")
    now = datetime.now(UTC).isoformat()
    ops = [
        {"id": str(uuid.uuid4()), "seq": i + 1, "type": "favorite.set", "created_at": now, "signature": None,
         "payload": {"process_code": "xj-diannao-weixiu", "on": i % 2 == 0}}
        for i in range(n)
    ]  # fmt: skip
    cpu = time.process_time()
    for i in range(0, n, 50):
        assert all(r["status"] == "applied" for r in sync.push(db.sessions, "101203", "bench", ops[i : i + 50]))
    spent = time.process_time() - cpu
    db.dispose()
    return spent


def pull(template: str, n: int) -> float:
    from sqlalchemy import text

    from sync_server.core import sync
    from sync_server.db import Database

    db = Database(f"sqlite:///{_copy(template)}")
    now = datetime.now(UTC)
    with db.sessions.begin() as session:
        session.execute(
            text(
                "INSERT INTO change_log (scope, entity, entity_id, op, data, created_at) "
                "VALUES ('user:101203', 'favorite', :eid, 'upsert', :data, :now)"
            ),
            [{"eid": f"p{i}", "data": json.dumps({"process_code": f"p{i}", "on": True}), "now": now} for i in range(n)],
        )
    cpu, cursor = time.process_time(), 0
    while True:
        with db.read_sessions() as session:
            body = sync.pull_answer(session, user_id="101203", cursor=cursor, limit=1000, count_remaining=False)
        encode = getattr(sync, "pull_json", None)
        encode(body) if encode else json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    spent = time.process_time() - cpu
    db.dispose()
    return spent


def apply(n: int) -> float:
    from kiosk.models.store import LocalStore

    store = LocalStore(Path(tempfile.mkdtemp()) / "kiosk.db")
    changes = [
        {"seq": i + 1, "entity": "favorite", "id": f"p{i % 500}", "op": "upsert" if i % 3 else "delete",
         "data": {}, "scope": "user"}
        for i in range(n)
    ]  # fmt: skip
    cpu = time.process_time()
    for i in range(0, n, 1000):
        store.apply_changes("101203", changes[i : i + 1000], "user.sync.cursor.101203", i + 1000, "e")
    spent = time.process_time() - cpu
    store.close()
    return spent


def main() -> int:
    what = sys.argv[1]
    if what == "apply":
        print(f"apply cpu {apply(int(sys.argv[2]) if len(sys.argv) > 2 else 50_000):.3f} s")
    elif what == "push":
        print(f"push cpu {push(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1000):.3f} s")
    else:
        print(f"pull cpu {pull(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 50_000):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
