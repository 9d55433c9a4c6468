"""The funnel of P12 (融资对接): hand-computed figures as of two dates, per area and per bank; every
figure equals the sum of its drill-down; 贴息 equals `renewal finance subsidy` and the settled
records of the same period; who may open the pages; the xlsx export."""

import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from renewal.finance import selectors as S
from renewal.finance import services, subsidy
from renewal.finance.models import FundInvestment

from . import batch_data

pytestmark = pytest.mark.django_db
world = batch_data.world
funnel_world = batch_data.funnel_world
D = dt.date
NH, HN = "330402", "330481"
FROM = D(2024, 3, 7)


# GH-1's 贴息 over 2024-03-07 … 2024-09-30 by hand (balance × points / 360):
#   05-20 … 07-24: 66 days × 5,000,000 × 0.01  / 360 = 9,166.666…
#   07-25 … 08-19: 26 days × 5,000,000 × 0.015 / 360 = 5,416.666…
#   08-20 … 09-30: 42 days × 4,000,000 × 0.015 / 360 = 7,000
SEPTEMBER_SUBSIDY = Decimal("21583.33")
# … and over 2024-03-07 … 2024-05-31: 12 days × 5,000,000 × 0.01 / 360
MAY_SUBSIDY = Decimal("1666.67")


def _figures(row):
    return {k: Decimal(v) for k, v in row.figures.items()}


def test_figures_as_of_september(funnel_world):
    f = S.funnel(S.period_of(D(2024, 10, 15)))  # data date 2024-09-30
    assert f.period.data_date == D(2024, 9, 30)
    assert _figures(f.city) == {
        "eligible": 2,
        "pushed": 2,
        "signed": 2,
        "signed_amount": Decimal(18_000_000),
        "relending_amount": Decimal(8_000_000),
        "disbursed": Decimal(9_000_000),
        "outstanding": Decimal(8_000_000),
        "subsidy": SEPTEMBER_SUBSIDY,
        "settled": 0,
        "fund": Decimal(3_000_000),
    }
    areas = {r.key: _figures(r) for r in f.areas}
    assert areas[NH]["signed_amount"] == 8_000_000 and areas[NH]["fund"] == 3_000_000
    assert areas[HN]["signed_amount"] == 10_000_000 and areas[HN]["subsidy"] == 0
    banks = {r.key: _figures(r) for r in f.banks}
    # a project pushed to two banks counts for each bank; the city counts it once
    assert banks["abc"]["pushed"] == 2 and banks["icbc"]["pushed"] == 1
    assert banks["abc"]["eligible"] == 2 and banks["icbc"]["eligible"] == 1
    assert banks["abc"]["signed"] == 1 and banks["abc"]["outstanding"] == 4_000_000
    assert banks["icbc"]["subsidy"] == SEPTEMBER_SUBSIDY
    assert "fund" not in banks["icbc"]


def test_figures_as_of_may(funnel_world):
    f = S.funnel(S.period_of(D(2024, 6, 15)))  # data date 2024-05-31: the second push is later
    city = _figures(f.city)
    assert (city["pushed"], city["signed"], city["disbursed"]) == (1, 1, 5_000_000)
    assert city["subsidy"] == MAY_SUBSIDY and city["fund"] == 0
    assert f.trend["months"][-1] == "2024-05" and f.trend["signed"][-1] == 8_000_000


def test_every_figure_is_the_sum_of_its_drilldown(funnel_world):
    for as_of in (D(2024, 6, 15), D(2024, 10, 15)):
        period = S.period_of(as_of)
        f = S.funnel(period)
        for code, m in S.MEASURES.items():
            for row in [*f.areas, f.city]:
                records = S.measure_records(code, period, area=row.key or None)
                assert S.total(records) == row.figures[code], (as_of, code, row.key)
            for row in f.banks:
                if m.by_bank:
                    assert S.total(S.measure_records(code, period, bank=row.key)) == row.figures[code]


def test_subsidy_equals_command_and_settled_records(funnel_world):
    to = D(2024, 9, 30)
    out = io.StringIO()
    call_command("finance", "subsidy", "--from", str(FROM), "--to", str(to), "--json", stdout=out)
    printed = json.loads(out.getvalue())
    f = S.funnel(S.period_of(D(2024, 10, 1)))
    assert Decimal(str(printed["total"])) == f.city.figures["subsidy"] == SEPTEMBER_SUBSIDY
    subsidy.subsidy_settle(period_from=FROM, period_to=to, user=funnel_world["city_admin"])
    settled = subsidy.subsidy_settled(period_from=FROM, period_to=to)["total"]
    f = S.funnel(S.period_of(D(2024, 10, 1)))
    assert settled == f.city.figures["settled"] == f.city.figures["subsidy"]
    # a period settled before its data date is in the figure; not before it
    assert S.funnel(S.period_of(D(2024, 9, 1))).city.figures["settled"] == 0


