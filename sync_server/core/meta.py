"""Server facts kept in server_meta: the data epoch and the school's names."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from sync_server.models import ServerMeta

DEFAULT_SCHOOL = {
    "school_name": "郑州工商学院",
    "school_name_en": "Zhengzhou Technology and Business University",
    "portal_title": "融合门户",
    "hall_title": "一站式办事大厅",
}


def school_names(session: Session) -> dict[str, str]:
    """The school's names and the portal's titles, as set by the seed or else the defaults."""
    return {key: get_meta(session, key) or default for key, default in DEFAULT_SCHOOL.items()}


def get_meta(session: Session, key: str, default: str | None = None) -> str | None:
    row = session.get(ServerMeta, key)
    return row.value if row else default


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(ServerMeta, key)
    if row:
        row.value = value
    else:
        session.add(ServerMeta(key=key, value=value))


def ensure_epoch(session: Session) -> str:
    """The epoch names this copy of the data; a restored backup gets a new one (`rotate_epoch`)."""
    epoch = get_meta(session, "epoch")
    if epoch is None:
        epoch = secrets.token_hex(8)
        set_meta(session, "epoch", epoch)
    return epoch


def rotate_epoch(session: Session) -> str:
    epoch = secrets.token_hex(8)
    set_meta(session, "epoch", epoch)
    return epoch
