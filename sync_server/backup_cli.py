"""`campus-sync-server backup --out FILE | restore FILE [--force] | db-downgrade REVISION` (docs/deploy.md,
"Backups" and "Upgrades and rollback").

SQLite: SQLite's online backup API, a consistent copy taken in one read transaction, so it is safe while the
server writes (under WAL a reader neither waits for nor blocks the writers). PostgreSQL: `pg_dump -Fc` and
`pg_restore`, found on PATH or in /usr/lib/postgresql/*/bin (the newest; a pg_dump older than the server refuses)."""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing as _closing
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from sync_server.core.config import ENV_PREFIX, Settings

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"  # the custom format's header
# Where Debian and Ubuntu put the PostgreSQL client programs of each major version.
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


class BackupError(Exception):
    """What went wrong, for the administrator (exit status 1)."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    backup = sub.add_parser("backup", parents=[common], help="a consistent copy of the database, safe while serving")
    backup.add_argument("--out", required=True, metavar="FILE", help="where to write it (SQLite file or pg_dump -Fc)")
    restore = sub.add_parser("restore", parents=[common], help="load a backup into the database (stop the server)")
    restore.add_argument("file", help="a file made by `campus-sync-server backup`")
    restore.add_argument("--force", action="store_true", help="replace what the database holds")
    down = sub.add_parser("db-downgrade", parents=[common], help="undo migrations down to REVISION (back up first)")
    down.add_argument("revision", help="e.g. 0013 (the revision the previous release ran; /healthz shows it)")


def run(settings: Settings, args: argparse.Namespace) -> int:
    try:
        if args.command == "backup":
            backup(settings.db_url, Path(args.out))
            print(f"已备份到 {args.out}（{Path(args.out).stat().st_size} 字节）")
        elif args.command == "restore":
            restore(settings.db_url, Path(args.file), force=args.force)
            print(f"已从 {args.file} 恢复；启动服务器时将自动迁移到当前版本")
        else:
            from alembic import command

            from sync_server.migrate import alembic_config

            command.downgrade(alembic_config(settings.db_url), args.revision)
            print(f"已降级到 {args.revision}")
    except BackupError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


# -- backup ------------------------------------------------------------------------------------------------------


def backup(db_url: str, out: Path) -> None:
    url = make_url(db_url)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")  # never a half-written file under the final name
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_backup(_sqlite_path(url), partial)
        elif url.get_backend_name() == "postgresql":
            _run(_pg_tool("pg_dump"), ["--format=custom", "--no-owner", "--no-privileges", "--file", str(partial)], url)
        else:
            raise BackupError(f"不支持备份这种数据库：{url.get_backend_name()}")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("内存数据库无法备份或恢复")
    return Path(url.database)


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"数据库文件不存在：{source}")
    # Read-only: a backup never creates or changes the live database.
    with _closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)) as src:
        with _closing(sqlite3.connect(target)) as dst:
            # pages=-1: every page in one step, one read transaction, so the copy is one consistent moment
            # (in steps, a write between steps would restart the copy). A writer is not held up meanwhile.
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        _check_sqlite(target)


def _check_sqlite(path: Path) -> None:
    with _closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
    if verdict != "ok":
        raise BackupError(f"{path}：SQLite 检查未通过：{verdict}")


# -- restore -----------------------------------------------------------------------------------------------------


def restore(db_url: str, file: Path, *, force: bool) -> None:
    url = make_url(db_url)
    try:
        head = _head(file)
    except OSError as exc:
        raise BackupError(f"无法读取 {file}：{exc}") from None
    tables = _tables(db_url)
    if tables and not force:
        raise BackupError(
            f"目标数据库不是空的（{len(tables)} 张表，如 {sorted(tables)[0]}）；"
            "确认要用备份覆盖它，请先停止服务器，再加 --force"
        )
    if url.get_backend_name() == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{file} 不是 SQLite 备份（PostgreSQL 的备份须恢复到 PostgreSQL）")
        _check_sqlite(file)
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        # The backup API again, backwards: it replaces the target's pages under SQLite's own locking (a plain
        # file copy over a database with a -wal beside it would mix the two).
        with (
            _closing(sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)) as src,
            _closing(sqlite3.connect(target, timeout=30)) as dst,
        ):
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=WAL")
    elif url.get_backend_name() == "postgresql":
        if not head.startswith(PG_MAGIC):
            raise BackupError(f"{file} 不是 pg_dump -Fc 的备份（SQLite 的备份须恢复到 SQLite）")
        # One transaction: a failed restore leaves the database as it was. --clean drops what --force replaces.
        options = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
        if tables:
            options += ["--clean", "--if-exists"]
        _run(_pg_tool("pg_restore"), [*options, "--dbname", _dbname(url), str(file)], url)
    else:
        raise BackupError(f"不支持恢复到这种数据库：{url.get_backend_name()}")


def _head(file: Path) -> bytes:
    with file.open("rb") as fh:
        return fh.read(16)


def _tables(db_url: str) -> set[str]:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(db_url)
    try:
        return set(inspect(engine).get_table_names())
    except Exception as exc:  # unreachable server, wrong password: say so, not a traceback
        raise BackupError(f"无法连接目标数据库：{exc}") from None
    finally:
        engine.dispose()


# -- PostgreSQL's tools ------------------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    """`name` from CAMPUS_SYNC_PG_BIN if set, else the newest /usr/lib/postgresql/N/bin, else PATH: a pg_dump
    older than the server refuses to dump it, and Debian's PATH wrapper may pick an older cluster's."""
    configured = os.environ.get(ENV_PREFIX + "PG_BIN")
    if configured:
        candidates = [Path(configured) / name]
    else:

        def major(path: str) -> float:
            try:
                return float(Path(path).parent.name)
            except ValueError:
                return 0.0

        candidates = [Path(d) / name for d in sorted(glob.glob(PG_BIN_GLOB), key=major, reverse=True)]
        found = shutil.which(name)
        if found:
            candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    where = configured or f"PATH 和 {PG_BIN_GLOB}"
    raise BackupError(
        f"找不到 {name}（在 {where} 中）：请安装 PostgreSQL 客户端（Debian/Ubuntu：apt-get install postgresql-client，"
        f"主版本不低于服务器），或用 {ENV_PREFIX}PG_BIN 指明其目录"
    )


def _dbname(url: URL) -> str:
    return url.database or ""


def _run(tool: str, args: list[str], url: URL) -> None:
    # The connection goes through libpq's environment: the password never appears in a process list.
    env = {**os.environ}
    for var, value in (
        ("PGHOST", url.query.get("host") or url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value:
            env[var] = str(value[0] if isinstance(value, tuple) else value)
    done = subprocess.run([tool, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(tool).name} 失败（{done.returncode}）：{done.stderr.strip()[-2000:]}")
