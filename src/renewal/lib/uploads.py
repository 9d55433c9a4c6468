"""Upload limits: size and type, checked by extension AND by the file's first bytes (a renamed
executable is refused). Every upload path (task attachments, Excel imports) calls ``upload_check``."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings

from renewal.lib.errors import Invalid

ZIP = b"PK\x03\x04"
# extension → (content type, magic prefix)
KINDS: dict[str, tuple[str, bytes]] = {
    ".pdf": ("application/pdf", b"%PDF"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}


def max_bytes() -> int:
    return settings.RENEWAL_UPLOAD_MAX_BYTES


def upload_check(file, *, allowed: set[str] | None = None, limit: int | None = None) -> str:
    """Return the content type of an acceptable upload, or raise ``Invalid`` naming the file."""
    allowed = allowed or set(KINDS)
    limit = limit or max_bytes()
    name = PurePath(getattr(file, "name", "") or "").name
    ext = PurePath(name).suffix.lower()
    if ext not in allowed or ext not in KINDS:
        kinds = "、".join(sorted(e.lstrip(".") for e in allowed))
        raise Invalid(f"附件 {name}：不支持的文件类型（允许：{kinds}）", field="attachments")
    if file.size > limit:
        raise Invalid(
            f"附件 {name}：文件过大（{file.size / 1048576:.1f} MB，上限 {limit / 1048576:.0f} MB）",
            field="attachments",
        )
    content_type, magic = KINDS[ext]
    file.seek(0)
    head = file.read(len(magic))
    file.seek(0)
    if head != magic:
        raise Invalid(f"附件 {name}：文件内容与扩展名 {ext} 不符", field="attachments")
    return content_type
