"""The finance part of the demo world (P12, issue 15): batches pushed to banks, loan contracts,
drawdowns, repayments and the provincial fund's investments.

Two halves, like the registry's demo (``registry/demo.py``):

- ``finance_world`` is pure: it reads the registry's whole demo world (``demo.world``, uncut, to
  December of the plan's first year) and a seed-derived random stream of its own, and returns plain
  dicts, every record dated. ``finance_cut`` is that world as known at the end of a month: what is
  dated later (a batch pushed later, a contract signed later, a later drawdown …) is absent.
- ``finance_demo_load`` writes the cut world through the finance services only (one write path:
  ``batches.batch_compile`` / ``batch_review`` / ``batch_push``, ``services.contract_create`` …), so
  the demo's records pass every check a person's would.

The same world at every month: a batch lists only projects that are counted and not completed
(已入库 or 在建) from before its push to the end of the world, so the batch services accept them
whatever month the demo is cut at, and a contract is signed only while its project is counted.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from renewal.planning import selectors as plans
from renewal.registry import reference
from renewal.registry.demo import DemoData, month_end

from . import batches, services
from .models import BatchItem, Drawdown, FundInvestment, LoanBatch, LoanContract, Repayment

WAN = Decimal(10_000)
FUND_NAME = "浙江省高端装备制造业基金（示例）"
NOTE = "演示数据"
# (name, month, day) of the year's batches: pushed in spring and in summer
BATCHES = (("第一批", 4, 15), ("第二批", 7, 10))
BATCH_SHARE = 0.75  # of the projects that may be listed at a push, the share the city lists
CONTRACT_SHARE = 0.6  # of the pushed (project, bank) items, the share that end in a contract
PRE_PUSH_CONTRACTS = 2  # contracts signed before their project's push: no 贴息 (P12)


class FinanceDemoError(Exception):
    """The finance demo world does not fit the registry's (a bug of the demo, not of the data)."""


@dataclass
class FinanceWorld:
    batches: list[dict] = field(default_factory=list)  # name, pushed_on, projects (codes)
    contracts: list[dict] = field(default_factory=list)  # number, project, bank, signed_on …
    drawdowns: list[dict] = field(default_factory=list)  # contract, drawn_on, amount
    repayments: list[dict] = field(default_factory=list)  # contract, repaid_on, amount
    investments: list[dict] = field(default_factory=list)  # uscc, fund_name, invested_on, amount


def _money(value: float) -> Decimal:
    """Whole 万元, as people write loans."""
    return (Decimal(round(value / 10_000)) * WAN).quantize(Decimal("0.01"))


