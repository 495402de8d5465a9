"""The certificates' Ed25519 signing key (docs/certificates.md, "Keys").

The private key is a PEM file, CAMPUS_SYNC_CERT_KEY_FILE or `<data dir>/cert-signing-key.pem`, created on first
use (or by `campus-sync-server cert-keys new`) with mode 0600; the public key is published at
GET /api/v1/certificates/public-key and printed by `cert-keys show`, for offline checkers.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
from pathlib import Path

import platformdirs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ENV_KEY_FILE = "CAMPUS_SYNC_CERT_KEY_FILE"


def key_path() -> Path:
    configured = os.environ.get(ENV_KEY_FILE)
    if configured:
        return Path(configured)
    return Path(platformdirs.user_data_dir("campus-sync-server", appauthor=False)) / "cert-signing-key.pem"


def create(path: Path | None = None) -> Path:
    """Write a new key; refuses to replace one (FileExistsError): documents it signed would stop verifying."""
    path = path or key_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # O_EXCL: two workers issuing the first certificate at once make one key, not two.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return path


def private_key() -> Ed25519PrivateKey:
    path = key_path()
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another worker made it first
            create(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 key")
    return key


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_text() -> str:
    """The public key as base64url of its 32 raw bytes (what `verify --public-key` takes)."""
    return b64(public_raw(private_key().public_key()))


def key_id(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:8]


def sign(message: bytes) -> str:
    return b64(private_key().sign(message))


def verify(public: bytes, message: bytes, signature: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(unb64(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True
