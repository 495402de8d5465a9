"""How a user is shown to clients."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sync_server.models import Department, User
from sync_server.schemas import UserPublic


def user_public(session: Session, user: User) -> UserPublic:
    dept = session.get(Department, user.department_code) if user.department_code else None
    return UserPublic(
        user_id=user.user_id,
        name=user.name,
        role=user.role,
        department=dept.short_name if dept else None,
        department_name=dept.name if dept else None,
        post=user.post_code,
        class_name=user.class_name,
        major=user.major,
        phone=user.phone,
        id_card=user.national_id,
        join_date=user.join_date,
        must_change_password=user.must_change_password,
    )
