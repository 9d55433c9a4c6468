"""Security: roles are Django groups with permissions, login lock-out (django-axes), the CSP with a
nonce on inline scripts, secure cookies and headers in production settings."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from renewal.accounts.models import Profile, Role

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_and_a_profile_puts_its_user_in_it(people):
    assert set(Group.objects.values_list("name", flat=True)) >= {r.label for r in Role}
    op = people["op_nanhu"]
    assert [g.name for g in op.groups.all()] == ["区域操作员"]
    assert op.has_perm("registry.change_project") and not op.has_perm("registry.change_fund")
    # the viewer reads aggregated figures only: no registry model, not even to view
    assert not people["viewer"].has_perm("registry.view_project")
    assert not people["viewer"].has_perm("registry.change_project")
    assert people["unit"].has_perm("reporting.add_taskreport") and not people["unit"].has_perm(
        "registry.view_project"
    )
    Profile.objects.filter(user=op).update(role=Role.VIEWER)
    profile = Profile.objects.get(user=op)
    profile.save()
    assert [g.name for g in op.groups.all()] == ["只读用户"]


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_five_failed_logins_lock_the_account_even_for_the_right_password(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "op-330402", "wrong-password").status_code == 200
    assert login(client, "op-330402", "wrong-password").status_code == 429  # the 5th failure locks
    locked = login(client, "op-330402", "x-test-pass-1")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_password_logs_in_and_resets_the_failures(client, people):
    for _ in range(3):
        login(client, "op-330402", "nope")
    assert login(client, "op-330402", "x-test-pass-1").status_code == 302
    assert client.session["_auth_user_id"] == str(people["op_nanhu"].pk)


def test_pages_send_a_csp_with_a_nonce_that_the_inline_script_carries(client, people):
    client.force_login(people["city_admin"])
    response = client.get(reverse("registry:project_detail", args=["NH-1"]))
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "script-src 'self' 'nonce-" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert "frame-ancestors 'none'" in policy
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)


def test_headers_forbid_framing_and_sniffing(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_production_settings_use_secure_cookies_and_hsts():
    code = (
        "import json, renewal.settings as s; print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_HTTPONLY, s.PASSWORD_HASHERS[0]]))"
    )
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "test-only-secret"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [
        True,
        True,
        31536000,
        True,
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("lists:project_list"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
