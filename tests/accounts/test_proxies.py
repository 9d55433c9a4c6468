"""Behind reverse proxies (issue 20, part 4): the client's address comes from X-Forwarded-For only
with RENEWAL_TRUSTED_PROXIES set, the login lock-out keys on user and that address (a stranger
elsewhere cannot lock a user out), and API token guesses are limited per address."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from renewal.accounts.client_ip import client_ip
from renewal.accounts.tokens import token_create

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.5"


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "1.2.3.4", "203.0.113.9"),  # no proxy of ours: the header is the client's own text
        (1, PROXY, "198.51.100.7", "198.51.100.7"),
        (1, PROXY, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # what the client wrote first is ignored
        (2, PROXY, "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (2, PROXY, "10.0.0.9", PROXY),  # fewer hops than proxies: not through them all
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, "[2001:db8::1]:443", "2001:db8::1"),
        (1, PROXY, "198.51.100.7:50123", "198.51.100.7"),
        (1, PROXY, None, PROXY),
    ],
)
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.RENEWAL_TRUSTED_PROXIES = proxies
    assert client_ip(_request(remote, forwarded)) == expected


def _login(client, username, password, address):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_a_stranger_behind_the_proxy_cannot_lock_a_user_out(client, people, settings):
    settings.RENEWAL_TRUSTED_PROXIES = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "op-330402", "wrong-password", "198.51.100.66")
    assert _login(client, "op-330402", "x-test-pass-1", "198.51.100.66").status_code == 429
    # the user, from its own address behind the same proxy, still signs in
    assert _login(client, "op-330402", "x-test-pass-1", "192.0.2.10").status_code == 302


def test_without_trusted_proxies_a_forged_header_does_not_escape_the_lock(client, people, settings):
    settings.RENEWAL_TRUSTED_PROXIES = 0
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "op-330402", "wrong-password", f"198.51.100.{i}")
    assert _login(client, "op-330402", "x-test-pass-1", "192.0.2.10").status_code == 429


def test_token_guesses_are_limited_per_address(client, people, settings):
    settings.RENEWAL_TRUSTED_PROXIES = 1
    settings.RENEWAL_TOKEN_FAILURE_LIMIT = 3
    good = token_create(user=people["city_admin"], name="测试")[1]

    def get(token, address):
        return client.get(
            "/api/v1/loans",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=address,
        )

    for _ in range(3):
        assert get("rnw_wrong", "198.51.100.66").status_code == 401
    blocked = get(good, "198.51.100.66")
    assert blocked.status_code == 429 and "失败次数过多" in blocked.json()["detail"]
    assert get(good, "192.0.2.10").status_code == 200  # another address is not affected