def _days(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def listable_from(transitions: Iterable[dict], open_statuses: set[str]) -> dict[str, dt.date]:
    """Project code → the day from which the project stays, to the world's end, in a status a
    batch may list (counted and not completed: 已入库, 在建); projects that leave it are absent."""
    since: dict[str, dt.date | None] = {}
    for t in transitions:  # in the order they take effect
        code = t["project"]
        if t["to_status"] not in open_statuses:
            since[code] = None
        elif since.get(code) is None:
            since[code] = t["effective_on"]
    return {code: day for code, day in since.items() if day is not None}


def finance_world(
    world: DemoData,
    *,
    relending: Mapping[str, bool],
    counted: Iterable[str],
    completed: Iterable[str],
    signing_from: dt.date,
) -> FinanceWorld:
    """The finance records of the demo ``world`` (uncut), to the world's last day. ``relending``:
    bank code → whether it lends with re-lending support (the plan's ``finance.banks``);
    ``signing_from``: the first signing day of the re-lending programme."""
    rng = random.Random(world.seed * 7919 + 13)  # a stream of its own
    year = world.through.year
    last_day = month_end(world.through)
    out = FinanceWorld()
    open_statuses = set(counted) - set(completed)
    since = listable_from(world.transitions, open_statuses)
    asking = [p for p in world.projects if p.get("loan_demand") and p.get("intended_banks")]
    by_code = {p["code"]: p for p in asking}

    # batches: at each push, some of the projects that may be listed and are not yet
    listed: set[str] = set()
    for name, month, day in BATCHES:
        pushed_on = dt.date(year, month, day)
        ready = [p["code"] for p in asking if p["code"] in since and since[p["code"]] <= pushed_on]
        chosen = [c for c in ready if c not in listed and rng.random() < BATCH_SHARE]
        if chosen:
            listed.update(chosen)
            out.batches.append({"name": f"{year}年{name}", "pushed_on": pushed_on, "projects": chosen})

    # contracts signed before their project's push (the second batch's): no 贴息
    contracts: list[dict] = []
    early: set[str] = set()
    if len(out.batches) > 1:
        first_push, second = out.batches[0]["pushed_on"], out.batches[1]
        window_from = max(signing_from, first_push + dt.timedelta(days=1))
        fits = [
            c
            for c in second["projects"]
            if max(since[c], window_from) < second["pushed_on"] - dt.timedelta(days=5)
            and any(relending.get(b, False) for b in by_code[c]["intended_banks"])
        ]
        for code in rng.sample(fits, min(PRE_PUSH_CONTRACTS, len(fits))):
            p = by_code[code]
            bank = next(b for b in p["intended_banks"] if relending.get(b, False))
            start = max(since[code], window_from) + dt.timedelta(days=1)
            signed = _days(rng, start, second["pushed_on"] - dt.timedelta(days=1))
            contracts.append(_contract(rng, p, bank, signed, p["loan_demand"], relending))
            early.add(code)

    # contracts of the pushed items, 10 to 60 days after the push
    for batch in out.batches:
        for code in batch["projects"]:
            if code in early:
                continue
            p = by_code[code]
            banks = [b for b in p["intended_banks"] if rng.random() < CONTRACT_SHARE]
            for bank in banks:
                signed = batch["pushed_on"] + dt.timedelta(days=rng.randint(10, 60))
                share = p["loan_demand"] / len(banks)
                contracts.append(_contract(rng, p, bank, signed, share, relending))
    contracts = [c for c in contracts if c["signed_on"] <= last_day]
    contracts.sort(key=lambda c: (c["signed_on"], c["project"], c["bank"]))
    seq: dict[str, int] = {}
    for c in contracts:
        seq[c["bank"]] = seq.get(c["bank"], 0) + 1
        c["number"] = f"{c['bank'].upper()}-{year}-{seq[c['bank']]:03d}"
    out.contracts = contracts

    for c in out.contracts:
        draws, repays = _ledger(rng, c, last_day)
        out.drawdowns += draws
        out.repayments += repays

    # the provincial fund's investments in a few above-scale enterprises, May to September
    above = [e["uscc"] for e in world.enterprises if e["above_scale"]]
    for uscc in rng.sample(above, min(rng.randint(3, 5), len(above))):
        out.investments.append(
            {
                "uscc": uscc,
                "fund_name": FUND_NAME,
                "invested_on": _days(rng, dt.date(year, 5, 1), dt.date(year, 9, 20)),
                "amount": _money(rng.uniform(2_000, 8_000) * float(WAN)),
            }
        )
    out.investments.sort(key=lambda x: (x["invested_on"], x["uscc"]))
    return out


def _contract(
    rng: random.Random, p: dict, bank: str, signed: dt.date, ceiling: Decimal, relending: Mapping[str, bool]
) -> dict:
    amount = max(_money(float(ceiling) * rng.uniform(0.5, 1.0)), WAN)
    return {
        "project": p["code"],
        "bank": bank,
        "signed_on": signed,
        "amount": min(amount, p["loan_demand"]),
        "annual_rate": Decimal(rng.randint(300, 360)) / Decimal(10_000),  # 3.00 % … 3.60 %
        "term_months": rng.choice([36, 60]),
        "relending": relending.get(bank, False),
    }


def _ledger(rng: random.Random, c: dict, last_day: dt.date) -> tuple[list[dict], list[dict]]:
    """One to three drawdowns after the signing (together at most the signed amount) and, for some
    contracts, one or two repayments of part of what is outstanding; none after ``last_day``."""
    n = rng.choice([1, 2, 2, 3])
    total = _money(float(c["amount"]) * rng.uniform(0.6, 1.0))
    weights = [rng.uniform(0.5, 1.5) for _ in range(n)]
    day = c["signed_on"] + dt.timedelta(days=rng.randint(5, 30))
    draws, left = [], total
    for k in range(n):
        part = left if k == n - 1 else _money(float(total) * weights[k] / sum(weights))
        left -= part
        if part > 0 and day <= last_day:
            draws.append({"contract": c["number"], "drawn_on": day, "amount": part})
        day += dt.timedelta(days=rng.randint(30, 75))
    repays: list[dict] = []
    if draws and rng.random() < 0.5:
        day = draws[0]["drawn_on"] + dt.timedelta(days=rng.randint(45, 100))
        for _ in range(rng.choice([1, 2])):
            drawn = sum((d["amount"] for d in draws if d["drawn_on"] <= day), Decimal(0))
            outstanding = drawn - sum((r["amount"] for r in repays), Decimal(0))
            amount = min(_money(float(outstanding) * rng.uniform(0.05, 0.2)), outstanding)
            if amount > 0 and day <= last_day and day not in {d["drawn_on"] for d in draws}:
                repays.append({"contract": c["number"], "repaid_on": day, "amount": amount})
            day += dt.timedelta(days=90)
    return draws, repays


def finance_cut(fw: FinanceWorld, through: dt.date) -> FinanceWorld:
    """``fw`` as known at the end of month ``through``: records dated later are absent."""
    end = month_end(through.replace(day=1))
    contracts = [c for c in fw.contracts if c["signed_on"] <= end]
    return FinanceWorld(
        batches=[b for b in fw.batches if b["pushed_on"] <= end],
        contracts=contracts,
        drawdowns=[d for d in fw.drawdowns if d["drawn_on"] <= end],
        repayments=[r for r in fw.repayments if r["repaid_on"] <= end],
        investments=[x for x in fw.investments if x["invested_on"] <= end],
    )


def finance_demo_exists() -> bool:
    return (
        LoanBatch.objects.exists() or LoanContract.all_objects.exists() or FundInvestment.all_objects.exists()
    )


def plan_world(world: DemoData, through: dt.date) -> FinanceWorld:
    """The finance world of the active plan's banks and programme, cut at ``through``."""
    finance = plans.active_plan_document().finance
    signing_from = finance.relending.signing_from if finance.relending else dt.date(world.through.year, 3, 7)
    fw = finance_world(
        world,
        relending={b.code: b.relending for b in finance.banks},
        counted=reference.counted_statuses(),
        completed=reference.completed_statuses(),
        signing_from=signing_from,
    )
    return finance_cut(fw, through)


@transaction.atomic
def finance_demo_load(*, world: DemoData, through: dt.date, user, reviewer=None) -> dict[str, int]:
    """Write the finance demo of ``world`` (the registry's whole demo world, ``demo.world``) as known
    at the end of month ``through``, through the finance services: ``user`` (the city
    administrator) compiles, pushes and records, ``reviewer`` (a city reviewer; ``user`` when
    None) reviews. Counts of what was written; {} when the database already has finance records
    (a re-run changes nothing)."""
    if finance_demo_exists():
        return {}
    fw = plan_world(world, through)
    for b in fw.batches:
        compiled = batches.batch_compile(name=b["name"], user=user, project_codes=b["projects"], note=NOTE)
        if compiled.refused:
            raise FinanceDemoError(f"演示批次“{b['name']}”有项目未能列入：{compiled.refused}")
        batch = batches.batch_review(batch=compiled.batch, user=reviewer or user)
        batches.batch_push(batch=batch, user=user, pushed_on=b["pushed_on"])
    contracts = {}
    for c in fw.contracts:
        contracts[c["number"]] = services.contract_create(user=user, data=c)
    for d in fw.drawdowns:
        services.drawdown_create(
            user=user, contract=contracts[d["contract"]], drawn_on=d["drawn_on"], amount=d["amount"]
        )
    for r in fw.repayments:
        services.repayment_create(
            user=user, contract=contracts[r["contract"]], repaid_on=r["repaid_on"], amount=r["amount"]
        )
    for x in fw.investments:
        services.fund_investment_create(user=user, data=x)
    return {
        "推送批次": len(fw.batches),
        "推送项目": sum(len(b["projects"]) for b in fw.batches),
        "推送银行条目": BatchItem.objects.count(),
        "贷款合同": len(fw.contracts),
        "放款": Drawdown.objects.count(),
        "还款": Repayment.objects.count(),
        "基金投资": len(fw.investments),
    }
