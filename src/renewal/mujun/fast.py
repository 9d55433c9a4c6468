"""The 亩均 evaluation of one area (P14) a column at a time, with numpy: the answer of
``rule.evaluate_area`` — the reference, written out in exact integers — for every item, every
point, every basis, bit for bit (``tests/mujun/test_fast.py``; bench/mujun.py checks the whole
answer's SHA-256 against the reference's). Pure, like the rule: plain data in, no Django, no ORM
(``tests/mujun/test_rule_purity.py``: the standard library and numpy only).

How it stays exact. The figures are integers (int64: a 亩均数据 column has at most 18 digits) over
one scale per figure, as in the rule. Each shown number is a rounding of an exact rational
(the value to 2 decimals, the ratio to the benchmark to 4, the points to 2, each half up) or a
comparison with the cap; numpy computes them in floats, within a few units of 2⁻⁵³ (relative) of
the exact quotient, and every point whose float falls within ``TOL`` (relative, 2⁻⁴⁰: 8,000 times
that error) of a rounding boundary or of the cap is handed to the rule's own loop
(``rule._points``), which decides it on integers — at 60,000 enterprises a few dozen points of
360,000. The value's float is the float of the exact quotient: numerator and denominator, their
power of ten cancelled, are below 2⁵³ and so exact in float64, and one IEEE division of exact
operands is correctly rounded (what Python's int ÷ int gives); other points go to the rule too.
The points' floats only order the items (as in the rule: float totals, then every run of totals
within ``rule.NEAR`` ordered again on the exact values), so a last-bit difference changes nothing.

What costs remains is the answer itself: 360,000 basis strings (f-strings over integers numpy
computed, ≈ 0.25 s) and the items.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from . import rule

TOL = 2.0**-40  # relative: a float this close to a rounding boundary or to the cap is decided exactly
EXACT = 2**53  # integers up to this are exact in float64
_RATIO = np.array([f"{i // 10_000}.{i % 10_000:04d}" for i in range(60_000)], dtype=object)
_HUNDREDTHS = np.array([f"{i // 100}.{i % 100:02d}" for i in range(20_000)], dtype=object)


@dataclass(frozen=True)
class Table:
    """An area's enterprises with a row for the year, as columns (index i: the i-th row): credit
    codes, names, each figure as int64 integers over its scale (value_i = ints[i] ÷ scale) and each
    row's projects. Rows with 用地面积 0 may be in it: they are not evaluated."""

    uscc: Sequence[str]
    name: Sequence[str]
    figures: Mapping[str, tuple[np.ndarray, int]]
    projects: Sequence[tuple[rule.ProjectFacts, ...]]

    @classmethod
    def of(cls, facts: Sequence[rule.Facts]) -> Table:
        """The same enterprises as ``rule.evaluate_area`` takes them (those with figures)."""
        rows = [f for f in facts if f.figures is not None]
        names = sorted(rows[0].figures) if rows else ["land"]
        columns = rule._columns(rows, names)
        return cls(
            uscc=[f.uscc for f in rows],
            name=[f.name for f in rows],
            figures={k: (np.array(ints, dtype=np.int64), scale) for k, (ints, scale) in columns.items()},
            projects=[f.projects for f in rows],
        )


