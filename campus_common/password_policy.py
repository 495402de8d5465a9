"""The password policy, shared by the server (which decides) and the kiosk (which hints while typing).

Pure Python with no dependencies, so the kiosk can import it without pulling in the server.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_LENGTH = 8
MAX_LENGTH = 128


@dataclass(frozen=True)
class Problem:
    code: str
    message: str  # Chinese, shown to the user as is


def problems(user_id: str, new: str, old: str | None = None) -> list[Problem]:
    """Everything wrong with `new` as a password for `user_id`; empty when it is acceptable."""
    found: list[Problem] = []
    if len(new) < MIN_LENGTH:
        found.append(Problem("too_short", f"密码至少 {MIN_LENGTH} 位"))
    if len(new) > MAX_LENGTH:
        found.append(Problem("too_long", f"密码不能超过 {MAX_LENGTH} 位"))
    if not any(c.isascii() and c.isalpha() for c in new):
        found.append(Problem("needs_letter", "密码需包含字母"))
    if not any(c.isdigit() for c in new):
        found.append(Problem("needs_digit", "密码需包含数字"))
    if user_id and user_id.upper() in new.upper():
        found.append(Problem("contains_id", "密码不能包含学号/工号"))
    if any(c.isspace() for c in new):
        found.append(Problem("whitespace", "密码不能包含空格"))
    if old is not None and new == old:
        found.append(Problem("same_as_old", "新密码不能与原密码相同"))
    return found


def strength(password: str) -> int:
    """0 (empty) to 4 (strong): a hint while typing, not a rule."""
    if not password:
        return 0
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    score = 1
    if len(password) >= MIN_LENGTH and classes >= 2:
        score = 2
    if len(password) >= 10 and classes >= 3:
        score = 3
    if len(password) >= 12 and classes == 4:
        score = 4
    return score
