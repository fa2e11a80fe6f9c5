"""The database a command line names: one leaf module that `app.cli` and every area's cli
module import (so no area cli imports `app.cli`, which imports them)."""

from __future__ import annotations

import argparse

from app.config import resolve_target
from app.database import Database, is_empty, open_database
from app.errors import AppError


def open_target(args: argparse.Namespace, *, create: bool) -> Database:
    """Open the database named by the arguments (`--db`, `--demo`); the demo is filled on
    first use (`init --demo --households N` makes a scaled one)."""
    households = getattr(args, "households", None)
    if households is not None and not args.demo:
        raise AppError("--households 只能和 --demo 一起使用")
    target = resolve_target(args.db, demo=args.demo)
    db = open_database(target, create=create or args.demo)
    if args.demo and is_empty(db):
        from app.demo import generate

        if households is None:
            generate(db)
        else:
            generate(db, households=households)
        _demo_scan_sample(db)
    return db


def _demo_scan_sample(db: Database) -> None:
    """The demo's sample scanned stack, in the data folder (see README)."""
    import sys

    from app.audit import SYSTEM
    from app.config import data_dir
    from app.services import Services
    from app.surveys.scan_sample import write_demo_sample

    out = write_demo_sample(Services.build(db, SYSTEM), data_dir() / "samples")
    if out is not None:
        print(f"演示用扫描问卷样例：{out}", file=sys.stderr)
