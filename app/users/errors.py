"""Sign-in and user administration failures, in the words the clerk sees."""

from __future__ import annotations

from app.errors import AppError

MIN_PASSWORD_LENGTH = 8


class LoginFailed(AppError):
    """Wrong user name or password (never says which)."""

    def __init__(self, attempts_left: int | None = None) -> None:
        text = "用户名或密码错误。"
        if attempts_left is not None and attempts_left > 0:
            text += f"再输错 {attempts_left} 次，账户将被暂时锁定。"
        super().__init__(text)
        self.attempts_left = attempts_left


class AccountLocked(AppError):
    """Too many wrong passwords in a row: sign-in is refused until the lock runs out."""

    def __init__(self, minutes: int) -> None:
        super().__init__(
            f"密码错误次数过多，账户已被锁定，请 {minutes} 分钟后再试，或请管理员解锁。"
        )
        self.minutes = minutes


class AccountDisabled(AppError):
    def __init__(self) -> None:
        super().__init__("该账户已停用，请联系管理员。")


class UserInputError(AppError):
    """A user name, role or password that breaks a rule; `field` names the input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class LastAdministrator(AppError):
    def __init__(self) -> None:
        super().__init__("至少要保留一个启用的管理员账户。")


class UsersExist(AppError):
    def __init__(self) -> None:
        super().__init__("已经有用户了：首次启动的管理员只能创建一次，请用管理员账户登录。")
