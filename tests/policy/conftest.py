"""Shared helpers of the policy tests: the default request the table cases are merged onto."""

import copy

import pytest

from renewal.policy.parameters import policy_data_from_plan

DEFAULT_REQUEST = {
    "date": "2024-09-30",
    "enterprise": {"uscc": "913304007429141869", "rd_expense": 0},
    "project": {
        "code": "T-1",
        "types": ["技术改造"],
        "provincial_key": False,
        "total_investment": 0,
        "area": "330402",
    },
    "equipment": [],
}
DEFAULT_ITEM = {
    "name": "设备",
    "acquisition": "purchase",
    "unit_price": 0,
    "quantity": 1,
    "lease_fee": 0,
    "first_set": None,
    "acquired_on": "2024-06-01",
    "category": "general",
}


def build_request(partial: dict) -> dict:
    req = copy.deepcopy(DEFAULT_REQUEST)
    for key, value in partial.items():
        if key == "equipment":
            req["equipment"] = [{**DEFAULT_ITEM, **item} for item in value]
        elif isinstance(value, dict):
            req[key] = {**req.get(key, {}), **value}
        else:
            req[key] = value
    # YAML reads dates as dates: the contract takes ISO text.
    req["date"] = str(req["date"])
    for item in req["equipment"]:
        if item.get("acquired_on") is not None:
            item["acquired_on"] = str(item["acquired_on"])
    return req


def lookup(answer, path: str):
    """'tax.one_time_expensing.items[0].eligible' → the value."""
    node = answer
    for part in path.replace("]", "").split("."):
        name, *indexes = part.split("[")
        if name:
            node = node[name]
        for i in indexes:
            node = node[int(i)]
    return node


@pytest.fixture(scope="session")
def policy_data(jiaxing):
    return policy_data_from_plan(jiaxing.model_dump(mode="python"))
