"""Updates: an installed kiosk updating itself (kiosk/services/updates.py; docs/deploy.md, "Updates").

The heartbeat's answer (views/enrollment.py) may offer a newer release; it is downloaded, checked and unpacked
on a worker, then switched to at an idle moment — nobody signed in and an empty outbox — or at the next start.
After the switch the app quits; the kiosk's unit (Restart=always) starts the new version through `current`.
A new release confirms itself after a minute's run; one that does not start three times is rolled back by the
unit's start-guard.sh (services/updates.py, "Automatic rollback").
A release that cannot be staged is reported in the next heartbeat and not fetched again until the offer changes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from kiosk.services.device import outbox_snapshot
from kiosk.services.updates import CONFIRM_AFTER, Offer, UpdateError, Updater, ready_to_apply

if TYPE_CHECKING:
    from kiosk.views.app_state import AppState
    from kiosk.views.enrollment import Enrollment
    from kiosk.views.session import Session
    from kiosk.views.workers import WorkerPool

log = logging.getLogger(__name__)


class Updates(QObject):
    def __init__(
        self, state: AppState, session: Session, enrollment: Enrollment, workers: WorkerPool, updater: Updater
    ) -> None:
        super().__init__(state)
        self._state, self._session, self._enrollment, self._workers = state, session, enrollment, workers
        self.updater = updater
        self._busy = False
        self._refused: tuple[str, str] | None = None  # (version, sha256) that failed: not fetched again
        self._restart_pending: str | None = None
        self.switched_to: str | None = None
        enrollment.answered.connect(self._answered)
        session.signedOut.connect(self._signed_out)

    def start(self) -> None:
        """At start nobody is signed in and the store keeps what is queued: a staged release is switched to now."""
        self._busy = True
        updater = self.updater
        self._workers.run(lambda: (updater.apply(), updater.rolled_back()), self._started, self._failed)
        # A release on trial (just switched to) is kept once it has run this long; until then the unit's
        # start-guard.sh counts its starts and rolls back to the previous release after three.
        QTimer.singleShot(int(CONFIRM_AFTER * 1000), self._confirm)

    def _started(self, result: tuple[str | None, list[str]]) -> None:
        version, bad = result
        self._report_rollback(bad)
        self._applied(version)

    def _confirm(self) -> None:
        self._workers.run(self.updater.confirm, lambda _kept: None, lambda exc: log.warning("not confirmed: %s", exc))

    def _report_rollback(self, bad: list[str]) -> None:
        """IT learns from the heartbeat's last_error that a rolled-out release was given up on this device."""
        if bad and bad[-1] != self.updater.running_version:
            self._enrollment.report_problem(f"更新 {bad[-1]} 连续三次未能启动，已回退到 {self.updater.running_version}")

    def _answered(self, answer: Any) -> None:
        try:
            offer = Offer.of(answer.get("update") if isinstance(answer, dict) else None)
        except UpdateError as exc:
            self._enrollment.report_problem(str(exc))
            return
        if offer is None or self._busy or self._refused == (offer.version, offer.sha256):
            self._try_apply()
            return
        if not self.updater.wanted(offer):
            self._try_apply()
            return
        self._busy = True
        log.info("update %s offered: downloading", offer.version)
        self._workers.run(lambda: self.updater.stage(offer), self._staged, lambda exc: self._stage_failed(offer, exc))

    def _staged(self, _version: str) -> None:
        self._busy = False
        self._enrollment.report_problem("")
        self._try_apply()

    def _stage_failed(self, offer: Offer, exc: Exception) -> None:
        self._busy = False
        log.warning("update %s not staged: %s", offer.version, exc)
        if not (isinstance(exc, UpdateError) and exc.retry):  # a bad file is not fetched again; a cut download is
            self._refused = (offer.version, offer.sha256)
        self._enrollment.report_problem(str(exc)[:256])

    def _try_apply(self) -> None:
        """Switch to a staged release if this is an idle moment (the outbox is counted on a worker)."""
        if self._busy or self._session.loggedIn:
            return
        store, updater = self._state.store, self.updater

        def apply_if_idle() -> str | None:
            if updater.pending() is None:
                return None
            depth = outbox_snapshot(store)[0] if store is not None else 0
            return updater.apply() if ready_to_apply(False, depth) else None

        self._busy = True
        self._workers.run(apply_if_idle, self._applied, self._failed)

    def _applied(self, version: str | None) -> None:
        self._busy = False
        if version is None:
            return
        if self._session.loggedIn:  # someone signed in while the link was switched: the restart waits for them
            self._restart_pending = version
            return
        self._restart(version)

    def _signed_out(self, _reason: str) -> None:
        if self._restart_pending:
            self._restart(self._restart_pending)
        else:
            self._try_apply()

    def _restart(self, version: str) -> None:
        self.switched_to = version
        log.info("switched to release %s: restarting", version)
        app = QCoreApplication.instance()
        if app is not None:
            app.quit()

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        log.warning("update not applied: %s", exc)
        self._enrollment.report_problem(f"更新未能切换：{exc}"[:256])
