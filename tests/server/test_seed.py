"""Demo data: the manual's processes, users with its password rule, idempotent seeding, --print-users."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sync_server.db import Database
from sync_server.models import NewsItem, Process, User
from sync_server.seed import load_seed
from tests.helpers import ROOT, server_cmd

SHARED_TSV = ROOT.parent / "shared" / "data" / "hall_processes.tsv"


def _id_checksum_ok(national_id: str) -> bool:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(national_id[:17], weights, strict=True))
    return "10X98765432"[total % 11] == national_id[17]


def test_processes_match_the_manuals_table() -> None:
    processes = load_seed("processes.json")
    assert len(processes) == 64
    assert len({p["code"] for p in processes}) == 64
    if not SHARED_TSV.exists():
        pytest.skip("shared/data/hall_processes.tsv is not beside this checkout")
    with SHARED_TSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert [(p["department"], p["name"], "/".join(p["audience"])) for p in processes] == [
        (r["department"], r["process"], r["audience"]) for r in rows
    ]
    categories = {p["category"] for p in processes}
    assert categories == {"教学教务", "组织人事", "学生服务", "生活服务", "网络服务", "校务综合"}


def test_demo_users_cover_the_roles_and_ids_are_valid() -> None:
    users = load_seed("demo_content.json")["users"]
    names = {u["name"]: u for u in users}
    assert names["刘诗宏"]["role"] == "staff"
    assert names["贾孟杰"]["role"] == "approver"
    assert {"student", "staff", "approver", "external", "admin"} <= {u["role"] for u in users}
    for u in users:
        assert len(u["national_id"]) == 18 and _id_checksum_ok(u["national_id"]), u["user_id"]
        assert u["user_id"] == u["user_id"].upper()
        # 联系电话 is filled from the records: a mobile the forms' cn-mobile accepts, for everyone in the demo.
        assert re.fullmatch(r"1[3-9][0-9]{9}", u.get("phone") or ""), u["user_id"]
    students = [u for u in users if u["role"] == "student"]
    assert all(u.get("class") and u.get("major") for u in students)  # 班级 and 专业 fill the students' forms


def test_seed_is_idempotent_and_hashes_with_argon2id(seeded_sqlite: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "s.db"
    db_path.write_bytes(seeded_sqlite.read_bytes())
    url = f"sqlite:///{db_path}"
    db = Database(url)
    with db.session() as s:
        before = (
            s.scalar(select(func.count()).select_from(Process)),
            s.scalar(select(func.count()).select_from(User)),
            s.scalar(select(func.count()).select_from(NewsItem)),
        )
        hashes = dict(s.execute(select(User.user_id, User.password_hash)).all())
    assert before[0] == 64
    assert all(h.startswith("$argon2id$") for h in hashes.values())
    with db.session() as s:
        assert all(s.scalars(select(User.must_change_password)))

    result = subprocess.run(
        server_cmd("seed-demo", "--print-users", "json", db_url=url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    with db.session() as s:
        after = (
            s.scalar(select(func.count()).select_from(Process)),
            s.scalar(select(func.count()).select_from(User)),
            s.scalar(select(func.count()).select_from(NewsItem)),
        )
        assert dict(s.execute(select(User.user_id, User.password_hash)).all()) == hashes
    db.dispose()
    assert after == before

    assert {"user_id", "name", "role", "department", "password"} == set(printed[0])
    specs = {u["user_id"]: u for u in load_seed("demo_content.json")["users"]}
    for user in printed:
        assert user["password"] == specs[user["user_id"]]["national_id"][-6:].upper()
    liu = next(u for u in printed if u["name"] == "刘诗宏")
    assert liu["department"] == "现代教育技术中心"


def test_outside_the_suite_hashes_use_rfc_9106_and_the_tests_cheap_ones_are_upgraded() -> None:
    """The suite's servers hash with argon2's test profile (tests/conftest.py); a real server must not."""
    from sync_server.core import security

    cheap = security.hash_password("demo-pass")
    assert cheap.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    check = (
        "import sys; from sync_server.core import security as s\n"
        "cheap = sys.argv[1]\n"
        "print(s.hash_password('x').split('$')[3], s.verify_password(cheap, 'demo-pass'), s.needs_rehash(cheap))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != security.ARGON2_PROFILE_ENV}
    out = subprocess.run(
        [sys.executable, "-c", check, cheap], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["m=65536,t=3,p=4", "True", "True"]
    bad = subprocess.run(
        [sys.executable, "-c", "import sync_server.core.security"],
        cwd=ROOT,
        env={**env, security.ARGON2_PROFILE_ENV: "weak"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode != 0 and "CAMPUS_SYNC_ARGON2_PROFILE must be one of" in bad.stderr
