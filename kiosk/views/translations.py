"""The translators installed in the application: ours (every qsTr string, source language zh_CN) and, on a
desk in Chinese, Qt's own (the file dialog's 打开, 取消…)."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QTranslator

from kiosk.resources import i18n_dir

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en_US")


def translation_file(language: str, cache_dir: Path) -> Path | None:
    """The .qm for `language`: the compiled one in resources, else compile the .ts into the cache."""
    qm = i18n_dir() / f"kiosk_{language}.qm"
    ts = i18n_dir() / f"kiosk_{language}.ts"
    if qm.is_file() and (not ts.is_file() or qm.stat().st_mtime >= ts.stat().st_mtime):
        return qm
    if not ts.is_file():
        return None
    cached = cache_dir / qm.name
    if not cached.is_file() or cached.stat().st_mtime < ts.stat().st_mtime:
        cache_dir.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run([_lrelease(), "-silent", str(ts), "-qm", str(cached)], check=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("cannot compile %s: %s", ts, exc)
            return None
    return cached


def _lrelease() -> str:
    """PySide6's lrelease: beside this Python (a venv not on PATH), else whichever PATH finds."""
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    return str(beside) if beside.is_file() else "pyside6-lrelease"


class Translators:
    def __init__(self, owner: QObject, mode: str, cache_dir: Path) -> None:
        self._owner = owner
        self._mode = mode
        self._cache_dir = cache_dir
        self._ours: QTranslator | None = None
        self._qt: QTranslator | None = None

    def install(self, language: str) -> bool:
        """Translate the interface into `language`; False (and nothing changed) when there is no translation."""
        if not self._install_ours(language):
            return False
        self._install_qt(language)
        return True

    def remove(self) -> None:
        app = QCoreApplication.instance()
        for translator in (self._ours, self._qt):
            if translator is not None and app is not None:
                app.removeTranslator(translator)
        self._ours = self._qt = None

    def _install_ours(self, language: str) -> bool:
        app = QCoreApplication.instance()
        if language == "zh_CN":  # the source language of every qsTr string
            self._drop_ours(app)
            return True
        qm = translation_file(language, self._cache_dir)
        translator = QTranslator(self._owner)
        if qm is None or not translator.load(str(qm)):
            log.warning("no translation for %s", language)
            return False
        self._drop_ours(app)
        if app is not None:
            app.installTranslator(translator)
        self._ours = translator
        return True

    def _drop_ours(self, app: QCoreApplication | None) -> None:
        if self._ours is not None and app is not None:
            app.removeTranslator(self._ours)
        self._ours = None

    def _install_qt(self, language: str) -> None:
        """Desk mode shows dialogs made by Qt (choosing files to attach): in Chinese they need Qt's own
        translation, as our strings need ours in English. A kiosk shows none, so it does not load it."""
        app = QCoreApplication.instance()
        if self._qt is not None and app is not None:
            app.removeTranslator(self._qt)
            self._qt = None
        if self._mode != "desk" or language != "zh_CN" or app is None:
            return
        translator = QTranslator(self._owner)
        if translator.load(f"qt_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
            self._qt = translator
        else:
            log.warning("no Qt translation for %s", language)
