from __future__ import annotations

from fastapi import APIRouter, Request

from sync_server import __version__
from sync_server.api.deps import DatabaseDep, SessionDep
from sync_server.core.clock import CAMPUS_TZ
from sync_server.core.errors import Unavailable
from sync_server.core.meta import get_meta, school_names
from sync_server.migrate import current_revision
from sync_server.schemas import Health, SchoolPublic

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, responses={503: {"description": "database unreachable"}})
def healthz(request: Request, db: DatabaseDep, session: SessionDep) -> Health:
    try:
        schema = current_revision(db.engine)
        epoch = get_meta(session, "epoch")
    except Exception as exc:  # a down database is a 503 the fleet monitor can read, not a 500
        raise Unavailable("database_unavailable", "The database is unreachable.") from exc
    return Health(
        status="ok",
        version=__version__,
        schema=schema,
        epoch=epoch,
        campus_tz=CAMPUS_TZ.key,
        live_wait=request.app.state.live_wait,
    )


@router.get("/api/v1/school", response_model=SchoolPublic, tags=["content"])
def school(session: SessionDep) -> SchoolPublic:
    names = school_names(session)
    return SchoolPublic(
        name=names["school_name"],
        name_en=names["school_name_en"],
        portal_title=names["portal_title"],
        hall_title=names["hall_title"],
    )
