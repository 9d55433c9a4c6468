"""Writes of the accounts app."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from renewal.planning.models import Area, ResponsibleUnit
from renewal.planning.selectors import active_plan_document

from .models import Profile, Role


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    scope: str


@transaction.atomic
def demo_users_ensure(
    *, password: str, enterprise_usccs: list[str], bank_codes: Sequence[str] = ()
) -> list[DemoUser]:
    """Create (or reset the password of) the demo users: city-admin, city-reviewer, op-<area>,
    unit-<id>, viewer, ent-<credit code> and bank-<bank code> (a bank of the plan's
    ``finance.banks``, P12). Idempotent."""
    wanted: list[tuple[str, str, dict, str]] = [
        ("city-admin", Role.CITY_ADMIN, {}, "全市"),
        ("city-reviewer", Role.CITY_REVIEWER, {}, "全市"),
        ("viewer", Role.VIEWER, {}, "全市汇总数据（只读，不含明细）"),
    ]
    for area in Area.objects.filter(is_active=True):
        wanted.append((f"op-{area.code}", Role.AREA_OPERATOR, {"area": area}, area.name))
    for unit in ResponsibleUnit.objects.filter(is_active=True):
        wanted.append((f"unit-{unit.id}", Role.UNIT_REPORTER, {"unit": unit}, unit.name))
    for uscc in enterprise_usccs:
        wanted.append((f"ent-{uscc}", Role.ENTERPRISE, {"enterprise_uscc": uscc}, uscc))
    if bank_codes:
        names = {b.code: b.name for b in active_plan_document().finance.banks}
        for code in bank_codes:
            wanted.append((f"bank-{code}", Role.BANK, {"bank": code}, names.get(code, code)))

    User = get_user_model()
    out = []
    for username, role, scope, label in wanted:
        user, _ = User.objects.get_or_create(username=username)
        user.is_staff = role == Role.CITY_ADMIN
        user.is_superuser = role == Role.CITY_ADMIN
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        defaults = {"role": role, "area": None, "unit": None, "enterprise_uscc": "", "bank": "", **scope}
        Profile.objects.update_or_create(user=user, defaults=defaults)
        out.append(DemoUser(username, password, Role(role).label, label))
    return out
