"""Password hashing: argon2id (RFC 9106 second recommended profile, as argon2-cffi's defaults)."""

from __future__ import annotations

import os

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

# argon2id, t=3, m=64 MiB, p=4 — except under CAMPUS_SYNC_ARGON2_PROFILE=cheapest, argon2-cffi's profile for test
# suites (still argon2id; 8 KiB, one pass), which tests/conftest.py sets: the suite's servers, seeds and hundreds
# of logins would otherwise spend minutes of its 2-CPU budget in the hash. A hash records its own parameters, so
# a server on the default profile verifies such hashes and upgrades them at the next login (needs_rehash).
# Read at import (tests/helpers.py IMPORT_TIME_SETTINGS knows).
ARGON2_PROFILE_ENV = "CAMPUS_SYNC_ARGON2_PROFILE"
_PROFILES = {"rfc9106": profiles.RFC_9106_LOW_MEMORY, "cheapest": profiles.CHEAPEST}
_profile_name = os.environ.get(ARGON2_PROFILE_ENV, "rfc9106").strip().lower()
if _profile_name not in _PROFILES:
    raise RuntimeError(f"{ARGON2_PROFILE_ENV} must be one of {', '.join(_PROFILES)}, not {_profile_name!r}")
_hasher = PasswordHasher.from_parameters(_PROFILES[_profile_name])


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def default_password(national_id: str) -> str:
    """The manual's rule: the initial password is the last 6 characters of the national ID, X upper-case."""
    return national_id.strip()[-6:].upper()
