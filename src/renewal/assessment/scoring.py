"""Area scoring and ranking (O2). Pure: plain dicts and the plan's scoring scheme in, points out.

No ORM here (a test enforces it). Inputs:
- ``rows``: the indicator engine's rows for one area, ``{"target_id", "clause", "name", "unit",
  "target", "actual", "completion", "expected", "status", "source"}`` (DESIGN.md contract);
- ``events``: bonus/penalty occurrences and manual adjustments,
  ``{"item": <scheme item id> | None, "points": <for a manual adjustment>, "reason": str}``.
Every point carries a ``basis`` (a sentence in Chinese with the rule, the values and the clause).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from renewal.planning.schema import Scoring, ScoringRule

CENT = Decimal("0.01")
STATUS_LABELS = {"green": "绿（达到序时进度）", "yellow": "黄（略低于序时进度）", "red": "红（明显滞后）"}


def dec(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def r4(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP):f}"


def pct(value: Decimal) -> str:
    return f"{q(value * 100):f}%"


@dataclass
class Point:
    target_id: str
    points: Decimal
    basis: str
    kind: str = "target"  # target | bonus | penalty | adjustment

    def as_dict(self) -> dict:
        return {
            "target_id": self.target_id,
            "points": float(self.points),
            "basis": self.basis,
            "kind": self.kind,
        }


@dataclass
class AreaScore:
    area: str
    score: Decimal
    points: list[Point] = field(default_factory=list)
    rank: int | None = None
    previous_rank: int | None = None
    rank_note: str = ""
    recommended: bool = False
    recommendation_note: str = ""

    def target_points(self, target_id: str) -> Decimal:
        return sum(
            (p.points for p in self.points if p.target_id == target_id and p.kind == "target"), Decimal(0)
        )


def score_target(rule: ScoringRule, row: dict | None, clause: str) -> Point:
    """Points of one target for one area, with the reason."""
    w = rule.weight
    if row is None:
        return Point(
            rule.target, Decimal(0), f"{rule.target}：本期无该指标数据，计 0 分（满分 {w:f}，{clause}）"
        )
    name = row.get("name") or rule.target
    # people read the clause and the name, as the plan writes them (not the target's id)
    label = f"{row['clause']} {name}" if row.get("clause") else name
    if row.get("status") == "none":  # quota 0 or none (docs/decisions/0014)
        return Point(rule.target, Decimal(0), f"{label}：本区域未分解该目标，不计分（满分 {w:f}，{clause}）")
    if rule.rule == "reporting":
        return score_reporting(rule, row, label, clause)
    if rule.rule == "status":
        status = row.get("status")
        share = rule.status_share.get(status)
        if share is None:
            return Point(rule.target, Decimal(0), f"{label}：无状态数据，计 0 分（{clause}）")
        pts = q(w * share)
        return Point(
            rule.target,
            pts,
            f"{label}：状态{STATUS_LABELS[status]}，按状态计分 {w:f}×{share:f}＝{pts:f} 分（{clause}）",
        )
    completion, expected = dec(row.get("completion")), dec(row.get("expected"))
    if completion is None:
        return Point(
            rule.target,
            Decimal(0),
            f"{label}：无完成率数据（目标或实际值缺失），计 0 分（{clause}）",
        )
    if expected is None or expected <= 0:
        # Nothing is expected yet (period not started): on schedule by definition.
        ratio, how = Decimal(1), "序时进度为 0，视同达到序时进度"
    else:
        ratio = completion / expected
        how = f"完成率 {pct(completion)} ÷ 序时进度 {pct(expected)} ＝ {r4(ratio)}"
    used = min(max(ratio, rule.floor), rule.cap)
    limit = ""
    if used != ratio:
        limit = f"，{'封顶' if used == rule.cap else '保底'}取 {r4(used)}"
    pts = q(w * used)
    return Point(rule.target, pts, f"{label}：{how}{limit}；{w:f}×{r4(used)}＝{pts:f} 分（{clause}）")


def score_reporting(rule: ScoringRule, row: dict, label: str, clause: str) -> Point:
    """A reporting rate (issue 17): ``row`` has ``rate`` (a fraction or None), ``expected`` and
    ``counted`` (reports counted in the rate) of the year's months due so far."""
    w = rule.weight
    expected, rate = row.get("expected") or 0, dec(row.get("rate"))
    if not expected or rate is None:
        return Point(
            rule.target, q(w), f"{label}：本期无应报项目，视同全部按时报送，计 {q(w):f} 分（{clause}）"
        )
    used = min(max(rate, rule.floor), rule.cap)
    limit = f"，{'封顶' if used == rule.cap else '保底'}取 {r4(used)}" if used != rate else ""
    pts = q(w * used)
    return Point(
        rule.target,
        pts,
        f"{label}：{row.get('counted', 0)}/{expected} ＝ {pct(rate)}{limit}；{w:f}×{r4(used)}＝{pts:f} 分（{clause}）",
    )


