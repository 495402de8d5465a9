"""The certificates' Ed25519 signing key (docs/certificates.md, "Keys").

The private key is a PEM file, CAMPUS_SYNC_CERT_KEY_FILE or `<data dir>/cert-signing-key.pem`, created on first
use (or by `campus-sync-server cert-keys new`) with mode 0600; the public key is published at
GET /api/v1/certificates/public-key and printed by `cert-keys show`, for offline checkers.

Rotation (`cert-keys rotate`): a new private key replaces the file, and the old one's public key is appended to the
retired list next to it (`<key file>.retired`, one line per key: `<key id> <public key> <retired on>`). Documents
name their key id in their facts, so a document signed by a retired key still verifies — on the page and with
`verify` — while its line is listed; deleting the line withdraws it (a leaked key: its documents stop verifying).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
from datetime import date
from pathlib import Path
from typing import NamedTuple

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


def private_key(path: Path | None = None) -> Ed25519PrivateKey:
    path = path or key_path()
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


def sign(message: bytes, key: Ed25519PrivateKey | None = None) -> str:
    return b64((key or private_key()).sign(message))


def verify(public: bytes, message: bytes, signature: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(unb64(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


# -- rotation ----------------------------------------------------------------------------------------------------
class PublicKey(NamedTuple):
    key_id: str
    public: bytes
    retired_on: str | None  # None: the current key


def retired_path(path: Path | None = None) -> Path:
    path = path or key_path()
    return path.with_name(path.name + ".retired")


def retired_keys(path: Path | None = None) -> list[PublicKey]:
    """The retired public keys still listed (a malformed line is skipped: it vouches for nothing)."""
    listing = retired_path(path)
    if not listing.exists():
        return []
    found = []
    for line in listing.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 3 or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", parts[2]):
            continue
        try:
            public = unb64(parts[1])
        except ValueError:
            continue
        if len(public) == 32 and key_id(public) == parts[0]:
            found.append(PublicKey(parts[0], public, parts[2]))
    return found


def keyring(path: Path | None = None) -> dict[str, PublicKey]:
    """Every public key a document may be verified with, by key id: the current one (when there is a key file)
    and the retired ones still listed."""
    path = path or key_path()
    ring = {k.key_id: k for k in retired_keys(path)}
    if path.exists():
        public = public_raw(private_key(path).public_key())
        ring[key_id(public)] = PublicKey(key_id(public), public, None)
    return ring


def rotate(today: date, path: Path | None = None) -> tuple[PublicKey, PublicKey]:
    """A new signing key; the old public key joins the retired list (it keeps verifying what it signed).
    Returns (retired, new). The listing is written before the key is replaced: a crash between the two leaves the
    old key current and listed twice over, never a document that no listed key verifies."""
    path = path or key_path()
    if not path.exists():
        raise FileNotFoundError(path)
    old = public_raw(private_key(path).public_key())
    retired = PublicKey(key_id(old), old, today.isoformat())
    with retired_path(path).open("a", encoding="utf-8") as listing:
        listing.write(f"{retired.key_id} {b64(old)} {retired.retired_on}\n")
    partial = path.with_name(path.name + f".{os.getpid()}.new")
    partial.unlink(missing_ok=True)
    create(partial)
    partial.replace(path)  # atomic: a worker reads the old key or the new one, never half a file
    new = public_raw(private_key(path).public_key())
    return retired, PublicKey(key_id(new), new, None)
