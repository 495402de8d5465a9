"""Device enrollment and the fleet (core/devices.py): the admin's enrollment codes, list and revoke; the
terminal's exchange of its code for a credential, and its heartbeat."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from sync_server.api.deps import DEVICE_HEADER, AdminPrincipal, SessionDep, client_address
from sync_server.api.errors import error_responses
from sync_server.api.routes.releases import ReleaseOffer, offer
from sync_server.api.routes.releases import router as releases_router
from sync_server.core import devices, releases
from sync_server.schemas import Ok, UtcDateTime

router = APIRouter(tags=["devices"])
router.include_router(releases_router)

DeviceIdPath = Annotated[str, Path(max_length=16)]


class EnrollRequest(BaseModel):
    name: str = Field(min_length=1, max_length=64, description="what users and IT call it, e.g. 图书馆一楼自助机")
    location: str = Field(default="", max_length=128)
    group: str = Field(default="", max_length=64, description="for rolling out per group of devices")
    valid_hours: float = Field(default=24, gt=0, le=720, description="how long the code may be exchanged")


class DevicePublic(BaseModel):
    id: str
    name: str
    location: str
    group: str
    state: str = Field(description="pending | expired | enrolled | revoked")
    flags: list[str] = Field(description="STALE: not heard from lately; DEEP: a deep outbox")
    enrolled_at: UtcDateTime | None
    revoked_at: UtcDateTime | None
    last_seen_at: UtcDateTime | None
    version: str | None
    last_sync_at: UtcDateTime | None
    outbox_depth: int | None
    oldest_pending_s: int | None
    last_error: str | None
    free_disk_bytes: int | None
    target: str | None = Field(default=None, description='its rollout\'s version ("0.2.0", "0.2.0 paused")')


class EnrollmentCreated(BaseModel):
    device: DevicePublic
    code: str = Field(description="the one-time enrollment code; shown only now")
    expires_at: UtcDateTime


class ExchangeRequest(BaseModel):
    code: str = Field(min_length=1, max_length=32)


class DeviceCredential(BaseModel):
    device_id: str
    name: str
    location: str
    group: str
    credential: str = Field(description=f"send it as the {DEVICE_HEADER} header on every request; shown only now")


class HeartbeatRequest(BaseModel):
    version: str = Field(min_length=1, max_length=64)
    last_sync_at: UtcDateTime | None = None
    outbox_depth: int = Field(default=0, ge=0, le=10_000_000)
    oldest_pending_s: int | None = Field(default=None, ge=0, le=10**9, description="age of the oldest queued op")
    last_error: str | None = Field(default=None, max_length=256)
    free_disk_bytes: int | None = Field(default=None, ge=0, le=2**62)


class HeartbeatAnswer(BaseModel):
    device_id: str
    name: str
    update: ReleaseOffer | None = Field(default=None, description="a newer release rolled out to its group")


def _public(entry: devices.FleetEntry, found: releases.Catalogue | None = None) -> DevicePublic:
    d = entry.device
    return DevicePublic(
        id=d.id,
        name=d.name,
        location=d.location,
        group=d.group_name,
        state=entry.state,
        flags=list(entry.flags),
        enrolled_at=d.enrolled_at,
        revoked_at=d.revoked_at,
        last_seen_at=d.last_seen_at,
        version=d.version,
        last_sync_at=d.last_sync_at,
        outbox_depth=d.outbox_depth,
        oldest_pending_s=d.oldest_pending_s,
        last_error=d.last_error,
        free_disk_bytes=d.free_disk_bytes,
        target=found.target_label(d) if found is not None else None,
    )


def _limits(request: Request) -> dict[str, Any]:
    settings = request.app.state.settings
    return {"stale_after": timedelta(minutes=settings.device_stale_minutes), "deep_outbox": settings.device_deep_outbox}


# -- the admin ----------------------------------------------------------------------------------------------------
@router.post("/api/v1/admin/devices", response_model=EnrollmentCreated, responses=error_responses(401, 403, 422))
def create_enrollment(
    _: AdminPrincipal, request: Request, session: SessionDep, body: EnrollRequest
) -> EnrollmentCreated:
    made = devices.enroll(
        session, name=body.name, location=body.location, group=body.group, ttl=timedelta(hours=body.valid_hours)
    )
    return EnrollmentCreated(
        device=_public(devices.describe(made.device, **_limits(request))),
        code=made.code,
        expires_at=made.device.code_expires_at,
    )


@router.get("/api/v1/admin/devices", response_model=list[DevicePublic], responses=error_responses(401, 403))
def list_devices(_: AdminPrincipal, request: Request, session: SessionDep) -> list[DevicePublic]:
    found = releases.catalogue(session)
    return [_public(e, found) for e in devices.fleet(session, **_limits(request))]


@router.post("/api/v1/admin/devices/{device_id}/revoke", response_model=Ok, responses=error_responses(401, 403, 404))
def revoke_device(_: AdminPrincipal, session: SessionDep, device_id: DeviceIdPath) -> Ok:
    devices.revoke(session, device_id=device_id)
    return Ok()


# -- the terminal -------------------------------------------------------------------------------------------------
@router.post("/api/v1/devices/enroll", response_model=DeviceCredential, responses=error_responses(403, 404, 410, 422))
def exchange_code(request: Request, session: SessionDep, body: ExchangeRequest) -> DeviceCredential:
    """The enrollment code for the device's credential, once."""
    device, credential = devices.exchange(session, code=body.code, address=client_address(request))
    return DeviceCredential(
        device_id=device.id, name=device.name, location=device.location, group=device.group_name, credential=credential
    )


@router.post(
    "/api/v1/devices/heartbeat",
    response_model=HeartbeatAnswer,
    response_model_exclude_none=True,
    responses=error_responses(401, 403, 422),
)
def heartbeat(request: Request, session: SessionDep, body: HeartbeatRequest) -> HeartbeatAnswer:
    """How the terminal is doing; refused (device_unknown, device_revoked) whatever the server's enforcement."""
    device = devices.authenticate(session, request.headers.get(DEVICE_HEADER))
    beat = devices.Heartbeat(
        version=body.version,
        last_sync_at=body.last_sync_at,
        outbox_depth=body.outbox_depth,
        oldest_pending_s=body.oldest_pending_s,
        last_error=body.last_error,
        free_disk_bytes=body.free_disk_bytes,
    )
    devices.record_heartbeat(device, beat, address=client_address(request))
    update = offer(releases.catalogue(session).offer(device))
    return HeartbeatAnswer(device_id=device.id, name=device.name, update=update)
