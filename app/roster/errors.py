"""Roster failures and their Chinese messages."""

from __future__ import annotations

from app.errors import AppError


class RosterFileError(AppError):
    """A file that cannot be read at all (missing, damaged, not a spreadsheet)."""


class NoRosterFound(AppError):
    """A readable file in which no sheet has a recognisable header row."""


class NoCommunity(AppError):
    """Compounds new to the database need a community and none is named or exists."""

    def __init__(self) -> None:
        super().__init__(
            "数据库中还没有社区，请指定导入楼院所属的社区名称（如 --community 幸福社区）。"
        )


class DuplicateMapping(AppError):
    """Two columns of one header row were placed on the same field."""

    def __init__(self) -> None:
        super().__init__("同一内容只能对应一列，请检查重复的选择。")
