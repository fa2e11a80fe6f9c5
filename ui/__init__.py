"""The PySide6 window: windows, dialogs, item models, background tasks. No SQL, no rules."""
