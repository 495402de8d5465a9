"""Operation grants: how a kiosk delivers a user's queued writes after that user has gone.

At login the server gives the terminal a per-session operation key (256 random bits). The terminal holds it
in memory only and, when the user makes a write, signs the outbox operation with it (HMAC-SHA256 over the
operation and the session and device it belongs to) and stores the signature beside the operation. At logout
the key is forgotten with the tokens. Later, with no token at all, the terminal can still push those stored
operations: the server checks each signature with the session's key. Whoever reads the kiosk's disk afterwards
finds signatures of operations that already exist (replaying them is idempotent), never a key to sign new ones.

Pure functions, shared by the server and the kiosk (like password_policy).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import timedelta
from typing import Any

# A grant outlives its session's tokens by this much: long enough for a kiosk that was offline over a holiday.
GRANT_TTL = timedelta(days=14)
# Sessions ended this way lose their grant: they may have been in the wrong hands (a user's own logout or
# idle timeout, and an expiry, keep it).
UNTRUSTED_REVOKE_REASONS = frozenset({"revoked_by_user", "refresh_reuse", "password_reset", "admin"})


def new_op_key() -> str:
    return secrets.token_urlsafe(32)


def canonical(session_id: str, device_id: str, op: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "session_id": session_id,
            "device_id": device_id,
            "id": op["id"],
            "seq": op["seq"],
            "type": op["type"],
            "payload": op["payload"],
            "created_at": op["created_at"],
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode(errors="surrogatepass")  # a lone surrogate in a payload must not become a 500


def sign(op_key: str, session_id: str, device_id: str, op: dict[str, Any]) -> str:
    return hmac.new(op_key.encode(), canonical(session_id, device_id, op), hashlib.sha256).hexdigest()


def verify(op_key: str, session_id: str, device_id: str, op: dict[str, Any], signature: str) -> bool:
    return hmac.compare_digest(sign(op_key, session_id, device_id, op), signature or "")
