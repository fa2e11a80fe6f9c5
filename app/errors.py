"""Expected failures. Each carries a Chinese message that the window and the CLI show as is."""

from __future__ import annotations


class AppError(Exception):
    """An expected failure (bad input, missing record, locked file); not a bug."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(AppError):
    """A record that the caller named does not exist (any more)."""


class DatabaseError(AppError):
    """The database cannot be opened or used: damaged, too new, in use, unreachable."""


class DatabaseDamaged(DatabaseError):
    """The SQLite file fails its integrity check; the way out is a backup."""

    def __init__(self, display: str) -> None:
        super().__init__(
            f"数据库文件已损坏（完整性检查未通过）：{display}。\n"
            "请从备份恢复：在本窗口选择“从备份恢复”，或运行 louyuan restore 备份文件。"
            "备份默认在数据文件夹的 backups 子文件夹中。"
        )
        self.display = display


class Cancelled(AppError):
    """A long job stopped because the user pressed Cancel; nothing was written."""

    def __init__(self) -> None:
        super().__init__("操作已取消，数据未作任何改动。")


class PermissionDenied(AppError):
    """The signed-in user's role does not allow this."""


class StaleWrite(AppError):
    """The record changed since the form showed it; saving would undo someone's change."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what}已被他人修改（另一个窗口或另一位同事在您打开后保存过），本次修改没有保存。"
            "请重新载入，看过最新内容后再改。"
        )
        self.what = what


def friendly_error(exc: BaseException) -> AppError | None:
    """`app.database.friendly_error` (a busy, read-only or lost database as a Chinese
    message), without loading the database layer: before `app.database` is imported no
    database error can have happened, and the window paints its frame before it loads."""
    if isinstance(exc, AppError):
        return exc
    import sys

    database = sys.modules.get("app.database")
    if database is None:
        return None
    found: AppError | None = database.friendly_error(exc)
    return found
