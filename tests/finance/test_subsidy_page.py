"""The settlement page's 贷款贴息核定（P12）: the city administrator settles a period, city users
read its frozen records in 万元; nobody else settles."""

import pytest

from renewal.finance.models import InterestSubsidyRecord

from .test_subsidy import FROM, TO, make_loans

pytestmark = pytest.mark.django_db
URL = "/settlement/interest-subsidy/settle"


@pytest.fixture
def loans(people):
    return make_loans(people)


def test_the_city_admin_settles_a_period_and_reads_it_in_wan_yuan(client, loans):
    client.force_login(loans["city_admin"])
    response = client.post(URL, {"period_from": FROM, "period_to": TO})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?period_from={FROM}&period_to={TO}#interest-subsidy")
    record = InterestSubsidyRecord.objects.get()
    assert (record.contract.number, record.version, str(record.amount)) == ("ICBC-1", 1, "63041.67")
    page = client.get(response["Location"]).content.decode()
    assert "贷款贴息核定（P12）" in page
    assert "核定合同1份，新增版本1个，结果未变0个，贴息合计6.30万元" in page
    assert "ICBC-1" in page and "中国工商银行" in page and "第1版" in page
    assert '<td class="num">6.30</td>' in page and "<td>P12</td>" in page
    # settled again: the same record, no new version
    client.post(URL, {"period_from": FROM, "period_to": TO})
    assert InterestSubsidyRecord.objects.count() == 1


def test_the_page_shows_the_latest_settled_period_by_default(client, loans):
    client.force_login(loans["city_admin"])
    client.post(URL, {"period_from": FROM, "period_to": TO})
    client.force_login(loans["city_reviewer"])
    page = client.get("/settlement/").content.decode()
    assert "2024-07-01至2024-12-31：核定合同 1 份，贴息合计 6.30 万元" in page
    assert URL not in page  # the reviewer reads, does not settle


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period_from": "2024-13-01", "period_to": TO}, "期间起、期间止应为 YYYY-MM-DD 格式的日期"),
        ({"period_from": TO, "period_to": FROM}, "期间止2024-07-01早于期间起2024-12-31"),
    ],
)
def test_a_bad_period_is_said_in_chinese_and_settles_nothing(client, loans, data, message):
    client.force_login(loans["city_admin"])
    response = client.post(URL, data, follow=True)
    assert message in response.content.decode()
    assert not InterestSubsidyRecord.objects.exists()


@pytest.mark.parametrize("who", ["city_reviewer", "op_nanhu", "enterprise", "outsider"])
def test_only_the_city_admin_settles(client, loans, who):
    client.force_login(loans[who])
    assert client.post(URL, {"period_from": FROM, "period_to": TO}).status_code == 403
    assert not InterestSubsidyRecord.objects.exists()
