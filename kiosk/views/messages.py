"""Messages (QML singleton): 消息中心's news — the chosen tab or search as a paged list from the local store, an
article, read marks (local at once, sent to the server when it can be reached), and how old the content is.
办事通知 stay Inbox's. Rules and formats live in kiosk/services/news.py."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QUrl, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from campus_common.content import CATEGORY_BY_CODE
from kiosk.models.meta_keys import SYNCED_AT_KEY, VERSION_KEY
from kiosk.services import news, news_images
from kiosk.views.context import singleton_for
from kiosk.views.news_model import ArticleBlocksModel, NewsListModel

if TYPE_CHECKING:
    from kiosk.services.auth import AuthService
    from kiosk.views.app_state import AppState
    from kiosk.views.session import Session
    from kiosk.views.sync import Sync
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)


@QmlElement
@QmlSingleton
class Messages(QObject):
    changed = Signal()  # tab, query, total, age
    articleChanged = Signal()

    def __init__(self, state: AppState, auth: AuthService, session: Session, sync: Sync, workers: WorkerPool) -> None:
        super().__init__(state)
        self._state, self._auth, self._workers = state, auth, workers
        self._model = NewsListModel(workers, self)
        self._blocks = ArticleBlocksModel(self)
        self._images = news_images.ImageCache(state.config.data_path / "images")
        self._image_queue: list[str] = []  # the article's images still to fetch, one at a time
        self._tab, self._query = news.ALL, ""
        self._total = 0
        self._synced_at = ""
        self._version: str | None = None  # the store's news version the list was read at
        self._article: dict[str, Any] = {}
        self._sending = False
        state.storeReady.connect(self.reload)
        session.signedIn.connect(self.reload)
        session.signedOut.connect(lambda _reason="": self.reload())
        sync.settled.connect(self._settled)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("Messages", engine)

    # -- the list -------------------------------------------------------------------------------------------------
    @Slot()
    def reload(self) -> None:
        """Read the chosen tab or search again from the top (and its total and the content's age)."""
        store, user, tab, query = self._state.store, self._auth.user_id, self._tab, self._query
        if store is None:
            self._model.reset(None)
            return
        self._model.reset(lambda offset: news.page(store, user, tab, query, offset))

        def facts() -> tuple[int, str, str | None]:
            return news.count(store, tab, query), store.get_meta(SYNCED_AT_KEY) or "", store.get_meta(VERSION_KEY)

        def loaded(found: tuple[int, str, str | None]) -> None:
            if (tab, query) == (self._tab, self._query):
                self._total, self._synced_at, self._version = found
                self.changed.emit()

        self._workers.run(facts, loaded)

    @Slot(str)
    def showTab(self, tab: str) -> None:
        if tab in news.TABS and tab != self._tab:
            self._tab = tab
            self.changed.emit()
            self.reload()

    @Slot(str)
    def search(self, text: str) -> None:
        query = " ".join(news.search_words(text))
        if query != self._query:
            self._query = query
            self.changed.emit()
            self.reload()

    def _settled(self) -> None:
        """After a sync round: the list is read again only if news or read marks came (a reset would lose the
        reader's place), the age is refreshed, and read marks the server lacks are sent again."""
        store = self._state.store
        if store is None:
            return

        def facts() -> tuple[str | None, str]:
            return store.get_meta(VERSION_KEY), store.get_meta(SYNCED_AT_KEY) or ""

        def loaded(found: tuple[str | None, str]) -> None:
            version, synced_at = found
            if synced_at != self._synced_at:
                self._synced_at = synced_at
                self.changed.emit()
            if version != self._version:
                self.reload()

        self._workers.run(facts, loaded)
        self._send_reads()

    def _send_reads(self) -> None:
        store, user, current = self._state.store, self._auth.user_id, self._auth.current
        if store is None or user is None or current is None or self._sending or self._state.connection != "online":
            return
        self._sending = True
        client = self._auth.client.with_token(current.access_token)

        def done(_result: Any) -> None:
            self._sending = False

        def failed(exc: Exception) -> None:
            self._sending = False
            log.info("news read marks not sent yet: %s", exc)

        self._workers.run(lambda: news.send_unsent(client, store, user), done, failed)

    # -- an article ---------------------------------------------------------------------------------------------
    @Slot(int, int)
    def openArticle(self, news_id: int, _max_width: int = 0) -> None:
        """Read an article for the article page (its body as text and image blocks, the images then fetched one
        by one) and, for a signed-in reader, mark it read here at once and on the server when it can be reached.
        (`_max_width` is kept for callers: the page itself fits each image to its width.)"""
        store, user = self._state.store, self._auth.user_id
        self._article = {"newsId": news_id, "loading": True}
        self._blocks.reset([])
        self.articleChanged.emit()
        if store is None:
            return

        def read() -> tuple[dict[str, Any] | None, bool, list[dict[str, Any]]]:
            found = news.article(store, user, news_id)
            marked = found is not None and user is not None and news.mark_read(store, user, news_id)
            return found, marked, news_images.blocks(found["body"]) if found else []

        def loaded(result: tuple[dict[str, Any] | None, bool, list[dict[str, Any]]]) -> None:
            found, marked, blocks = result
            if self._article.get("newsId") != news_id:
                return
            if found is None:
                self._article = {"newsId": news_id, "missing": True}
            else:
                self._article = {**found, "categoryName": self._category_name(found["category"])}
                self._blocks.reset(blocks)
                self._load_images(news_id)
            self.articleChanged.emit()
            if marked:
                self._model.mark_read(news_id)
                self._send_reads()

        self._workers.run(read, loaded)

    def _load_images(self, news_id: int) -> None:
        """Each image from this terminal's cache, or from the server when online; one that cannot be had shows
        its alt text. Never on the GUI thread: the file checks and downloads run on a worker, one image at a
        time, so a slow image server holds at most one worker (the list's pages go on beside it)."""
        queue_was_idle = not self._image_queue
        self._image_queue = list(dict.fromkeys(self._blocks.images()))
        if queue_was_idle:
            self._next_image(news_id)

    def _next_image(self, news_id: int) -> None:
        if not self._image_queue:
            return
        if self._article.get("newsId") != news_id:  # another article was opened: its own queue runs
            news_id = int(self._article.get("newsId") or 0)
        sha = self._image_queue.pop(0)
        cache, client, online = self._images, self._auth.client, self._state.connection == "online"

        def get() -> str:
            path = cache.fetch(client, sha) if online else cache.cached(sha)
            if path is None:
                raise FileNotFoundError("not cached, and offline")
            return QUrl.fromLocalFile(str(path)).toString()

        def done(source: str | None) -> None:
            if self._article.get("newsId") == news_id:
                self._blocks.image_ready(sha, source)
            self._next_image(news_id)

        def failed(exc: Exception) -> None:
            log.info("article image %s not shown: %s", sha[:12], exc)
            done(None)

        self._workers.run(get, done, failed)

    @staticmethod
    def _category_name(code: str) -> str:
        category = CATEGORY_BY_CODE.get(code)
        return category.name if category else ""

    # -- properties -------------------------------------------------------------------------------------------
    def _get_model(self) -> NewsListModel:
        return self._model

    def _get_tab(self) -> str:
        return self._tab

    def _get_query(self) -> str:
        return self._query

    def _get_total(self) -> int:
        return self._total

    def _get_age(self) -> str:
        return news.age_text(self._synced_at)

    def _article_text(self, key: str) -> str:
        return str(self._article.get(key) or "")

    def _get_article_state(self) -> str:
        if not self._article:
            return ""
        return "loading" if self._article.get("loading") else "missing" if self._article.get("missing") else "ready"

    def _get_article_id(self) -> int:
        return int(self._article.get("newsId") or 0)

    def _get_article_title(self) -> str:
        return self._article_text("title")

    def _get_article_blocks(self) -> ArticleBlocksModel:
        return self._blocks

    def _get_article_author(self) -> str:
        return self._article_text("author")

    def _get_article_published(self) -> str:
        return self._article_text("published")

    def _get_article_category(self) -> str:
        return self._article_text("category")

    news = Property(NewsListModel, _get_model, constant=True)
    tab = Property(str, _get_tab, notify=changed)
    query = Property(str, _get_query, notify=changed)
    total = Property(int, _get_total, notify=changed)
    age = Property(str, _get_age, notify=changed)  # "12-05 09:30": when the content was last brought up to date
    # The article page's parts (one property each: qmllint cannot be told of a QVariantMap property).
    articleState = Property(str, _get_article_state, notify=articleChanged)  # "" | loading | missing | ready
    articleId = Property(int, _get_article_id, notify=articleChanged)
    articleTitle = Property(str, _get_article_title, notify=articleChanged)
    articleBlocks = Property(ArticleBlocksModel, _get_article_blocks, notify=articleChanged)  # the body: text, images
    articleAuthor = Property(str, _get_article_author, notify=articleChanged)
    articlePublished = Property(str, _get_article_published, notify=articleChanged)
    articleCategory = Property(str, _get_article_category, notify=articleChanged)
