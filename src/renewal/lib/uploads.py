"""Upload limits: size and type, checked by extension AND by the file's first bytes (a renamed
executable, or a web page saved as .xls, is refused). Every upload path (task attachments, Excel
imports) calls ``upload_check``; ``UploadLimitMiddleware`` refuses a body whose declared length
(Content-Length) is over the limit before anything reads it (decision 0023)."""

from __future__ import annotations

from functools import wraps
from pathlib import PurePath

from django.conf import settings
from django.http import HttpResponse

from renewal.lib.errors import Invalid

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the OLE2 container of .xls (and encrypted OOXML)
# extension → (content type, magic prefix)
KINDS: dict[str, tuple[str, bytes]] = {
    ".pdf": ("application/pdf", b"%PDF"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    # the import sheets (exchange); .xlsx as above
    ".xlsm": ("application/vnd.ms-excel.sheet.macroEnabled.12", ZIP),
    ".xls": ("application/vnd.ms-excel", OLE),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    ".csv": ("text/csv", b""),
}
# an import sheet may also be an encrypted workbook (OLE2): the reader then says it has a password
SHEET_MAGIC = {".xlsx": (ZIP, OLE), ".xlsm": (ZIP, OLE), ".xls": (OLE,), ".ods": (ZIP,), ".csv": (b"",)}
ATTACHMENTS = {".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png"}  # the default of ``upload_check``
HTML = "内容是网页（HTML），不是表格文件：请在 Excel 中打开后“另存为” .xlsx 文件再上传"


def max_bytes() -> int:
    return settings.RENEWAL_UPLOAD_MAX_BYTES


def _mb(size: int) -> str:
    return f"{size / 1048576:.0f} MB"


def looks_like_html(head: bytes) -> bool:
    """An HTML table under an Excel or CSV name (what many systems "export to Excel")."""
    text = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<?xml")) and (
        b"<html" in text or b"<table" in text
    )


def upload_check(
    file,
    *,
    allowed: set[str] | None = None,
    limit: int | None = None,
    what: str = "附件",
    field: str = "attachments",
    magic: dict[str, tuple[bytes, ...]] | None = None,
) -> str:
    """Return the content type of an acceptable upload, or raise ``Invalid`` naming the file
    (``what``: 附件, or 文件 for an import; ``magic``: the accepted first bytes per extension,
    instead of those of ``KINDS``)."""
    allowed = allowed or ATTACHMENTS
    limit = limit or max_bytes()
    name = PurePath(getattr(file, "name", "") or "").name
    ext = PurePath(name).suffix.lower()
    if ext not in allowed or ext not in KINDS:
        kinds = "、".join(sorted(e.lstrip(".") for e in allowed))
        raise Invalid(f"{what} {name}：不支持的文件类型（允许：{kinds}）", field=field)
    if file.size > limit:
        raise Invalid(
            f"{what} {name}：文件过大（{file.size / 1048576:.1f} MB，上限 {_mb(limit)}）",
            field=field,
        )
    content_type, prefix = KINDS[ext]
    prefixes = (magic or {}).get(ext, (prefix,))
    file.seek(0)
    head = file.read(4096)
    file.seek(0)
    if looks_like_html(head) and ext in {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}:
        raise Invalid(f"{what} {name}：{HTML}", field=field)
    if not head.startswith(prefixes):
        raise Invalid(f"{what} {name}：文件内容与扩展名 {ext} 不符", field=field)
    return content_type


# -- the declared length of a request body -----------------------------------------------------


def body_limit(limit):
    """Mark a view whose POST body may declare at most ``limit()`` bytes (a callable: settings are
    read per request); ``UploadLimitMiddleware`` refuses a longer one before the body is read."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        wrapped.body_limit = limit
        return wrapped

    return decorate


def default_body_limit() -> int:
    """Any other view: its files at most ``DATA_UPLOAD_MAX_NUMBER_FILES`` × the larger per-file
    limit, plus its form fields."""
    per_file = max(settings.RENEWAL_UPLOAD_MAX_BYTES, settings.RENEWAL_ATTACHMENT_MAX_BYTES)
    return settings.DATA_UPLOAD_MAX_NUMBER_FILES * per_file + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_long(length: int, limit: int) -> str:
    return f"上传的内容过大（{length / 1048576:.1f} MB，上限 {_mb(limit)}），未接收；请拆分后再上传"


class UploadLimitMiddleware:
    """Refuse (413) a request whose Content-Length is over its view's limit, before the CSRF check
    or anything else reads the body: listed before ``CsrfViewMiddleware``, whose ``process_view``
    would parse the whole multipart body first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if not length:
            return None
        limit_of = getattr(view_func, "body_limit", None) or default_body_limit
        limit = limit_of()
        if length <= limit:
            return None
        response = HttpResponse(too_long(length, limit), status=413, content_type="text/plain; charset=utf-8")
        response["Connection"] = "close"  # the unread body is not drained
        return response
