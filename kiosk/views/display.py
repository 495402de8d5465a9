"""Display (QML singleton): the interface's language, text size and high-contrast theme, applied live to every
screen (Theme.qml reads them). A desk keeps the choices between runs; a kiosk forgets them at each logout."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services import display_settings
from kiosk.services.display_settings import LANGUAGES, TEXT_SCALES, DisplaySettings
from kiosk.views.context import singleton_for
from kiosk.views.translations import Translators

if TYPE_CHECKING:
    from kiosk.services.config import KioskConfig

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
@QmlSingleton
class Display(QObject):
    languageChanged = Signal()
    lookChanged = Signal()

    def __init__(self, config: KioskConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._config = config
        self._defaults = DisplaySettings(config.language, config.text_scale, False).valid()
        self._settings = self._defaults
        self._keeps = config.mode == "desk"
        self._translators = Translators(self, config.mode, config.data_path / "i18n")
        self._engine: QQmlEngine | None = None

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        display = singleton_for("Display", engine)
        assert isinstance(display, Display)
        display._engine = engine
        return display

    def prepare(self) -> None:
        """Before the QML loads: a desk's kept choices, and the language's translation installed."""
        if self._keeps:
            self._settings = display_settings.load(self._config.data_path, self._defaults)
        if not self._translators.install(self._settings.language):
            self._settings = replace(self._settings, language="zh_CN")
            self._translators.install("zh_CN")

    def shutdown(self) -> None:
        self._translators.remove()

    def _apply(self, settings: DisplaySettings) -> None:
        settings = settings.valid()
        if settings == self._settings:
            return
        if settings.language != self._settings.language:
            if not self._translators.install(settings.language):
                settings = replace(settings, language=self._settings.language)
            elif self._engine is not None:
                self._engine.retranslate()
        old, self._settings = self._settings, settings
        if self._keeps:
            display_settings.save(self._config.data_path, settings)
        if old.language != settings.language:
            self.languageChanged.emit()
        if (old.text_scale, old.high_contrast) != (settings.text_scale, settings.high_contrast):
            self.lookChanged.emit()

    @Slot(str)
    def setLanguage(self, language: str) -> None:
        if language in LANGUAGES:
            self._apply(replace(self._settings, language=language))

    @Slot()
    def toggleLanguage(self) -> None:
        self.setLanguage("en_US" if self._settings.language == "zh_CN" else "zh_CN")

    @Slot(float)
    def setTextScale(self, scale: float) -> None:
        if scale in TEXT_SCALES:
            self._apply(replace(self._settings, text_scale=scale))

    @Slot(bool)
    def setHighContrast(self, on: bool) -> None:
        self._apply(replace(self._settings, high_contrast=on))

    def forget_choices(self, _reason: str = "") -> None:
        """Kiosk, at logout: the next person sees the terminal as configured."""
        if not self._keeps:
            self._apply(self._defaults)

    def _get_language(self) -> str:
        return self._settings.language

    def _get_text_scale(self) -> float:
        return self._settings.text_scale

    def _get_high_contrast(self) -> bool:
        return self._settings.high_contrast

    language = Property(str, _get_language, notify=languageChanged)
    textScale = Property(float, _get_text_scale, notify=lookChanged)
    highContrast = Property(bool, _get_high_contrast, notify=lookChanged)