def test_overlapping_periods_are_refused(funnel_world):
    admin = funnel_world["city_admin"]
    subsidy.subsidy_settle(period_from=FROM, period_to=D(2024, 6, 30), user=admin)
    with pytest.raises(subsidy.OverlapError, match="重叠"):
        subsidy.subsidy_settle(period_from=D(2024, 6, 1), period_to=D(2024, 9, 30), user=admin)
    # the next period, and the same period again (a new version when changed), are fine
    subsidy.subsidy_settle(period_from=D(2024, 7, 1), period_to=D(2024, 9, 30), user=admin)
    subsidy.subsidy_settle(period_from=FROM, period_to=D(2024, 6, 30), user=admin)
    # 5,833.33 (42 days at 1 point) + 15,750.00: the two periods add up to the whole
    assert S.funnel(S.period_of(D(2024, 10, 1))).city.figures["settled"] == SEPTEMBER_SUBSIDY


def test_deleted_records_leave_the_funnel(funnel_world):
    admin = funnel_world["city_admin"]
    from renewal.finance.models import LoanContract

    services.contract_delete(user=admin, contract=LoanContract.objects.get(number="NS-2"), reason="录入错误")
    city = S.funnel(S.period_of(D(2024, 10, 15))).city.figures
    assert (city["signed"], city["disbursed"], city["outstanding"]) == (1, 5_000_000, 4_000_000)
    FundInvestment.objects.update(is_deleted=True)
    assert S.funnel(S.period_of(D(2024, 10, 15))).city.figures["fund"] == 0


# ---- pages ------------------------------------------------------------------------------------------


def test_page_for_the_city(client, funnel_world):
    client.force_login(funnel_world["city_admin"])
    r = client.get("/finance/", {"as_of": "2024-10-15"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "数据日期：2024-09-30" in html and "贴息测算期间：2024-03-07 至 2024-09-30" in html
    assert "1,800.00" in html  # signed, 万元
    assert "/finance/records/subsidy/?" in html
    drill = client.get("/finance/records/subsidy/", {"as_of": "2024-10-15", "bank": "icbc"})
    assert drill.status_code == 200
    text = drill.content.decode()
    assert "GH-1" in text and "合计 2.16万元" in text and "21,583.33" in text


def test_viewer_sees_figures_without_records(client, funnel_world):
    client.force_login(funnel_world["viewer"])
    r = client.get("/finance/", {"as_of": "2024-10-15"})
    assert r.status_code == 200 and "/finance/records/" not in r.content.decode()
    assert client.get("/finance/records/signed/", {"as_of": "2024-10-15"}).status_code == 403
    assert client.get("/finance/export.xlsx", {"as_of": "2024-10-15"}).status_code == 200


@pytest.mark.parametrize("who", ["op_nanhu", "enterprise", "bank_a", "unit"])
def test_others_are_refused(client, funnel_world, who):
    client.force_login(funnel_world[who])
    for url in ("/finance/", "/finance/records/signed/", "/finance/export.xlsx"):
        assert client.get(url).status_code == 403, (who, url)


def test_bad_query_is_a_chinese_400(client, funnel_world):
    client.force_login(funnel_world["city_admin"])
    r = client.get("/finance/", {"as_of": "2024-13-01"})
    assert r.status_code == 400 and "截止日期" in r.content.decode()
    assert client.get("/finance/records/nothing/").status_code == 404
    r = client.get("/finance/records/fund/", {"bank": "icbc"})
    assert r.status_code == 400
    r = client.get("/finance/", {"as_of": "2024-06-15", "from": "2024-07-01"})
    assert r.status_code == 400 and "晚于数据日期" in r.content.decode()


def test_export(client, funnel_world):
    client.force_login(funnel_world["city_reviewer"])
    r = client.get("/finance/export.xlsx", {"as_of": "2024-10-15"})
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["按区域", "按银行", "说明"]
    rows = list(book["按区域"].values)
    header = rows[0]
    assert header[0] == "区域" and "签约金额(万元)" in header and "已推送项目(个)" in header
    total = rows[-1]
    assert total[0] == "合计"
    assert total[header.index("签约金额(万元)")] == 1800
    assert total[header.index("贴息测算(万元)")] == 2.16
    banks = {row[0]: row for row in list(book["按银行"].values)[1:]}
    assert set(banks) == {"中国工商银行", "中国农业银行"}


def test_project_page_shows_its_finance(client, funnel_world):
    client.force_login(funnel_world["enterprise"])  # the enterprise of NH-E1
    html = client.get("/registry/projects/NH-E1/").content.decode()
    assert "融资支持（P12" in html
    assert "意向银行</dt><dd>中国工商银行、中国农业银行" in html
    assert "第一批推送至中国工商银行（2024-04-15生效）" in html
    assert "GH-1" in html and "NS-3" in html and "NS-2" not in html
    assert "浙江省高端装备制造业基金 300.00 万元（2024-06-01）" in html
