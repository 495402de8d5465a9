"""Public shapes of the API (pydantic), named <Entity>Public as in the FastAPI template."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class _Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Health(BaseModel):
    status: str
    version: str
    schema_: str | None = Field(default=None, alias="schema")
    epoch: str | None = None

    model_config = ConfigDict(populate_by_name=True)


class SchoolPublic(BaseModel):
    name: str
    name_en: str
    portal_title: str
    hall_title: str


class DepartmentPublic(_Public):
    code: str
    name: str
    short_name: str
    parent_code: str | None
    kind: str


class ProcessPublic(_Public):
    code: str
    name: str
    department: str
    department_name: str
    audience: list[str]
    category: str
    description: str
    materials: list[str]
    expected_days: int
    recommended: bool
    popular_rank: int | None


class ProcessList(BaseModel):
    processes: list[ProcessPublic]
    count: int


class NewsSummary(_Public):
    id: int
    category: str
    title: str
    author: str
    published_at: datetime


class NewsPublic(NewsSummary):
    body: str


class NewsList(BaseModel):
    items: list[NewsSummary]
    total: int


class ResourcePublic(_Public):
    code: str
    name: str
    description: str
    url: str
    trial: bool


class AppPublic(_Public):
    code: str
    name: str
    description: str
    url: str
    sso: bool
    icon: str
