"""CampusClock (QML singleton): the top bar's clock in the campus's time zone (kiosk/services/campus_time.py),
labelled "北京时间" where the PC's own zone differs, ticking on a timer."""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, QTimer, Signal
from PySide6.QtQml import QmlElement, QmlSingleton

from kiosk.services import campus_time

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
@QmlSingleton
class CampusClock(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shown = campus_time.clock()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)
        self._timer.start()

    def tick(self) -> None:
        shown = campus_time.clock()
        if shown != self._shown:
            self._shown = shown
            self.changed.emit()

    def _time(self) -> str:
        return self._shown["time"]

    def _date(self) -> str:
        return self._shown["date"]

    def _date_en(self) -> str:
        return self._shown["dateEn"]

    def _label(self) -> str:
        return self._shown["label"]

    time = Property(str, _time, notify=changed)
    date = Property(str, _date, notify=changed)
    dateEn = Property(str, _date_en, notify=changed)
    # "北京时间" when this PC's zone is not the campus's, else "".
    label = Property(str, _label, notify=changed)
