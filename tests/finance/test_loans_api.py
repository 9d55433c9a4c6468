"""/api/v1/loans (P12): the contract shape in yuan and fractions, writes with versions (409), and
the scope matrix: a bank user gets 404 on every record of another bank whatever the method, an
area operator and an enterprise read theirs only, the viewer 403."""

import pytest

from renewal.accounts.tokens import token_create
from renewal.finance.models import Drawdown, LoanContract, Repayment

pytestmark = pytest.mark.django_db


def call(client, user, method, url, body=None):
    headers = {"Authorization": f"Bearer {token_create(user=user)[1]}"}
    if body is None:
        return getattr(client, method)(url, headers=headers)
    return getattr(client, method)(url, data=body, content_type="application/json", headers=headers)


def test_a_loan_reads_in_yuan_with_its_drawdowns_repayments_and_outstanding(client, loans):
    answer = call(client, loans["bank_icbc"], "get", "/api/v1/loans/GH-1")
    assert answer.status_code == 200
    data = answer.json()
    assert (data["bank"], data["bank_name"], data["area"], data["project"]) == (
        "icbc",
        "中国工商银行",
        "330402",
        "NH-1",
    )
    assert (data["amount"], data["annual_rate"], data["term_end"]) == (10_000_000, 0.0345, "2027-06-30")
    assert (data["drawn"], data["repaid"], data["outstanding"]) == (6_000_000, 1_000_000, 5_000_000)
    assert data["drawdowns"] == [{"date": "2024-07-15", "amount": 6_000_000, "version": 1}]
    assert data["repayments"][0]["date"] == "2025-01-15"


def test_lists_hold_the_callers_loans_only(client, loans):
    def numbers(who, query=""):
        answer = call(client, loans[who], "get", f"/api/v1/loans{query}")
        assert answer.status_code == 200, answer.json()
        return [i["number"] for i in answer.json()["items"]]

    assert numbers("city_admin") == [
        "ZH-1",
        "GH-1",
    ]  # by project code and numbers("city_admin", "?bank=boc") == ["ZH-1"]
    assert numbers("city_admin", "?area=330402") == ["GH-1"] and numbers("city_admin", "?project=HN-1") == [
        "ZH-1"
    ]
    assert numbers("bank_icbc") == ["GH-1"] and numbers("bank_boc") == ["ZH-1"]
    assert numbers("op_haining") == ["ZH-1"] and numbers("enterprise") == ["GH-1"]
    assert call(client, loans["viewer"], "get", "/api/v1/loans").status_code == 403


OTHER_BANKS = [
    ("get", "/api/v1/loans/GH-1", None),
    ("patch", "/api/v1/loans/GH-1", {"version": 1, "amount": "1"}),
    ("delete", "/api/v1/loans/GH-1", None),
    ("get", "/api/v1/loans/GH-1/drawdowns", None),
    ("post", "/api/v1/loans/GH-1/drawdowns", {"date": "2024-08-01", "amount": "1"}),
    ("delete", "/api/v1/loans/GH-1/drawdowns/2024-07-15", None),
    ("get", "/api/v1/loans/GH-1/repayments", None),
    ("post", "/api/v1/loans/GH-1/repayments", {"date": "2025-02-01", "amount": "1"}),
    ("delete", "/api/v1/loans/GH-1/repayments/2025-01-15", None),
]


@pytest.mark.parametrize(("method", "url", "body"), OTHER_BANKS)
def test_a_bank_gets_404_on_every_record_of_another_bank(client, loans, method, url, body):
    answer = call(client, loans["bank_boc"], method, url, body)
    assert answer.status_code == 404
    assert answer.json()["detail"] == "合同编号 GH-1 不存在或不属于本行"
    nobody = call(client, loans["bank_boc"], method, url.replace("GH-1", "NOPE-9"), body)
    assert (nobody.status_code, nobody.json()["detail"]) == (404, "合同编号 NOPE-9 不存在或不属于本行")
    assert LoanContract.objects.get(number="GH-1").version == 1
    assert Drawdown.objects.count() == 2 and Repayment.objects.count() == 2


