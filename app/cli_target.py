"""The database a command line names: one leaf module that `app.cli` and every area's cli
module import (so no area cli imports `app.cli`, which imports them)."""

from __future__ import annotations

import argparse

from app.config import resolve_target
from app.database import Database, is_empty, open_database


def open_target(args: argparse.Namespace, *, create: bool) -> Database:
    """Open the database named by the arguments (`--db`, `--demo`); the demo is filled on
    first use."""
    target = resolve_target(args.db, demo=args.demo)
    db = open_database(target, create=create or args.demo)
    if args.demo and is_empty(db):
        from app.demo import generate

        generate(db)
    return db
