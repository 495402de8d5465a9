"""NewsListModel: 消息中心's rows, a page at a time. The view asks for more as it nears the end (canFetchMore /
fetchMore); each page is read from the local store on a worker and inserted when it arrives, so a list of
10,000 never blocks the GUI thread and never holds more rows than have been scrolled to."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    Property,
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.services.news import PAGE_SIZE

if TYPE_CHECKING:
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

# role → the row's key; QML sees the keys as role names.
_KEYS = ("newsId", "title", "summary", "category", "day", "month", "published", "readState")
ROLES = {Qt.ItemDataRole.UserRole + 1 + i: key for i, key in enumerate(_KEYS)}


def _read_state(unread: bool | None) -> str:
    return "" if unread is None else ("unread" if unread else "read")


@QmlElement
@QmlUncreatable("NewsListModel comes from Messages.news")
class NewsListModel(QAbstractListModel):
    countChanged = Signal()
    loadingChanged = Signal()

    def __init__(self, workers: WorkerPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workers = workers
        self._rows: list[dict[str, Any]] = []
        self._read: Callable[[int], list[dict[str, Any]]] | None = None  # offset → a page, blocking
        self._generation = 0
        self._loading = False
        self._exhausted = True

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row["title"]
        key = ROLES.get(role)
        return row.get(key) if key else None

    def roleNames(self) -> dict[int, QByteArray]:
        names = {role: QByteArray(key.encode()) for role, key in ROLES.items()}
        names[Qt.ItemDataRole.DisplayRole] = QByteArray(b"display")
        return names

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and self._read is not None and not self._exhausted

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if parent.isValid() or self._read is None or self._exhausted or self._loading:
            return
        read, offset, generation = self._read, len(self._rows), self._generation
        self._set_loading(True)

        def loaded(raw: list[dict[str, Any]]) -> None:
            if generation != self._generation:
                return  # another tab or search was chosen meanwhile
            self._set_loading(False)
            rows = [{**r, "readState": _read_state(r.get("unread"))} for r in raw]
            self._exhausted = len(rows) < PAGE_SIZE
            if rows:
                self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
                self._rows.extend(rows)
                self.endInsertRows()
                self.countChanged.emit()

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self._set_loading(False)
                self._exhausted = True  # a broken store is not retried in a loop; the next reset tries again

        self._workers.run(lambda: read(offset), loaded, failed)

    def reset(self, read: Callable[[int], list[dict[str, Any]]] | None) -> None:
        """Start over with another source of pages (a tab, a search, another user); the first page is asked for
        at once. None empties the list."""
        self._generation += 1
        self.beginResetModel()
        self._rows, self._read, self._exhausted = [], read, read is None
        self._set_loading(False)  # before the reset ends: a view may ask for the first page from within it
        self.endResetModel()
        self.countChanged.emit()
        self.fetchMore(QModelIndex())  # nothing if the view has asked already

    def mark_read(self, news_id: int) -> None:
        """The row shows read at once (the store has it already); the view keeps its place and its delegates."""
        for i, row in enumerate(self._rows):
            if row["newsId"] == news_id and row["readState"] == "unread":
                row["readState"] = "read"
                index = self.index(i, 0)
                self.dataChanged.emit(index, index)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loadingChanged.emit()

    def _count(self) -> int:
        return len(self._rows)

    def _get_loading(self) -> bool:
        return self._loading

    count = Property(int, _count, notify=countChanged)
    loading = Property(bool, _get_loading, notify=loadingChanged)


_BLOCK_KEYS = ("kind", "html", "source", "alt", "imageWidth", "imageHeight", "imageState")
BLOCK_ROLES = {Qt.ItemDataRole.UserRole + 1 + i: key for i, key in enumerate(_BLOCK_KEYS)}


@QmlElement
@QmlUncreatable("ArticleBlocksModel comes from Messages.articleBlocks")
class ArticleBlocksModel(QAbstractListModel):
    """The article page's body: rich-text blocks and image blocks (kiosk/services/news_images.py). An image block
    starts "loading" and becomes "ready" (with its file's URL) or "failed" (the page shows its alt text) when the
    worker fetching it answers; only that row changes, so the text around it stays where it is."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        key = BLOCK_ROLES.get(role)
        return self._rows[index.row()].get(key) if key else None

    def roleNames(self) -> dict[int, QByteArray]:
        return {role: QByteArray(key.encode()) for role, key in BLOCK_ROLES.items()}

    def reset(self, blocks: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = [
            {
                "kind": b["kind"],
                "html": b.get("html", ""),
                "source": "",
                "alt": b.get("alt", ""),
                "imageWidth": int(b.get("width") or 0),
                "imageHeight": int(b.get("height") or 0),
                # an image the server has no copy of is shown as its alt text at once
                "imageState": ("loading" if b.get("sha256") else "failed") if b["kind"] == "image" else "",
                "sha256": b.get("sha256", ""),
            }
            for b in blocks
        ]
        self.endResetModel()

    def images(self) -> list[str]:
        return [r["sha256"] for r in self._rows if r["kind"] == "image" and r["sha256"]]

    def image_ready(self, sha256: str, source: str | None) -> None:
        """The image's file URL, or None when it cannot be had: every block showing that image changes."""
        for i, row in enumerate(self._rows):
            if row["kind"] == "image" and row["sha256"] == sha256 and row["imageState"] == "loading":
                row["source"], row["imageState"] = (source, "ready") if source else ("", "failed")
                index = self.index(i, 0)
                self.dataChanged.emit(index, index)
