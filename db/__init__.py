"""Persistence layer: SQLAlchemy models, engine and migrations. Knows no Qt and no app rules."""
