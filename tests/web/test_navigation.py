"""Every navigation link a role sees answers 200 for that role: sign in as each demo role (the users
`renewal demo` creates), open the home page, follow every link of its header, and on each page
reached every link of that page's own navigation (sub-navigation, tabs) too."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from renewal.accounts.models import Role
from renewal.accounts.services import demo_users_ensure
from tests.factories import USCC_NANHU, enterprise, project

pytestmark = pytest.mark.django_db

# one demo user of each role; None: a visitor who is not signed in
DEMO_ROLES = {
    Role.CITY_ADMIN: "city-admin",
    Role.CITY_REVIEWER: "city-reviewer",
    Role.VIEWER: "viewer",
    Role.AREA_OPERATOR: "op-330402",
    Role.UNIT_REPORTER: "unit-tax",
    Role.ENTERPRISE: f"ent-{USCC_NANHU}",
    None: None,
}


class NavLinks(HTMLParser):
    """The href of every <a> inside a <nav> element."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "nav":
            self.depth += 1
        elif tag == "a" and self.depth and dict(attrs).get("href"):
            self.links.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self.depth -= 1


def nav_links(page_url: str, html: str) -> list[str]:
    parser = NavLinks()
    parser.feed(html)
    out = []
    for href in parser.links:
        url = urljoin(page_url, href)
        if urlsplit(url).netloc in ("", "testserver") and not href.startswith("#"):
            out.append(urlsplit(url)._replace(scheme="", netloc="").geturl())
    return out


@pytest.fixture
def demo_roles(loaded_plan, fast_passwords):
    project("NH-1", enterprise(USCC_NANHU, "330402", name="南湖测试机械有限公司"))
    demo_users_ensure(password="Demo-pass-2024", enterprise_usccs=[USCC_NANHU])
    users = get_user_model().objects.in_bulk([u for u in DEMO_ROLES.values() if u], field_name="username")
    assert len(users) == len(DEMO_ROLES) - 1
    return users


def crawl(client: Client) -> dict[str, int]:
    """The status of every link of the home page's header and of each reached page's navigation."""
    home = client.get("/")
    assert home.status_code == 200
    topnav = home.content.decode().split('<nav class="topnav">')[1].split("</nav>")[0]
    header = nav_links("/", f"<nav>{topnav}</nav>")
    statuses: dict[str, int] = {}
    for url in dict.fromkeys(header):
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            for link in nav_links(url, response.content.decode()):
                if link not in statuses:
                    statuses[link] = client.get(link).status_code
    return statuses


@pytest.mark.parametrize("role", list(DEMO_ROLES), ids=[r or "visitor" for r in DEMO_ROLES])
def test_every_navigation_link_a_role_sees_answers_200_for_that_role(client, demo_roles, role):
    if role is not None:
        client.force_login(demo_roles[DEMO_ROLES[role]])
    statuses = crawl(client)
    assert len(statuses) >= 4  # at least the plan, catalogues, calculator and the API docs
    assert {url: s for url, s in statuses.items() if s != 200} == {}


def test_each_role_sees_the_links_of_its_pages_and_no_other(client, demo_roles):
    """The crawl above proves no link leads to a refusal; this one that the header is not empty of
    what a role may open (a header showing nothing would pass it)."""
    seen = {}
    for role, username in DEMO_ROLES.items():
        client.logout()
        if username:
            client.force_login(demo_roles[username])
        seen[role] = set(crawl(client))
    assert "/cockpit/" in seen[Role.VIEWER] and "/cockpit/" not in seen[Role.ENTERPRISE]
    assert "/assessment/" in seen[Role.AREA_OPERATOR] and "/assessment/" not in seen[Role.ENTERPRISE]
    assert "/drafting/" in seen[Role.CITY_ADMIN] and "/drafting/" not in seen[Role.CITY_REVIEWER]
    assert (
        "/policy/simulation/" in seen[Role.CITY_REVIEWER]
        and "/policy/simulation/" not in seen[Role.ENTERPRISE]
    )
    assert "/registry/projects/" in seen[Role.ENTERPRISE] and "/registry/projects/" not in seen[Role.VIEWER]
    assert seen[None] >= {"/", "/catalogue/", "/policy/calculator/", "/api/v1/docs"}
    assert not any(url.startswith(("/cockpit/", "/assessment/", "/registry/")) for url in seen[None])
