"""GET /api/v1/projects/{code}/attachments: the caller's projects only."""

from __future__ import annotations

import pytest

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


def test_the_operation_is_in_the_openapi_schema(client):
    assert "/api/v1/projects/{code}/attachments" in client.get("/api/v1/openapi.json").json()["paths"]
