"""The certificates' templates (sync_server/certificates/templates/<process>.toml, school.toml) and the values
their placeholders take. Pure: the caller gathers the records (core/certificates.py).

Template text: `{name}` is replaced by the value; a part in `[[ … ]]` is left out when any placeholder in it is
empty; a paragraph with every placeholder empty is left out; an empty placeholder elsewhere prints "—".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "certificates"
TEMPLATE_DIR = DATA_DIR / "templates"
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.S)

# Every placeholder a template may use (docs/certificates.md lists them with their meaning).
KNOWN = {
    "name",
    "name_pinyin",
    "user_id",
    "id_card",
    "department",
    "department_en",
    "class_name",
    "major",
    "major_en",
    "enrol_year",
    "join_date",
    "join_date_en",
    "purpose",
    "purpose_en",
    "receiver_org",
    "post",
    "posts",
    "work_status",
    "work_from",
    "work_to",
    "income_basis",
    "income_basis_en",
    "monthly_income",
    "monthly_income_upper",
    "annual_income",
    "annual_income_upper",
    "hukou",
    "campus_address",
    "live_since",
    "police_station",
    "role_word",
    "number_label",
    "pronoun",
    "score_scope",
    "score_scope_en",
    "gpa",
    "total_credits",
    "course_count",
    "school",
    "school_en",
    "serial",
    "issue_date",
    "valid_until",
}
LANGUAGES = {
    "中文": ["zh"],
    "英文": ["en"],
    "中英文各一份": ["zh", "en"],
    "中文成绩单": ["zh"],
    "英文成绩单": ["en"],
    "中英文成绩单": ["zh", "en"],
}


class TemplateError(ValueError):
    pass


@dataclass
class Template:
    process: str
    issuer: str
    validity_days: int
    language_field: str | None
    grades: bool
    skip_when: dict[str, Any] | None
    text: dict[str, dict[str, Any]]  # language -> title, body, addressee, gpa_line, after
    # [holder.student] / [holder.staff]: words that follow who holds the document (该生 / 该同志), by placeholder
    holder_words: dict[str, dict[str, str]] = field(default_factory=dict)


HOLDERS = ("student", "staff")


def _check_text(where: str, value: object, known: set[str] | frozenset[str] = KNOWN) -> list[str]:
    if not isinstance(value, str):
        return [f"{where}: must be text"]
    unknown = set(PLACEHOLDER.findall(value)) - known
    return [f"{where}: unknown placeholder {{{u}}}" for u in sorted(unknown)]


def _holder_words(raw: object, problems: list[str]) -> dict[str, dict[str, str]]:
    """[holder.student] and [holder.staff]: the same placeholder names in both, plain text values."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or set(raw) != set(HOLDERS) or not all(isinstance(raw[h], dict) for h in HOLDERS):
        problems.append("[holder] must have exactly the tables [holder.student] and [holder.staff]")
        return {}
    if set(raw["student"]) != set(raw["staff"]):
        problems.append("[holder.student] and [holder.staff] must define the same words")
    for holder in HOLDERS:
        for name, word in raw[holder].items():
            if not re.fullmatch(r"[a-z_]+", name) or not isinstance(word, str) or "{" in word or "}" in word:
                problems.append(f"holder.{holder}.{name}: a lowercase name and plain text (no placeholders)")
    return {h: {str(k): str(v) for k, v in raw[h].items()} for h in HOLDERS}


def parse(process: str, raw: dict[str, Any]) -> Template:
    problems: list[str] = []
    holder_words = _holder_words(raw.get("holder"), problems)
    known = KNOWN | set(holder_words.get("student", {}))
    if not isinstance(raw.get("issuer"), str):
        problems.append("issuer must be a department code")
    days = raw.get("validity_days")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 3650:
        problems.append("validity_days must be 1–3650")
    text: dict[str, dict[str, Any]] = {}
    for language in ("zh", "en"):
        part = raw.get(language)
        if not isinstance(part, dict):
            problems.append(f"[{language}] is missing")
            continue
        for key in ("title", "addressee", "gpa_line"):
            if key in part:
                problems += _check_text(f"{language}.{key}", part[key], known)
        for key in ("body", "after"):
            lines = part.get(key, [])
            if not isinstance(lines, list) or (key == "body" and not lines):
                problems.append(f"{language}.{key} must be a list of paragraphs")
                continue
            for n, line in enumerate(lines):
                problems += _check_text(f"{language}.{key}[{n + 1}]", line, known)
        if "title" not in part:
            problems.append(f"{language}.title is missing")
        text[language] = part
    if problems:
        raise TemplateError(f"{process}.toml: " + "; ".join(problems))
    return Template(
        process=process,
        issuer=raw["issuer"],
        validity_days=days,  # type: ignore[arg-type]
        language_field=raw.get("language_field"),
        grades=bool(raw.get("grades")),
        skip_when=raw.get("skip_when"),
        text=text,
        holder_words=holder_words,
    )


