"""未读邮件 over IMAP: the UNSEEN count of the user's INBOX (STATUS, which neither selects the mailbox nor
changes a flag), read with one of two logins (`auth`, docs/portal.md says when to choose which):

- `master`: the portal's master user, so the server needs no password of the user's. Two ways (Dovecot "master
  users"; Cyrus and others take the second): "user*master" with the master password when a separator is
  configured, or SASL PLAIN with the user as authorization identity and the master user as authentication
  identity (RFC 4616), which needs no separator.
- `app_password`: the user's own login with the app password (授权码) they gave the portal, kept encrypted
  (core/counters/app_passwords.py); none given → `no_app_password`, refused → `app_password_invalid`."""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from sync_server.core.counters.source import SourceError

_UNSEEN = re.compile(rb"\(.*\bUNSEEN (\d+).*\)", re.IGNORECASE)


@dataclass
class ImapUnread:
    host: str
    port: int
    master_user: str = ""
    master_password: str = ""
    security: str = "ssl"  # ssl | starttls | plain
    login_template: str = "{user_id}"
    master_separator: str | None = None
    mailbox: str = "INBOX"
    ca_file: str | None = None
    timeout: float = 3.0
    auth: str = "master"  # master | app_password
    # app_password: the user's password, None when they gave none (core/counters/app_passwords.py `reader`).
    app_password: Callable[[str], str | None] | None = None

    name: ClassVar[str] = "imap"
    label: ClassVar[str] = "邮箱服务"
    keys: ClassVar[tuple[str, ...]] = ("mail_unread",)
    demo: ClassVar[bool] = False
    cached: ClassVar[bool] = True

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file)

    def _connect(self) -> imaplib.IMAP4:
        if self.security == "ssl":
            return imaplib.IMAP4_SSL(self.host, self.port, ssl_context=self._tls(), timeout=self.timeout)
        conn = imaplib.IMAP4(self.host, self.port, timeout=self.timeout)
        if self.security == "starttls":
            conn.starttls(self._tls())
        return conn

    def _login(self, conn: imaplib.IMAP4, login: str, password: str | None) -> None:
        if password is not None:  # the user's own login, with their app password
            conn.login(login, password)
            return
        if self.master_separator:
            conn.login(f"{login}{self.master_separator}{self.master_user}", self.master_password)
            return
        token = f"{login}\0{self.master_user}\0{self.master_password}".encode()
        conn.authenticate("PLAIN", lambda _challenge: token)

    def fetch(self, user_id: str) -> dict[str, int]:
        login = self.login_template.format(user_id=user_id, user_id_lower=user_id.lower())
        password = None
        if self.auth == "app_password":
            password = self.app_password(user_id) if self.app_password is not None else None
            if password is None:
                raise SourceError("no_app_password", user_id)  # not worth a connection: nothing to log in with
        try:
            conn = self._connect()
        except TimeoutError as exc:
            raise SourceError("timeout", f"connect: {exc}") from exc
        except (OSError, imaplib.IMAP4.error) as exc:
            raise SourceError("source_down", f"connect: {exc}") from exc
        try:
            try:
                self._login(conn, login, password)
            except imaplib.IMAP4.abort as exc:
                raise SourceError("source_down", f"login: {exc}") from exc
            except imaplib.IMAP4.error as exc:  # NO or BAD: the credentials (or the mailbox's name) do not hold
                # With an app password it is the user's own that failed (revoked, expired, mistyped): theirs to
                # fix, not the portal's. Never a figure, and the password is not in the message.
                code = "app_password_invalid" if password is not None else "auth_failed"
                raise SourceError(code, f"login {login}: {exc}") from exc
            status, data = conn.status(self._quoted(self.mailbox), "(UNSEEN)")
            found = _UNSEEN.search(data[0] or b"") if status == "OK" and data and isinstance(data[0], bytes) else None
            if found is None:
                raise SourceError("protocol_error", f"STATUS: {status} {data!r}")
            return {"mail_unread": int(found.group(1))}
        except TimeoutError as exc:
            raise SourceError("timeout", str(exc)) from exc
        except (OSError, imaplib.IMAP4.error) as exc:
            raise SourceError("source_down", str(exc)) from exc
        finally:
            # The figure (or the error) is what matters; a broken goodbye changes neither.
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                conn.logout()

    @staticmethod
    def _quoted(mailbox: str) -> str:
        return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'
