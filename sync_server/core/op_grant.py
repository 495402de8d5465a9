"""The server's policy for operation grants (the signing itself is campus_common/op_signing.py): how long a
session's operation key is honoured after its tokens end, and which endings withdraw it."""

from __future__ import annotations

from datetime import timedelta

from sync_server.models import AuthSession

# A grant outlives its session's tokens by this much: long enough for a kiosk that was offline over a holiday.
GRANT_TTL = timedelta(days=14)
# Sessions ended this way lose their grant: they may have been in the wrong hands (a user's own logout or
# idle timeout, and an expiry, keep it).
UNTRUSTED_REVOKE_REASONS = frozenset(
    {"revoked_by_user", "refresh_reuse", "password_changed", "password_reset", "admin"}
)
# A changed or reset password says the old one may be known to someone else, and whoever knew it could have
# logged in and kept a session's key: auth.change_password and auth.reset_password delete the keys of the
# user's other sessions too, those already logged out included (their revoke_reason is kept).
PASSWORD_REVOKE_REASONS = frozenset({"password_changed", "password_reset"})
KEYED_KINDS = ("kiosk", "desk")  # the sessions that get an operation key

REFUSED = "该登录会话的待同步操作已无法提交"
KEY_WITHDRAWN = "账号密码已修改，该登录会话的待同步操作已无法提交"


def refusal_message(row: AuthSession | None) -> str:
    """What a terminal is told when `row`'s grant is refused (always op_grant_invalid, which kiosks settle on)."""
    if (
        row is not None
        and row.kind in KEYED_KINDS
        and (row.op_key is None or row.revoke_reason in PASSWORD_REVOKE_REASONS)
    ):
        return KEY_WITHDRAWN
    return REFUSED
