"""Catalog (QML singleton): the hall processes known to this terminal, from the local store and refreshed from
the server, each with the signed-in user's ★."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services.favorites import favorite_write
from kiosk.views.context import singleton_for
from kiosk.views.process_model import ProcessListModel, ProcessRow
from kiosk.views.workers import LatestPersonalRead

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore
    from kiosk.services.auth import AuthService
    from kiosk.views.app_state import AppState
    from kiosk.views.session import Session
    from kiosk.views.sync import Sync
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
@QmlSingleton
class Catalog(QObject):
    """The hall processes known to this terminal; `source` says where they came from (cache or server).
    With a user logged in, each process also carries their ★ and the sync state of their last ★ write."""

    changed = Signal()
    favoritesChanged = Signal()

    def __init__(self, state: AppState, auth: AuthService, session: Session, sync: Sync, workers: WorkerPool) -> None:
        super().__init__(state)
        self._model = ProcessListModel(self)
        self._favorites_model = ProcessListModel(self)
        self._source = "none"
        self._base: list[ProcessRow] = []
        self._favorites: set[str] = set()
        self._states: dict[str, dict[str, str]] = {}
        self._state, self._auth, self._sync = state, auth, sync
        self._personal = LatestPersonalRead(state, auth, workers)
        self._raw: dict[str, dict[str, Any]] = {}
        self._language = "zh_CN"  # English mode shows the processes' English (set by the composition root)
        state.processesArrived.connect(self.set_processes)
        session.signedIn.connect(self.reloadPersonal)
        session.signedOut.connect(self._forget_personal)
        sync.settled.connect(self.reloadPersonal)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("Catalog", engine)

    @property
    def language(self) -> str:
        return self._language

    def set_language(self, language: str) -> None:
        if language != self._language:
            self._language = language
            self.set_processes(list(self._raw.values()), self._source)

    def set_processes(self, processes: list[dict[str, Any]], source: str) -> None:
        from kiosk.services.catalog import localized

        self._raw = {p["code"]: p for p in processes}
        self._base = [ProcessRow.from_dict({**p, **_shown(localized(p, self._language))}) for p in processes]
        self._model.set_rows(self.decorated_rows())
        self._favorites_model.set_rows([r for r in self.decorated_rows() if r.favorite])
        self._source = source
        self.changed.emit()

    def raw_processes(self) -> dict[str, dict[str, Any]]:
        """The processes as the catalog received them, by code (read-only for other views)."""
        return self._raw

    def decorated_rows(self) -> list[ProcessRow]:
        """Every process with the user's ★ and the sync state of their last ★ write."""
        rows = []
        for row in self._base:
            state = self._states.get(f"favorite:{row.code}", {})
            rows.append(
                replace(
                    row,
                    favorite=row.code in self._favorites,
                    sync_state=state.get("status", ""),
                    sync_error=state.get("error", ""),
                )
            )
        return rows

    def _publish(self) -> None:
        rows = self.decorated_rows()
        self._model.update_rows(rows)
        self._favorites_model.set_rows([r for r in rows if r.favorite])
        self.favoritesChanged.emit()

    @Slot()
    def reloadPersonal(self) -> None:
        """Read the user's ★ and the state of their ★ writes from the local store (on a worker)."""

        def read(store: LocalStore, user: str) -> tuple[list[str], dict[str, dict[str, str]]]:
            return store.favorites(user), store.op_states(user, "favorite:")

        def loaded(result: tuple[list[str], dict[str, dict[str, str]]]) -> None:
            favorites, states = result
            self._favorites = set(favorites)
            self._states = states
            self._publish()

        self._personal.run(read, loaded)

    def _forget_personal(self, _reason: str = "") -> None:
        self._personal.forget()
        self._favorites, self._states = set(), {}
        self._publish()

    @Slot(str, result="QVariantMap")
    def process(self, code: str) -> dict[str, Any]:
        """Everything 办事指南 shows of one process (empty when unknown)."""
        from kiosk.services.catalog import localized

        if code not in self._raw:
            return {}
        raw = localized(self._raw[code], self._language)
        return {
            "code": code,
            "name": raw["name"],
            "departmentName": raw.get("department_name", raw["department"]),
            "audience": raw["audience_text"],
            "category": raw.get("category_text", raw.get("category", "")),
            "description": raw.get("description", ""),
            "materials": list(raw.get("materials") or []),
            "expectedDays": int(raw.get("expected_days") or 0),
            "contactPhone": raw.get("contact_phone") or "",
            "contactOffice": raw.get("contact_office") or "",
            "steps": list(raw.get("steps") or []),
            # A workflow step's name in the user's language (the confirmation's 完成本操作后，流程将转到 …).
            "stepNames": dict((raw.get("en") or {}).get("step_names") or {}) if self._language.startswith("en") else {},
            "favorite": code in self._favorites,
        }

    @Slot(str)
    def toggleFavorite(self, code: str) -> None:
        """★ / un-★ a process: the local effect and the outbox operation are written in one transaction; the
        star turns (with 待同步) once that is on disk, and the server's answer later sets 已同步 or 被拒绝."""
        user = self._auth.user_id
        if user is None:
            return
        on = code not in self._favorites

        def saved(_op: dict[str, Any]) -> None:
            if on:
                self._favorites.add(code)
            else:
                self._favorites.discard(code)
            self._states[f"favorite:{code}"] = {"status": "pending", "error": ""}
            self._publish()

        op_type, payload, apply_local = favorite_write(user, code, on)
        self._sync.enqueue(op_type, payload, apply_local, saved, entity=f"favorite:{code}")

    def _get_model(self) -> QObject:
        return self._model

    def _get_favorites(self) -> QObject:
        return self._favorites_model

    def _get_source(self) -> str:
        return self._source

    def _get_count(self) -> int:
        return self._model.rowCount()

    def _get_favorite_count(self) -> int:
        return self._favorites_model.rowCount()

    processes = Property(ProcessListModel, _get_model, constant=True)
    favorites = Property(ProcessListModel, _get_favorites, constant=True)
    source = Property(str, _get_source, notify=changed)
    count = Property(int, _get_count, notify=changed)
    favoriteCount = Property(int, _get_favorite_count, notify=favoritesChanged)


def _shown(process: dict[str, Any]) -> dict[str, Any]:
    """What a card shows in the user's language (name, department, audience); what the hall filters on stays."""
    return {k: process[k] for k in ("name", "department_name", "audience_text") if k in process}
