"""A bounded schemathesis run over /api/v1/openapi.json inside the suite: a few generated requests
per operation, with a valid token of the 南湖 operator, and not one server error (5xx)."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewal.accounts.tokens import token_create

pytestmark = pytest.mark.django_db
EXAMPLES = 4


@pytest.fixture
def keep_connection():
    """Calling the WSGI app directly would close the test's database connection (and its
    transaction) at the end of each request; Django's test client does the same disconnect."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_generated_requests_never_cause_a_server_error(people, keep_connection):
    _, plain = token_create(user=people["op_nanhu"])
    headers = {"Authorization": f"Bearer {plain}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    failures, statuses = [], []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data):
        for op in operations:
            case = data.draw(op.as_strategy())
            response = case.call(headers=headers)
            statuses.append(response.status_code)
            if response.status_code >= 500:
                failures.append(
                    (op.method, op.path, case.path_parameters, case.query, case.body, response.status_code)
                )

    run()
    assert failures == []
    assert len(statuses) >= len(operations) * 2  # it really called every operation, repeatedly
    assert 200 in statuses and {401, 404, 409, 422} & set(statuses)
