"""`campus-sync-server import-users FILE.csv`: create or update users from a CSV, all or nothing.

Columns (a header row, in English or Chinese; UTF-8, with or without BOM): user_id/学号/工号, name/姓名, role/角色 and
national_id_last6/身份证后6位 are required; department/部门/学院, post/岗位, email/邮箱, phone/手机号, class_name/班级
and major/专业 are optional (a column left out keeps what an existing user had). An unknown column is refused.
Existing users are updated but keep their password; new users get the manual's initial password (the last 6
characters of the national ID) and must change it at first login.
"""

from __future__ import annotations

import csv
import io
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.core.auth import normalise_user_id
from sync_server.core.security import hash_password
from sync_server.models import Department, Post, User

# Each field with the headers that name it: the English key, and the Chinese a school's export uses.
HEADERS = {
    "user_id": ("user_id", "学号/工号", "学号", "工号"),
    "name": ("name", "姓名"),
    "role": ("role", "角色"),
    "department": ("department", "部门", "学院"),  # a student's department is their 学院
    "post": ("post", "岗位"),
    "national_id_last6": ("national_id_last6", "身份证后6位"),
    "email": ("email", "邮箱"),
    "phone": ("phone", "手机号", "手机"),
    "class_name": ("class_name", "班级"),  # what the forms' 班级 is filled with (profile.class_name)
    "major": ("major", "专业"),
}
REQUIRED = ("user_id", "name", "role", "national_id_last6")
# The user's columns each optional field sets; a column the file does not have keeps what the user had.
TARGETS = {
    "department": "department_code",
    "post": "post_code",
    "email": "email",
    "phone": "phone",
    "class_name": "class_name",
    "major": "major",
}
ROLES = ("student", "staff", "approver", "external", "admin")
_ID = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")
_LAST6 = re.compile(r"^[0-9]{5}[0-9X]$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")
_PHONE = re.compile(r"^1[3-9][0-9]{9}$")
_FIELD_OF = {header: name for name, headers in HEADERS.items() for header in headers}


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason in Chinese)
    written: bool = False


@dataclass
class _Row:
    line: int
    user_id: str
    name: str
    role: str
    last6: str
    fields: dict[str, str | None]  # the optional fields the file has, by the user's column


def _header(header: list[str], report: ImportReport) -> dict[str, str] | None:
    """The file's columns by field, or None (the reasons reported on line 1): an unknown column is refused rather
    than ignored, so a misspelt 班级 is not silently lost."""
    problems = []
    unknown = [h for h in header if h not in _FIELD_OF]
    if unknown:
        problems.append(
            f"未知的列：{', '.join(unknown)}（可用的列：{', '.join(h[0] + '/' + h[1] for h in HEADERS.values())}）"
        )
    columns: dict[str, str] = {}
    for h in header:
        name = _FIELD_OF.get(h)
        if name is not None and name in columns:
            problems.append(f"列 {columns[name]} 和 {h} 是同一项")
        elif name is not None:
            columns[name] = h
    missing = [HEADERS[c][0] for c in REQUIRED if c not in columns]
    if missing:
        problems.append(f"表头缺少列：{', '.join(missing)}")
    if problems:
        report.errors.append((1, "；".join(problems)))
        return None
    return columns


def _parse(text: str, session: Session, report: ImportReport) -> list[_Row]:
    depts = {d.code: d.code for d in session.scalars(select(Department))}
    for d in session.scalars(select(Department)):
        depts.setdefault(d.short_name, d.code)
        depts.setdefault(d.name, d.code)
    posts = {p.code: p for p in session.scalars(select(Post))}
    reader = csv.DictReader(io.StringIO(text))
    columns = _header([h.strip() for h in (reader.fieldnames or [])], report)
    if columns is None:
        return []
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    ended = reader.line_num  # the line the previous record ended on: a quoted value may span lines
    for raw in reader:
        number, ended = ended + 1, reader.line_num
        stripped = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        values = {name: stripped.get(header, "") for name, header in columns.items()}
        if None in raw:
            report.errors.append((number, "列数多于表头"))
            continue
        problems = []
        user_id = normalise_user_id(values["user_id"])
        if not _ID.match(user_id):
            problems.append("学号/工号为空或含有字母、数字和“-”以外的字符（最长 32 位）")
        elif user_id in seen:
            problems.append(f"学号/工号与第 {seen[user_id]} 行重复")
        name = values["name"]
        if not name or len(name) > 64:
            problems.append("姓名为空或超过 64 个字")
        role = values["role"].lower()
        if role not in ROLES:
            problems.append(f"角色必须是 {' / '.join(ROLES)} 之一")
        given = values.get("department", "")
        department = depts.get(given) if given else None
        if given and department is None:
            problems.append(f"未知部门：{given}")
        post = values.get("post") or None
        if post is not None and post not in posts:
            problems.append(f"未知岗位：{post}")
        elif post is not None and department is not None and posts[post].department_code != department:
            problems.append(f"岗位 {post} 不属于该部门")
        last6 = values["national_id_last6"].upper()
        if not _LAST6.match(last6):
            problems.append("身份证后 6 位格式不对（5 位数字加 1 位数字或 X）")
        email = values.get("email") or None
        if email is not None and not _EMAIL.match(email):
            problems.append("邮箱格式不对")
        phone = values.get("phone") or None
        if phone is not None and not _PHONE.match(phone):
            problems.append("手机号应为 11 位数字")
        for key, label in (("class_name", "班级"), ("major", "专业")):
            if len(values.get(key, "")) > 64:
                problems.append(f"{label}超过 64 个字")
        if problems:
            report.errors.append((number, "；".join(problems)))
            continue
        seen[user_id] = number
        known = {"department": department, "post": post, "email": email, "phone": phone}
        fields = {
            TARGETS[key]: known[key] if key in known else (values[key] or None) for key in TARGETS if key in columns
        }
        rows.append(_Row(number, user_id, name, role, last6, fields))
    return rows


def import_users(session: Session, path: Path, *, partial: bool = False) -> ImportReport:
    """Validate every line; write nothing if any is bad, unless `partial` (then write the good ones)."""
    report = ImportReport()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        report.errors.append((0, f"无法读取文件：{exc}"))
        return report
    rows = _parse(text, session, report)
    if report.errors and not partial:
        return report
    existing = {u.user_id: u for u in session.scalars(select(User).where(User.user_id.in_([r.user_id for r in rows])))}
    new_rows = [r for r in rows if r.user_id not in existing]
    with ThreadPoolExecutor(max_workers=4) as pool:  # argon2id releases the GIL
        hashes = dict(
            zip((r.user_id for r in new_rows), pool.map(lambda r: hash_password(r.last6), new_rows), strict=True)
        )
    moment = datetime.now(UTC)
    for r in rows:
        user = existing.get(r.user_id)
        fields = {"name": r.name, "role": r.role, **r.fields}
        if user is None:
            session.add(
                User(
                    user_id=r.user_id,
                    password_hash=hashes[r.user_id],
                    must_change_password=True,
                    created_at=moment,
                    **fields,
                )
            )
            report.created.append(r.user_id)
        else:
            changed = any(getattr(user, k) != v for k, v in fields.items())
            for key, value in fields.items():
                setattr(user, key, value)
            if changed:
                report.updated.append(r.user_id)
    report.written = True
    session.flush()
    # Terminals offer the holders of fixed posts as 选择审核人 with each workflow: tell them who they are now.
    from sync_server.core.workflow_views import announce_definitions

    announce_definitions(session)
    return report
