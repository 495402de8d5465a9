"""Client bundle releases and their roll-out per device group (core/releases.py), for the admin; the terminal
learns its target from the heartbeat's answer (routes/devices.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from sync_server.api.deps import AdminPrincipal, SessionDep
from sync_server.api.errors import error_responses
from sync_server.core import releases
from sync_server.schemas import UtcDateTime

router = APIRouter(tags=["devices"])

VersionPath = Annotated[str, Path(max_length=32)]


class ReleaseRequest(BaseModel):
    version: str = Field(min_length=1, max_length=32, description="PEP 440, e.g. 0.2.0")
    url: str = Field(min_length=1, max_length=1024, description="where terminals download the .tar.gz")
    sha256: str = Field(min_length=64, max_length=64, pattern="^[0-9a-fA-F]{64}$", description="of the archive, hex")
    notes: str = Field(default="", max_length=2000)


class ReleasePublic(BaseModel):
    version: str
    url: str
    sha256: str
    notes: str
    created_at: UtcDateTime


class RolloutPublic(BaseModel):
    group: str = Field(description='a device group, or "*" for every group without its own rollout')
    version: str
    paused: bool
    updated_at: UtcDateTime


class ReleasesListing(BaseModel):
    releases: list[ReleasePublic]
    rollouts: list[RolloutPublic]


class RolloutRequest(BaseModel):
    group: str | None = Field(default=None, max_length=64, description="the device group; omit with all=true")
    all: bool = Field(default=False, description="every group without a rollout of its own")

    def group_key(self) -> str | None:
        return None if self.all else (self.group or "")


class ReleaseOffer(BaseModel):
    """What the heartbeat answer offers a terminal: download `url`, check `sha256`, install `version`."""

    version: str
    url: str
    sha256: str
    notes: str = ""


def public(release: releases.Release) -> ReleasePublic:
    return ReleasePublic(
        version=release.version,
        url=release.url,
        sha256=release.sha256,
        notes=release.notes,
        created_at=release.created_at,
    )


def offer(release: releases.Release | None) -> ReleaseOffer | None:
    if release is None:
        return None
    return ReleaseOffer(version=release.version, url=release.url, sha256=release.sha256, notes=release.notes)


@router.post("/api/v1/admin/releases", response_model=ReleasePublic, responses=error_responses(401, 403, 409, 422))
def add_release(_: AdminPrincipal, session: SessionDep, body: ReleaseRequest) -> ReleasePublic:
    return public(releases.add(session, version=body.version, url=body.url, sha256=body.sha256, notes=body.notes))


@router.get("/api/v1/admin/releases", response_model=ReleasesListing, responses=error_responses(401, 403))
def list_releases(_: AdminPrincipal, session: SessionDep) -> ReleasesListing:
    found = releases.catalogue(session)
    return ReleasesListing(
        releases=[public(r) for r in found.releases],
        rollouts=[
            RolloutPublic(group=r.group_name, version=r.version, paused=r.paused, updated_at=r.updated_at)
            for r in sorted(found.rollouts.values(), key=lambda r: r.group_name)
        ],
    )


@router.post(
    "/api/v1/admin/releases/{version}/rollout",
    response_model=RolloutPublic,
    responses=error_responses(401, 403, 404, 422),
)
def rollout_release(
    _: AdminPrincipal, session: SessionDep, version: VersionPath, body: RolloutRequest
) -> RolloutPublic:
    row = releases.rollout(session, version=version, group=body.group_key())
    return RolloutPublic(group=row.group_name, version=row.version, paused=row.paused, updated_at=row.updated_at)


@router.post(
    "/api/v1/admin/releases/pause", response_model=RolloutPublic, responses=error_responses(401, 403, 404, 422)
)
def pause_rollout(_: AdminPrincipal, session: SessionDep, body: RolloutRequest) -> RolloutPublic:
    row = releases.pause(session, group=body.group_key())
    return RolloutPublic(group=row.group_name, version=row.version, paused=row.paused, updated_at=row.updated_at)
