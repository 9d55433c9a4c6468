"""Attachment files: where they are kept (outside every web root), which types are accepted and how
an upload is written — in chunks, hashed on the way, stopped as soon as it passes the limit.

A type is accepted by its extension AND its content: the first bytes (a renamed executable is
refused) and, for the zip containers (docx, xlsx, ofd), the member that makes the file what its
extension says (``word/document.xml``, ``xl/workbook.xml``, ``OFD.xml``).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from renewal.lib.errors import Invalid

ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class Kind:
    content_type: str
    magic: bytes
    member: str | None = None  # a zip container's member that must be there


KINDS: dict[str, Kind] = {
    ".pdf": Kind("application/pdf", b"%PDF-"),
    ".jpg": Kind("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": Kind("image/jpeg", b"\xff\xd8\xff"),
    ".png": Kind("image/png", b"\x89PNG\r\n\x1a\n"),
    ".docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP, "word/document.xml"
    ),
    ".xlsx": Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP, "xl/workbook.xml"
    ),
    # GB/T 33190-2016 版式文档 (electronic invoices are issued as OFD)
    ".ofd": Kind("application/ofd", ZIP, "OFD.xml"),
}
ACCEPT = ",".join(KINDS)  # the file input's ``accept``
KIND_NAMES = "、".join(dict.fromkeys(e.lstrip(".") for e in KINDS))


class AttachmentStorage(FileSystemStorage):
    """``settings.ATTACHMENTS_DIR``, read at each use (tests point it elsewhere). No URL: a file is
    only ever served by the download page, after the scope check."""

    @property
    def base_location(self):
        return str(settings.ATTACHMENTS_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("附件没有公开地址，只能通过下载页面获取")


storage = AttachmentStorage()


def attachment_storage() -> AttachmentStorage:
    return storage


def limit() -> int:
    return settings.RENEWAL_ATTACHMENT_MAX_BYTES


def display_name(name: str) -> str:
    """The name a person gave the file, without a path or control characters (kept for the
    download's Content-Disposition; never used on disk)."""
    base = PurePath((name or "").replace("\\", "/")).name
    clean = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return clean[-200:] or "附件"


def _mb(n: int) -> str:
    return f"{n / 1048576:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class Stored:
    name: str  # the storage name: <project id>/<random>.<ext>
    original_name: str
    size: int
    content_type: str
    sha256: str


def store(upload, *, folder: str) -> Stored:
    """Check and write ``upload`` (a Django ``UploadedFile``) under ``folder`` of the attachment
    storage with a random name; ``Invalid`` naming the file when its type, content or size is not
    accepted (nothing is left on disk then)."""
    original = display_name(getattr(upload, "name", ""))
    ext = PurePath(original).suffix.lower()
    kind = KINDS.get(ext)
    if kind is None:
        raise Invalid(f"附件“{original}”：不支持的文件类型（允许：{KIND_NAMES}）", field="attachments")
    most = limit()
    declared = getattr(upload, "size", None)
    if declared is not None and declared > most:
        raise Invalid(_too_big(original, declared, most), field="attachments")
    name = f"{folder}/{secrets.token_hex(16)}{ext}"
    path = Path(storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with path.open("xb") as out:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > most:  # a size the client misreported: stop reading at once
                    raise Invalid(_too_big(original, size, most, more=True), field="attachments")
                if len(head) < len(kind.magic):
                    head += chunk[: len(kind.magic)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise Invalid(f"附件“{original}”：文件为空", field="attachments")
        if not head.startswith(kind.magic) or (kind.member and not _has_member(path, kind.member)):
            raise Invalid(f"附件“{original}”：文件内容与扩展名 {ext} 不符，不予接收", field="attachments")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Stored(name, original, size, kind.content_type, digest.hexdigest())


def _too_big(original: str, size: int, most: int, *, more: bool = False) -> str:
    over = "超过" if more else ""
    return f"附件“{original}”：文件过大（{over}{_mb(size)} MB，每个文件不超过 {_mb(most)} MB）"


def _has_member(path: Path, member: str) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return member in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def remove(name: str) -> None:
    """Delete a stored file (an upload whose record was not saved)."""
    if name:
        Path(storage.path(name)).unlink(missing_ok=True)
