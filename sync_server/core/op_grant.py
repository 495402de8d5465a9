"""The server's policy for operation grants (the signing itself is campus_common/op_signing.py): how long a
session's operation key is honoured after its tokens end, and which endings withdraw it."""

from __future__ import annotations

from datetime import timedelta

# A grant outlives its session's tokens by this much: long enough for a kiosk that was offline over a holiday.
GRANT_TTL = timedelta(days=14)
# Sessions ended this way lose their grant: they may have been in the wrong hands (a user's own logout or
# idle timeout, and an expiry, keep it).
UNTRUSTED_REVOKE_REASONS = frozenset({"revoked_by_user", "refresh_reuse", "password_reset", "admin"})
