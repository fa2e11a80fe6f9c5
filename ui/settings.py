"""The program's only QSettings user: every key is declared once with its type and default."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T", str, int, bool, QByteArray)

ORGANIZATION = "louyuan"
APPLICATION = "louyuan"


@dataclass(frozen=True)
class Key(Generic[T]):
    """One setting: where it is stored, its type and the value when it was never saved."""

    name: str
    type: type[T]
    default: T


WINDOW_GEOMETRY = Key("window/geometry", QByteArray, QByteArray())
WINDOW_STATE = Key("window/state", QByteArray, QByteArray())
REGISTRY_SPLITTER = Key("registry/splitter", QByteArray, QByteArray())
COMPOUND_HEADER = Key("registry/compound_header", QByteArray, QByteArray())
HOUSEHOLD_HEADER = Key("registry/household_header", QByteArray, QByteArray())
# An explicit UI font family (empty: pick the best installed CJK font).
UI_FONT_FAMILY = Key("ui/font_family", str, "")
UI_FONT_POINT_SIZE = Key("ui/font_point_size", int, 10)


class Settings:
    """Typed access to the user's settings (window geometry, column widths, font)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else QSettings(ORGANIZATION, APPLICATION)

    def get(self, key: Key[T]) -> T:
        value: object = self._store.value(key.name, key.default)
        if isinstance(value, key.type):
            return value
        # INI files give back strings for numbers and booleans.
        parsed: object = key.default
        if key.type is bool and isinstance(value, str):
            parsed = value.lower() in ("1", "true", "yes")
        elif key.type is int and isinstance(value, str) and value.lstrip("-").isdigit():
            parsed = int(value)
        return cast(T, parsed)

    def set(self, key: Key[T], value: T) -> None:
        self._store.setValue(key.name, value)

    def sync(self) -> None:
        self._store.sync()
