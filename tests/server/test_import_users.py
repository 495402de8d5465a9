"""`campus-sync-server import-users`: idempotent, every bad line reported, all or nothing unless --partial."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sqlalchemy import func, select

from sync_server.core.change_log import MEMBERS_SCOPE
from sync_server.core.security import verify_password
from sync_server.db import Database
from sync_server.models import ChangeLog, User
from tests.helpers import copy_sqlite, run_server_cli

HEADER = "user_id,name,role,department,post,national_id_last6,email,phone\n"
GOOD = (
    "2026990001,赵一鸣,student,信息工程学院,,12345X,zym@stu.ztbu.example,13800000001\n"
    "t26001,钱多多,staff,jwc,,654321,,\n"
)
BAD = (
    "2026990002,,student,信息工程学院,,123456,,\n"
    "2026990003,孙三,teacher,信息工程学院,,123456,,\n"
    "2026990004,李四,student,不存在学院,,12345,bad-mail,123\n"
    "2026990001,重复,student,信息工程学院,,123456,,\n"
)


def _run(db_url: str, csv_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return run_server_cli("import-users", str(csv_path), *flags, db_url=db_url)


def _count(db_url: str) -> int:
    db = Database(db_url)
    with db.session() as s:
        n = s.scalar(select(func.count()).select_from(User)) or 0
    db.dispose()
    return n


def test_import_all_or_nothing_then_partial_then_idempotent(seeded_sqlite: Path, tmp_path: Path) -> None:
    db_url = copy_sqlite(seeded_sqlite, tmp_path / "db")
    before = _count(db_url)
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(HEADER + GOOD + BAD, encoding="utf-8-sig")
    result = _run(db_url, mixed)
    assert result.returncode == 1
    assert _count(db_url) == before  # nothing written
    for line, reason in (
        (4, "姓名为空"),
        (5, "角色必须是"),
        (6, "未知部门"),
        (6, "身份证后 6 位"),
        (6, "邮箱"),
        (6, "手机号"),
        (7, "与第 2 行重复"),
    ):
        assert any(f":{line}: " in err and reason in err for err in result.stderr.splitlines()), (line, reason)

    partial = _run(db_url, mixed, "--partial")
    assert partial.returncode == 3 and "新建 2 个用户" in partial.stdout
    assert _count(db_url) == before + 2
    db = Database(db_url)
    with db.session() as s:
        zhao = s.get(User, "2026990001")
        assert zhao is not None and zhao.must_change_password and verify_password(zhao.password_hash, "12345X")
        assert s.get(User, "T26001") is not None  # letters upper-cased
    db.dispose()

    good = tmp_path / "good.csv"
    good.write_text(HEADER + GOOD, encoding="utf-8")
    again = _run(db_url, good)
    assert again.returncode == 0 and "新建 0 个用户，更新 0 个用户" in again.stdout
    assert _count(db_url) == before + 2


def test_missing_columns_and_unreadable_file(seeded_sqlite: Path, tmp_path: Path) -> None:
    db_url = copy_sqlite(seeded_sqlite, tmp_path / "db")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("id,name\n1,x\n", encoding="utf-8")
    result = _run(db_url, wrong)
    assert result.returncode == 1 and "表头缺少列" in result.stderr
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert _run(db_url, binary).returncode == 1


def test_unlock_and_reset_from_the_command_line(seeded_sqlite: Path, tmp_path: Path) -> None:
    from sync_server.core.auth import authenticate
    from sync_server.core.errors import Unauthorized
    from sync_server.models import LoginFailure

    db_url = copy_sqlite(seeded_sqlite, tmp_path / "db")
    db = Database(db_url)
    with db.session() as s:
        for _ in range(5):
            try:
                authenticate(s, "101203", "wrong-pass-1", "127.0.0.1")
            except Unauthorized:
                s.commit()
        assert s.get(LoginFailure, "101203").locked_until is not None
    unlocked = run_server_cli("unlock-user", "101203", db_url=db_url, timeout=60)
    assert unlocked.returncode == 0 and "已解除锁定" in unlocked.stdout
    with db.session() as s:
        assert s.get(LoginFailure, "101203") is None
    bad = run_server_cli("reset-password", "101203", "12345x", db_url=db_url, timeout=60)
    assert bad.returncode == 1 and "大写 X" in bad.stderr
    ok = run_server_cli("reset-password", "z2023030107", "65432X", db_url=db_url, timeout=60)
    assert ok.returncode == 0, ok.stderr
    with db.session() as s:
        user = s.get(User, "Z2023030107")
        assert user is not None and user.must_change_password and verify_password(user.password_hash, "65432X")
    missing = run_server_cli("unlock-user", "NOBODY", db_url=db_url, timeout=60)
    assert missing.returncode == 1
    db.dispose()


def test_a_new_post_holder_reaches_the_terminals_with_the_workflows(seeded_sqlite: Path, tmp_path: Path) -> None:
    """Terminals offer a fixed post's holders as 选择审核人 (the "workflow_handlers" change, for signed-in users):
    after an import adds a 教务处办事员, the holders of the processes 教务处 handles are announced again with her;
    nothing else is, and the public definitions (which name no one) are not announced again."""
    db_url = copy_sqlite(seeded_sqlite, tmp_path / "db")
    db = Database(db_url)
    with db.session() as s:
        last = s.scalar(select(func.max(ChangeLog.seq))) or 0
    clerk = tmp_path / "clerk.csv"
    clerk.write_text(HEADER + "t26002,冯办事,approver,jwc,jwc-bsy,654321,,\n", encoding="utf-8")
    assert _run(db_url, clerk).returncode == 0
    with db.session() as s:
        changes = s.scalars(select(ChangeLog).where(ChangeLog.seq > last)).all()
    db.dispose()
    assert {(c.entity, c.scope) for c in changes} == {("workflow_handlers", MEMBERS_SCOPE)}
    announced = {c.entity_id: c.data for c in changes}
    assert "jw-chengjidan" in announced and "xj-diannao-weixiu" not in announced
    handlers = announced["jw-chengjidan"]
    assert handlers is not None and handlers["process_code"] == "jw-chengjidan"
    assert "冯办事" in [h["name"] for h in handlers["steps"]["handle"]]
    assert _run(db_url, clerk).returncode == 0  # the same file again: nothing new to announce
    db = Database(db_url)
    with db.session() as s:
        again = s.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.seq > last))
    db.dispose()
    assert again == len(changes)


def test_a_server_upgraded_from_before_announces_the_post_holders_when_it_starts(
    seeded_sqlite: Path, tmp_path: Path
) -> None:
    """A database from before workflow_handlers existed (its definitions announced, the post holders not): the
    server's start (init-db, run by serve before the workers) announces them once; a second start adds nothing."""
    from sync_server.models import ServerMeta

    db_url = copy_sqlite(seeded_sqlite, tmp_path / "db")
    db = Database(db_url)
    with db.transaction() as s:
        s.execute(ChangeLog.__table__.delete().where(ChangeLog.entity == "workflow_handlers"))
        s.execute(ServerMeta.__table__.delete().where(ServerMeta.key.like("workflow_handlers.announced:%")))
        before = s.scalar(select(func.max(ChangeLog.seq))) or 0

    def announced() -> list[str]:
        with db.session() as s:
            rows = s.scalars(
                select(ChangeLog.entity_id).where(ChangeLog.seq > before, ChangeLog.entity == "workflow_handlers")
            ).all()
        return [str(r) for r in rows]

    init = run_server_cli("init-db", db_url=db_url, timeout=120)
    assert init.returncode == 0, init.stderr
    first = announced()
    assert "xj-diannao-weixiu" in first and len(first) == len(set(first)) > 50
    with db.session() as s:
        scopes = set(s.scalars(select(ChangeLog.scope).where(ChangeLog.seq > before)).all())
    assert scopes == {MEMBERS_SCOPE}  # nothing public, and the definitions were not announced again
    assert run_server_cli("init-db", db_url=db_url, timeout=120).returncode == 0
    assert announced() == first
    db.dispose()


