"""Certificates (证明): issued once when a certificate-producing application reaches 办结, signed, served to
their holder, verifiable by anyone at /v/{code} and offline (docs/certificates.md).

What is signed. The facts — type, holder (masked name), masked ID number, issue date, validity, issuer, the
verification code and the SHA-256 of the document's text (`hash`) — as canonical JSON, with the server's Ed25519
key (core/certificates_keys.py). The QR code carries them and that signature (`…/v/{code}?d=<facts>&s=<sig>`),
and so does the PDF's metadata (Subject). The PDF file itself carries a second signature, over the SHA-256 of
its own bytes with that signature's slot zeroed (Keywords; like a PDF signature's ByteRange): so
`campus-sync-server verify FILE.pdf` needs no network to tell a genuine file from one changed by a byte. The
SHA-256 of the PDF as served is stored and shown on the verification page.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.core import certificates_grades as grades
from sync_server.core import certificates_keys as keys
from sync_server.core import certificates_pdf as pdf
from sync_server.core import certificates_text as text
from sync_server.core import notifications
from sync_server.core.clock import campus_today
from sync_server.core.errors import Conflict, Forbidden, Invalid, NotFound
from sync_server.core.meta import get_meta
from sync_server.models import Application, ApplicationEvent, Certificate, Department, User

WORD_SCORES_EN = {"优秀": "Excellent", "良好": "Good", "中等": "Fair", "及格": "Pass", "不及格": "Fail",
                  "合格": "Pass", "不合格": "Fail", "通过": "Pass", "不通过": "Fail"}  # fmt: skip
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud or typed from paper
CODE_LENGTH = 16  # 80 random bits: a guessed code names nothing
FACTS_MARK = "campus-cert:"
FILE_SIG_MARK = "campus-file-sig:"
SIG_LENGTH = 86  # an Ed25519 signature, base64url without padding
FILE_SIG_SLOT = FILE_SIG_MARK + "0" * SIG_LENGTH
PUBLIC_URL: str | None = None  # set by create_app from the server's settings


def public_base() -> str:
    return (PUBLIC_URL or os.environ.get("CAMPUS_SYNC_PUBLIC_URL") or "http://127.0.0.1:8765").rstrip("/")


def school_names(session: Session) -> tuple[str, str]:
    """The school's Chinese and English names: school.toml, else the server's records."""
    school = text.school()
    return (
        school.get("name") or get_meta(session, "school_name") or "",
        school.get("name_en") or get_meta(session, "school_name_en") or "",
    )


def dashed(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(code: str) -> str | None:
    plain = re.sub(r"[\s-]", "", code).upper()
    return plain if len(plain) == CODE_LENGTH and all(c in CODE_ALPHABET for c in plain) else None


def canonical(facts: dict[str, Any]) -> bytes:
    return json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _file_message(digest: str) -> bytes:
    return f"campus-cert-file:{digest}".encode()


# -- the values the templates are filled with --------------------------------------------------------------------
def _glossary() -> dict[str, str]:
    from sync_server.seed import load_seed

    terms: dict[str, str] = load_seed("english.json")["terms"]
    return terms


def _values(session: Session, app: Application, user: User, template: text.Template, today: date) -> dict[str, str]:
    data = app.data
    school = text.school()
    glossary = _glossary()
    dept = session.get(Department, user.department_code) if user.department_code else None
    departments_en = school.get("departments_en", {})
    id_card = str(data.get("id_card") or user.national_id or "")
    raw_period = data.get("work_period")
    period: dict[str, Any] = raw_period if isinstance(raw_period, dict) else {}
    years = re.findall(r"20\d\d-20\d\d", str(data.get("score_years", "")))
    scope = data.get("score_range", "")
    values = {
        "name": user.name,
        "name_pinyin": text.pinyin_name(user.name),
        "user_id": user.user_id,
        "id_card": id_card,
        "department": dept.name if dept else str(data.get("department", "")),
        "department_en": departments_en.get(user.department_code or "", dept.name if dept else ""),
        "class_name": user.class_name or str(data.get("class_name", "")),
        "major": user.major or "",
        "major_en": glossary.get(user.major or "", user.major or ""),
        "enrol_year": text.enrol_year(user.user_id) if user.role == "student" else "",
        "join_date": text.zh_date(data.get("join_date") or user.join_date),
        "join_date_en": text.en_date(data.get("join_date") or user.join_date),
        "purpose": str(data.get("purpose", "")),
        "purpose_en": glossary.get(str(data.get("purpose", "")), str(data.get("purpose", ""))),
        "receiver_org": str(data.get("receiver_org", "")),
        "post": str(data.get("post", "")),
        "posts": str(data.get("posts", "")),
        "work_status": str(data.get("work_status", "")),
        "work_from": text.zh_date(period.get("start")),
        "work_to": text.zh_date(period.get("end")),
        "income_basis": str(data.get("income_basis", "")),
        "income_basis_en": {"税前": "before tax", "税后": "after tax"}.get(str(data.get("income_basis")), ""),
        "monthly_income": text.money(data.get("monthly_income")),
        "monthly_income_upper": text.money_upper(data.get("monthly_income")),
        "annual_income": text.money(data.get("annual_income")),
        "annual_income_upper": text.money_upper(data.get("annual_income")),
        "hukou": str(data.get("hukou", "")),
        "campus_address": str(data.get("campus_address", "")),
        "live_since": text.zh_date(data.get("live_since")),
        "police_station": str(data.get("police_station", "")),
        "role_word": "学生" if user.role == "student" else "教职工",
        "number_label": "学号" if user.role == "student" else "工号",
        "pronoun": text.pronoun(id_card),
        "score_scope": f"{scope}（{'、'.join(years)}）"
        if years and scope == "指定学年成绩"
        else str(scope or "全部成绩"),
        "score_scope_en": ("academic years " + ", ".join(years)) if years and scope == "指定学年成绩" else "all terms",
        "school": school_names(session)[0],
        "school_en": school_names(session)[1],
        "serial": str(app.serial),
        "issue_date": text.zh_date(today),
        "valid_until": text.zh_date(today + timedelta(days=template.validity_days)),
    }
    # The template's own words for this holder (该生 / 该同志): they may also replace role_word or number_label.
    values.update(template.holder_words.get("student" if user.role == "student" else "staff", {}))
    return values


@dataclass
class Prepared:
    layout: pdf.Layout
    facts: dict[str, Any]
    signature: str
    language: str
    valid_until: str
    key: Ed25519PrivateKey  # the key that signed the facts signs the file too (a rotation in between: still one)


def _pages(
    session: Session,
    app: Application,
    user: User,
    template: text.Template,
    values: dict[str, str],
    languages: list[str],
    issuer: Department,
) -> list[pdf.Page]:
    school = text.school()
    today = date.fromisoformat(values["_today"])
    valid_until = today + timedelta(days=template.validity_days)
    terms: list[grades.TermGrades] = []
    if template.grades:
        years = re.findall(r"20\d\d-20\d\d", str(app.data.get("score_years", "")))
        terms = grades.transcript(
            session, user.user_id, years if app.data.get("score_range") == "指定学年成绩" else None
        )
        if not terms:
            raise Conflict(
                "certificate_no_grades", f"{user.name}（{user.user_id}）还没有导入的成绩，请先导入成绩再办结"
            )
        every = [row for term in terms for row in term.rows]
        values["gpa"] = str(grades.gpa(every))
        values["total_credits"] = str(sum(t.credits for t in terms))
        values["course_count"] = str(len(every))
    show_gpa = app.data.get("show_gpa", "是") != "否"
    pages = []
    for language in languages:
        part = template.text[language]
        zh = language == "zh"
        fill = [t for t in (text.fill(line, values) for line in part.get("body", [])) if t]
        page_terms = None
        if template.grades:
            page_terms = [
                pdf.GradeTerm(
                    term=(f"{t.term[:9]} 学年第 {t.term[10]} 学期" if zh else f"{t.term[:9]}, term {t.term[10]}"),
                    rows=[
                        (
                            (r.course_name if zh else (r.course_name_en or r.course_name)),
                            r.credits,
                            r.score if zh else WORD_SCORES_EN.get(r.score, r.score),
                            r.grade_point,
                        )
                        for r in t.rows
                    ],
                    summary=(f"本学期学分 {t.credits}" + (f"　学期平均学分绩点 {t.gpa}" if show_gpa else ""))
                    if zh
                    else (f"Credits {t.credits}" + (f"   Term GPA {t.gpa}" if show_gpa else "")),
                )
                for t in terms
            ]
        gpa_line = text.fill(part["gpa_line"], values) if part.get("gpa_line") and show_gpa else None
        issuer_name = issuer.name if zh else school.get("departments_en", {}).get(issuer.code, issuer.name)
        pages.append(
            pdf.Page(
                language=language,
                title=part["title"],
                addressee=text.fill(part["addressee"], values) if part.get("addressee") else None,
                body=fill,
                grades=page_terms,
                grade_headings=("课程", "学分", "成绩", "绩点") if zh else ("Course", "Credits", "Score", "GP"),
                gpa_line=gpa_line,
                after=[t for t in (text.fill(line, values) for line in part.get("after", [])) if t],
                issuer=issuer_name,
                school=values["school"] if zh else values["school_en"],
                date=text.zh_date(today) if zh else text.en_date(today),
                serial_label=(f"编号：{values['serial']}" if zh else f"No. {values['serial']}"),
                code_label=(f"验证码：{values['_code']}" if zh else f"Verification code: {values['_code']}"),
                validity_label=(
                    f"有效期至：{text.zh_date(valid_until)}" if zh else f"Valid until: {text.en_date(valid_until)}"
                ),
                verify_hint=(
                    f"扫描二维码，或访问 {public_base()}/v/ 并输入验证码，"
                    "核验本证明的真伪与状态（有效、过期或已撤销）。"
                    if zh
                    else f"Scan the QR code, or visit {public_base()}/v/ and enter the code, to check "
                    "that this document is genuine and still valid."
                ),
                footer=str(school.get("footer" if zh else "footer_en", "")),
            )
        )
    return pages


def prepare(
    session: Session, app: Application, user: User, template: text.Template, today: date, code: str, issued_at: datetime
) -> Prepared:
    """Everything a certificate needs, without storing anything (also what the benchmark renders)."""
    issuer = session.get(Department, template.issuer)
    if issuer is None:
        raise Conflict("certificate_unavailable", f"证明模板的签发部门 {template.issuer} 不存在，请联系管理员")
    values = _values(session, app, user, template, today)
    values["_today"] = today.isoformat()
    values["_code"] = dashed(code)
    languages = text.languages(template, app.data)
    pages = _pages(session, app, user, template, values, languages, issuer)
    content = json.dumps(
        [
            [p.title, p.addressee, p.body, p.after, p.gpa_line, [[t.term, t.rows, t.summary] for t in p.grades or []]]
            for p in pages
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    valid_until = (today + timedelta(days=template.validity_days)).isoformat()
    signing_key = keys.private_key()
    public = keys.public_raw(signing_key.public_key())
    facts = {
        "v": 1,
        "type": app.process_code,
        "title": template.text["zh"]["title"],
        "serial": str(app.serial),
        "code": code,
        "holder": text.mask_name(user.name),
        "id": text.mask_id(values["id_card"]),
        "issued": today.isoformat(),
        "valid_until": valid_until,
        "issuer": issuer.name,
        "hash": hashlib.sha256(content.encode("utf-8")).hexdigest(),
        "key": keys.key_id(public),
    }
    signature = keys.sign(canonical(facts), signing_key)
    payload = keys.b64(canonical(facts))
    layout = pdf.Layout(
        school=values["school"],
        school_en=values["school_en"],
        address=str(text.school().get("address", "")),
        issuer_code=issuer.code,
        seal_top=values["school"],
        seal_bottom=issuer.name,
        qr_text=f"{public_base()}/v/{dashed(code)}?d={payload}&s={signature}",
        issued_at=issued_at,
        pages=pages,
        subject=f"{FACTS_MARK}{payload}.{signature}",
        keywords=FILE_SIG_SLOT,
    )
    language = "both" if len(languages) > 1 else languages[0]
    return Prepared(layout, facts, signature, language, valid_until, signing_key)


def seal_file(document: bytes, key: Ed25519PrivateKey | None = None) -> bytes:
    """Fill the file-signature slot: an Ed25519 signature over the SHA-256 of the file with the slot zeroed."""
    slot = FILE_SIG_SLOT.encode("ascii")
    if document.count(slot) != 1:
        raise RuntimeError("the PDF writer did not keep the signature slot as plain text")
    signature = keys.sign(_file_message(hashlib.sha256(document).hexdigest()), key).encode("ascii")
    return document.replace(slot, FILE_SIG_MARK.encode("ascii") + signature)


def _copies(data: object) -> int:
    """The copies an application asked for (its form's 份数, `copies`), else 1: the printing cap."""
    value = data.get("copies") if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else 1


def new_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.scalar(select(Certificate.id).where(Certificate.code == code)) is None:
            return code


def issue(session: Session, app: Application, user: User, now: datetime) -> Certificate | None:
    """At 办结: make, sign and store the application's certificate (None when its process issues none). Raises
    a Conflict (and so keeps the application open) when the school's records lack what the document needs."""
    template = text.template_for(app.process_code)
    if template is None:
        return None
    skip = template.skip_when
    if skip and app.data.get(str(skip.get("field"))) == skip.get("value"):
        return None
    existing = session.scalar(select(Certificate).where(Certificate.application_id == app.id))
    if existing is not None:
        return existing
    today = campus_today(now)
    code = new_code(session)
    prepared = prepare(session, app, user, template, today, code, now)
    try:
        document = seal_file(pdf.render(prepared.layout), prepared.key)
    except Exception as exc:  # a missing font or a broken seal file: the office can fix it and 办结 again
        raise Conflict("certificate_render_failed", f"证明文件生成失败，请联系管理员：{type(exc).__name__}") from exc
    row = Certificate(
        id=uuid.uuid4().hex,
        application_id=app.id,
        process_code=app.process_code,
        holder_id=user.user_id,
        issuer_code=template.issuer,
        code=code,
        language=prepared.language,
        issued_on=today.isoformat(),
        valid_until=prepared.valid_until,
        facts=prepared.facts,
        signature=prepared.signature,
        sha256=hashlib.sha256(document).hexdigest(),
        pdf=document,
        created_at=now,
        copies_allowed=_copies(app.data),
        copies_printed=0,
    )
    session.add(row)
    session.flush()
    return row


# -- reading, verifying, revoking --------------------------------------------------------------------------------
def status_of(row: Certificate, today: date) -> str:
    """valid / expired / revoked (the holder's view; the public view adds key_withdrawn)."""
    if row.revoked_at is not None:
        return "revoked"
    return "expired" if today.isoformat() > row.valid_until else "valid"


def view(row: Certificate, today: date) -> dict[str, Any]:
    """What the holder's clients see of a certificate."""
    return {
        "id": row.id,
        "application_id": row.application_id,
        "process_code": row.process_code,
        "title": row.facts.get("title"),
        "code": dashed(row.code),
        "language": row.language,
        "issued_on": row.issued_on,
        "valid_until": row.valid_until,
        "status": status_of(row, today),
        "sha256": row.sha256,
        "size": len(row.pdf),
        "verify_url": f"{public_base()}/v/{dashed(row.code)}",
        "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
        "revoke_reason": row.revoke_reason,
        # Printed copies (core/certificate_prints.py): the form's 份数, how many printed, how many left.
        "copies_allowed": int(row.copies_allowed or 1),
        "copies_printed": int(row.copies_printed or 0),
        "copies_left": max(0, int(row.copies_allowed or 1) - int(row.copies_printed or 0)),
    }


def public_view(row: Certificate, today: date) -> dict[str, Any]:
    """What anyone with the code sees: the signed facts (masked) and the status; nothing else personal."""
    f = row.facts
    status, key = status_of(row, today), signing_key_state(f.get("key"))
    return {
        "code": dashed(row.code),
        "title": f["title"],
        "type": f["type"],
        "serial": f["serial"],
        "holder": f["holder"],
        "id": f["id"],
        "issuer": f["issuer"],
        "issued": f["issued"],
        "valid_until": f["valid_until"],
        "status": status if key["state"] != "withdrawn" or status == "revoked" else "key_withdrawn",
        "revoked_on": row.revoked_at.date().isoformat() if row.revoked_at else None,
        "sha256": row.sha256,
        "signature": row.signature,
        "signing_key": key,
    }


def signing_key_state(key_id: object, ring: dict[str, keys.PublicKey] | None = None) -> dict[str, Any]:
    """The key a document names: current, retired (still listed: its documents still verify) or withdrawn (not
    listed any more: its documents are vouched for by nothing)."""
    ring = keys.keyring() if ring is None else ring
    found = ring.get(str(key_id))
    if found is None:
        return {"id": key_id, "state": "withdrawn", "retired_on": None}
    return {"id": key_id, "state": "retired" if found.retired_on else "current", "retired_on": found.retired_on}


def not_found() -> NotFound:
    return NotFound("certificate_not_found", "没有这个证明，请核对验证码")


def by_code(session: Session, code: str) -> Certificate:
    plain = normalise_code(code)
    row = session.scalar(select(Certificate).where(Certificate.code == plain)) if plain else None
    if row is None:
        raise not_found()
    return row


def holders(session: Session, user: User, certificate_id: str) -> Certificate:
    row = session.get(Certificate, certificate_id) if re.fullmatch(r"[0-9a-f]{32}", certificate_id) else None
    # Someone else's certificate is answered like a missing one: its existence is the holder's business.
    if row is None or row.holder_id != user.user_id:
        raise not_found()
    return row


def for_application(session: Session, user: User, application_id: str) -> Certificate:
    row = session.scalar(select(Certificate).where(Certificate.application_id == application_id))
    if row is None or row.holder_id != user.user_id:
        raise not_found()
    return row


def mine(session: Session, user: User) -> list[Certificate]:
    query = select(Certificate).where(Certificate.holder_id == user.user_id).order_by(Certificate.created_at.desc())
    return list(session.scalars(query))


def revoke(session: Session, user: User, certificate_id: str, reason: object, now: datetime) -> Certificate:
    """The issuing department (its staff) revokes a certificate: recorded on the application's trail, the holder
    told. Revoking twice is refused (certificate_revoked)."""
    if not isinstance(reason, str) or not reason.strip() or len(reason.strip()) > 200:
        raise Invalid("invalid_reason", "请填写撤销原因（最多 200 字）", fields={"reason": "请填写撤销原因"})
    row = session.get(Certificate, certificate_id) if re.fullmatch(r"[0-9a-f]{32}", certificate_id) else None
    if row is None:
        raise not_found()
    if user.role != "admin" and user.department_code != row.issuer_code:
        raise Forbidden("forbidden", "只有签发部门可以撤销该证明")
    if row.revoked_at is not None:
        raise Conflict("certificate_revoked", "该证明已撤销")
    row.revoked_at, row.revoked_by, row.revoke_reason = now, user.user_id, reason.strip()
    app = session.get(Application, row.application_id)
    if app is not None:
        session.add(
            ApplicationEvent(
                application_id=app.id,
                visit=app.visit,
                step=None,
                action="cert_revoke",
                actor_id=user.user_id,
                actor_name=user.name,
                comment=reason.strip(),
                data={"certificate": row.id, "code": dashed(row.code)},
                created_at=now,
            )
        )
    title = row.facts.get("title", "证明")
    notifications.notify(
        session,
        row.holder_id,
        "cert_revoked",
        f"证明已撤销：{title}",
        f"您的{title}（验证码 {dashed(row.code)}）已被签发部门撤销。原因：{reason.strip()}",
        row.application_id,
        now,
    )
    session.flush()
    return row


# -- checking a file (offline) -----------------------------------------------------------------------------------
@dataclass
class FileCheck:
    ok: bool
    reason: str  # valid | tampered | forged | not_a_certificate | wrong_key
    facts: dict[str, Any] | None = None
    retired_on: str | None = None  # signed by a retired key, still listed: when it was retired


def check_file(document: bytes, public: bytes | dict[str, keys.PublicKey]) -> FileCheck:
    """Verify a certificate PDF with the public key alone (or a keyring: the current and the listed retired
    keys, by key id): the signed facts, then the file's own signature."""
    if isinstance(public, dict):
        ring = public
    else:
        ring = {keys.key_id(public): keys.PublicKey(keys.key_id(public), public, None)}
    found = re.search(rb"campus-cert:([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{86})", document)
    slot = re.search(rb"campus-file-sig:([A-Za-z0-9_-]{86})", document)
    if found is None or slot is None:
        return FileCheck(False, "not_a_certificate")
    try:
        facts_bytes = keys.unb64(found.group(1).decode("ascii"))
        facts = json.loads(facts_bytes)
    except ValueError:
        return FileCheck(False, "forged")
    if not isinstance(facts, dict) or str(facts.get("key")) not in ring:
        return FileCheck(False, "wrong_key", facts if isinstance(facts, dict) else None)
    key = ring[str(facts["key"])]
    public = key.public
    if not keys.verify(public, facts_bytes, found.group(2).decode("ascii")):
        return FileCheck(False, "forged", facts)
    zeroed = document[: slot.start(1)] + b"0" * SIG_LENGTH + document[slot.end(1) :]
    if not keys.verify(public, _file_message(hashlib.sha256(zeroed).hexdigest()), slot.group(1).decode("ascii")):
        return FileCheck(False, "tampered", facts)
    return FileCheck(True, "valid", facts, key.retired_on)


def check_qr(payload: str, signature: str, public: bytes | dict[str, keys.PublicKey]) -> dict[str, Any] | None:
    """The facts a QR code carries, when its signature holds by the key they name (None otherwise)."""
    try:
        facts_bytes = keys.unb64(payload)
        facts = json.loads(facts_bytes)
    except ValueError:
        return None
    if not isinstance(facts, dict):
        return None
    if isinstance(public, dict):
        key = public.get(str(facts.get("key")))
        if key is None:
            return None
        public = key.public
    if not keys.verify(public, facts_bytes, signature):
        return None
    return facts
