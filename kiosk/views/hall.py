"""Hall (QML singleton): what 办事大厅 shows — 推荐服务, 热门服务, the six categories, by department, 服务中心
A–Z, and instant search by Chinese, full pinyin or initials — for the processes of the user's audience.

The search index (pypinyin) is built on a worker whenever the catalog changes; a keystroke's search then
runs in a few milliseconds on the GUI thread (bench/bench_search.py), so results follow the finger.
"""

from __future__ import annotations

import html
import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from campus_common.audience import audience_of
from kiosk.services.catalog import topped_up
from kiosk.views.context import singleton_for
from kiosk.views.process_model import LetterListModel, LetterRow, ProcessListModel, ProcessRow

if TYPE_CHECKING:
    from kiosk.services.auth import AuthService
    from kiosk.services.search import SearchIndex
    from kiosk.views.app_state import AppState
    from kiosk.views.catalog import Catalog
    from kiosk.views.session import Session
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

CATEGORIES = [
    ("教学教务", "school"),
    ("组织人事", "id-badge"),
    ("学生服务", "user"),
    ("生活服务", "building-community"),
    ("网络服务", "wifi"),
    ("校务综合", "file-text"),
]


def highlight(name: str, spans: tuple[tuple[int, int], ...]) -> str:
    out, at = [], 0
    for start, end in spans:
        out.append(html.escape(name[at:start]))
        out.append(f"<b><font color='#1f6fd1'>{html.escape(name[start:end])}</font></b>")
        at = end
    out.append(html.escape(name[at:]))
    return "".join(out)


