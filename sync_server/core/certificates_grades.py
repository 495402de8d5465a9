"""Grades for transcripts: `campus-sync-server import-grades FILE.csv` (教务处's export) and the transcript's
terms, term GPAs and totals.

CSV (UTF-8, with or without BOM), header row with these columns, in any order:
    学号, 学年学期 (2023-2024-1), 课程代码, 课程名称, 英文课程名称 (may be empty), 学分, 成绩, 绩点
A row for a (学号, 学年学期, 课程代码) already imported replaces it. The whole file is checked first: any bad row
and nothing is imported; the errors name their line numbers.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.models import Grade, User

COLUMNS = {
    "学号": "user_id",
    "学年学期": "term",
    "课程代码": "course_code",
    "课程名称": "course_name",
    "英文课程名称": "course_name_en",
    "学分": "credits",
    "成绩": "score",
    "绩点": "grade_point",
}
REQUIRED = [c for c in COLUMNS if c != "英文课程名称"]
TERM = re.compile(r"(20\d\d)-(20\d\d)-([12])")
WORD_SCORES = {"优秀", "良好", "中等", "及格", "不及格", "合格", "不合格", "通过", "不通过"}


class GradeFileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _decimal(text: str, low: Decimal, high: Decimal) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() and low <= value <= high else None


def parse(session: Session, text: str) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = list(reader)
    if not rows:
        raise GradeFileError(["文件是空的"])
    header = [h.strip() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise GradeFileError([f"第 1 行：缺少列 {'、'.join(missing)}"])
    index = {COLUMNS[h]: n for n, h in enumerate(header) if h in COLUMNS}
    known = set(session.scalars(select(User.user_id).where(User.role == "student")))
    problems: list[str] = []
    seen: dict[tuple[str, str, str], int] = {}
    out: list[dict[str, str]] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            problems.append(f"第 {line} 行：列数不足（应有 {len(header)} 列）")
            continue
        rec = {key: row[n].strip() for key, n in index.items()}
        rec["user_id"] = rec["user_id"].upper()
        mine: list[str] = []
        if rec["user_id"] not in known:
            mine.append(f"没有学号为 {rec['user_id'] or '（空）'} 的学生")
        if not TERM.fullmatch(rec["term"]) or int(rec["term"][5:9]) != int(rec["term"][:4]) + 1:
            mine.append(f"学年学期“{rec['term']}”应为 2023-2024-1 这样的格式")
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", rec["course_code"]):
            mine.append("课程代码应为 1–32 位字母、数字")
        if not 1 <= len(rec["course_name"]) <= 128:
            mine.append("课程名称不能为空，最多 128 字")
        if len(rec.get("course_name_en", "")) > 128:
            mine.append("英文课程名称最多 128 个字符")
        credits = _decimal(rec["credits"], Decimal("0.5"), Decimal("30"))
        if credits is None:
            mine.append(f"学分“{rec['credits']}”应为 0.5–30 的数")
        point = _decimal(rec["grade_point"], Decimal("0"), Decimal("5"))
        if point is None:
            mine.append(f"绩点“{rec['grade_point']}”应为 0–5 的数")
        score = _decimal(rec["score"], Decimal("0"), Decimal("100"))
        if score is None and rec["score"] not in WORD_SCORES:
            mine.append(f"成绩“{rec['score']}”应为 0–100 的分数或 优秀/良好/中等/及格/不及格/合格/不合格")
        key = (rec["user_id"], rec["term"], rec["course_code"].upper())
        if key in seen:
            mine.append(f"与第 {seen[key]} 行重复（同一学生、学期、课程）")
        seen.setdefault(key, line)
        if mine:
            problems.append(f"第 {line} 行：" + "；".join(mine))
            continue
        rec["course_code"] = rec["course_code"].upper()
        rec["credits"] = str(credits.normalize() if credits == credits.to_integral() else credits)  # type: ignore[union-attr]
        rec["grade_point"] = str(point.quantize(Decimal("0.01")))  # type: ignore[union-attr]
        out.append(rec)
    if problems:
        raise GradeFileError(problems)
    if not out:
        raise GradeFileError(["文件中没有成绩"])
    return out


def import_grades(session: Session, text: str, now: datetime) -> tuple[int, int]:
    """Check the whole file, then store every row (in the caller's transaction). Returns (added, replaced)."""
    records = parse(session, text)
    added = replaced = 0
    for rec in records:
        row = session.scalar(
            select(Grade).where(
                Grade.user_id == rec["user_id"], Grade.term == rec["term"], Grade.course_code == rec["course_code"]
            )
        )
        if row is None:
            session.add(
                Grade(**{k: v or None if k == "course_name_en" else v for k, v in rec.items()}, imported_at=now)
            )
            added += 1
        else:
            for k, v in rec.items():
                setattr(row, k, v or None if k == "course_name_en" else v)
            row.imported_at = now
            replaced += 1
    session.flush()
    return added, replaced


@dataclass
class TermGrades:
    term: str
    rows: list[Grade]
    credits: Decimal
    gpa: Decimal


def gpa(rows: list[Grade]) -> Decimal:
    credits = sum((Decimal(r.credits) for r in rows), Decimal(0))
    if not credits:
        return Decimal("0.00")
    points = sum((Decimal(r.credits) * Decimal(r.grade_point) for r in rows), Decimal(0))
    return (points / credits).quantize(Decimal("0.01"), ROUND_HALF_UP)


def transcript(session: Session, user_id: str, years: list[str] | None) -> list[TermGrades]:
    """The student's grades by term (only the 学年 in `years`, when given), each with its GPA and credits."""
    rows = list(session.scalars(select(Grade).where(Grade.user_id == user_id).order_by(Grade.term, Grade.course_code)))
    if years:
        rows = [r for r in rows if r.term[:9] in years]
    terms: dict[str, list[Grade]] = {}
    for row in rows:
        terms.setdefault(row.term, []).append(row)
    return [
        TermGrades(term, items, sum((Decimal(r.credits) for r in items), Decimal(0)), gpa(items))
        for term, items in terms.items()
    ]
