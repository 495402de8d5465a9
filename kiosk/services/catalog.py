"""The hall catalog on the kiosk: fetched from the server, kept in the local store for offline use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar


class _Coded(Protocol):
    @property
    def code(self) -> str: ...


Row = TypeVar("Row", bound=_Coded)

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore
    from kiosk.services.api_client import ApiClient


def refresh_catalog(client: ApiClient, store: LocalStore) -> list[dict[str, Any]]:
    processes = client.processes()
    store.replace_catalog(processes)
    return store.catalog()


# 推荐服务 and 热门服务 each show whole rows of cards (4 a row on a landscape kiosk, 2 in portrait, up to 2 rows):
# when this audience has fewer flagged processes than that, the rows are topped up, so no row ends half empty
# (a student saw one 推荐 card and four 热门 in rows of four).
HOME_ROW_FILL = 8


def topped_up(first: list[Row], rest: list[Row], skip: set[str]) -> list[Row]:
    """`first`, then rows of `rest` not in it nor in `skip`, until HOME_ROW_FILL rows (or `rest` runs out)."""
    out = list(first)
    seen = {r.code for r in out} | skip
    for row in rest:
        if len(out) >= HOME_ROW_FILL:
            break
        if row.code not in seen:
            out.append(row)
            seen.add(row.code)
    return out


def localized(process: dict[str, Any], language: str) -> dict[str, Any]:
    """The process as a user of `language` reads it: in English mode the server's English (`en`: name,
    department, description, materials, the guide's steps, audience) over the Chinese; codes, the audience and
    the category used for filtering stay as they are (`audience_text` is what is shown)."""
    english = process.get("en") or {}
    if not language.startswith("en") or not english:
        return {**process, "audience_text": "/".join(process.get("audience") or [])}
    shown = {k: english[k] for k in ("name", "department_name", "description", "materials", "steps") if k in english}
    return {
        **process,
        **shown,
        "audience_text": "/".join(english.get("audience") or process.get("audience") or []),
        "category_text": english.get("category", process.get("category", "")),
    }
