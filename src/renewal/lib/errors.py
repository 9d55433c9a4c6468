"""Errors raised by services, with a Chinese message for the person. Pages show the message; the
API answers with the status code of the error class."""


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Refused(ServiceError):
    """The caller's role or scope does not allow this (403)."""

    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    """A stale edit: the record changed since the caller read it (409)."""

    status = 409


class Invalid(ServiceError):
    """Bad input; ``errors`` maps field → Chinese message (422)."""

    status = 422

    def __init__(self, message: str, *, errors: dict[str, str] | None = None, field: str | None = None):
        super().__init__(message, field=field)
        self.errors = errors or ({field: message} if field else {})


def stale_message(label: str, current: int, given: int) -> str:
    return (
        f"保存冲突：{label}已被他人修改（当前版本 {current}，您编辑的是版本 {given}）。"
        "请刷新后在最新内容上重新修改，未保存任何内容。"
    )
