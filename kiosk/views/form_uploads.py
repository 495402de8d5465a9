"""The files of one form page on their way to the server (desk mode): each checked and uploaded on a worker
(kiosk/services/attachments.py), its progress written there and shown here by a timer, its outcome handed to the
form being filled (kiosk/services/form_state.py). A child of the page's FormController, gone with it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, QUrl

if TYPE_CHECKING:
    from campus_common.forms import AttachmentLimits
    from kiosk.services.form_state import FormState
    from kiosk.views.forms import Forms

log = logging.getLogger(__name__)


def local_path(file: Any) -> Path:
    """A file the dialog chose (a QUrl or its text) as a path on this machine."""
    if isinstance(file, QUrl):
        return Path(file.toLocalFile())
    text = str(file)
    return Path(QUrl(text).toLocalFile()) if text.startswith("file:") else Path(text)


class FormUploads(QObject):
    def __init__(self, parent: QObject, form: Callable[[], FormState | None], shown: Callable[[], None]) -> None:
        super().__init__(parent)
        self._form, self._shown = form, shown  # the form being filled; what to call when its rows changed
        # token → (done, total) bytes, written by the workers, read by the timer.
        self._progress: dict[str, tuple[int, int]] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._tick)

    def add(self, forms: Forms, process_code: str, name: str, files: list[Any]) -> None:
        """Files chosen for the attachment field `name`: as many as it has room for go, each on a worker."""
        form = self._form()
        if form is None:
            return
        paths = [local_path(f) for f in files]
        tokens = form.add_uploads(name, [p.name for p in paths])
        for token, path in zip(tokens, paths, strict=False):  # the files past the field's room were not taken
            self._start(forms, process_code, name, token, path, form.limits(name))
        self._shown()

    def _start(
        self, forms: Forms, process_code: str, name: str, token: str, path: Path, limits: AttachmentLimits
    ) -> None:
        from kiosk.services.attachments import upload

        client = forms.client.with_token(forms.client.access_token)  # its own, for the worker
        progress = self._progress
        progress[token] = (0, 0)

        def moved(done: int, total: int) -> None:  # on the worker: a plain dict write, read by the timer
            progress[token] = (done, total)

        self._timer.start()
        forms.workers.run(
            lambda: upload(client, path, process_code, name, limits, moved),
            lambda item: self._done(name, token, item),
            lambda exc: self._failed(forms, name, token, exc),
        )

    def _tick(self) -> None:
        form = self._form()
        if form is not None:
            form.show_progress(dict(self._progress))
            self._shown()
        if not self._progress:
            self._timer.stop()

    def _done(self, name: str, token: str, item: dict[str, Any]) -> None:
        form = self._form() if shiboken6.isValid(self) else None  # else the page was left meanwhile
        if form is not None:
            self._progress.pop(token, None)
            form.upload_done(name, token, item)
            self._shown()

    def _failed(self, forms: Forms, name: str, token: str, exc: Exception) -> None:
        from kiosk.services.attachments import OFFLINE_MESSAGE, UploadError

        form = self._form() if shiboken6.isValid(self) else None
        if form is None:
            return
        self._progress.pop(token, None)
        if not isinstance(exc, UploadError):
            log.error("attachment upload failed: %r", exc)
        message = exc.message if isinstance(exc, UploadError) else "上传失败，请重试"
        if message == OFFLINE_MESSAGE:
            forms.server_unreachable()  # the top bar says 离线 now, not at its next poll
        form.upload_failed(name, token, message)
        self._shown()

    def remove(self, name: str, attachment_id: str) -> None:
        """✕ on an uploaded file: it leaves the form (the server keeps the upload, unused)."""
        form = self._form()
        if form is not None:
            form.remove_attachment(name, attachment_id)
            self._shown()

    def dismiss(self, name: str, token: str) -> None:
        """✕ on a file that was refused: its message goes."""
        form = self._form()
        if form is not None:
            form.dismiss_upload(name, token)
            self._shown()
