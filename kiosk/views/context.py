"""Hands the application's objects to the QML singletons the engine creates (no context properties)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtQml import QQmlEngine

_instances: dict[str, QObject] = {}


def provide(name: str, obj: QObject) -> None:
    """Register `obj` as the instance the QML singleton `name` resolves to in the next engine."""
    _instances[name] = obj


def singleton_for(name: str, engine: Any) -> QObject:
    try:
        obj = _instances[name]
    except KeyError:
        raise RuntimeError(f"no instance provided for QML singleton {name}; call provide() first") from None
    # The engine must not delete an object Python owns.
    QQmlEngine.setObjectOwnership(obj, QQmlEngine.ObjectOwnership.CppOwnership)
    return obj


def clear() -> None:
    _instances.clear()
