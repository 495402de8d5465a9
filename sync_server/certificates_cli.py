"""`campus-sync-server import-grades FILE.csv`, `verify FILE.pdf`, `cert-keys new|show|rotate` and `cert-font`
(docs/certificates.md).

Kept apart from cli.py so these commands' parsers and their work are one small file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sync_server.core.config import Settings

COMMANDS = ("import-grades", "verify", "cert-keys", "cert-font")
VERDICTS = {
    "valid": "有效：签名正确，文件未被改动",
    "tampered": "无效：文件已被改动（文件签名不符）",
    "forged": "无效：证明信息的签名不符（伪造或被改动）",
    "wrong_key": "无法核验：该文件不是用这把公钥签发的",
    "not_a_certificate": "无效：文件中没有证明的签名信息",
}


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    grades = sub.add_parser("import-grades", parents=[common], help="import 教务处's grades CSV (transcripts)")
    grades.add_argument("file")
    verify = sub.add_parser("verify", parents=[common], help="verify a certificate PDF offline with the public key")
    verify.add_argument("file")
    verify.add_argument("--public-key", help="base64url public key (default: this server's key file)")
    keys = sub.add_parser("cert-keys", parents=[common], help="the certificates' Ed25519 signing key")
    what = keys.add_subparsers(dest="cert_keys_command", required=True)
    what.add_parser("new", parents=[common], help="create the key file (refuses to replace one)")
    what.add_parser("show", parents=[common], help="print the public key and where the key file is")
    what.add_parser("rotate", parents=[common], help="a new signing key; the old public key still verifies")
    sub.add_parser("cert-font", parents=[common], help="make the certificates' reduced font now (./run setup does)")


def run(settings: Settings, args: argparse.Namespace) -> int:
    if args.command == "import-grades":
        return _import_grades(settings, args.file)
    if args.command == "verify":
        return _verify(args.file, args.public_key)
    if args.command == "cert-font":
        return _font()
    return _keys(args.cert_keys_command)


def _import_grades(settings: Settings, file: str) -> int:
    from sync_server.core import clock
    from sync_server.core.certificates_grades import GradeFileError, import_grades
    from sync_server.db import Database
    from sync_server.startup import init_db

    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"无法读取 {file}：{exc}", file=sys.stderr)
        return 1
    init_db(settings)
    db = Database(settings.db_url)
    try:
        with db.transaction() as session:
            added, replaced = import_grades(session, text, clock.now())
    except GradeFileError as exc:
        print("成绩文件有误，未导入任何成绩：", file=sys.stderr)
        for problem in exc.problems:
            print("  " + problem, file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(f"已导入成绩：新增 {added} 条，更新 {replaced} 条")
    return 0


def _verify(file: str, public_key: str | None) -> int:
    from sync_server.core import certificates, certificates_keys

    try:
        document = Path(file).read_bytes()
    except OSError as exc:
        print(f"无法读取 {file}：{exc}", file=sys.stderr)
        return 2
    if public_key:
        try:
            public = certificates_keys.unb64(public_key.strip())
        except ValueError:
            public = b""
        if len(public) != 32:
            print("公钥格式不正确（应为 32 字节的 base64url）", file=sys.stderr)
            return 2
    else:
        path = certificates_keys.key_path()
        if not path.exists():
            print(f"没有密钥文件 {path}；请用 --public-key 给出公钥", file=sys.stderr)
            return 2
        ring = certificates_keys.keyring(path)  # the current key and the retired ones still listed
    result = certificates.check_file(document, public if public_key else ring)
    print(VERDICTS[result.reason])
    if result.ok and result.retired_on:
        key = result.facts.get("key") if result.facts else "?"
        print(f"  由已停用的签名密钥 {key} 签发（{result.retired_on} 停用，仍在核验名单中）")
    if result.facts:
        f = result.facts
        print(f"  {f.get('title')}  编号 {f.get('serial')}  持有人 {f.get('holder')}  身份证号 {f.get('id')}")
        print(f"  签发 {f.get('issuer')} {f.get('issued')}，有效期至 {f.get('valid_until')}")
        print(f"  验证码 {certificates.dashed(str(f.get('code', '')))}（在线核验：撤销与否以核验页为准）")
    return 0 if result.ok else 1


def _font() -> int:
    import time

    from sync_server.core import certificates_fonts

    started = time.perf_counter()
    try:
        path = certificates_fonts.reduced_font()
    except certificates_fonts.FontMissing as exc:
        print(f"无法制作证明字体：{exc}", file=sys.stderr)
        return 1
    print(f"证明字体：{path}（{path.stat().st_size} 字节，{time.perf_counter() - started:.1f} 秒）")
    return 0


def _keys(command: str) -> int:
    from sync_server.core import certificates_keys

    path = certificates_keys.key_path()
    if command == "rotate":
        from sync_server.core import clock

        try:
            retired, new = certificates_keys.rotate(clock.campus_today(clock.now()), path)
        except FileNotFoundError:
            print(f"还没有签名密钥：{path}（campus-sync-server cert-keys new）", file=sys.stderr)
            return 1
        print(f"已停用密钥 {retired.key_id}：其公钥留在 {certificates_keys.retired_path(path)}，它签发的证明仍可核验")
        print("  （删去该行即撤回此密钥：它签发的证明将无法核验）")
        print(f"新的签名密钥：{new.key_id}，此后的证明用它签发")
    if command == "new":
        try:
            certificates_keys.create(path)
        except FileExistsError:
            print(f"密钥文件已存在：{path}（不会覆盖：已签发的证明将无法核验）", file=sys.stderr)
            return 1
        print(f"已生成签名密钥：{path}")
    elif not path.exists():
        print(f"还没有签名密钥：{path}（campus-sync-server cert-keys new，或在签发第一份证明时自动生成）")
        return 1
    text = certificates_keys.public_key_text()
    print(f"公钥（Ed25519，base64url）：{text}")
    print(f"密钥编号：{certificates_keys.key_id(certificates_keys.unb64(text))}")
    for old in certificates_keys.retired_keys(path):
        print(f"已停用（仍可核验）：{old.key_id} {certificates_keys.b64(old.public)}，{old.retired_on} 停用")
    return 0
