"""Desk mode's secrets: for "记住我" only the refresh token, and the key that seals the terminal's drafts — in
the OS keyring, or where none is usable (a headless Linux has only keyring's failing backend, and keyrings.alt's
default would store plaintext), in an encrypted file. For a user, kiosk mode never uses this: nothing that logs a
user in is written to a kiosk's disk, and a kiosk keeps no drafts; a kiosk keeps only its device credential here
(kiosk/services/device.py).

The file fallback (`EncryptedFileStore`): Fernet (AES-128-CBC + HMAC-SHA256) with a key derived by HKDF-SHA256
from a random 32-byte key file (mode 0600, in the data dir) and this machine's /etc/machine-id. It keeps the
token unreadable to other local users and useless if the token file alone is copied to another machine; it
does not protect against someone who can read this user's files on this machine (no fallback can without a
secret the user types) — that is what a real keyring adds.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import secrets
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

SERVICE = "campus-kiosk"


class CredentialStore(Protocol):
    name: str

    def load(self, account: str) -> str | None: ...

    def save(self, account: str, secret: str) -> None: ...

    def delete(self, account: str) -> None: ...


class KeyringStore:
    def __init__(self, backend: object) -> None:
        self.backend = backend
        self.name = f"keyring ({type(backend).__name__})"

    def load(self, account: str) -> str | None:
        import keyring

        return keyring.get_password(SERVICE, account)

    def save(self, account: str, secret: str) -> None:
        import keyring

        keyring.set_password(SERVICE, account, secret)

    def delete(self, account: str) -> None:
        import keyring
        import keyring.errors

        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(SERVICE, account)


def _machine_id() -> bytes:
    for path in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            return Path(path).read_bytes().strip()
        except OSError:
            continue
    return b"no-machine-id"


class EncryptedFileStore:
    name = "encrypted file"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _fernet(self) -> object:
        from cryptography.fernet import Fernet
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        self.directory.mkdir(parents=True, exist_ok=True)
        key_file = self.directory / "credential.key"
        if not key_file.exists():
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
        material = key_file.read_bytes()
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_machine_id(), info=b"campus-kiosk refresh token").derive(
            material
        )
        return Fernet(base64.urlsafe_b64encode(key))

    def _path(self, account: str) -> Path:
        safe = "".join(c for c in account if c.isalnum() or c in "-_")[:64] or "default"
        return self.directory / f"{safe}.token"

    def load(self, account: str) -> str | None:
        from cryptography.fernet import InvalidToken

        path = self._path(account)
        if not path.exists():
            return None
        try:
            return self._fernet().decrypt(path.read_bytes()).decode()  # type: ignore[attr-defined]
        except (InvalidToken, OSError, ValueError):
            log.warning("stored credential for %s cannot be decrypted; ignoring it", account)
            return None

    def save(self, account: str, secret: str) -> None:
        token = self._fernet().encrypt(secret.encode())  # type: ignore[attr-defined]
        path = self._path(account)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(token)
        tmp.replace(path)

    def delete(self, account: str) -> None:
        self._path(account).unlink(missing_ok=True)


def draft_key(credentials: CredentialStore, device_id: str) -> bytes:
    """The Fernet key that seals this terminal's drafts (kiosk/services/drafts.py): made once per terminal (its
    data dir's device id names it, as one OS user's keyring may serve several) and kept beside the remember-me
    token. Lost, the drafts sealed with it can no longer be opened."""
    from cryptography.fernet import Fernet

    account = f"draft-key-{device_id}"
    stored = credentials.load(account)
    if stored:
        try:
            Fernet(stored)
            return stored.encode()
        except ValueError:
            log.warning("the stored draft key is not a key; making a new one")
    key = Fernet.generate_key()
    credentials.save(account, key.decode())
    return key


def choose_store(data_dir: Path) -> CredentialStore:
    """The OS keyring when it has a real, secure backend; otherwise the encrypted file. Logs which."""
    store: CredentialStore
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        insecure = (
            type(backend).__module__.startswith(("keyrings.alt", "keyring.backends.fail"))
            or isinstance(backend, fail.Keyring)
            or getattr(backend, "priority", 0) <= 0
        )
        store = EncryptedFileStore(data_dir / "credentials") if insecure else KeyringStore(backend)
    except Exception as exc:  # a broken keyring install must not stop the desk client
        log.warning("keyring unavailable (%s)", exc)
        store = EncryptedFileStore(data_dir / "credentials")
    log.info("remember-me tokens are kept in: %s", store.name)
    return store