def test_profile_columns_in_chinese_unknown_columns_and_line_numbers(db_url: str, tmp_path: Path) -> None:
    """班级, 学院 and 专业 reach what the forms are filled with; an unknown column and a bad row are reported with
    their line numbers (a quoted value spanning two lines counted as two), and nothing is written."""
    from sync_server.core.form_data import profile_values

    before = _count(db_url)
    header = "学号,姓名,角色,学院,班级,专业,身份证后6位,手机号\n"
    rows = '2026990101,周一,student,信息工程学院,计科2301,"软件\n工程",12345X,13800000101\n'
    bad = "2026990102,吴二,student,信息工程学院,计科2301,软件工程,1234,\n"
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(header.replace("专业", "宿舍"), encoding="utf-8")
    refused = _run(db_url, unknown)
    assert refused.returncode == 1 and f"{unknown}:1: 未知的列：宿舍" in refused.stderr
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(header + rows + bad, encoding="utf-8-sig")
    result = _run(db_url, mixed)
    assert result.returncode == 1 and f"{mixed}:4: 身份证后 6 位格式不对" in result.stderr, result.stderr
    assert _count(db_url) == before  # the good row is not written either

    good = tmp_path / "good.csv"
    good.write_text(header + rows, encoding="utf-8")
    assert _run(db_url, good).returncode == 0
    only_required = tmp_path / "names.csv"
    only_required.write_text(
        "user_id,name,role,national_id_last6\n2026990101,周一一,student,12345X\n", encoding="utf-8"
    )
    assert _run(db_url, only_required).returncode == 0  # the columns left out keep what the user had
    db = Database(db_url)
    with db.session() as s:
        zhou = s.get(User, "2026990101")
        assert zhou is not None
        assert (zhou.name, zhou.class_name, zhou.major, zhou.phone) == (
            "周一一",
            "计科2301",
            "软件\n工程",
            "13800000101",
        )
        profile = profile_values(s, zhou)
        assert (profile["profile.class_name"], profile["profile.department_name"]) == ("计科2301", "信息工程学院")
    db.dispose()
