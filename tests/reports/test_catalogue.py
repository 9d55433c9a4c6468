"""Public catalogues (T4, O3): no login, only published entries, searchable, xlsx export with
formulas neutralised; publishing is a city action with an audit record."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from renewal.accounts.models import Role
from renewal.registry.models import CatalogueEntry, ServiceProvider, TypicalCase
from renewal.reports import services
from renewal.reports.models import Publication
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(loaded_plan):
    ent = factories.enterprise(factories.USCC_NANHU, "330402", name="南湖家电有限公司")
    shown = CatalogueEntry.objects.create(
        enterprise=ent, brand="恒嘉", model="JX-100", category="家电", batch="2024年第1批", published=True
    )
    hidden = CatalogueEntry.objects.create(
        enterprise=ent, brand="秘密品牌", model="SEC-9", category="家电", batch="2024年第2批"
    )
    evil = CatalogueEntry.objects.create(
        enterprise=ent,
        brand='=HYPERLINK("http://x","点我")',
        model="+1-1",
        category="照明",
        batch="2024年第1批",
        published=True,
    )
    prov = ServiceProvider.objects.create(
        uscc=factories.USCC_HAINING, name="未发布服务商", kind="数字化改造服务商"
    )
    case = TypicalCase.objects.create(title="未发布案例", year=2024, summary="……", enterprise=ent)
    return {"shown": shown, "hidden": hidden, "evil": evil, "provider": prov, "case": case}


def test_anyone_sees_published_products_and_never_unpublished_ones(client, catalogue):
    page = client.get("/catalogue/").content.decode()
    assert "JX-100" in page and "SEC-9" not in page and "秘密品牌" not in page
    assert "未发布服务商" not in client.get("/catalogue/providers/").content.decode()
    assert "未发布案例" not in client.get("/catalogue/cases/").content.decode()


def test_the_catalogue_is_searchable(client, catalogue):
    page = client.get("/catalogue/", {"q": "恒嘉"}).content.decode()
    assert "JX-100" in page and "+1-1" not in page
    assert "SEC-9" not in client.get("/catalogue/", {"q": "SEC"}).content.decode()


def test_the_export_holds_formulas_as_plain_text(client, catalogue):
    resp = client.get("/catalogue/", {"format": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    evil = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert evil.data_type == "s"  # a string cell, not a formula
    assert not any(c.data_type == "f" for c in cells)
    assert not any("SEC-9" == c.value for c in cells) and ws.max_row == 3


def test_publishing_a_batch_makes_it_visible_and_writes_an_audit_record(client, catalogue):
    admin = factories.user("city-admin", Role.CITY_ADMIN)
    pub = services.catalogue_publish(catalogue="products", batch="2024年第2批", actor=admin, note="第二批")
    assert (pub.action, pub.count, pub.actor, pub.entry_ids) == (
        "publish",
        1,
        admin,
        [catalogue["hidden"].id],
    )
    catalogue["hidden"].refresh_from_db()
    assert catalogue["hidden"].published_at is not None
    assert "SEC-9" in client.get("/catalogue/").content.decode()
    services.catalogue_withdraw(catalogue="products", batch="2024年第2批", actor=admin, reason="企业资质变更")
    assert "SEC-9" not in client.get("/catalogue/").content.decode()
    assert list(Publication.objects.values_list("action", flat=True)) == ["withdraw", "publish"]


def test_providers_and_cases_are_published_by_choice(client, catalogue):
    admin = factories.user("city-admin", Role.CITY_ADMIN)
    services.catalogue_publish(
        catalogue="providers", ids=[catalogue["provider"].id], batch="2024年第1批", actor=admin
    )
    assert "未发布服务商" in client.get("/catalogue/providers/").content.decode()


def test_only_a_city_administrator_may_publish(catalogue):
    op = factories.user("op-330402", Role.AREA_OPERATOR, area_id="330402")
    with pytest.raises(PermissionDenied):
        services.catalogue_publish(catalogue="products", batch="2024年第2批", actor=op)
    assert not CatalogueEntry.objects.get(model="SEC-9").published


def test_the_publishing_page_is_closed_to_the_public(client, catalogue):
    assert client.get("/catalogue/manage/").status_code == 302