def template_for(process: str) -> Template | None:
    """The process's template, read now (an administrator's edit applies to the next certificate); None when the
    process issues no certificate."""
    path = TEMPLATE_DIR / f"{process}.toml"
    if not path.exists():
        return None
    with path.open("rb") as f:
        return parse(process, tomllib.load(f))


def processes() -> list[str]:
    return sorted(p.stem for p in TEMPLATE_DIR.glob("*.toml"))


def school() -> dict[str, Any]:
    with (DATA_DIR / "school.toml").open("rb") as f:
        return tomllib.load(f)


def languages(template: Template, data: dict[str, Any]) -> list[str]:
    if not template.language_field:
        return ["zh"]
    return LANGUAGES.get(str(data.get(template.language_field, "")), ["zh"])


def fill(text: str, values: dict[str, str]) -> str | None:
    """The text with its placeholders filled (None: every placeholder was empty: leave the paragraph out)."""
    names = PLACEHOLDER.findall(text)
    if names and all(not values.get(n) for n in names):
        return None
    text = OPTIONAL.sub(
        lambda m: m.group(1) if all(values.get(n) for n in PLACEHOLDER.findall(m.group(1))) else "", text
    )
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1)) or "—", text)


# -- values ----------------------------------------------------------------------------------------------------
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def zh_date(value: str | date | None) -> str:
    day = _date(value)
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def en_date(value: str | date | None) -> str:
    day = _date(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else ""


def _date(value: str | date | None) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def money(value: object) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return ""
    return f"{Decimal(str(value)).quantize(Decimal('0.01'), ROUND_HALF_UP):,}"


DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿")


def money_upper(value: object) -> str:
    """人民币大写, e.g. 12345.60 → 壹万贰仟叁佰肆拾伍元陆角整."""
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        return ""
    cents = int(Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP) * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    out = ""
    if yuan:
        groups: list[str] = []
        n, g = yuan, 0
        while n:
            part, n = n % 10000, n // 10000
            text, zero = "", False
            for u in range(3, -1, -1):
                d = part // 10**u % 10
                if d:
                    text += ("零" if zero and text else "") + DIGITS[d] + UNITS[u]
                    zero = False
                else:
                    zero = True
            if part:
                groups.insert(0, text + GROUPS[g] + ("零" if part < 1000 and n else ""))
            g += 1
        out = "".join(groups).replace("零零", "零").rstrip("零") + "元"
    if jiao:
        out += DIGITS[jiao] + "角"
    elif fen and yuan:
        out += "零"
    if fen:
        out += DIGITS[fen] + "分"
    return (out or "零元") + ("" if fen else "整")


def mask_name(name: str) -> str:
    """王子涵 → 王*涵, 王五 → 王*, 欧阳娜娜 → 欧**娜: enough to match a person in front of you, not to find one."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id(number: str | None) -> str:
    if not number:
        return ""
    return number[:3] + "*" * max(0, len(number) - 6) + number[-3:] if len(number) > 6 else "*" * len(number)


def pinyin_name(name: str) -> str:
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(name)
    if not syllables:
        return name
    surname, given = syllables[0], "".join(syllables[1:])
    return f"{surname.capitalize()} {given.capitalize()}".strip()


def pronoun(id_card: str | None) -> str:
    # The 17th digit of a resident ID is odd for men, even for women.
    if id_card and len(id_card) == 18 and id_card[16].isdigit():
        return "He" if int(id_card[16]) % 2 else "She"
    return "The holder"


def enrol_year(user_id: str) -> str:
    # The school's 学号 begin with the year of admission (2022010101, Z2023030107 for 专升本).
    match = re.match(r"[A-Z]?(20\d\d)", user_id)
    return match.group(1) if match else ""
