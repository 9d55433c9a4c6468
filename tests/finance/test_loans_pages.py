"""/finance/loans/ pages (P12): each reader sees its own loans, a bank adds drawdowns and
contracts for its pushed projects, another bank's contract is 404, the viewer 403."""

import pytest
from django.urls import reverse

from renewal.finance.models import Drawdown, LoanContract

pytestmark = pytest.mark.django_db


def test_the_list_shows_each_reader_its_loans_in_wan(client, loans):
    client.force_login(loans["bank_icbc"])
    page = client.get(reverse("finance:loans")).content.decode()
    assert "GH-1" in page and "ZH-1" not in page and "1,000.00" in page and "500.00" in page
    client.force_login(loans["op_haining"])
    page = client.get(reverse("finance:loans")).content.decode()
    assert "ZH-1" in page and "GH-1" not in page
    client.force_login(loans["city_admin"])
    page = client.get(reverse("finance:loans"), {"bank": "boc"}).content.decode()
    assert "ZH-1" in page and "GH-1" not in page
    client.force_login(loans["viewer"])
    assert client.get(reverse("finance:loans")).status_code == 403


def test_a_bank_adds_a_drawdown_on_its_contract_and_sees_no_other(client, loans):
    client.force_login(loans["bank_icbc"])
    url = reverse("finance:loan", args=["GH-1"])
    assert client.get(url).status_code == 200
    answer = client.post(url, {"kind": "drawdown", "date": "2024-08-01", "amount": "100"})
    assert answer.status_code == 302
    assert Drawdown.objects.filter(contract__number="GH-1").count() == 2
    bad = client.post(url, {"kind": "drawdown", "date": "2024-09-01", "amount": "1000"})
    assert bad.status_code == 400 and "超过签约金额" in bad.content.decode()
    assert client.get(reverse("finance:loan", args=["ZH-1"])).status_code == 404
    client.force_login(loans["op_nanhu"])
    page = client.get(url).content.decode()
    assert "登记放款或还款" not in page  # read only


def test_a_bank_registers_a_contract_for_a_pushed_project(client, loans):
    client.force_login(loans["bank_icbc"])
    url = reverse("finance:loan_new") + "?project=NH-1"
    assert "项目 NH-1" in client.get(url).content.decode()
    body = {"number": "GH-2", "project": "NH-1", "signed_on": "2024-08-01", "amount": "200", "rate": "3.1",
            "term_months": "24", "relending": "1"}  # fmt: skip
    assert client.post(url, body).status_code == 302
    c = LoanContract.objects.get(number="GH-2")
    assert (c.bank, str(c.annual_rate), c.amount, c.relending) == ("icbc", "0.031000", 2_000_000, True)
    other = client.post(url, {**body, "number": "GH-3", "project": "HN-1"})
    assert other.status_code == 400 and "不存在或未推送给本行" in other.content.decode()
    client.force_login(loans["op_nanhu"])
    assert client.get(url).status_code == 403


def test_a_bank_reaches_the_upload_page_for_its_three_sheets_only(client, loans):
    client.force_login(loans["bank_icbc"])
    page = client.get(reverse("exchange:upload"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "可导入的工作表：贷款、放款、还款。" in text and 'name="file"' in text
    assert client.get(reverse("exchange:export", args=["loans"])).status_code == 200
    assert client.get(reverse("exchange:export", args=["projects"])).status_code == 403
    client.force_login(loans["viewer"])
    assert client.get(reverse("exchange:upload")).status_code == 403
