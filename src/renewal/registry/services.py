"""Writes of the registry."""

from __future__ import annotations

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from renewal.planning.models import Area

from . import models
from .demo import DemoData


class DemoExists(Exception):
    def __init__(self, dataset: models.DemoDataset):
        self.dataset = dataset
        super().__init__(
            f"数据库中已有演示数据（seed {dataset.seed}）；如需换用其他 seed，请先清空数据库（rm var/renewal.sqlite3）"
        )


@transaction.atomic
def demo_dataset_load(*, data: DemoData, plan_id: str) -> dict[str, int]:
    """Write a built demo dataset. Re-running with the same seed changes nothing; another seed on
    a database that already holds demo data is refused (``DemoExists``). Rows go in with their
    history (simple-history), attributed to no user (the system)."""
    existing = models.DemoDataset.objects.first()
    if existing is not None:
        if existing.seed == data.seed and existing.through == data.through and existing.plan_id == plan_id:
            return {}
        raise DemoExists(existing)

    areas = {a.code: a for a in Area.objects.all()}
    enterprises = bulk_create_with_history(
        [models.Enterprise(**{**e, "area": areas[e["area"]]}) for e in data.enterprises],
        models.Enterprise,
        batch_size=500,
    )
    by_uscc = {e.uscc: e for e in enterprises}
    projects = bulk_create_with_history(
        [
            models.Project(**{**p, "enterprise": by_uscc[p["enterprise"]], "area": areas[p["area"]]})
            for p in data.projects
        ],
        models.Project,
        batch_size=500,
    )
    by_code = {p.code: p for p in projects}
    bulk_create_with_history(
        [models.MonthlyProgress(**{**r, "project": by_code[r["project"]]}) for r in data.progress],
        models.MonthlyProgress,
        batch_size=1000,
    )
    bulk_create_with_history(
        [models.Honour(**{**h, "enterprise": by_uscc[h["enterprise"]]}) for h in data.honours],
        models.Honour,
    )
    bulk_create_with_history(
        [models.FirstSetProduct(**{**f, "enterprise": by_uscc[f["enterprise"]]}) for f in data.first_sets],
        models.FirstSetProduct,
    )
    bulk_create_with_history(
        [models.CatalogueEntry(**{**c, "enterprise": by_uscc[c["enterprise"]]}) for c in data.catalogue],
        models.CatalogueEntry,
    )
    providers = bulk_create_with_history(
        [models.ServiceProvider(**{**p, "area": areas[p["area"]]}) for p in data.providers],
        models.ServiceProvider,
    )
    by_provider = {p.uscc: p for p in providers}
    bulk_create_with_history(
        [
            models.TypicalCase(
                **{**c, "enterprise": by_uscc[c["enterprise"]], "provider": by_provider[c["provider"]]}
            )
            for c in data.cases
        ],
        models.TypicalCase,
    )
    bulk_create_with_history([models.Fund(**f) for f in data.funds], models.Fund)
    stats = []
    for s in data.statistics:
        row = models.Statistic(**s, year=0, month=0)
        row.clean()  # derives year and month from the period
        stats.append(row)
    bulk_create_with_history(stats, models.Statistic, batch_size=1000)
    for c in data.chains:
        chain = models.IndustrialChain.objects.create(
            name=c["name"], leader=c["leader"], leader_unit_id=c["leader_unit"]
        )
        chain.masters.set([by_uscc[u] for u in c["masters"]])
    models.DemoDataset.objects.create(seed=data.seed, through=data.through, plan_id=plan_id)
    return {
        "企业": len(data.enterprises),
        "项目": len(data.projects),
        "月度进度": len(data.progress),
        "试点示范": len(data.honours),
        "首台套": len(data.first_sets),
        "优质产品目录": len(data.catalogue),
        "服务商": len(data.providers),
        "典型案例": len(data.cases),
        "补助资金": len(data.funds),
        "统计指标": len(data.statistics),
        "产业链": len(data.chains),
    }
