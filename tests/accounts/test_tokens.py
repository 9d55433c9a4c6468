import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from renewal.accounts.models import ApiToken
from renewal.accounts.tokens import digest, token_create, token_revoke, token_user
from tests.factories import user

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_a_digest():
    u = user("someone", None)
    row, plain = token_create(user=u)
    assert plain.startswith("rnw_") and plain not in row.key_hash
    assert row.key_hash == digest(plain)
    assert token_user(plain) == u


def test_an_expired_or_revoked_token_is_refused():
    u = user("someone", None)
    row, plain = token_create(user=u)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert token_user(plain) is None
    row2, plain2 = token_create(user=u)
    token_revoke(token=row2)
    assert token_user(plain2) is None
    assert token_user("rnw_made-up") is None


def test_the_token_command_prints_a_working_token():
    u = user("someone", None)
    out = StringIO()
    call_command("token", "someone", stdout=out)
    assert token_user(out.getvalue().strip()) == u


def test_the_token_command_names_an_unknown_user():
    with pytest.raises(CommandError, match="用户 'nobody' 不存在或已停用"):
        call_command("token", "nobody", stdout=StringIO())
