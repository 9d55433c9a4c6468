"""Who sees what: one place that turns a user into the records it may see.

Every selector, service, page, API operation, export and import filters through here, so an area
operator of 南湖 never sees a record of 海宁, and an enterprise user only its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from .models import Profile, Role


@dataclass(frozen=True)
class Scope:
    role: str | None
    area: str | None = None  # area code, for area operators
    unit: str | None = None  # responsible unit id, for unit reporters
    uscc: str | None = None  # credit code, for enterprise users

    @property
    def is_city(self) -> bool:
        """Sees every record of every area (city administrator, reviewer, viewer)."""
        return self.role in {Role.CITY_ADMIN, Role.CITY_REVIEWER, Role.VIEWER}

    @property
    def sees_records(self) -> bool:
        return self.role is not None and self.role != Role.UNIT_REPORTER

    def filter_by_area(self, qs: QuerySet, field: str = "area_id") -> QuerySet:
        """Records of the caller's area (``field``: the lookup of the area code)."""
        if self.is_city:
            return qs
        if self.role == Role.AREA_OPERATOR and self.area:
            return qs.filter(**{field: self.area})
        return qs.none()

    def filter_by_enterprise(self, qs: QuerySet, uscc_field: str, area_field: str) -> QuerySet:
        """Records of the caller's enterprise, or of its area, or all for the city."""
        if self.role == Role.ENTERPRISE:
            return qs.filter(**{uscc_field: self.uscc}) if self.uscc else qs.none()
        return self.filter_by_area(qs, area_field)


NOBODY = Scope(role=None)


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated:
        return NOBODY
    if user.is_superuser:
        return Scope(role=Role.CITY_ADMIN)
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return NOBODY
    return Scope(
        role=profile.role,
        area=profile.area_id,
        unit=profile.unit_id,
        uscc=profile.enterprise_uscc or None,
    )
