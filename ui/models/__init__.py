"""Item models of the window: Qt models over service queries, never over ORM objects."""

from PySide6.QtCore import Qt

# Custom roles shared by the table models.
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's DTO
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the record's id
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # the raw value, for proxies on small tables
