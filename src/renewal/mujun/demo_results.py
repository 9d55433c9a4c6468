"""The 亩均 results of the demo (P14), written through the publication services only (one write
path), after the demo's 亩均数据 (``demo.py``): so that every page of ``/mujun/`` shows something at
the demo's last month.

- 2023: every area with rows is run by its operator, published for 7 days from 2024-04-01 (every
  class public) and confirmed by the city reviewer after the window — the frozen result of a year.
- 2024: the areas in code order alternate: the first two are published today (their 公示 window is
  open: the demo enterprise users may object), with one objection already filed in the first —
  by its lowest-ranked enterprise that has a demo user — and answered by rejection; the others stay 审核中 (run, not yet
  published), so the city sees every state of the ladder.
Idempotent: nothing is written when any evaluation exists.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from renewal.accounts.models import Role
from renewal.planning.models import Area

from . import services
from .models import AnnualData, Evaluation

CONFIRMED_YEAR, OPEN_YEAR = 2023, 2024
PUBLISHED_2023 = dt.date(2024, 4, 1)
OPEN_AREAS = 2


def _operator(code: str):
    return get_user_model().objects.filter(username=f"op-{code}").first()


def _objector(items: list[dict]):
    """The lowest-ranked evaluated enterprise that has a demo user (``renewal demo`` makes them for
    a few enterprises through the accounts service), and that user; None when there is none."""
    users = {
        u.profile.enterprise_uscc: u
        for u in get_user_model().objects.filter(profile__role=Role.ENTERPRISE).select_related("profile")
    }
    for item in reversed(items):
        if item["uscc"] in users:
            return users[item["uscc"]]
    return None


def mujun_results_demo_load(*, reviewer) -> dict[str, int]:
    if Evaluation.objects.exists():
        return {}
    years = set(AnnualData.objects.values_list("year", flat=True))
    areas = [a.code for a in Area.objects.filter(is_active=True).order_by("code")]
    counts = {"已确认评价": 0, "公示中评价": 0, "审核中评价": 0, "异议": 0}
    if CONFIRMED_YEAR in years:
        for code in areas:
            op = _operator(code)
            if (
                op is None
                or not AnnualData.objects.filter(year=CONFIRMED_YEAR, enterprise__area_id=code).exists()
            ):
                continue
            ev = services.evaluation_run(user=op, area=code, year=CONFIRMED_YEAR)
            ev = services.evaluation_publish(
                user=op, evaluation=ev, public_classes=["A", "B", "C", "D"], days=7, today=PUBLISHED_2023
            )
            services.evaluation_confirm(
                user=reviewer, evaluation=ev, today=ev.window_end + dt.timedelta(days=1)
            )
            counts["已确认评价"] += 1
    if OPEN_YEAR in years:
        evaluated = [
            c for c in areas if AnnualData.objects.filter(year=OPEN_YEAR, enterprise__area_id=c).exists()
        ]
        for k, code in enumerate(evaluated):
            op = _operator(code)
            if op is None:
                continue
            ev = services.evaluation_run(user=op, area=code, year=OPEN_YEAR)
            if k >= OPEN_AREAS:
                counts["审核中评价"] += 1
                continue
            ev = services.evaluation_publish(user=op, evaluation=ev, public_classes=["A", "D"])
            counts["公示中评价"] += 1
            objector = _objector(ev.answer["items"]) if k == 0 else None
            if objector is not None:
                obj = services.objection_file(
                    user=objector,
                    evaluation=ev,
                    reason="示例：本企业 2024 年新增用地尚未投产，申请按实际投产用地计算亩均税收。",
                )
                services.objection_answer(
                    user=op,
                    objection=obj,
                    accept=False,
                    answer="示例：用地面积按不动产登记计算，新增用地已登记，维持原结果。",
                )
                counts["异议"] += 1
    return {k: v for k, v in counts.items() if v}