@QmlElement
@QmlSingleton
class Hall(QObject):
    changed = Signal()

    def __init__(
        self, state: AppState, auth: AuthService, catalog: Catalog, session: Session, workers: WorkerPool
    ) -> None:
        super().__init__(state)
        self._state, self._auth, self._catalog, self._workers = state, auth, catalog, workers
        self._results = ProcessListModel(self)
        self._recommended = ProcessListModel(self)
        self._popular = ProcessListModel(self)
        self._az = ProcessListModel(self)
        # 服务中心 A–Z draws each letter as a grid of cards: one model per letter, kept while the app runs (QML
        # holds them), emptied when a letter has no process left.
        self._az_groups: dict[str, ProcessListModel] = {}
        self._az_letters = LetterListModel(self)
        self._drafts = ProcessListModel(self)
        self._draft_codes: list[str] = []  # desk mode: the user's drafts, the latest first
        self._draft_generation = 0
        self._view = "home"  # home | az | departments | category | department | search
        self._filter = ""
        self._query = ""
        self._index: SearchIndex | None = None
        self._letters: dict[str, str] = {}
        self._rows: list[ProcessRow] = []
        self._generation = 0
        catalog.changed.connect(self._catalog_changed)
        catalog.favoritesChanged.connect(self._refresh)
        session.signedIn.connect(self._refresh)
        session.signedIn.connect(self.reloadDrafts)
        session.signedOut.connect(self._signed_out)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("Hall", engine)

    # -- data ------------------------------------------------------------------------------------------------
    def _audience(self) -> str | None:
        current = self._auth.current
        if current is None:
            return None  # browsing guides before logging in: everything
        return audience_of(str(current.user.get("role")))  # admin: None, everything

    def _catalog_changed(self) -> None:
        """A new catalog: rebuild the pinyin index and the A–Z letters off the GUI thread."""
        processes = list(self._catalog.raw_processes().values())
        self._generation += 1
        generation = self._generation

        def build() -> tuple[SearchIndex, dict[str, str]]:
            from kiosk.services.search import SearchIndex, group_az

            letters = {code: letter for letter, codes in group_az(processes) for code in codes}
            return SearchIndex(processes), letters

        def built(result: tuple[SearchIndex, dict[str, str]]) -> None:
            if generation == self._generation:
                self._index, self._letters = result
                self._refresh()

        self._workers.run(build, built, lambda exc: log.error("search index: %s", exc))
        self._refresh()

    def _signed_out(self, _reason: str = "") -> None:
        self._draft_generation += 1
        self._draft_codes = []
        self._query = ""
        self._view, self._filter = "home", ""
        self._refresh()

    def visible_rows(self) -> list[ProcessRow]:
        audience = self._audience()
        rows = self._catalog.decorated_rows()
        return [r for r in rows if audience is None or audience in r.audiences]

    def _refresh(self) -> None:
        rows = self.visible_rows()
        self._rows = rows
        ranked = sorted((r for r in rows if r.popular_rank), key=lambda r: r.popular_rank)
        popular = topped_up(ranked, rows, set())
        recommended = topped_up([r for r in rows if r.recommended], rows, {r.code for r in popular})
        self._recommended.set_rows(recommended)
        # The topped-up ones carry no rank (QML numbers only the ranked): a 热门 place is never invented.
        self._popular.set_rows(popular)
        by_code = {r.code: r for r in rows}
        self._drafts.set_rows([by_code[c] for c in self._draft_codes if c in by_code])
        if self._letters:
            lettered = [replace(r, letter=self._letters.get(r.code, "#")) for r in rows]
            order = {code: n for n, code in enumerate(self._letters)}
            az = sorted(lettered, key=lambda r: (r.letter == "#", r.letter, order.get(r.code, 0)))
            self._az.set_rows(az)
            groups: dict[str, list[ProcessRow]] = {}
            for row in az:
                groups.setdefault(row.letter, []).append(row)
            for letter in set(self._az_groups) | set(groups):
                self._group(letter).update_rows(groups.get(letter, []))
            self._az_letters.update_rows([LetterRow(letter) for letter in groups])
        self._apply_view()

    def _apply_view(self) -> None:
        rows = self._rows
        if self._view == "search":
            hits = self._index.search(self._query, limit=60) if self._index is not None else []
            by_code = {r.code: r for r in rows}
            chinese = {c: p.get("name") for c, p in self._catalog.raw_processes().items()}
            shown = [
                # The matches are in the Chinese name: an English one is shown plain.
                replace(r, name_html=highlight(r.name, h.spans) if r.name == chinese.get(h.code) else "")
                for h in hits
                for r in [by_code.get(h.code)]
                if r is not None
            ]
        elif self._view == "category":
            shown = [r for r in rows if r.category == self._filter]
        elif self._view == "department":
            shown = [r for r in rows if r.department_name == self._filter]
        else:
            shown = []
        self._results.set_rows(shown)
        self.changed.emit()

    # -- QML actions ------------------------------------------------------------------------------------------
    @Slot(str)
    def search(self, text: str) -> None:
        """Each keystroke (and each pinyin preedit change) of the search field."""
        self._query = text.strip()
        if self._query:
            self._view = "search"
        elif self._view == "search":
            self._view = "home"
        self._apply_view()

    @Slot(str, str)
    def show(self, view: str, filter_: str = "") -> None:
        self._view, self._filter, self._query = view, filter_, ""
        self._apply_view()

    @Slot()
    def reloadDrafts(self) -> None:
        """Desk mode: read which processes the user has drafts of (on a worker), for 我的草稿 on the hall home."""
        store, user = self._state.store, self._auth.user_id
        if store is None or user is None or self._auth.mode != "desk":
            return
        self._draft_generation += 1
        generation = self._draft_generation

        def loaded(drafts: list[dict[str, Any]]) -> None:
            if generation == self._draft_generation and self._auth.user_id == user:
                self._draft_codes = [d["process_code"] for d in drafts]
                self._refresh()

        self._workers.run(lambda: store.drafts(user), loaded, lambda exc: log.error("reading drafts: %s", exc))

    @Slot(str, result=bool)
    def hasDraft(self, code: str) -> bool:
        return code in self._draft_codes

    def _group(self, letter: str) -> ProcessListModel:
        if letter not in self._az_groups:
            self._az_groups[letter] = ProcessListModel(self)
        return self._az_groups[letter]

    @Slot(str, result=QObject)
    def azGroup(self, letter: str) -> QObject:
        """The processes under one letter of 服务中心 A–Z, for that letter's grid."""
        return self._group(letter)

    # -- properties ---------------------------------------------------------------------------------------------
    def _get_view(self) -> str:
        return self._view

    def _get_filter(self) -> str:
        return self._filter

    def _get_query(self) -> str:
        return self._query

    def _get_results(self) -> QObject:
        return self._results

    def _get_recommended(self) -> QObject:
        return self._recommended

    def _get_popular(self) -> QObject:
        return self._popular

    def _get_az(self) -> QObject:
        return self._az

    def _get_az_letters(self) -> QObject:
        return self._az_letters

    def _get_drafts(self) -> QObject:
        return self._drafts

    def _get_categories(self) -> list[dict[str, Any]]:
        counts: dict[str, int] = {}
        for r in self._rows:
            counts[r.category] = counts.get(r.category, 0) + 1
        english = self._catalog.language.startswith("en")
        titles = {
            p.get("category"): (p.get("en") or {}).get("category")
            for p in self._catalog.raw_processes().values()
            if english
        }
        return [
            {"name": n, "title": titles.get(n) or n, "icon": icon, "count": counts.get(n, 0)}
            for n, icon in CATEGORIES
            if counts.get(n)
        ]

    def _get_departments(self) -> list[dict[str, Any]]:
        counts: dict[str, int] = {}
        for r in self._rows:
            counts[r.department_name] = counts.get(r.department_name, 0) + 1
        return [{"name": n, "count": c} for n, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def _get_letters(self) -> list[str]:
        return list(dict.fromkeys(r.letter for r in self._az.rows()))

    def _get_count(self) -> int:
        return len(self._rows)

    def _get_index_ready(self) -> bool:
        return self._index is not None

    view = Property(str, _get_view, notify=changed)
    filter = Property(str, _get_filter, notify=changed)
    query = Property(str, _get_query, notify=changed)
    results = Property(ProcessListModel, _get_results, constant=True)
    recommended = Property(ProcessListModel, _get_recommended, constant=True)
    popular = Property(ProcessListModel, _get_popular, constant=True)
    az = Property(ProcessListModel, _get_az, constant=True)
    drafts = Property(ProcessListModel, _get_drafts, constant=True)
    azLetters = Property(LetterListModel, _get_az_letters, constant=True)
    categories = Property(list, _get_categories, notify=changed)
    departments = Property(list, _get_departments, notify=changed)
    letters = Property(list, _get_letters, notify=changed)
    count = Property(int, _get_count, notify=changed)
    indexReady = Property(bool, _get_index_ready, notify=changed)
