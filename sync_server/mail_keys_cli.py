"""`campus-sync-server mail-keys new|rotate`: the keys that seal the mail app passwords (docs/portal.md, "Keys").

Kept apart from cli.py so the command's parser and its work are one small file."""

from __future__ import annotations

import argparse
import sys

from sync_server.core.config import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    keys = sub.add_parser("mail-keys", parents=[common], help="the keys that seal users' mail app passwords")
    what = keys.add_subparsers(dest="mail_keys_command", required=True)
    what.add_parser("new", parents=[common], help="print a new key (put it first in CAMPUS_SYNC_MAIL_SECRET_KEYS)")
    what.add_parser("rotate", parents=[common], help="re-seal every stored app password with the first configured key")


def run(settings: Settings, args: argparse.Namespace) -> int:
    from sync_server.core.counters.app_passwords import SecretBox, rotate_all

    if args.mail_keys_command == "new":
        print(SecretBox.new_key())
        return 0
    if not settings.mail_secret_keys:
        print("CAMPUS_SYNC_MAIL_SECRET_KEYS is not set", file=sys.stderr)
        return 1
    from sync_server.db import Database
    from sync_server.startup import init_db

    init_db(settings)
    db = Database(settings.db_url)
    try:
        with db.transaction() as session:
            done, unreadable = rotate_all(session, SecretBox(settings.mail_secret_keys))
    finally:
        db.dispose()
    print(f"已用第一个密钥重新加密：{done}；无法解密（需用户重新填写）：{unreadable}")
    return 0
