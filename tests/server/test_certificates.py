"""Certificates (issue 18), against a real server on SQLite and PostgreSQL: each of the six 证明 processes carried
to 办结 over HTTP, its PDF fetched by its holder only, read back (pdftotext) and compared with the application,
its signatures checked offline, one changed byte and forged codes caught, the QR code decoded from a pdftoppm PNG,
the public /v/{code} page, revocation. And, in process, every template in Chinese, English and both; the grades
import refusing bad files whole."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import requests
import zxingcpp
from PIL import Image

from tests.helpers import LiveServer, run_server_cli
from tests.server.certificate_helpers import (  # noqa: F401  (reduced_font: the module fixture, before the servers)
    ARTIFACTS,
    BASE,
    CASES,
    RSC,
    finish,
    needs_poppler,
    reduced_font,
)
from tests.server.workflow_helpers import JWC_A, LIU, PEOPLE, STUDENT, STUDENT_2, Client, error_code, example


@pytest.fixture
def cert_server(db_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    env = {"CAMPUS_SYNC_CERT_KEY_FILE": str(tmp_path / "cert-key.pem"), "CAMPUS_SYNC_PUBLIC_URL": BASE}
    server = LiveServer(db_url=db_url, workdir=tmp_path, extra_env=env).start()
    yield server
    server.stop()


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def embedded_subset_fonts(path: Path) -> list[str]:
    """The PDF's fonts (pdffonts), each checked to be embedded and subset."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert out, "no fonts"
    for line in out:
        # name type encoding emb sub uni object-id: emb and sub are the 4th/3rd from the end
        assert line.split()[-5:-3] == ["yes", "yes"], line
    return [line.split()[0] for line in out]


def squeeze(text: str) -> str:
    return "".join(text.split())


