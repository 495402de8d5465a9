"""`campus-sync-server serve | init-db | seed-demo | …`: run, prepare and look after the sync server."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sync_server import backup_cli, certificates_cli, mail_keys_cli, releases_cli
from sync_server.core.config import ENV_PREFIX, Settings
from sync_server.startup import init_db

if TYPE_CHECKING:
    from sync_server.core.content import NewsDraft


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        help="SQLAlchemy URL (default: a SQLite file in the user data dir; "
        "PostgreSQL: postgresql+psycopg://user:pass@host/db)",
    )
    parser = argparse.ArgumentParser(prog="campus-sync-server", description=__doc__, parents=[common])
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", parents=[common], help="run the HTTP server (migrates the database first)")
    serve.add_argument("--host", default=None, help="bind address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8765; 0 picks a free one)")
    serve.add_argument("--workers", type=int, default=None, help="worker processes (default 1)")
    serve.add_argument("--public-url", default=None, help="base URL phones use for /m/ pages (QR login)")
    serve.add_argument("--port-file", default=None, help="write the bound port to this file once listening")

    sub.add_parser("init-db", parents=[common], help="create or migrate the database schema")

    seed = sub.add_parser("seed-demo", parents=[common], help="load the demo data (idempotent)")
    seed.add_argument("--print-users", choices=["json", "table"], help="print the demo users and passwords")
    users = sub.add_parser("import-users", parents=[common], help="create or update users from a CSV file")
    users.add_argument("file", help="CSV with user_id,name,role,department,post,national_id_last6,email,phone")
    users.add_argument("--partial", action="store_true", help="write the good lines even if some are bad")
    unlock = sub.add_parser("unlock-user", parents=[common], help="lift a login lockout (5 wrong passwords)")
    unlock.add_argument("user_id")
    reset = sub.add_parser(
        "reset-password",
        parents=[common],
        help="set an initial password (last 6 of the national ID) to be changed at next login",
    )
    reset.add_argument("user_id")
    reset.add_argument("initial_password", help="the last 6 characters of the national ID, X upper-case")
    purge = sub.add_parser(
        "purge-attachments",
        parents=[common],
        help="delete uploaded attachments that no submitted form names, once older than the retention period",
    )
    purge.add_argument(
        "--older-than",
        type=_positive_hours,
        metavar="HOURS",
        help="age in hours (default: CAMPUS_SYNC_ATTACHMENT_RETENTION_HOURS, at least 14 days)",
    )
    purge.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")
    cas_service = sub.add_parser(
        "cas-service", parents=[common], help="the campus systems the portal may sign users into (CAS, docs/cas.md)"
    )
    cas_sub = cas_service.add_subparsers(dest="cas_command", required=True)
    cas_add = cas_sub.add_parser("add", parents=[common], help="allow service URLs under a prefix")
    cas_add.add_argument("url_prefix", help="e.g. https://jwxt.example.edu.cn/ (scheme, host, path prefix)")
    cas_add.add_argument("--name", required=True, help="what users see, e.g. 教务系统")
    cas_add.add_argument("--app", default=None, help="the 应用中心 entry's code, if any")
    cas_sub.add_parser("list", parents=[common], help="list the allowed service URL prefixes")
    cas_remove = cas_sub.add_parser("remove", parents=[common], help="stop signing users into a service")
    cas_remove.add_argument("key", help="the id or URL prefix that `list` shows")
    term = sub.add_parser("import-term", parents=[common], help="create or replace a term calendar (docs/calendar.md)")
    term.add_argument("file", help="JSON: name, start (a Monday), weeks, periods, holidays, makeup_days")
    timetable = sub.add_parser(
        "import-timetable", parents=[common], help="replace a term's timetable from a CSV file (docs/calendar.md)"
    )
    timetable.add_argument("file", help="CSV: code,course,teacher,teacher_id,room,class,students,weekday,periods,weeks")
    timetable.add_argument("--term", default=None, help="the term's name (default: the latest term)")
    meetings = sub.add_parser("meetings", parents=[common], help="每周会议: publish, list and remove meetings")
    meetings_sub = meetings.add_subparsers(dest="meetings_command", required=True)
    m_add = meetings_sub.add_parser("add", parents=[common], help="publish a meeting to departments and/or people")
    m_add.add_argument("--title", required=True)
    m_add.add_argument("--start", required=True, help="RFC 3339, e.g. 2026-12-14T09:00:00+08:00")
    m_add.add_argument("--end", required=True)
    m_add.add_argument("--place", default="")
    m_add.add_argument("--host", default="")
    m_add.add_argument("--organizer", default=None, help="the publishing department's code")
    m_add.add_argument("--departments", default="", help="comma-separated department codes whose staff attend")
    m_add.add_argument("--attendees", default="", help="comma-separated 学号/工号")
    m_add.add_argument("--note", default="")
    meetings_sub.add_parser("list", parents=[common], help="list the meetings")
    m_remove = meetings_sub.add_parser("remove", parents=[common], help="cancel a meeting (its attendees are told)")
    m_remove.add_argument("meeting_id", type=int)
    _content_parser(sub, common)
    mail_keys_cli.add_parser(sub, common)
    _devices_parser(sub, common)
    releases_cli.add_parser(sub, common)
    backup_cli.add_parser(sub, common)
    certificates_cli.add_parsers(sub, common)
    return parser


def _devices_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    devices = sub.add_parser("devices", parents=[common], help="enrolled terminals: enroll, list, revoke (deploy.md)")
    what = devices.add_subparsers(dest="devices_command", required=True)
    enroll = what.add_parser("enroll", parents=[common], help="a one-time enrollment code for a new terminal")
    enroll.add_argument("--name", required=True, help="what users and IT call it, e.g. 图书馆一楼自助机")
    enroll.add_argument("--location", default="", help="where it stands")
    enroll.add_argument("--group", default="", help="a group of devices (roll-outs per group)")
    enroll.add_argument("--valid-hours", type=float, default=24.0, help="how long the code works (default 24)")
    enroll.add_argument("--json", action="store_true", help="print the device and code as JSON")
    listing = what.add_parser("list", parents=[common], help="the fleet, with STALE and DEEP flags")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    revoke = what.add_parser("revoke", parents=[common], help="stop honouring a device (its next request is refused)")
    revoke.add_argument("device_id")


_INTERNAL_IMAGES = (
    "images from the campus network: fetch the articles' images from private addresses and this machine too "
    "(default: public addresses only; docs/content.md, Images)"
)


def _content_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    content = sub.add_parser("content", parents=[common], help="news: add, import, feeds (docs/content.md)")
    what = content.add_subparsers(dest="content_command", required=True)
    add = what.add_parser("add", parents=[common], help="add one news item")
    add.add_argument("--category", required=True, help="a code or a name: notice / 通知公告, school_news / 学校新闻, …")
    add.add_argument("--title", required=True)
    add.add_argument("--body-file", required=True, help="the body: HTML (.html, .htm) or plain text (anything else)")
    add.add_argument("--summary", default=None, help="default: the body's first 120 characters")
    add.add_argument("--author", default="")
    add.add_argument("--published-at", default=None, help="ISO 8601, e.g. 2026-11-16T10:00:00+08:00 (default: now)")
    add.add_argument("--internal-images", action="store_true", help=_INTERNAL_IMAGES)
    imp = what.add_parser("import", parents=[common], help="add or update news items from a JSON array or JSON lines")
    imp.add_argument(
        "file",
        help="objects with category, title, body, and optionally body_format (html|text), "
        "summary, author, published_at, guid (the same guid again updates that item)",
    )
    imp.add_argument("--internal-images", action="store_true", help=_INTERNAL_IMAGES)
    what.add_parser("fetch-feeds", parents=[common], help="import every configured RSS/Atom feed once, now")
    feed = what.add_parser("feed", parents=[common], help="the RSS/Atom feeds imported on a schedule")
    feeds = feed.add_subparsers(dest="feed_command", required=True)
    feed_add = feeds.add_parser("add", parents=[common], help="import a feed into a category")
    feed_add.add_argument("category")
    feed_add.add_argument("url")
    feed_add.add_argument(
        "--internal", action="store_true", help="a campus-internal feed: " + _INTERNAL_IMAGES.split(": ", 1)[1]
    )
    feeds.add_parser("list", parents=[common], help="the feeds, with their last import")
    feed_remove = feeds.add_parser("remove", parents=[common], help="stop importing a feed (its items stay)")
    feed_remove.add_argument("feed_id", type=int)


def _positive_hours(value: str) -> float:
    try:
        hours = float(value)
    except ValueError:
        hours = 0.0
    if not hours > 0:
        raise argparse.ArgumentTypeError("HOURS must be a number greater than 0")
    return hours


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {
        "DB": getattr(args, "db", None),
        "HOST": getattr(args, "host", None),
        "PORT": getattr(args, "port", None),
        "WORKERS": getattr(args, "workers", None),
        "PUBLIC_URL": getattr(args, "public_url", None),
    }
    for key, value in overrides.items():
        if value is not None:
            os.environ[ENV_PREFIX + key] = str(value)
    settings = Settings.from_env()
    # Worker processes rebuild settings from the environment; make sure they see the same ones.
    os.environ.update(settings.to_env())
    return settings


def seed_demo(settings: Settings, print_users: str | None) -> None:
    from sync_server.db import Database
    from sync_server.seed import seed_demo as load

    init_db(settings)
    db = Database(settings.db_url)
    with db.transaction() as session:
        users = load(session)
    db.dispose()
    if print_users == "json":
        print(json.dumps(users, ensure_ascii=False, indent=2))
    elif print_users == "table":
        for u in users:
            print(f"{u['user_id']:<14}{u['password']:<8}{u['role']:<10}{u['name']}\t{u['department']}")


def import_users(settings: Settings, file: str, partial: bool) -> int:
    from pathlib import Path

    from sync_server.core.user_import import import_users as run
    from sync_server.db import Database

    init_db(settings)
    db = Database(settings.db_url)
    with db.sessions() as session:
        report = run(session, Path(file), partial=partial)
        if report.written:
            session.commit()
    db.dispose()
    for line, reason in report.errors:
        print(f"{file}:{line}: {reason}", file=sys.stderr)
    if report.written:
        print(
            f"新建 {len(report.created)} 个用户，更新 {len(report.updated)} 个用户"
            + (f"，跳过 {len(report.errors)} 行有错误的数据" if report.errors else "")
        )
    else:
        print(
            f"有 {len(report.errors)} 行数据有错误，未写入任何用户（使用 --partial 可只导入正确的行）", file=sys.stderr
        )
    return 0 if not report.errors else (1 if not report.written else 3)


def admin_action(settings: Settings, command: str, user_id: str, initial: str | None) -> int:
    import re

    from sync_server.core import auth
    from sync_server.db import Database
    from sync_server.models import User

    init_db(settings)
    db = Database(settings.db_url)
    try:
        with db.transaction() as session:
            user = session.get(User, auth.normalise_user_id(user_id))
            if user is None:
                print(f"没有这个用户：{user_id}", file=sys.stderr)
                return 1
            if command == "unlock-user":
                auth.unlock(session, user.user_id)
                print(f"已解除锁定：{user.user_id} {user.name}")
            else:
                assert initial is not None
                if not re.fullmatch(r"[0-9]{5}[0-9X]", initial):
                    print("初始密码应为身份证后 6 位（5 位数字加 1 位数字或大写 X）", file=sys.stderr)
                    return 1
                auth.reset_password(session, user, initial)
                print(f"已重置密码：{user.user_id} {user.name}，下次登录须修改密码；其所有登录已退出")
    finally:
        db.dispose()
    return 0


def purge_attachments(settings: Settings, older_than: float | None, dry_run: bool) -> int:
    from datetime import timedelta

    from campus_common.forms import size_text
    from sync_server.core.attachment_retention import effective_retention, purge_unreferenced
    from sync_server.db import Database

    if older_than is not None:  # the admin's explicit choice, even under a grant's lifetime
        hours = older_than
    else:  # as the server's own purge: never under GRANT_TTL
        setting = timedelta(hours=settings.attachment_retention_hours)
        hours = effective_retention(setting) / timedelta(hours=1) if setting > timedelta(0) else 0
    if hours <= 0:
        print("附件保留时间为 0（CAMPUS_SYNC_ATTACHMENT_RETENTION_HOURS），请用 --older-than 指定", file=sys.stderr)
        return 2
    init_db(settings)
    db = Database(settings.db_url)
    try:
        report = purge_unreferenced(db.sessions, older_than=timedelta(hours=hours), dry_run=dry_run)
    finally:
        db.dispose()
    if report.busy:
        print("另一个服务器进程正在清理附件，本次未执行", file=sys.stderr)
        return 3
    what = f"{report.deleted} 个超过 {hours:g} 小时、未被任何申请引用的附件（{size_text(report.deleted_bytes)}）"
    kept = f"；{report.kept} 个同样久的附件被申请引用，保留" if report.kept else ""
    print(f"将删除 {what}{kept}（试运行，未删除）" if dry_run else f"已删除 {what}{kept}")
    return 0


def cas_service(settings: Settings, args: argparse.Namespace) -> int:
    from sync_server.core import cas
    from sync_server.core.errors import DomainError
    from sync_server.db import Database

    init_db(settings)
    db = Database(settings.db_url)
    try:
        with db.transaction() as session:
            if args.cas_command == "add":
                row = cas.add_service(session, name=args.name, url_prefix=args.url_prefix, app_code=args.app)
                print(f"已登记：{row.id}\t{row.url_prefix}\t{row.name}")
            elif args.cas_command == "remove":
                row = cas.remove_service(session, key=args.key)
                print(f"已删除：{row.url_prefix}\t{row.name}")
            else:
                for row in cas.list_services(session):
                    state = "" if row.enabled else "\t（停用）"
                    print(f"{row.id}\t{row.url_prefix}\t{row.name}\t{row.app_code or '-'}{state}")
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    finally:
        db.dispose()
    return 0


def _news_records(path: str) -> list[tuple[int, object]]:
    """(line or position, object) of a JSON array or of JSON lines."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    if text.lstrip().startswith("["):
        return list(enumerate(json.loads(text), start=1))
    return [(n, json.loads(line)) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


def _news_draft(record: object) -> NewsDraft:
    from datetime import datetime

    from sync_server.core.content import NewsDraft
    from sync_server.core.errors import Invalid

    if not isinstance(record, dict):
        raise Invalid("invalid_content", "应为一个 JSON 对象")
    unknown = set(record) - {"category", "title", "body", "body_format", "summary", "author", "published_at", "guid"}
    if unknown:
        raise Invalid("invalid_content", f"未知字段：{', '.join(sorted(unknown))}")
    published = record.get("published_at")
    try:
        moment = datetime.fromisoformat(published) if isinstance(published, str) else None
    except ValueError:
        raise Invalid("invalid_content", f"published_at 不是 ISO 8601 时间：{published!r}") from None
    if published is not None and moment is None:
        raise Invalid("invalid_content", "published_at 应为 ISO 8601 时间文本")
    return NewsDraft(
        category=record.get("category", ""),
        title=record.get("title", ""),
        body=record.get("body", ""),
        body_format=record.get("body_format", "html"),
        summary=record.get("summary"),
        author=record.get("author", ""),
        published_at=moment,
        guid=record.get("guid"),
    )


def content_command(settings: Settings, args: argparse.Namespace) -> int:
    from sync_server.core import content, feeds
    from sync_server.core.content_images import ImageCache
    from sync_server.core.errors import DomainError
    from sync_server.db import Database

    init_db(settings)
    db = Database(settings.db_url)
    try:
        if args.content_command == "fetch-feeds":
            report = feeds.import_feeds(db.sessions)
            for f in report.feeds:
                outcome = f"失败：{f.error}" if f.error else f"新增 {f.inserted}，更新 {f.updated}，未变 {f.unchanged}"
                print(f"[{f.feed_id}] {f.url}  {outcome}", file=sys.stderr if f.error else sys.stdout)
            if not report.feeds:
                print("没有配置订阅（campus-sync-server content feed add 栏目 网址）")
            return 3 if report.failed else 0
        if args.content_command == "feed" and args.feed_command == "list":
            with db.sessions() as session:
                for row in feeds.list_feeds(session):
                    last = row.last_fetched_at.isoformat(timespec="seconds") if row.last_fetched_at else "从未"
                    failed = f"（{row.last_error}）" if row.last_error else ""
                    inside = "\t校内" if row.internal else ""
                    print(f"{row.id}\t{row.category}\t{row.url}{inside}\t上次：{last}{failed}")
            return 0
        # The articles' images are fetched before the transaction (a slow site must not hold the database).
        images = ImageCache(db.sessions, internal=bool(getattr(args, "internal_images", False)))
        kept: dict[str, str | None] = {}
        if args.content_command == "add":
            with open(args.body_file, encoding="utf-8") as fh:
                body = fh.read()
            html = args.body_file.lower().endswith((".html", ".htm"))
            draft = _news_draft(
                {
                    "category": args.category,
                    "title": args.title,
                    "body": body,
                    "summary": args.summary,
                    "author": args.author,
                    "published_at": args.published_at,
                    "body_format": "html" if html else "text",
                }
            )
            kept = images.localize(content.draft_images(draft))
        records = list(_news_records(args.file)) if args.content_command == "import" else []
        for _where, record in records:
            try:
                kept.update(images.localize(content.draft_images(_news_draft(record))))
            except DomainError:
                continue  # reported below, with its line
        with db.transaction() as session:
            if args.content_command == "add":
                item = content.create_news(session, draft, kept=kept)
                print(f"已添加：{item.id} {item.title}")
            elif args.content_command == "import":
                errors: list[str] = []
                written = 0
                for where, record in records:
                    try:
                        with session.begin_nested():
                            content.create_news(session, _news_draft(record), kept=kept)
                        written += 1
                    except DomainError as refused:
                        field = f"（{', '.join(refused.fields)}）" if refused.fields else ""
                        errors.append(f"{args.file}:{where}: {refused.message}{field}")
                for line in errors:
                    print(line, file=sys.stderr)
                if errors:
                    session.rollback()
                    print(f"有 {len(errors)} 条有错误，未导入任何一条", file=sys.stderr)
                    return 1
                print(f"已导入 {written} 条")
            elif args.feed_command == "add":
                feed = feeds.add_feed(session, category=args.category, url=args.url, internal=args.internal)
                print(f"已添加订阅 {feed.id}：{feed.category} {feed.url}")
            else:
                feeds.remove_feed(session, args.feed_id)
                print(f"已删除订阅 {args.feed_id}（已导入的新闻保留）")
    except DomainError as refused:
        print(refused.message, file=sys.stderr)
        return 1
    except (OSError, ValueError) as failure:  # an unreadable file, JSON that does not parse
        print(f"无法读取：{failure}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    return 0


def import_term(settings: Settings, file: str) -> int:
    from pathlib import Path

    from sync_server.core.calendar_terms import TermError
    from sync_server.core.calendar_timetable import save_term
    from sync_server.db import Database

    try:
        spec = json.loads(Path(file).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        print(f"{file}: 无法读取 JSON：{exc}", file=sys.stderr)
        return 1
    init_db(settings)
    db = Database(settings.db_url)
    try:
        with db.transaction() as session:
            term = save_term(session, spec)
    except TermError as exc:
        print(f"{file}: {exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(
        f"已导入学期 {term.name}：{term.start} 起 {term.weeks} 周，{len(term.periods)} 节，"
        f"{len(term.holidays)} 天假日，{len(term.makeup)} 个调休日（请重新导入课表以按新校历展开）"
    )
    return 0


def import_timetable(settings: Settings, file: str, term: str | None) -> int:
    from pathlib import Path

    from sync_server.core.calendar_terms import TermError
    from sync_server.core.calendar_timetable import import_timetable as run
    from sync_server.core.calendar_timetable import read_csv
    from sync_server.core.errors import DomainError
    from sync_server.db import Database

    try:
        rows = read_csv(Path(file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{file}: 无法读取（须为 UTF-8 的 CSV）：{exc}", file=sys.stderr)
        return 1
    except TermError as exc:
        print(f"{file}:{exc}", file=sys.stderr)
        return 1
    init_db(settings)
    db = Database(settings.db_url)
    try:
        with db.sessions() as session:  # one transaction: committed only when every line is right
            report = run(session, rows, term_name=term)
            if not report.errors:
                session.commit()
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    finally:
        db.dispose()
    for line, reason in report.errors:
        print(f"{file}:{line}: {reason}", file=sys.stderr)
    if report.errors:
        print(f"有 {len(report.errors)} 行数据有错误，未导入任何课程", file=sys.stderr)
        return 1
    print(
        f"已导入 {report.slots} 个课程安排（{report.occurrences} 次课），删除 {report.removed} 个旧安排，"
        f"通知终端 {report.changes} 条变更"
    )
    return 0


def meetings_command(settings: Settings, args: argparse.Namespace) -> int:
    from sync_server.core import calendar_meetings
    from sync_server.core.errors import DomainError
    from sync_server.db import Database

    init_db(settings)
    db = Database(settings.db_url)
    try:
        with db.transaction() as session:
            if args.meetings_command == "add":
                spec = {
                    "title": args.title,
                    "start": args.start,
                    "end": args.end,
                    "place": args.place,
                    "host": args.host,
                    "organizer": args.organizer,
                    "departments": [d.strip() for d in args.departments.split(",") if d.strip()],
                    "attendees": [a.strip() for a in args.attendees.split(",") if a.strip()],
                    "note": args.note,
                }
                row = calendar_meetings.publish(session, spec)
                print(f"已发布：{row.id}\t{row.title}\t参会 {len(row.delivered_to)} 人")
            elif args.meetings_command == "remove":
                row = calendar_meetings.remove(session, args.meeting_id)
                print(f"已取消：{row.id}\t{row.title}（已通知 {len(row.delivered_to or [])} 人）")
            else:
                for row in calendar_meetings.listing(session):
                    view = calendar_meetings.meeting_view(session, row)
                    print(
                        f"{row.id}\t{view['start'][:16]}–{view['end'][11:16]}\t{row.title}\t{row.location}"
                        f"\t{view['organizer'] or '-'}\t{len(row.delivered_to or [])} 人"
                    )
    except DomainError as exc:
        print(exc.message + "".join(f"（{v}）" for v in (exc.fields or {}).values()), file=sys.stderr)
        return 1
    finally:
        db.dispose()
    return 0


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 86400}d{seconds % 86400 // 3600}h"


def _fleet_table(entries: list[dict[str, object]]) -> str:
    """`devices list` as an aligned table (CJK characters count two columns wide)."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    head = ["ID", "NAME", "LOCATION", "GROUP", "STATE", "VERSION", "TARGET", "LAST SEEN", "OUTBOX", "OLDEST", "FLAGS"]
    keys = ("id", "name", "location", "group", "state", "version", "target", "seen", "outbox", "oldest", "flags")
    rows = [["-" if e[k] is None else str(e[k]) for k in keys] for e in entries]
    widths = [max(width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [
        "  ".join(cell + " " * (w - width(cell)) for cell, w in zip(r, widths, strict=True)).rstrip()
        for r in [head, *rows]
    ]
    return "\n".join(lines)


def devices_command(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime, timedelta

    from sync_server.core import devices, releases
    from sync_server.core.clock import as_utc
    from sync_server.core.errors import DomainError
    from sync_server.db import Database

    init_db(settings)
    db = Database(settings.db_url)
    try:
        with db.transaction() as session:
            if args.devices_command == "enroll":
                made = devices.enroll(
                    session,
                    name=args.name,
                    location=args.location,
                    group=args.group,
                    ttl=timedelta(hours=args.valid_hours),
                )
                expires = as_utc(made.device.code_expires_at).isoformat(timespec="seconds")
                if args.json:
                    print(
                        json.dumps(
                            {"id": made.device.id, "name": made.device.name, "code": made.code, "expires_at": expires},
                            ensure_ascii=False,
                        )
                    )
                else:
                    print(f"已登记：{made.device.id}\t{made.device.name}")
                    print(f"登记码：{made.code}（{expires} 前有效，只能使用一次）")
                    print(f"在终端上：campus-kiosk --enroll {made.code}，或 install.sh --enroll {made.code}")
            elif args.devices_command == "revoke":
                device = devices.revoke(session, device_id=args.device_id)
                print(f"已停用：{device.id}\t{device.name}")
            else:
                moment = datetime.now(UTC)
                entries = devices.fleet(
                    session,
                    stale_after=timedelta(minutes=settings.device_stale_minutes),
                    deep_outbox=settings.device_deep_outbox,
                )
                found = releases.catalogue(session)
                rows: list[dict[str, object]] = []
                for e in entries:
                    d = e.device
                    seen = (moment - as_utc(d.last_seen_at)).total_seconds() if d.last_seen_at else None
                    rows.append(
                        {
                            "id": d.id,
                            "name": d.name,
                            "location": d.location or "-",
                            "group": d.group_name or "-",
                            "state": e.state,
                            "version": d.version or "-",
                            "target": found.target_label(d),  # its rollout's version (releases_cli.py)
                            "seen": _age(seen) + (" ago" if seen is not None else ""),
                            "last_seen_s": int(seen) if seen is not None else None,
                            "outbox": "-" if d.outbox_depth is None else d.outbox_depth,
                            "oldest": _age(d.oldest_pending_s),
                            "oldest_pending_s": d.oldest_pending_s,
                            "last_sync_at": as_utc(d.last_sync_at).isoformat() if d.last_sync_at else None,
                            "last_error": d.last_error,
                            "free_disk_bytes": d.free_disk_bytes,
                            "flags": " ".join(e.flags) or "-",
                        }
                    )
                print(json.dumps(rows, ensure_ascii=False, indent=1) if args.json else _fleet_table(rows))
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    finally:
        db.dispose()
    return 0


def serve(settings: Settings, port_file: str | None) -> None:
    import socket

    import uvicorn

    from sync_server.core.logging import configure_logging

    configure_logging(settings.log_level, settings.log_json)
    init_db(settings)
    # Bind the socket here so that --port 0 works and the port is known before the workers start.
    sock = socket.socket(socket.AF_INET6 if ":" in settings.host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((settings.host, settings.port))
    port = sock.getsockname()[1]
    # Listen now: clients that connect before uvicorn is ready wait in the backlog instead of being refused.
    sock.listen(2048)
    if port_file:
        with open(port_file + ".tmp", "w") as fh:
            fh.write(str(port))
        os.replace(port_file + ".tmp", port_file)
    config = uvicorn.Config(
        "sync_server.main:serving_app",
        factory=True,
        workers=settings.workers,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=5,
        # uvicorn's 5 s closed idle connections so soon that, under load, a client sending its next request
        # (a kiosk's push right after its pull) raced the close and got a reset (bench_sync, burst: 161 of 3,000).
        timeout_keep_alive=30,
        # X-Forwarded-For/-Proto only from the configured proxies (uvicorn would otherwise read FORWARDED_ALLOW_IPS):
        # the login throttle, the access log and the https checks then see the client, not nginx.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies.split(",") if settings.trusted_proxies else [],
    )
    server = uvicorn.Server(config)
    metrics_dir = _metrics_dir()
    if metrics_dir is not None:
        import signal

        def remove_then_die(signum: int, _frame: object) -> None:
            # uvicorn re-raises the SIGTERM it shut down on, which would end the process before `finally`.
            shutil.rmtree(metrics_dir, ignore_errors=True)
            signal.signal(signum, signal.SIG_DFL)
            signal.raise_signal(signum)

        signal.signal(signal.SIGTERM, remove_then_die)
    try:
        if settings.workers > 1:
            from uvicorn.supervisors import Multiprocess

            config.workers = settings.workers
            Multiprocess(config, sockets=[sock]).run()
        else:
            server.run(sockets=[sock])
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def _metrics_dir() -> str | None:
    """Where the workers leave their request counts for GET /metrics to add up (api/routes/metrics.py): the
    configured CAMPUS_SYNC_METRICS_DIR, emptied (counts start again with the server), or a temporary directory
    removed at exit (returned, so that the caller removes it)."""
    import tempfile
    from pathlib import Path

    configured = os.environ.get(ENV_PREFIX + "METRICS_DIR")
    if configured:
        Path(configured).mkdir(parents=True, exist_ok=True)
        for old in Path(configured).glob("*.json"):
            old.unlink(missing_ok=True)
        return None
    # Named by this process, so that one killed outright (SIGKILL: no cleanup) has its directory swept here.
    for stale in Path(tempfile.gettempdir()).glob("campus-sync-metrics-*-*"):
        pid = stale.name.split("-")[3]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    made = tempfile.mkdtemp(prefix=f"campus-sync-metrics-{os.getpid()}-")
    os.environ[ENV_PREFIX + "METRICS_DIR"] = made
    return made


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = _settings(args)
    if args.command == "init-db":
        init_db(settings)
    elif args.command == "seed-demo":
        seed_demo(settings, args.print_users)
    elif args.command in ("unlock-user", "reset-password"):
        return admin_action(settings, args.command, args.user_id, getattr(args, "initial_password", None))
    elif args.command == "import-users":
        return import_users(settings, args.file, args.partial)
    elif args.command == "purge-attachments":
        return purge_attachments(settings, args.older_than, args.dry_run)
    elif args.command == "cas-service":
        return cas_service(settings, args)
    elif args.command == "content":
        return content_command(settings, args)
    elif args.command == "import-term":
        return import_term(settings, args.file)
    elif args.command == "import-timetable":
        return import_timetable(settings, args.file, args.term)
    elif args.command == "meetings":
        return meetings_command(settings, args)
    elif args.command == "mail-keys":
        return mail_keys_cli.run(settings, args)
    elif args.command == "devices":
        return devices_command(settings, args)
    elif args.command == "releases":
        return releases_cli.run(settings, args)
    elif args.command in ("backup", "restore", "db-downgrade"):
        return backup_cli.run(settings, args)
    elif args.command in certificates_cli.COMMANDS:
        return certificates_cli.run(settings, args)
    elif args.command == "serve":
        serve(settings, args.port_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
