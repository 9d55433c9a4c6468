"""The review page: upload, edit, validate, confirm and load — only by the city office, audited."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from renewal.accounts.models import Profile, Role
from renewal.drafting.models import DraftReview
from renewal.planning.models import Plan
from tests.drafting.test_documents import JIAXING_TEXT

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_admin():
    user = get_user_model().objects.create_user("city-admin", password="x")
    Profile.objects.create(user=user, role=Role.CITY_ADMIN)
    return user


@pytest.fixture
def admin_client(client, city_admin):
    client.force_login(city_admin)
    return client


class _Form(HTMLParser):
    """The values a browser would post from the review form (inputs, checked boxes, selected options)."""

    def __init__(self):
        super().__init__()
        self.data, self._select = {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") != "file":
            if a.get("type") != "checkbox" or "checked" in a:
                self.data[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a["value"]


def form_of(response) -> dict:
    parser = _Form()
    parser.feed(response.content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


def upload(client, name="jiaxing.txt", data=None):
    data = JIAXING_TEXT.read_bytes() if data is None else data
    return client.post("/drafting/", {"document": SimpleUploadedFile(name, data)})


def test_it_sends_an_anonymous_visitor_to_the_login(client):
    assert client.get("/drafting/").status_code == 302


def test_it_refuses_a_user_who_is_not_the_city_office(client):
    user = get_user_model().objects.create_user("viewer", password="x")
    Profile.objects.create(user=user, role=Role.VIEWER)
    client.force_login(user)
    response = client.get("/drafting/")
    assert response.status_code == 403 and "仅限市级管理员" in response.content.decode()


def test_an_upload_drafts_and_shows_every_item_beside_the_marked_source(admin_client):
    response = upload(admin_client)
    review = DraftReview.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/drafting/{review.pk}/"
    page = admin_client.get(response["Location"]).content.decode()
    assert "识别：24 个目标、5 个参数、27 个条款、13 个责任单位、2 个区域" in page
    assert page.count('class="m-target">') == 24
    first = review.draft["targets"][0]["position"]["offset"]
    assert f'<a href="#m-{first}">第 48 行</a>' in page and f'<mark id="m-{first}" class="m-target">' in page


def test_a_scan_gets_a_clear_message_and_no_draft(admin_client):
    response = upload(admin_client, "scan.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    assert response.status_code == 400
    assert "scan.pdf：" in response.content.decode() and not DraftReview.objects.exists()


def test_a_bad_number_is_named_by_row_and_field_and_nothing_is_saved(admin_client):
    upload(admin_client)
    review = DraftReview.objects.get()
    data = form_of(admin_client.get(f"/drafting/{review.pk}/")) | {
        "target-0-value": "一千亿",
        "action": "save",
    }
    response = admin_client.post(f"/drafting/{review.pk}/", data)
    assert response.status_code == 400
    assert "目标第 1 行（G1） 目标值：应为数字" in response.content.decode()
    review.refresh_from_db()
    assert review.draft["targets"][0]["value"] == 110000000000


def test_nothing_is_loaded_before_validation_and_confirmation(admin_client, city_admin):
    upload(admin_client)
    review = DraftReview.objects.get()
    url = f"/drafting/{review.pk}/"
    data = form_of(admin_client.get(url))
    # validation names what the person still has to fill in
    admin_client.post(url, data | {"action": "validate"})
    review.refresh_from_db()
    assert not review.validated and any("city.code" in p for p in review.problems)
    # fill in, edit a value, reject a target, add the counties the addressee line only names collectively
    data |= {
        "plan-city_code": "330400",
        "area-0-code": "jxedz",
        "area-1-code": "jxport",
        "target-1-value": "0.12",
        "target-23-rejected": "on",
        "new-areas": "330402 南湖区 南湖 district\n330411 秀洲区 秀洲 district",
        "action": "validate",
    }
    admin_client.post(url, data)
    review.refresh_from_db()
    assert review.validated and review.problems == []
    # a confirmation without the tick loads nothing
    response = admin_client.post(url, form_of(admin_client.get(url)) | {"action": "confirm"})
    assert "请先勾选" in response.content.decode() and not Plan.objects.exists()
    admin_client.post(url, {"action": "confirm", "confirmed": "1"})
    review.refresh_from_db()
    plan = Plan.objects.get(is_active=True)
    assert (review.status, review.confirmed_by, review.loaded_plan_id) == ("loaded", city_admin, plan.id)
    assert plan.targets.count() == 23 and plan.targets.get(code="G2").value == Decimal("0.12")
    assert sorted(plan.content["areas"][i]["code"] for i in range(4)) == [
        "330402",
        "330411",
        "jxedz",
        "jxport",
    ]
    # the audit trail: who did what, in order
    reasons = [h.history_change_reason for h in review.history.order_by("history_date")]
    assert reasons[0] == "上传并自动起草" and reasons[-1] == f"{city_admin} 确认载入方案 {plan.id}"
    assert review.history.order_by("history_date").last().history_user == city_admin


def test_a_loaded_draft_cannot_be_changed(admin_client):
    upload(admin_client)
    review = DraftReview.objects.get()
    review.status = DraftReview.Status.LOADED
    review.save()
    response = admin_client.post(f"/drafting/{review.pk}/", {"action": "confirm", "confirmed": "1"})
    assert "已确认载入，不能再修改" in response.content.decode()
