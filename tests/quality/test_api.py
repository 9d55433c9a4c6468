"""The progress API calls the service: an error check answers 422 naming the field (issue 17)."""

import pytest

from renewal.accounts.tokens import token_create
from renewal.registry.models import MonthlyProgress

pytestmark = pytest.mark.django_db


def test_the_api_refuses_a_month_over_the_total_with_the_chinese_message(client, people):
    headers = {"Authorization": f"Bearer {token_create(user=people['op_nanhu'])[1]}"}
    body = {"month": "2024-08", "investment": 10_000_001}  # NH-1's 总投资: 10,000,000 yuan
    answer = client.post(
        "/api/v1/projects/NH-1/progress", data=body, content_type="application/json", headers=headers
    )
    assert answer.status_code == 422
    assert "完成投资：截至2024年8月累计1,000.00万元，超过项目总投资1,000.00万元" in answer.json()["detail"]
    assert not MonthlyProgress.objects.exists()
