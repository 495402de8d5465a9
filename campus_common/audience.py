"""Who may use a process: a process names its audiences (学生, 教工, 校外人员); a user's role falls in one."""

from __future__ import annotations

from collections.abc import Iterable

AUDIENCES = ("学生", "教工", "校外人员")
AUDIENCE_OF_ROLE = {"student": "学生", "staff": "教工", "approver": "教工", "external": "校外人员"}


def audience_of(role: str | None) -> str | None:
    """The audience a role belongs to; None for admins (who see everything) and unknown roles."""
    return AUDIENCE_OF_ROLE.get(role or "")


def allows(role: str, audience: Iterable[str]) -> bool:
    """Whether a user of `role` may start a process meant for `audience` (admins are checked by the caller)."""
    return audience_of(role) in set(audience)