def png_of(pdf: Path, name: str, dpi: int = 110) -> list[Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / name
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


@needs_poppler
def test_six_certificates_issued_signed_served_and_verified(cert_server: LiveServer, tmp_path: Path) -> None:
    from sync_server.core import certificates
    from sync_server.core import certificates_keys as keys

    key = requests.get(cert_server.url + "/api/v1/certificates/public-key", timeout=10).json()
    public = keys.unb64(key["public_key"])
    backend = "pg" if cert_server.db_url.startswith("postgresql") else "sqlite"
    for code, (applicant, _, answers, _) in CASES.items():
        me, app_id = finish(cert_server, code)
        meta = me.get(f"/api/v1/applications/{app_id}/certificate").json()
        assert meta["status"] == "valid" and meta["verify_url"] == f"{BASE}/v/{meta['code']}"
        response = me.get(f"/api/v1/certificates/{meta['id']}/pdf")
        assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
        document = response.content
        import hashlib

        assert hashlib.sha256(document).hexdigest() == meta["sha256"] == response.headers["X-Content-SHA256"]
        path = tmp_path / f"{code}.pdf"
        path.write_bytes(document)

        # The text read back is the application's and the school's records.
        person = PEOPLE[applicant]
        text = squeeze(pdf_text(path))
        expected = [person["name"], person["user_id"], meta["code"]]
        if code != "jw-chengjidan":  # a transcript names no ID number and no purpose
            expected += [person["national_id"], "Visa" if code == "rs-zaizhi-zhengming" else str(answers["purpose"])]
        if "receiver_org" in answers:
            expected.append(str(answers["receiver_org"]))
        if code == "rs-shouru-zhengming":
            expected += ["12,345.60", "壹万贰仟叁佰肆拾伍元陆角整", "148,147.20", "中国建设银行郑州郑东支行"]
        if code == "bw-zanzhuzheng":
            expected += ["郑东新区龙子湖派出所", "河南省洛阳市涧西区", "2022年9月1日", "该生因办理居住证"]
            assert "该同志" not in text  # the holder is a student: the template's [holder.student] words
        if code == "jw-chengjidan":
            expected += ["数据结构", "DataStructures", "学期平均学分绩点", "CumulativeGPA"]
        if code == "rs-gongzuo-zhengming":
            expected += ["2015年9月1日", "2026年12月1日"]
        if code == "rs-zaizhi-zhengming":
            expected += ["CertificateofEmployment", "Liu", "1September2015"]
        for value in expected:
            assert squeeze(value) in text, (code, value)

        # Offline: the signed facts and the file's own signature hold; one changed byte does not.
        check = certificates.check_file(document, public)
        assert check.ok and check.facts is not None, check
        assert check.facts["holder"] != person["name"] and check.facts["holder"][0] == person["name"][0]
        assert person["national_id"] not in str(check.facts)
        middle = len(document) // 2
        changed = document[:middle] + bytes([document[middle] ^ 0x01]) + document[middle + 1 :]
        assert certificates.check_file(changed, public).reason in ("tampered", "forged")
        assert not certificates.check_file(changed, public).ok

        # The QR code in the rendered page decodes to the verification URL with the signed facts.
        pngs = png_of(path, f"{backend}-{code}")  # the last page carries the verification block
        found = [
            r.text for r in zxingcpp.read_barcodes(Image.open(pngs[-1])) if r.format == zxingcpp.BarcodeFormat.QRCode
        ]
        assert found and found[0].startswith(f"{BASE}/v/{meta['code']}?d="), (code, found)
        payload, signature = found[0].split("?d=")[1].split("&s=")
        assert certificates.check_qr(payload, signature, public) == check.facts

        # The public page: facts and status, masked; a code nobody was given is not found.
        page = requests.get(f"{cert_server.url}/v/{meta['code']}", timeout=10)
        assert page.status_code == 200 and "有效" in page.text and person["name"] not in page.text
        assert person["national_id"] not in page.text and check.facts["holder"] in page.text
        scanned = requests.get(found[0].replace(BASE, cert_server.url), timeout=10)
        assert scanned.status_code == 200 and "二维码中的签名有效" in scanned.text
        # A QR code whose facts were altered (a later expiry date), signature kept: reported as tampered.
        forged_facts = {**check.facts, "valid_until": "2099-12-31"}
        forged_payload = keys.b64(certificates.canonical(forged_facts))
        forged_qr = f"{cert_server.url}/v/{meta['code']}?d={forged_payload}&s={signature}"
        assert "可能被篡改" in requests.get(forged_qr, timeout=10).text

    # Only the holder gets the PDF; others are told it does not exist (stable code), never a 500.
    other = Client(cert_server, STUDENT_2)
    mine = Client(cert_server, STUDENT).get("/api/v1/certificates").json()["items"]
    assert len(mine) == 3
    for path in (
        f"/api/v1/certificates/{mine[0]['id']}/pdf",
        f"/api/v1/applications/{mine[0]['application_id']}/certificate",
        "/api/v1/certificates/not-an-id/pdf",
        "/api/v1/certificates/" + "0" * 32 + "/pdf",
    ):
        response = other.get(path)
        assert response.status_code == 404 and error_code(response) == "certificate_not_found", path
    assert requests.get(cert_server.url + f"/api/v1/certificates/{mine[0]['id']}/pdf", timeout=10).status_code == 401
    forged = "ABCD-EFGH-JKLM-NPQR"
    assert requests.get(f"{cert_server.url}/v/{forged}", timeout=10).status_code == 404
    response = requests.get(f"{cert_server.url}/api/v1/verify/{forged}", timeout=10)
    assert response.status_code == 404 and error_code(response) == "certificate_not_found"
    assert requests.get(f"{cert_server.url}/v/" + "%00" * 30, timeout=10).status_code == 404

    # Revocation: not by the holder nor another department; by the issuer, once; the holder is told.
    target = next(c for c in mine if c["process_code"] == "jw-zaidu-zhengming")
    for who in (STUDENT, RSC):
        response = Client(cert_server, who).post(f"/api/v1/certificates/{target['id']}/revoke", {"reason": "误开"})
        assert response.status_code == 403 and error_code(response) == "forbidden"
    jwc = Client(cert_server, JWC_A)
    assert jwc.post(f"/api/v1/certificates/{target['id']}/revoke", {"reason": "学籍状态变更"}).status_code == 200
    again = jwc.post(f"/api/v1/certificates/{target['id']}/revoke", {"reason": "再次"})
    assert again.status_code == 409 and error_code(again) == "certificate_revoked"
    page = requests.get(f"{cert_server.url}/v/{target['code']}", timeout=10)
    assert page.status_code == 200 and "已撤销" in page.text
    notes = Client(cert_server, STUDENT).get("/api/v1/me/notifications").json()
    assert any("证明已撤销" in n["title"] for n in notes.get("items", notes if isinstance(notes, list) else []))
    trail = Client(cert_server, STUDENT).application(target["application_id"])
    assert "cert_revoke" in str(trail)


def test_a_transcript_without_grades_keeps_the_application_open(cert_server: LiveServer) -> None:
    """A transcript of terms with no grades: 教务处's approval is refused with the reason, over REST and through
    the sync push (the operation rejected, its effects undone); with grades, the push's approval issues it."""
    applicant = "Z2023030107"  # 宋佳琪: grades in 2023-2024 only; she asks for 2019-2020
    me, them = Client(cert_server, applicant), Client(cert_server, JWC_A)
    answers = {**CASES["jw-chengjidan"][2], "score_range": "指定学年成绩", "score_years": "2019-2020"}
    app_id = me.submit("jw-chengjidan", example("jw-chengjidan", applicant, **answers), next_handler=JWC_A)
    data = example("jw-chengjidan", JWC_A, "handle", **CASES["jw-chengjidan"][3])
    response = them.act(app_id, "approve", data=data)
    assert response.status_code == 409 and error_code(response) == "certificate_no_grades", response.text
    assert me.application(app_id)["status"] != "completed"
    pushed = them.push("workflow.approve", {"application_id": app_id, "data": data})
    assert pushed["status"] == "rejected" and pushed["error"]["code"] == "certificate_no_grades", pushed
    assert me.application(app_id)["status"] != "completed"
    assert me.get(f"/api/v1/applications/{app_id}/certificate").status_code == 404

    answers = {**answers, "score_years": "2023-2024"}
    app_id = me.submit("jw-chengjidan", example("jw-chengjidan", applicant, **answers), next_handler=JWC_A)
    pushed = them.push("workflow.approve", {"application_id": app_id, "data": data})
    assert pushed["status"] == "applied", pushed
    issued = me.get(f"/api/v1/applications/{app_id}/certificate").json()
    assert issued["status"] == "valid" and issued["process_code"] == "jw-chengjidan"


@pytest.mark.parametrize("language", ["中文", "英文", "中英文各一份"])
@needs_poppler
def test_every_template_in_every_language(
    language: str, seeded_sqlite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each of the six templates rendered in process (no server) in zh / en / both; the text comes back."""
    from datetime import UTC, datetime

    from sync_server.core import certificates, certificates_pdf
    from sync_server.core import certificates_text as ctext
    from sync_server.db import Database
    from sync_server.models import Application, User
    from tests.helpers import copy_sqlite

    monkeypatch.setenv("CAMPUS_SYNC_CERT_KEY_FILE", str(tmp_path / "key.pem"))
    db = Database(copy_sqlite(seeded_sqlite, tmp_path / "db"))
    language_values = {
        "cert_language": language,
        "language": language,
        "transcript_type": {"中文": "中文成绩单", "英文": "英文成绩单"}.get(language, "中英文成绩单"),
    }
    try:
        with db.transaction() as session:
            for n, (code, (applicant, _, answers, handling)) in enumerate(CASES.items()):
                template = ctext.template_for(code)
                assert template is not None
                user = session.get(User, applicant)
                data = {**example(code, applicant, **answers), **handling}
                data.update({k: v for k, v in language_values.items() if k == template.language_field})
                if not template.language_field:  # the form has no choice: the language is forced, for the test
                    template.language_field = "_lang"
                    data["_lang"] = language
                app = Application(
                    id=f"00000000-0000-0000-0000-00000000000{n}",
                    serial=92900 + n,
                    process_code=code,
                    applicant_id=applicant,
                    data=data,
                )
                prepared = certificates.prepare(
                    session,
                    app,
                    user,
                    template,
                    date(2026, 12, 5),
                    "ABCDEFGHJKLMNPQR",
                    datetime(2026, 12, 5, 2, tzinfo=UTC),
                )
                document = certificates.seal_file(certificates_pdf.render(prepared.layout))
                path = tmp_path / f"{code}.pdf"
                path.write_bytes(document)
                text = squeeze(pdf_text(path))
                assert all("NotoSerifCJK" in f for f in embedded_subset_fonts(path))
                wanted = ctext.languages(template, data)
                assert ("zh" in wanted) == (squeeze(template.text["zh"]["title"]) in text), code
                assert ("en" in wanted) == (squeeze(template.text["en"]["title"]) in text), code
                assert user.name in text and "ABCD-EFGH-JKLM-NPQR" in text
                if "en" in wanted:
                    assert squeeze(ctext.pinyin_name(user.name)) in text
                tag = {"中文": "zh", "英文": "en", "中英文各一份": "both"}[language]
                png_of(path, f"template-{code}-{tag}", dpi=80)
                if code == "bw-zanzhuzheng" and language == "中文":
                    assert "该生因" in text and "该同志" not in text  # a student holds it (CASES)
                    staff = session.get(User, LIU)
                    as_staff = certificates.prepare(
                        session, app, staff, template, date(2026, 12, 5), "ABCDEFGHJKLMNPQR", datetime.now(UTC)
                    )
                    body = "".join(as_staff.layout.pages[0].body)
                    assert "该同志因" in body and "该生" not in body and "教职工" in body, body
                if n == 0 and language == "中文":
                    verify_offline(path, tmp_path)
    finally:
        db.dispose()


def test_import_grades_refuses_bad_files_whole_and_replaces_rows(seeded_sqlite: Path, tmp_path: Path) -> None:
    from sync_server.db import Database
    from sync_server.models import Grade
    from tests.helpers import copy_sqlite

    url = copy_sqlite(seeded_sqlite, tmp_path / "db")
    header = "学号,学年学期,课程代码,课程名称,英文课程名称,学分,成绩,绩点\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        header + "2022010102,2024-2025-1,CS3001,编译原理,Compilers,3,88,3.80\n"
        "2022010102,2024-2025-9,CS3002,软件工程,,3,88,3.80\n"
        "9999999999,2024-2025-1,CS3003,人工智能,,3,120,3.8\n"
        "2022010102,2024-2025-1,CS3001,编译原理,Compilers,3,88,3.80\n",
        encoding="utf-8",
    )
    result = run_server_cli("import-grades", str(bad), db_url=url)
    assert result.returncode == 1
    assert "第 3 行" in result.stderr and "第 4 行" in result.stderr and "第 5 行" in result.stderr
    assert "第 2 行：" not in result.stderr and "与第 2 行重复" in result.stderr and "成绩“120”" in result.stderr
    db = Database(url)
    try:
        with db.transaction() as session:
            assert session.query(Grade).filter(Grade.term == "2024-2025-1").count() == 0  # nothing half-imported
    finally:
        db.dispose()
    good = tmp_path / "good.csv"
    good.write_text(
        "\ufeff" + header + "2022010102,2024-2025-1,CS3001,编译原理,Compilers,3,88,3.80\n"
        "2022010102,2022-2023-1,MATH1001,高等数学 A（上）,Advanced Mathematics A (I),5,95,4.50\n",
        encoding="utf-8",
    )
    result = run_server_cli("import-grades", str(good), db_url=url)
    assert result.returncode == 0, result.stderr
    assert "新增 1 条，更新 1 条" in result.stdout
    db = Database(url)
    try:
        with db.transaction() as session:
            from sync_server.core.certificates_grades import transcript

            terms = {t.term: t for t in transcript(session, "2022010102", None)}
            assert terms["2022-2023-1"].rows[0].score in ("95",) or any(
                r.score == "95" for r in terms["2022-2023-1"].rows
            )
            assert str(terms["2024-2025-1"].gpa) == "3.80" and str(terms["2024-2025-1"].credits) == "3"
    finally:
        db.dispose()


def verify_offline(path: Path, tmp_path: Path) -> None:
    """`campus-sync-server verify FILE.pdf --public-key K`: valid; one changed byte: tampered; not a certificate."""
    shown = run_server_cli(
        "cert-keys", "show", db_url="sqlite://", env={"CAMPUS_SYNC_CERT_KEY_FILE": str(tmp_path / "key.pem")}
    )
    assert shown.returncode == 0, shown.stderr
    public = shown.stdout.split("：")[1].split()[0]
    result = run_server_cli("verify", str(path), "--public-key", public, db_url="sqlite://")
    assert result.returncode == 0 and "有效" in result.stdout, result.stdout + result.stderr
    document = path.read_bytes()
    for offset in (100, len(document) // 3, len(document) - 50):
        changed = tmp_path / "changed.pdf"
        changed.write_bytes(document[:offset] + bytes([document[offset] ^ 0x20]) + document[offset + 1 :])
        result = run_server_cli("verify", str(changed), "--public-key", public, db_url="sqlite://")
        assert result.returncode == 1 and "无效" in result.stdout, (offset, result.stdout)
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = run_server_cli("verify", str(plain), "--public-key", public, db_url="sqlite://")
    assert result.returncode == 1 and "没有证明的签名信息" in result.stdout


@needs_poppler
def test_before_the_reduced_font_is_made_the_full_face_is_used(
    seeded_sqlite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server's very first certificate does not wait for the reduced font: the full face, embedded and subset."""
    from datetime import UTC, datetime

    from sync_server.core import certificates, certificates_fonts, certificates_pdf
    from sync_server.core import certificates_text as ctext
    from sync_server.db import Database
    from sync_server.models import Application, User
    from tests.helpers import copy_sqlite

    monkeypatch.setenv("CAMPUS_SYNC_CERT_KEY_FILE", str(tmp_path / "key.pem"))
    monkeypatch.setattr(certificates_fonts, "reduced_font_if_ready", lambda: None)
    db = Database(copy_sqlite(seeded_sqlite, tmp_path / "db"))
    code = "jw-zaidu-zhengming"
    applicant, _, answers, handling = CASES[code]
    try:
        with db.transaction() as session:
            template = ctext.template_for(code)
            assert template is not None
            app = Application(
                id="00000000-0000-0000-0000-000000000099",
                serial=92999,
                process_code=code,
                applicant_id=applicant,
                data={**example(code, applicant, **answers), **handling},
            )
            prepared = certificates.prepare(
                session,
                app,
                session.get(User, applicant),
                template,
                date(2026, 12, 5),
                "ABCDEFGHJKLMNPQR",
                datetime(2026, 12, 5, 2, tzinfo=UTC),
            )
            path = tmp_path / "full.pdf"
            path.write_bytes(certificates.seal_file(certificates_pdf.render(prepared.layout)))
    finally:
        db.dispose()
    assert embedded_subset_fonts(path)
    assert "兹证明" in squeeze(pdf_text(path)) and "ThisistocertifythatWang" in squeeze(pdf_text(path))


def test_holder_words_in_a_template_are_checked() -> None:
    """[holder.student]/[holder.staff] define placeholders; both must define the same words, as plain text."""
    from sync_server.core import certificates_text as ctext

    base = {"issuer": "bwc", "validity_days": 30, "en": {"title": "T", "body": ["x"]}}
    good = {**base, "zh": {"title": "证明", "body": ["{referent}因{purpose}"]}}
    parsed = ctext.parse("t", {**good, "holder": {"student": {"referent": "该生"}, "staff": {"referent": "该同志"}}})
    assert parsed.holder_words["staff"] == {"referent": "该同志"}
    with pytest.raises(ctext.TemplateError, match="unknown placeholder"):
        ctext.parse("t", good)  # {referent} without the holder tables
    for holder, problem in (
        ({"student": {"referent": "该生"}}, "exactly the tables"),
        ({"student": {"referent": "该生"}, "staff": {"who": "该同志"}}, "the same words"),
        ({"student": {"referent": "{name}"}, "staff": {"referent": "该同志"}}, "plain text"),
    ):
        with pytest.raises(ctext.TemplateError, match=problem):
            ctext.parse("t", {**good, "holder": holder})
