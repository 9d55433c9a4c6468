"""Roles as Django groups with model permissions (what a role may do with a kind of record).

The group gives the *kind* of right (the admin and ``user.has_perm`` read it); ``scope.py`` narrows
it to the records of the user's area, unit or enterprise. A user's group follows its profile's role
(``profile_groups_sync``), so nobody assigns groups by hand.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from .models import Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = (VIEW, ADD, CHANGE, DELETE)
DECLARED = ["enterprise", "project", "monthlyprogress", "honour", "firstsetproduct", "catalogueentry"]
REGISTRY = DECLARED + [
    "projecttransition",
    "serviceprovider",
    "typicalcase",
    "fund",
    "statistic",
    "industrialchain",
]
REPORTING = ["monthapproval", "monthapprovalstep", "taskreport", "taskattachment"]
# equipment (issue 14): lines of a project and ledger items are declared like projects; the
# elimination catalogue is reference data kept by the city
EQUIPMENT_DECLARED = ["equipmentline", "ledgeritem"]
EQUIPMENT = EQUIPMENT_DECLARED + ["eliminationentry"]
# online declaration (issue 14): a project's attachments, declared with it
DECLARATION = ["attachment"]
# finance (issue 15, P12): loans and their drawdowns and repayments are reported by banks;
# batches and subsidy records are made by services only (frozen), the admin reads them
LOANS = ["loancontract", "drawdown", "repayment"]
FINANCE = LOANS + ["fundinvestment", "loanbatch", "batchitem", "interestsubsidyrecord"]
# 亩均数据 (issue 16, P14): an enterprise's annual figures, kept by its area like the enterprise
MUJUN = ["annualdata"]


def _grant(app: str, models: list[str], actions) -> set[tuple[str, str]]:
    return {(app, f"{a}_{m}") for m in models for a in actions}


GROUP_PERMISSIONS: dict[str, set[tuple[str, str]]] = {
    Role.CITY_ADMIN: _grant("registry", REGISTRY, ALL)
    | _grant("reporting", REPORTING, ALL)
    | _grant("equipment", EQUIPMENT, ALL)
    | _grant("declaration", DECLARATION, ALL)
    | _grant("finance", LOANS + ["fundinvestment"], ALL)
    | _grant("finance", FINANCE, [VIEW])
    | _grant("mujun", MUJUN, ALL),
    Role.CITY_REVIEWER: _grant("registry", REGISTRY, [VIEW])
    | _grant("declaration", DECLARATION, [VIEW])
    | _grant("equipment", EQUIPMENT, [VIEW])
    | _grant("reporting", REPORTING, [VIEW])
    | _grant("mujun", MUJUN, [VIEW]),
    Role.AREA_OPERATOR: _grant("registry", DECLARED, ALL)
    | _grant("registry", ["projecttransition", "serviceprovider", "fund", "statistic"], [VIEW])
    | _grant("reporting", ["monthapproval", "monthapprovalstep"], [VIEW])
    | _grant("equipment", EQUIPMENT_DECLARED, ALL)
    | _grant("equipment", ["eliminationentry"], [VIEW])
    | _grant("declaration", DECLARATION, ALL)
    | _grant("mujun", MUJUN, ALL),
    Role.UNIT_REPORTER: _grant("reporting", ["taskreport", "taskattachment"], [VIEW, ADD, CHANGE]),
    Role.ENTERPRISE: _grant("registry", ["project", "monthlyprogress"], [VIEW, ADD, CHANGE])
    | _grant("registry", ["enterprise", "honour", "firstsetproduct", "projecttransition"], [VIEW])
    | _grant("equipment", EQUIPMENT_DECLARED, ALL)
    | _grant("equipment", ["eliminationentry"], [VIEW])
    | _grant("declaration", DECLARATION, ALL)
    | _grant("mujun", MUJUN, [VIEW]),
    # aggregated figures only (scope.RECORD_ROLES): no registry record, the admin shows it none
    Role.VIEWER: _grant("reporting", REPORTING, [VIEW]),
    # its own bank's loans only (scope.filter_records, the ``bank`` path)
    Role.BANK: _grant("finance", LOANS, [VIEW, ADD, CHANGE]),
}


def group_name(role: str) -> str:
    return Role(role).label


def roles_sync() -> dict[str, int]:
    """Create one group per role with exactly its permissions. Idempotent; run after migrate."""
    out = {}
    for role, wanted in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        perms = [
            p
            for p in Permission.objects.filter(content_type__app_label__in={a for a, _ in wanted})
            if (p.content_type.app_label, p.codename) in wanted
        ]
        group.permissions.set(perms)
        out[group.name] = len(perms)
    return out


def profile_groups_sync(profile) -> None:
    """Put the profile's user in its role's group (and no other role group)."""
    role_groups = {group_name(r) for r in Role.values}
    user = profile.user
    keep = [g for g in user.groups.all() if g.name not in role_groups]
    group, _ = Group.objects.get_or_create(name=group_name(profile.role))
    user.groups.set([*keep, group])


# parks (issue 16, T7/T8; docs/decisions/0019-parks.md): the city and the area operators keep the
# park records (within their area, accounts.scope); the reviewer reads them; an enterprise user
# reads its own membership and ratings; the viewer reads the figures only
PARKS = ["park", "parkmember", "smartparkitem", "greenparkitem", "enterpriserating"]
GROUP_PERMISSIONS[Role.CITY_ADMIN] |= _grant("parks", PARKS, ALL)
GROUP_PERMISSIONS[Role.CITY_REVIEWER] |= _grant("parks", PARKS, [VIEW])
GROUP_PERMISSIONS[Role.AREA_OPERATOR] |= _grant("parks", PARKS, ALL)
GROUP_PERMISSIONS[Role.ENTERPRISE] |= _grant("parks", ["parkmember", "enterpriserating"], [VIEW])
