"""The fee section of the window."""
