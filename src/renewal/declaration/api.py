"""Declaration API: /api/v1/projects/{code}/attachments — the attachments of a project the caller
may see (404 otherwise, as if it did not exist). Each item names its download page; the file itself
is served only there, after the same scope check."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from ninja import Router, Schema
from ninja.errors import HttpError

from renewal.accounts.auth import api_auth
from renewal.accounts.scope import scope_for
from renewal.registry import selectors as registry_selectors

from . import selectors

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
def attachment_list(request, code: str):
    scope = scope_for(request.user).require_records("附件")
    p = registry_selectors.project_get(scope=scope, code=code)
    if p is None:
        raise HttpError(404, f"未找到项目 {code}（或无权查看）")
    rows = [
        {
            "kind": a.kind,
            "name": a.original_name,
            "size": a.size,
            "content_type": a.content_type,
            "sha256": a.sha256,
            "uploaded_at": a.created_at,
            "uploaded_by": a.uploaded_by.username if a.uploaded_by else None,
            "download": reverse("declaration:attachment", args=[p.code, a.pk]),
        }
        for a in selectors.attachments(p)
    ]
    return {"items": rows, "count": len(rows)}
