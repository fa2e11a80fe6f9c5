"""Printed paper (PDF via reportlab): fonts, page helpers and the documents of each area."""
