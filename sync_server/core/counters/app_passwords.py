"""Mail app passwords (授权码), the second way to read 未读邮件: each user gives the portal a password for their own
mailbox, which the server keeps encrypted at rest (Fernet: AES-128-CBC with an HMAC-SHA256, from `cryptography`)
and uses only to log in to IMAP and ask STATUS. docs/portal.md says when to choose this over a master user.

The key comes from the server's settings (CAMPUS_SYNC_MAIL_SECRET_KEYS): one or more Fernet keys separated by
commas; the first seals, every one opens, so a new key is put first, `rotate_all` re-seals what the old one
sealed, and then the old one can go."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sync_server.core import clock
from sync_server.core.counters.source import SourceError
from sync_server.core.errors import Invalid
from sync_server.models import MailAppPassword

MAX_PASSWORD = 256


class SecretBox:
    """Seals and opens app passwords with the configured keys (the first seals, all open)."""

    def __init__(self, keys: str) -> None:
        parts = [k.strip() for k in keys.split(",") if k.strip()]
        if not parts:
            raise ValueError("no key")
        try:
            self._fernet = MultiFernet([Fernet(k) for k in parts])
        except (ValueError, TypeError) as exc:  # not 32 url-safe base64-encoded bytes
            raise ValueError(f"not a Fernet key: {exc}") from None

    @staticmethod
    def new_key() -> str:
        return Fernet.generate_key().decode("ascii")

    def seal(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, token: str) -> str:
        """The password; InvalidToken when no configured key sealed it (or it was altered)."""
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")

    def reseal(self, token: str) -> str:
        """The same password sealed with the first key (InvalidToken as for `open`)."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")


def status(session: Session, user_id: str) -> dict[str, Any]:
    row = session.get(MailAppPassword, user_id)
    # In the campus's time, as a person reads it beside the setting.
    when = clock.as_utc(row.updated_at).astimezone(clock.CAMPUS_TZ) if row is not None else None
    return {"set": row is not None, "updated_at": when}


def save(session: Session, box: SecretBox, user_id: str, password: str, now: datetime | None = None) -> None:
    """Keep `password` (sealed) as the user's app password, replacing one given before."""
    if not password or len(password) > MAX_PASSWORD or any(ord(c) < 0x20 or ord(c) == 0x7F for c in password):
        # IMAP sends it as a quoted string: no control characters (and no line breaks) can be in it.
        raise Invalid("invalid_app_password", "授权码不正确：不能为空，不能含控制字符，最长 256 个字符")
    row = session.get(MailAppPassword, user_id)
    sealed, when = box.seal(password), now or clock.now()
    if row is None:
        session.add(MailAppPassword(user_id=user_id, secret=sealed, updated_at=when))
    else:
        row.secret, row.updated_at = sealed, when


def remove(session: Session, user_id: str) -> bool:
    row = session.get(MailAppPassword, user_id)
    if row is None:
        return False
    session.delete(row)
    return True


def reader(sessions: sessionmaker[Session], box: SecretBox) -> Callable[[str], str | None]:
    """What the IMAP connector asks for a user's password: None when they gave none; a SourceError when it can no
    longer be opened (its key was removed from the settings): the user is asked to give it again."""

    def read(user_id: str) -> str | None:
        with sessions() as session:
            row = session.get(MailAppPassword, user_id)
            token = row.secret if row is not None else None
        if token is None:
            return None
        try:
            return box.open(token)
        except InvalidToken:
            raise SourceError("app_password_invalid", "sealed with a key no longer configured") from None

    return read


def rotate_all(session: Session, box: SecretBox) -> tuple[int, int]:
    """Re-seal every stored password with the first key: (re-sealed, unreadable). An unreadable one (its key is
    gone) is left as it is; its user sees 授权码无效 and gives it again."""
    done = unreadable = 0
    for row in session.scalars(select(MailAppPassword)):
        try:
            row.secret = box.reseal(row.secret)
            done += 1
        except InvalidToken:
            unreadable += 1
    return done, unreadable
