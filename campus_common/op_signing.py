"""Signing queued operations, so a kiosk can deliver a user's writes after that user has gone.

At login the server gives the terminal a per-session operation key (256 random bits). The terminal holds it
in memory only and, when the user makes a write, signs the outbox operation with it (HMAC-SHA256 over the
operation and the session and device it belongs to) and stores the signature beside the operation. At logout
the key is forgotten with the tokens. Later, with no token at all, the terminal can still push those stored
operations: the server checks each signature with the session's key. Whoever reads the kiosk's disk afterwards
finds signatures of operations that already exist (replaying them is idempotent), never a key to sign new ones.
How long the server honours a key, and when it stops, is the server's policy (campus_common/op_signing.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any


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
