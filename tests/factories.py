"""Named users and small records for tests (STYLE.md: city admin, 海宁 and 南湖 operators,
enterprise, outsider)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from renewal.accounts.models import Profile, Role
from renewal.registry import spells, workflow
from renewal.registry.models import Enterprise, Project, ProjectTransition

# valid credit codes (check character computed per GB 32100-2015)
USCC_NANHU = "913304007429141869"
USCC_HAINING = "91110000600037341L"
USCC_NANHU_NEW = "91330402MA2B00001L"  # not registered by the fixtures: for create tests
USCC_HAINING_NEW = "91330481MA2C00002P"


def user(username: str, role: str | None, **scope):
    u = get_user_model().objects.create_user(username=username, password="x-test-pass-1")
    if role is not None:
        Profile.objects.create(user=u, role=role, **scope)
    return u


def named_users() -> dict:
    return {
        "city_admin": user("city-admin", Role.CITY_ADMIN),
        "city_reviewer": user("city-reviewer", Role.CITY_REVIEWER),
        "viewer": user("viewer", Role.VIEWER),
        "op_nanhu": user("op-330402", Role.AREA_OPERATOR, area_id="330402"),
        "op_haining": user("op-330481", Role.AREA_OPERATOR, area_id="330481"),
        "enterprise": user(f"ent-{USCC_NANHU}", Role.ENTERPRISE, enterprise_uscc=USCC_NANHU),
        "unit": user("unit-tax", Role.UNIT_REPORTER, unit_id="tax"),
        "outsider": user("outsider", None),
    }


def enterprise(uscc: str, area: str, name: str = "测试企业有限公司", **kw) -> Enterprise:
    return Enterprise.objects.create(uscc=uscc, name=name, area_id=area, **({"industry_code": "34"} | kw))


def project(code: str, ent: Enterprise, **kw) -> Project:
    fields = dict(
        name=f"{code} 技改项目",
        year=2024,
        types="技术改造",
        total_investment=Decimal(10_000_000),
        equipment_investment=Decimal(6_000_000),
        status="在建",
    )
    since = kw.pop("since", None)
    p = Project.objects.create(code=code, enterprise=ent, area_id=ent.area_id, **(fields | kw))
    return p if since is None else reach(p, since=since)


def reach(p: Project, status: str | None = None, *, since: dt.date | None = None) -> Project:
    """Record that ``p`` reached ``status`` (its own by default) on ``since`` (default 1 January of
    its year) as a legacy step, so that the indicators see it from that day (registry/spells.py)."""
    status = status or p.status
    if status == workflow.START and not p.transitions.exists():
        return p
    ProjectTransition.objects.create(
        project=p,
        from_status=p.status if status != p.status else workflow.START,
        to_status=status,
        action=workflow.LEGACY_ACTION,
        effective_on=since or dt.date(p.year, 1, 1),
    )
    if p.status != status:
        Project.all_objects.filter(pk=p.pk).update(status=status)
    spells.refresh([p.pk])
    p.refresh_from_db()
    return p