def evaluate_area(year: int, area: str, table: Table, scheme: rule.Scheme) -> rule.AreaResult:
    """``rule.evaluate_area`` over ``table``: the same result (items in rank order, their columns)."""
    land = table.figures["land"][0]
    keep = np.flatnonzero(land > 0)
    n = len(keep)
    everyone = n == len(land)

    def figure(name: str) -> tuple[np.ndarray, int]:
        ints, scale = table.figures[name]
        return (ints if everyone else ints[keep]), scale

    def rows(values: Sequence) -> list:
        return list(values) if everyone else [values[i] for i in keep.tolist()]

    if not n:
        benchmarks = {ind.id: None for ind in scheme.indicators}
        sizes = rule.class_sizes(0, scheme.classes)
        return rule.AreaResult(area=area, year=year, evaluated=0, benchmarks=benchmarks, class_sizes=sizes)
    usccs, names, projects = rows(table.uscc), rows(table.name), rows(table.projects)
    cap = Fraction(scheme.cap)
    cite = f"（{scheme.clause}{'，示例' if scheme.example else ''}）"
    benchmarks: dict[str, Fraction | None] = {}
    columns: list[rule.Column] = []
    pfs, vfs = [], []
    for ind in scheme.indicators:
        (a, la), (b, lb) = figure(ind.numerator), figure(ind.denominator)
        sa, sb = sum(a.tolist()), sum(b.tolist())  # exact (a numpy sum could wrap around)
        benchmarks[ind.id] = Fraction(sa * lb, sb * la) if sb else None
        c, pf, vf = _column(ind, a, la, b, lb, sa, sb, benchmarks[ind.id], cap, n, cite)
        columns.append(c)
        pfs.append(pf)
        vfs.append(vf)
    tie_k = next(k for k, ind in enumerate(scheme.indicators) if ind.id == scheme.tie_break)
    items = _items(year, area, scheme, cite, columns, pfs, vfs, tie_k, usccs, names, projects)
    sizes = rule.class_sizes(n, scheme.classes)
    classes = [k for k in rule.CLASSES for _ in range(sizes[k])]
    for rank, item, klass in zip(range(1, n + 1), items, classes, strict=True):
        item.rank, item.klass = rank, klass
    return rule.AreaResult(
        area=area, year=year, evaluated=n, benchmarks=benchmarks, class_sizes=sizes, items=items
    )


def column(ind, a, la, b, lb, sa, sb, benchmark, cap, n, cite) -> rule.Column:
    """``rule._points`` for numpy columns ``a`` and ``b`` (int64): the same ``Column``."""
    return _column(ind, a, la, b, lb, sa, sb, benchmark, cap, n, cite)[0]