def score_events(scheme: Scoring, events: list[dict]) -> list[Point]:
    """Bonus/penalty items (points from the scheme, capped at ``max_count``) and manual adjustments
    (points given, limited to ± ``adjustment_limit``)."""
    items = {it.id: it for it in scheme.items}
    counts: dict[str, int] = {}
    out: list[Point] = []
    for ev in events:
        reason = ev.get("reason") or ""
        item_id = ev.get("item")
        if item_id:
            item = items.get(item_id)
            if item is None:
                out.append(
                    Point(
                        item_id,
                        Decimal(0),
                        f"未定义的加减分项 {item_id}，不计分（{scheme.clause}）",
                        "adjustment",
                    )
                )
                continue
            counts[item_id] = counts.get(item_id, 0) + 1
            kind = "bonus" if item.points > 0 else "penalty"
            if item.max_count is not None and counts[item_id] > item.max_count:
                out.append(
                    Point(
                        item_id,
                        Decimal(0),
                        f"{item.name}：本年度已计 {item.max_count} 次（上限），本次不再计分；{reason}（{scheme.clause}）",
                        kind,
                    )
                )
                continue
            sign = "加" if item.points > 0 else "扣"
            out.append(
                Point(
                    item_id,
                    item.points,
                    f"{item.name}：{sign} {abs(item.points):f} 分；{reason}（{scheme.clause}）",
                    kind,
                )
            )
        else:
            given = dec(ev.get("points")) or Decimal(0)
            limit = scheme.adjustment_limit
            used = max(min(given, limit), -limit)
            note = f"（超出 ±{limit:f} 分上限，按 {used:+f} 计）" if used != given else ""
            author = ev.get("author") or ""
            by = f"，调整人 {author}" if author else ""
            out.append(
                Point(
                    "manual",
                    q(used),
                    f"人工调整 {q(used):+f} 分{note}：{reason}{by}（{scheme.clause}）",
                    "adjustment",
                )
            )
    return out


def score_area(scheme: Scoring, area: str, rows: list[dict], events: list[dict] = ()) -> AreaScore:
    """One area's score: a point per scored target, then bonus/penalty items and adjustments."""
    by_target = {r["target_id"]: r for r in rows}
    points = [score_target(rule, by_target.get(rule.target), scheme.clause) for rule in scheme.rules]
    points += score_events(scheme, list(events))
    return AreaScore(area=area, score=sum((p.points for p in points), Decimal(0)), points=points)


def _key(s: AreaScore, tie_break: list[str]) -> tuple:
    return (s.score, *(s.target_points(t) for t in tie_break))


def rank(
    scores: list[AreaScore],
    tie_break: list[str] = (),
    names: dict[str, str] | None = None,
    target_names: dict[str, str] | None = None,
) -> list[AreaScore]:
    """Competition ranking (1, 2, 2, 4) by score, equal scores separated by the ``tie_break``
    targets' points in order; areas equal on all of them share a rank (the note says so, naming
    areas by ``names`` and targets by ``target_names``)."""
    names = names or {}
    tie_break = list(tie_break)
    compared = "、".join((target_names or {}).get(t, t) for t in tie_break)
    ordered = sorted(scores, key=lambda s: s.area)
    ordered.sort(key=lambda s: _key(s, tie_break), reverse=True)  # stable: equal keys by area code
    for s in ordered:
        same_score = [o for o in ordered if o is not s and o.score == s.score]
        key = _key(s, tie_break)
        s.rank = 1 + sum(1 for o in ordered if _key(o, tie_break) > key)
        shared = [o for o in same_score if _key(o, tie_break) == key]
        separated = [o for o in same_score if _key(o, tie_break) != key]
        notes = []
        if separated:
            labels = "、".join(names.get(o.area, o.area) for o in separated)
            notes.append(f"与{labels}总分相同（{s.score:f}），按 {compared} 得分依次比较区分名次")
        if shared:
            labels = "、".join(names.get(o.area, o.area) for o in shared)
            notes.append(f"与{labels}并列第 {s.rank} 名（总分及 {compared or '比较指标'} 得分均相同）")
        s.rank_note = "；".join(notes)
    return ordered


def recommend(scheme: Scoring, ranked: list[AreaScore]) -> list[AreaScore]:
    """天工鼎 recommendation (O2) on ranked scores; marks each area and explains why or why not."""
    rec = scheme.recommendation
    out = []
    for s in ranked:
        if rec.method == "top_n":
            ok = s.rank <= rec.top_n
            why = f"第 {s.rank} 名{'，在' if ok else '，不在'}前 {rec.top_n} 名内"
            n_in = sum(1 for o in ranked if o.rank <= rec.top_n)
            if ok and n_in > rec.top_n and any(o is not s and o.rank == s.rank for o in ranked):
                why += f"（并列第 {s.rank} 名，推荐 {n_in} 个区域，多于 {rec.top_n} 个：并列者一并推荐）"
        else:
            ok = s.score >= rec.threshold
            why = f"得分 {s.score:f} {'达到' if ok else '低于'}推荐分数线 {rec.threshold:f}"
        if ok and rec.min_score is not None and s.score < rec.min_score:
            ok = False
            why += f"，但低于最低分 {rec.min_score:f}，不予推荐"
        s.recommended = ok
        s.recommendation_note = why + f"（{scheme.clause}）"
        if ok:
            out.append(s)
    return out


def annual_score(
    scheme: Scoring, monthly: list[Decimal], year_end: Decimal | None = None
) -> tuple[Decimal, str]:
    """The year's score from its monthly scores (``annual: mean_of_months``) or December's
    (``year_end``), with the reason."""
    if scheme.annual == "year_end":
        if year_end is None:
            return Decimal(0), "年度得分取 12 月得分，尚无 12 月数据"
        return year_end, f"年度得分取 12 月得分 {year_end:f}（{scheme.clause}）"
    if not monthly:
        return Decimal(0), "尚无月度得分"
    mean = q(sum(monthly, Decimal(0)) / len(monthly))
    return mean, f"年度得分为 {len(monthly)} 个月月度得分的平均 {mean:f}（{scheme.clause}）"
