"""GET /api/v1/projects/{code}/attachments: the caller's projects only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renewal.declaration import services
from tests.factories import project

from .conftest import pdf

pytestmark = pytest.mark.django_db


def test_it_lists_the_attachments_of_a_project_in_scope(client, people):
    draft = project("NH-D", people["NH"].enterprise, status="草稿")
    services.attachment_add(user=people["enterprise"], project=draft, kind="备案证明", upload=pdf())
    client.force_login(people["op_nanhu"])
    body = client.get("/api/v1/projects/NH-D/attachments").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["kind"], item["name"], item["uploaded_by"]) == (
        "备案证明",
        "备案证明.pdf",
        people["enterprise"].username,
    )
    assert client.get(item["download"]).status_code == 200
    client.force_login(people["op_haining"])
    assert client.get("/api/v1/projects/NH-D/attachments").status_code == 404
    client.force_login(people["viewer"])
    assert client.get("/api/v1/projects/NH-D/attachments").status_code == 403


def test_an_enterprise_uploads_an_attachment_of_its_draft_and_a_wrong_file_is_a_chinese_422(client, people):
    """POST /api/v1/projects/{code}/attachments: the form's checks and rule, through the API."""
    from renewal.accounts.tokens import token_create

    draft = project("NH-D", people["NH"].enterprise, status="草稿")
    headers = {"Authorization": f"Bearer {token_create(user=people['enterprise'])[1]}"}
    url = "/api/v1/projects/NH-D/attachments"
    created = client.post(url, {"kind": "备案证明", "file": pdf()}, headers=headers)
    assert created.status_code == 201, created.content
    assert (created.json()["kind"], created.json()["name"]) == ("备案证明", "备案证明.pdf")
    assert draft.attachments.count() == 1
    fake = SimpleUploadedFile(
        "合同.pdf", b"MZ\x90\x00 an executable named .pdf", content_type="application/pdf"
    )
    refused = client.post(url, {"kind": "设备合同", "file": fake}, headers=headers)
    assert refused.status_code == 422 and "合同.pdf" in refused.json()["detail"]
    assert draft.attachments.count() == 1
    type(draft).objects.filter(pk=draft.pk).update(status="已申报")
    locked = client.post(url, {"kind": "发票", "file": pdf()}, headers=headers)
    assert locked.status_code == 403


def test_the_operation_is_in_the_openapi_schema(client):
    assert "/api/v1/projects/{code}/attachments" in client.get("/api/v1/openapi.json").json()["paths"]