def _floor_near(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """⌊t⌋ and where the float t (≥ 0) lies within ``TOL`` of an integer: there ⌊t⌋ may not be the
    floor of the exact value, which the rule then decides (a large t is always near)."""
    f = np.floor(t)
    tol = TOL * np.maximum(t, 1.0)
    return f, (t - f <= tol) | (f + 1.0 - t <= tol)


def _column(ind, a, la, b, lb, sa, sb, benchmark, cap, n, cite):
    """The column of indicator ``ind`` (see ``rule._points``), the points' floats and the values'
    floats (NaN for a zero denominator) as arrays."""
    t = rule.texts(ind, benchmark, cap, n, cite)
    weight = Fraction(ind.weight)
    wn, wd, cn, cd = weight.numerator, weight.denominator, cap.numerator, cap.denominator
    m = len(a)
    x, y = a.astype(np.float64), b.astype(np.float64)
    den0 = b == 0
    y = np.where(den0, 1.0, y)  # no division by zero; those points are set apart below
    # the value (a ÷ la) ÷ (b ÷ lb) = (a · kn) ÷ (b · kd): the power of ten cancelled
    g = math.gcd(la, lb)
    kn, kd = lb // g, la // g
    slow = ~den0 & ((a > EXACT // kn) | (b > EXACT // kd))
    vf = (x * kn) / (y * kd)
    v, near = _floor_near(vf * (10_000 if t.percent else 100) + 0.5)  # hundredths (of a percent)
    slow |= near & ~den0
    pf = np.zeros(m)
    shown = np.zeros(m, dtype=np.int64)
    capped = np.zeros(m, dtype=bool)
    if sa:
        rho = float(Fraction(sb, sa))
        rf = x / y * rho  # the ratio to the benchmark, (a · Σb) ÷ (b · Σa)
        r, near = _floor_near(rf * 10_000 + 0.5)  # in 10⁻⁴
        slow |= near & ~den0
        capf = float(cap)
        slow |= (np.abs(rf - capf) <= TOL * np.maximum(rf, capf)) & ~den0
        capped = (rf > capf) & ~den0
        p, near = _floor_near(rf * float(weight * 100) + 0.5)  # the points in hundredths
        slow |= near & ~den0 & ~capped
        shown = np.where(capped, t.cap_hundredths, np.where(slow | den0, 0, p)).astype(np.int64)
        pf = np.where(capped, (wn * cn) / (wd * cd), rf * float(weight))
        r = np.where(slow | den0, 0, r).astype(np.int64)
    v = np.where(slow | den0, 0, v).astype(np.int64)
    cap_float = (wn * cn) / (wd * cd)
    to_cap = den0 & (a > 0)
    shown = np.where(to_cap, t.cap_hundredths, np.where(den0, 0, shown))
    pf = np.where(to_cap, cap_float, np.where(den0, 0.0, pf))
    basis = np.empty(m, dtype=object)
    basis[to_cap] = t.to_cap
    basis[den0 & ~to_cap] = t.to_zero
    fast = ~den0 & ~slow
    _bases(basis, t, fast & capped, v, r if sa else None, None, t.capped_end)
    if sa:
        _bases(basis, t, fast & ~capped, v, r, shown, None)
    else:  # benchmark 0: everyone has 0 (see rule._points)
        _bases(basis, t, fast, v, None, None, t.nothing)
    a_list, b_list = a.tolist(), b.tolist()
    out = rule.Column(
        ind.name,
        ind.id,
        benchmark,
        None if benchmark is None else float(benchmark),
        a_list,
        la,
        b_list,
        lb,
        sa,
        sb,
        wn,
        wd,
        cn,
        cd,
    )
    values = vf.tolist()
    for i in np.flatnonzero(den0).tolist():
        values[i] = None
    vf = np.where(den0, np.nan, vf)
    out.basis, out.vf, out.shown, out.pf = basis.tolist(), values, shown.tolist(), pf.tolist()
    hard = np.flatnonzero(slow).tolist()
    if hard:  # decided on integers by the reference loop
        ref = rule._points(
            ind, [a_list[i] for i in hard], la, [b_list[i] for i in hard], lb, sa, sb, benchmark, cap, n, cite
        )
        for j, i in enumerate(hard):
            out.basis[i], out.vf[i], out.shown[i], out.pf[i] = (
                ref.basis[j],
                ref.vf[j],
                ref.shown[j],
                ref.pf[j],
            )
            vf[i], pf[i] = ref.vf[j], ref.pf[j]
    return out, pf, vf


def _texts(table: np.ndarray, n: np.ndarray, unit: int, places: int) -> list[str]:
    """Integers of 10^-places units as texts (``table`` holds the small ones)."""
    out = table[np.minimum(n, len(table) - 1)].tolist()
    for i in np.flatnonzero(n >= len(table)).tolist():
        w, c = divmod(int(n[i]), unit)
        out[i] = f"{w}.{c:0{places}d}"
    return out


_PLAIN = np.array([str(i) for i in range(1000)], dtype=object)
_GROUP = np.array([f",{i:03d}" for i in range(1000)], dtype=object)
_CENTS = np.array([f".{i:02d}" for i in range(100)], dtype=object)


def _values(v: np.ndarray) -> list[str]:
    """Hundredths as texts with thousands separators (``f"{w:,}.{c:02d}"``), a group of three digits
    at a time through tables: the sums of object arrays join the strings without a Python loop."""
    whole, cents = np.divmod(v, 100)
    out = np.empty(len(v), dtype=object)
    low, mid, high = whole < 1000, (whole >= 1000) & (whole < 1_000_000), whole >= 1_000_000
    w = whole[low]
    out[low] = _PLAIN[w] + _CENTS[cents[low]]
    w = whole[mid]
    out[mid] = _PLAIN[w // 1000] + _GROUP[w % 1000] + _CENTS[cents[mid]]
    for i in np.flatnonzero(high).tolist():
        out[i] = f"{int(whole[i]):,}.{int(cents[i]):02d}"
    return out.tolist()


def _bases(basis, t: rule.Texts, where, v, r, shown, end) -> None:
    """The bases of the points ``where``: value, then ``end`` (benchmark 0 or the cap) or ratio and
    points."""
    idx = np.flatnonzero(where)
    if not len(idx):
        return
    values, head = _values(v[idx]), t.head
    if r is None:  # benchmark 0
        texts = [f"{head}{x}{end}" for x in values]
    else:
        ratios = _texts(_RATIO, r[idx], 10_000, 4)
        mid = t.mid
        if shown is None:  # capped
            texts = [f"{head}{x}{mid}{q}{end}" for x, q in zip(values, ratios, strict=True)]
        else:
            points = _texts(_HUNDREDTHS, shown[idx], 100, 2)
            tail, cite = t.tail, t.cite
            texts = [
                f"{head}{x}{mid}{q}{tail}{q} = {p}{cite}"
                for x, q, p in zip(values, ratios, points, strict=True)
            ]
    basis[idx] = np.array(texts, dtype=object)


def _items(year, area, scheme, cite, columns, pfs, vfs, tie_k, usccs, names, projects) -> list[rule.Item]:
    """The items in rank order (rank and class still to set): ``rule.Item``s with what
    ``Item.__init__`` computes, computed a column at a time."""
    n = len(usccs)
    bonus_rule = rule._bonus_rule(year, scheme.bonus)
    none_basis = rule._bonus(year, [], scheme.bonus, cite, bonus_rule)[1]
    bonuses: list[Fraction] = [rule.ZERO] * n
    codes: list[list[str]] = [[] for _ in range(n)]
    bases = [none_basis] * n
    bonus_float = np.zeros(n)
    for i, ps in enumerate(projects):
        if ps:
            found = rule.qualifying_projects(year, ps, scheme.bonus)
            if found:
                codes[i] = found
                bonuses[i], bases[i] = rule._bonus(year, found, scheme.bonus, cite, bonus_rule)
                bonus_float[i] = float(bonuses[i])
    score = np.zeros(n)
    for pf in pfs:  # in indicator order, like rule.evaluate_area's sum
        score = score + pf
    approx = score + bonus_float
    score_shown, score_ok = _hundredths(score)
    total_shown, total_ok = _hundredths(approx)
    tie = columns[tie_k]
    tb, ta = np.array(tie.b, dtype=np.int64), np.array(tie.a, dtype=np.int64)
    tie_flag = ((tb == 0) & (ta > 0)).astype(np.int64)
    tie_value = np.where(tb == 0, 0.0, vfs[tie_k])
    new = object.__new__
    items = []
    append = items.append
    for i, (uscc, name, bonus, bonus_projects, bonus_basis, ap, ss, ts, tf, tv) in enumerate(
        zip(
            usccs,
            names,
            bonuses,
            codes,
            bases,
            approx.tolist(),
            score_shown.tolist(),
            total_shown.tolist(),
            tie_flag.tolist(),
            tie_value.tolist(),
            strict=True,
        )
    ):
        item = new(rule.Item)
        item.uscc, item.name, item.area, item.columns, item.index = uscc, name, area, columns, i
        item.bonus, item.bonus_projects, item.bonus_basis = bonus, bonus_projects, bonus_basis
        item.bonus_shown = rule._half_up(bonus.numerator, bonus.denominator, 2) if bonus else 0
        item.tie_k, item.tie_approx = tie_k, (tf, tv)
        item.rank, item.klass, item._points, item._total = 0, "", None, None
        item.approx, item.score_shown, item.total_shown = ap, ss, ts
        append(item)
    for i in np.flatnonzero(~score_ok).tolist():  # near a half hundredth: the exact sum decides
        items[i].score_shown = rule._exact_hundredths(items[i].score)
    for i in np.flatnonzero(~total_ok).tolist():
        items[i].total_shown = rule._exact_hundredths(items[i].total)
    # rule._ordered: the floats order, every run of totals within NEAR is ordered on exact values
    order = np.lexsort((np.array(usccs), -tie_value, -tie_flag, -approx)).tolist()
    out = [items[i] for i in order]
    if n > 1:
        s = approx[order]
        joined = np.flatnonzero(s[:-1] - s[1:] <= rule.NEAR * np.maximum(1.0, np.abs(s[1:])))
        if len(joined):
            new_run = np.diff(joined) > 1
            starts = joined[np.r_[True, new_run]].tolist()
            ends = (joined[np.r_[new_run, True]] + 2).tolist()
            for start, end in zip(starts, ends, strict=True):
                out[start:end] = sorted(out[start:end], key=rule._exact_key)
    return out


def _hundredths(approx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``Item.__init__``'s rounding of a float total to hundredths, half up, and where it holds
    (elsewhere the float is within ``rule.NEAR`` of a half hundredth: the exact total decides)."""
    x = approx * 100 + 0.5
    f = np.floor(x)
    near = np.where(x > 1.0, rule.NEAR * x, rule.NEAR)
    ok = (x - f > near) & (f + 1 - x > near)
    return np.where(ok, f, 0).astype(np.int64), ok
