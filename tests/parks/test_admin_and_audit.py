"""The park records in the admin (read only, scoped) and in the audit trail (history page, audit-log
export, recycle bin) like every other registry record."""

import io

import openpyxl
import pytest

from renewal.accounts.scope import scope_for
from renewal.audit.selectors import AUDITED, audit_log
from renewal.parks.models import EnterpriseRating, GreenParkItem, Park, ParkMember, SmartParkItem
from renewal.registry.services import record_delete

pytestmark = pytest.mark.django_db

MODELS = [Park, ParkMember, SmartParkItem, GreenParkItem, EnterpriseRating]


def test_every_park_model_is_audited():
    assert {m._meta.label_lower for m in MODELS} <= set(AUDITED)
    assert all(hasattr(m, "history") for m in MODELS)


def test_a_parks_history_page_per_scope(parks, client):
    park = Park.objects.get(code="NH-P1")
    url = f"/audit/history/parks.park/{park.pk}/"
    client.force_login(parks["city_admin"])
    page = client.get(url)
    assert page.status_code == 200 and "新增" in page.content.decode()
    client.force_login(parks["op_nanhu"])
    assert client.get(url).status_code == 200
    client.force_login(parks["op_haining"])
    assert client.get(url).status_code == 404  # another area's park


def test_the_park_page_links_its_history(parks, client):
    client.force_login(parks["city_admin"])
    park = Park.objects.get(code="NH-P1")
    assert f"/audit/history/parks.park/{park.pk}/" in client.get("/parks/NH-P1/").content.decode()


def test_the_audit_log_names_park_records_within_the_scope(parks):
    city = {(e.model, e.record) for e in audit_log(scope=scope_for(parks["city_admin"]))}
    assert ("园区", "NH-P1 南湖经济开发区") in city and ("园区", "HN-P1 海宁高新区") in city
    assert any(model == "智慧园区建设" for model, _ in city)
    assert any(model == "企业环保绩效评级" for model, _ in city)
    nanhu = {e.record for e in audit_log(scope=scope_for(parks["op_nanhu"]), labels=["parks.park"])}
    assert nanhu == {"NH-P1 南湖经济开发区", "NH-P2 南湖化工园区"}


def test_the_audit_export_offers_the_park_models(parks, client):
    client.force_login(parks["city_admin"])
    response = client.get("/audit/export.xlsx?model=parks.greenparkitem")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    texts = [" ".join(str(c.value) for c in row if c.value) for row in ws.iter_rows(min_row=2)]
    assert len(texts) == 3 and all("绿色园区" in t for t in texts)  # the three rows of data.ALL


def test_a_deleted_park_is_in_the_recycle_bin(parks, client):
    park = Park.objects.get(code="NH-P1")
    record_delete(user=parks["city_admin"], obj=park)
    client.force_login(parks["city_admin"])
    page = client.get("/audit/trash/").content.decode()
    assert "NH-P1 南湖经济开发区" in page and "parks.park" in page


def test_the_admin_lists_park_records_read_only_and_scoped(parks, client, admin_staff):
    listing = client.get("/admin/parks/park/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "南湖经济开发区" in page and "海宁高新区" in page
    assert client.get("/admin/parks/park/add/").status_code == 403
    park = Park.objects.get(code="NH-P1")
    client.post(f"/admin/parks/park/{park.pk}/change/", {"name": "改名"})
    assert Park.objects.get(code="NH-P1").name == "南湖经济开发区"
    for model in ("parkmember", "smartparkitem", "greenparkitem", "enterpriserating"):
        assert client.get(f"/admin/parks/{model}/").status_code == 200


def test_a_staff_operator_sees_its_areas_parks_only_in_the_admin(parks, client):
    op = parks["op_nanhu"]
    op.is_staff = True
    op.save()
    client.force_login(op)
    page = client.get("/admin/parks/park/").content.decode()
    assert "南湖经济开发区" in page and "海宁高新区" not in page
    hn = Park.objects.get(code="HN-P1")
    assert client.get(f"/admin/parks/park/{hn.pk}/change/").status_code in (302, 403, 404)
