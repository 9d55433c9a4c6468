"""The cockpit, the area matrix and the target pages are closed by default: a visitor goes to the
login page (the same figures through the API answer 401); a deployment may publish them on purpose
with RENEWAL_PUBLIC_COCKPIT. The records behind a number stay closed either way."""

import pytest
from django.test import Client
from django.urls import reverse

from renewal.accounts.models import Role
from tests.factories import USCC_NANHU, user

pytestmark = pytest.mark.django_db

Q = {"year": 2024, "as_of": "2024-03-31"}
AGGREGATE_PAGES = [
    reverse("indicators:cockpit"),
    reverse("indicators:matrix"),
    reverse("indicators:target", args=["T1.projects"]),
    reverse("indicators:export"),
]


@pytest.fixture
def visitor(sample):
    """Not signed in (the ``client`` of this folder is signed in as the viewer)."""
    return Client()


def header(client) -> str:
    return client.get("/").content.decode().split('<nav class="topnav">')[1].split("</nav>")[0]


@pytest.mark.parametrize("url", AGGREGATE_PAGES)
def test_a_visitor_is_sent_to_the_login_page(visitor, url):
    response = visitor.get(url, Q)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert url in response["Location"]


def test_the_api_and_the_pages_agree_a_visitor_sees_no_figure(visitor):
    assert visitor.get("/api/v1/indicators", Q).status_code == 401
    assert visitor.get(reverse("indicators:cockpit"), Q).status_code == 302


@pytest.mark.parametrize("url", AGGREGATE_PAGES)
def test_with_renewal_public_cockpit_a_visitor_reads_the_aggregate_pages(visitor, settings, url):
    settings.RENEWAL_PUBLIC_COCKPIT = True
    response = visitor.get(url, Q)
    assert response.status_code == 200


def test_a_published_cockpit_shows_its_figures_but_no_link_to_records(visitor, settings):
    settings.RENEWAL_PUBLIC_COCKPIT = True
    text = visitor.get(reverse("indicators:target", args=["T1.projects"]), Q).content.decode()
    assert "分区域明细" in text and "/records/" not in text
    records = reverse("indicators:records", args=["T1.projects"])
    assert visitor.get(records, Q)["Location"].startswith(reverse("accounts:login"))


def test_a_published_cockpit_is_in_the_header_of_a_visitor(visitor, settings):
    assert "驾驶舱" not in header(visitor)
    settings.RENEWAL_PUBLIC_COCKPIT = True
    assert "驾驶舱" in header(visitor)


@pytest.mark.parametrize("url", AGGREGATE_PAGES)
def test_an_enterprise_user_gets_403_on_the_aggregate_pages(sample, client, url):
    client.force_login(user("ent-test", Role.ENTERPRISE, enterprise_uscc=USCC_NANHU))
    response = client.get(url, Q)
    assert response.status_code == 403
    assert "您的角色（企业用户）不查看驾驶舱和各区域的汇总指标" in response.content.decode()