def test_a_bank_creates_a_contract_only_for_a_project_pushed_to_it(client, loans):
    body = {"number": "GH-2", "project": "NH-1", "signed_on": "2024-08-01", "amount": "2000000",
            "annual_rate": "0.03", "term_months": 12}  # fmt: skip
    created = call(client, loans["bank_icbc"], "post", "/api/v1/loans", body)
    assert created.status_code == 201, created.json()
    assert (created.json()["bank"], created.json()["relending"]) == ("icbc", False)
    other = call(
        client, loans["bank_icbc"], "post", "/api/v1/loans", {**body, "number": "GH-3", "project": "HN-1"}
    )
    assert (other.status_code, other.json()["detail"]) == (404, "项目编号：项目 HN-1 不存在或未推送给本行")
    foreign = call(
        client, loans["bank_icbc"], "post", "/api/v1/loans", {**body, "number": "GH-4", "bank": "boc"}
    )
    assert foreign.status_code == 403 and "只能填报本行（中国工商银行）" in foreign.json()["detail"]


def test_readers_that_do_not_write_loans_are_refused_403(client, loans):
    for who in ("op_nanhu", "enterprise"):
        answer = call(
            client, loans[who], "post", "/api/v1/loans/GH-1/drawdowns", {"date": "2024-08-01", "amount": "1"}
        )
        assert answer.status_code == 403, who
        assert call(client, loans[who], "patch", "/api/v1/loans/GH-1", {"version": 1}).status_code == 403
    assert call(client, loans["op_haining"], "get", "/api/v1/loans/GH-1").status_code == 404
    assert call(client, loans["viewer"], "get", "/api/v1/loans/GH-1").status_code == 403


def test_a_bank_writes_drawdowns_and_repayments_and_a_stale_edit_is_409(client, loans):
    bank = loans["bank_icbc"]
    drawn = call(
        client, bank, "post", "/api/v1/loans/GH-1/drawdowns", {"date": "2024-08-01", "amount": "4000000"}
    )
    assert drawn.status_code == 201 and drawn.json()["amount"] == 4_000_000
    over = call(client, bank, "post", "/api/v1/loans/GH-1/drawdowns", {"date": "2024-09-01", "amount": "1"})
    assert over.status_code == 422 and "超过签约金额 1000 万元" in over.json()["detail"]
    too_much = call(
        client, bank, "post", "/api/v1/loans/GH-1/repayments", {"date": "2025-02-01", "amount": "9000001"}
    )
    assert too_much.status_code == 422 and "贷款余额 900 万元" in too_much.json()["detail"]
    listed = call(client, bank, "get", "/api/v1/loans/GH-1/drawdowns").json()
    assert (listed["count"], listed["outstanding"]) == (2, 9_000_000)
    assert (
        call(client, bank, "patch", "/api/v1/loans/GH-1", {"version": 1, "annual_rate": "0.03"}).status_code
        == 200
    )
    stale = call(client, bank, "patch", "/api/v1/loans/GH-1", {"version": 1, "annual_rate": "0.02"})
    assert stale.status_code == 409 and "保存冲突" in stale.json()["detail"]
    gone = call(client, bank, "delete", "/api/v1/loans/GH-1/repayments/2025-01-15")
    assert gone.status_code == 204 and not Repayment.objects.filter(contract__number="GH-1").exists()
    assert call(client, bank, "delete", "/api/v1/loans/GH-1").status_code == 204
    assert not LoanContract.objects.filter(number="GH-1").exists()
    assert LoanContract.all_objects.get(number="GH-1").is_deleted


def test_the_loans_operations_are_in_the_openapi_schema(client, loans):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/loans", "/api/v1/loans/{number}", "/api/v1/loans/{number}/drawdowns"} <= set(paths)
