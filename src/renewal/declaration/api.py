"""Declaration API: /api/v1/projects/{code}/attachments — the attachments of a project the caller
may see (404 otherwise, as if it did not exist). Each item names its download page; the file itself
is served only there, after the same scope check."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from renewal.accounts.auth import api_auth
from renewal.accounts.scope import scope_for
from renewal.api.types import Key
from renewal.registry import reference
from renewal.registry import selectors as registry_selectors

from . import selectors, services

router = Router(tags=["项目申报"], auth=api_auth)


class AttachmentOut(Schema):
    kind: str
    name: str
    size: int
    content_type: str
    sha256: str
    uploaded_at: dt.datetime
    uploaded_by: str | None
    download: str


class AttachmentList(Schema):
    items: list[AttachmentOut]
    count: int


@router.get("/projects/{code}/attachments", response=AttachmentList, summary="项目申报附件")
def attachment_list(request, code: Key):
    scope = scope_for(request.user).require_records("附件")
    p = registry_selectors.project_get(scope=scope, code=code)
    if p is None:
        raise HttpError(404, f"未找到项目 {code}（或无权查看）")
    rows = [_attachment(p, a) for a in selectors.attachments(p)]
    return {"items": rows, "count": len(rows)}


def _attachment(p, a) -> dict:
    return {
        "kind": a.kind,
        "name": a.original_name,
        "size": a.size,
        "content_type": a.content_type,
        "sha256": a.sha256,
        "uploaded_at": a.created_at,
        "uploaded_by": a.uploaded_by.username if a.uploaded_by else None,
        "download": reverse("declaration:attachment", args=[p.code, a.pk]),
    }


AttachmentKind = Literal[tuple(reference.values("attachment_kinds"))]


@router.post(
    "/projects/{code}/attachments", response={201: AttachmentOut}, summary="上传申报附件（草稿或退回的项目）"
)
def attachment_create(request, code: Key, kind: Form[AttachmentKind], file: File[UploadedFile]):
    """multipart/form-data: ``kind`` (备案证明, 可研报告或项目说明, 设备合同, 发票) and ``file``; the same
    checks as the form (type by content, size limit) and the same rule (草稿 or 退回 only)."""
    scope = scope_for(request.user).require_records("附件")
    p = registry_selectors.project_get(scope=scope, code=code)
    if p is None:
        raise HttpError(404, f"未找到项目 {code}（或无权查看）")
    a = services.attachment_add(user=request.user, project=p, kind=kind, upload=file)
    return Status(201, _attachment(p, a))
