"""The ranking page exports its table for the month on screen."""

import io

import openpyxl
import pytest
from django.urls import reverse

from renewal.assessment import selectors
from tests.factories import named_users

pytestmark = pytest.mark.django_db


def test_the_ranking_export_has_one_row_per_area_as_on_the_page(client, small_registry, fast_passwords):
    users = named_users()
    client.force_login(users["viewer"])
    text = client.get(reverse("assessment:ranking"), {"month": "2024-03"}).content.decode()
    assert '<a href="/assessment/export.xlsx?month=2024-03">导出 Excel</a>' in text
    response = client.get(reverse("assessment:export"), {"month": "2024-03"})
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content))["考核排名"]
    assert ws.freeze_panes == "A2"
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][:3] == ["排名", "区域", "得分(分)"]
    expected = selectors.assessment(2024, selectors.month_end(2024, 3))["items"]
    assert [(r[0], r[1]) for r in rows[1:]] == [(it["rank"], it["area_name"]) for it in expected]
    assert [r[2] for r in rows[1:]] == pytest.approx([it["score"] for it in expected])
    assert ws["C2"].data_type == "n" and ws["A2"].data_type == "n"
    assert len(rows) - 1 == 9


def test_a_user_without_a_role_cannot_export_the_ranking(client, small_registry, fast_passwords):
    client.force_login(named_users()["outsider"])
    assert client.get(reverse("assessment:export")).status_code == 403
