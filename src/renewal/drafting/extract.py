"""Draft a plan file from the text of a policy document. Pure: plain text in, plain data out.

The words the drafter understands are data (``data/rules.yaml``); this module walks the text:

1. lines → paragraphs, split at the document's headings (一、 （一） 1.), spaces removed, every
   character keeping its offset in the original text (``position``);
2. the cover letter: document number, title, issuer, date, and the addressee line (areas);
3. every number with a unit (1100亿元, 一万台, 55%) → a target or a policy parameter, with its
   comparator, period, baseline and kind; "分别" lists become one target per name;
4. （责任单位：…） → lead units of the item; "以下均需…落实，不再列出" → areas of every later item.

Every drafted item carries ``source_text``, ``position`` and ``confidence`` and ``notes`` saying
what was assumed. Nothing here is specific to one city.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import cn2an
import yaml

RULES_FILE = Path(__file__).parent / "data" / "rules.yaml"
PUNCT = "，,；;。！？!?：:"
OPEN, CLOSE = "（(〔【[《“", "）)〕】]》”"


@cache
def rules() -> dict:
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- text with positions


@dataclass
class Para:
    """A paragraph of normalised text; ``offsets[i]`` is the original offset of ``text[i]``."""

    text: str
    offsets: list[int]
    level: int = 0  # 1 一、 2 （一） 3 1.  0 body text
    marker: str = ""
    closed: bool = False
    index: int = 0


@dataclass
class Doc:
    raw: str
    paras: list[Para]
    header: list[Para]  # physical lines before the first level-1 heading
    line_starts: list[int] = field(default_factory=list)

    def position(self, para: Para, start: int, end: int) -> dict:
        offset = para.offsets[start] if para.offsets else 0
        return {
            "paragraph": para.index,
            "line": bisect.bisect_right(self.line_starts, offset),
            "offset": offset,
            "length": (para.offsets[end - 1] + 1 - offset) if end > start else 0,
        }


def _squeeze(line: str, base: int) -> tuple[str, list[int]]:
    """Drop whitespace (PDF and line-wrap artefacts) except between two ASCII letters/digits."""
    text, offs = [], []
    for i, ch in enumerate(line):
        if ch.isspace():
            prev = text[-1] if text else ""
            nxt = next((c for c in line[i + 1 :] if not c.isspace()), "")
            if prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum() and prev != " ":
                text.append(" ")
                offs.append(base + i)
            continue
        text.append(ch)
        offs.append(base + i)
    return "".join(text), offs


def _heading(text: str) -> tuple[int, str]:
    for h in rules()["headings"]:
        m = re.match(h["pattern"], text)
        if m:
            return h["level"], m.group(0)
    return 0, ""


def _responsibility_closed(text: str) -> bool:
    markers = "|".join(rules()["responsibility"]["markers"])
    return bool(re.search(rf"[（(](?:{markers})[:：][^（(]*(?:[（(〔][^）)〕]*[）)〕][^（(]*)*[）)]$", text))


def parse(raw: str) -> Doc:
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    line_starts, pos = [], 0
    for line in raw.split("\n"):
        line_starts.append(pos)
        pos += len(line) + 1
    header: list[Para] = []
    paras: list[Para] = []
    in_body = False
    for base, line in zip(line_starts, raw.split("\n"), strict=True):
        text, offs = _squeeze(line, base)
        if not text:
            continue
        level, marker = _heading(text)
        if level == 1:
            in_body = True
        if not in_body:
            header.append(Para(text, offs))
            continue
        current = paras[-1] if paras else None
        if level or current is None or current.closed:
            paras.append(Para(text, offs, level, marker, closed=level in (1, 2)))
        else:
            current.text += text
            current.offsets += offs
        if _responsibility_closed(paras[-1].text):
            paras[-1].closed = True
    if not paras and header:  # no headings at all: the whole text is body
        paras = [Para(p.text, p.offsets) for p in header]
        header = []
    for i, p in enumerate(paras):
        p.index = i
    return Doc(raw, paras, header, line_starts)


# ---------------------------------------------------------------- numbers


@cache
def _quantity_re() -> re.Pattern:
    r = rules()
    units = sorted(r["units"], key=len, reverse=True)
    mags = sorted(r["magnitudes"], key=len, reverse=True)
    cn = r["chinese_numerals"]
    number = rf"(?P<num>[0-9０-９]+(?:[.．][0-9０-９]+)?|[{cn}]+)"
    return re.compile(
        rf"(?<![0-9A-Za-z.．]){number}(?P<mag>{'|'.join(map(re.escape, mags))})?"
        rf"(?P<unit>{'|'.join(map(re.escape, units))})"
    )


def _to_decimal(num: str) -> Decimal | None:
    num = num.translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    if re.fullmatch(r"[0-9.]+", num):
        return Decimal(num)
    try:
        return Decimal(str(cn2an.cn2an(num, "smart")))
    except (ValueError, KeyError):
        return None


@dataclass
class Quantity:
    start: int
    end: int  # end of number+unit (comparator words outside)
    value: Decimal  # in base units
    unit: str
    text: str
    chinese: bool
    before: str = ""  # comparator word before the number
    after: str = ""  # comparator word after
    comparator: str = ""
    clause: int = 0


def find_quantities(text: str) -> list[Quantity]:
    r = rules()
    out = []
    for m in _quantity_re().finditer(text):
        value = _to_decimal(m.group("num"))
        if value is None:
            continue
        chinese = not m.group("num")[0].isdigit() and m.group("num")[0] not in "０１２３４５６７８９"
        if chinese and m.group("num") in {"两", "十", "百", "千", "万", "亿"} and not m.group("mag"):
            continue  # 两个, 十个 in prose
        mag = m.group("mag")
        if mag:
            value *= Decimal(r["magnitudes"][mag])
        unit = r["units"][m.group("unit")]
        value *= Decimal(str(unit["factor"]))
        out.append(Quantity(m.start(), m.end(), value.normalize(), unit["unit"], m.group(0), chinese))
    return out


# ---------------------------------------------------------------- periods


@dataclass
class PeriodMark:
    pos: int
    kind: str  # by, range, single, each, cum
    years: tuple[int, ...] = ()


def period_marks(text: str) -> list[PeriodMark]:
    p = rules()["periods"]
    marks: list[PeriodMark] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for kind, pattern in (("range", p["range"]), ("by", p["by_year"]), ("base", p["baseline"])):
        for m in re.finditer(pattern, text):
            if free(m.start(), m.end()):
                taken.append((m.start(), m.end()))
                if kind != "base":
                    marks.append(PeriodMark(m.start(), kind, tuple(int(g) for g in m.groups())))
    for m in re.finditer(p["single_year"], text):
        if free(m.start(), m.end()) and not re.match(r"\d{1,2}月", text[m.end() : m.end() + 3]):
            marks.append(PeriodMark(m.start(), "single", (int(m.group(1)),)))
    for kind, words in (("each", p["each_year"]), ("cum", p["cumulative"])):
        for w in words:
            marks.extend(PeriodMark(m.start(), kind) for m in re.finditer(re.escape(w), text))
    return sorted(marks, key=lambda m: m.pos)


# ---------------------------------------------------------------- the draft


@dataclass
class Context:
    start_year: int
    end_year: int
    issued_on: str
    single_years: list[int]


def _clauses(text: str) -> list[tuple[int, int]]:
    spans, start, depth = [], 0, 0
    for i, ch in enumerate(text):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif ch in PUNCT and depth == 0:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _split_top(text: str, seps: str) -> list[str]:
    parts, cur, depth = [], "", 0
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def _comparators(text: str, q: Quantity, clause_start: int) -> None:
    c = rules()["comparators"]
    tail = text[q.end : q.end + 3]
    for w in sorted(c["after"], key=len, reverse=True):
        if tail.startswith(w):
            q.after = w
            break
    window = text[max(clause_start, q.start - 6) : q.start]
    best = None
    for w in c["before"]:
        i = window.rfind(w)
        if i >= 0 and len(window) - (i + len(w)) <= 2:
            end = i + len(w)
            if best is None or end > best[1] or (end == best[1] and len(w) > len(best[0])):
                best = (w, end)
    q.before = best[0] if best else ""
    weak = {"达到", "达"}
    if q.before and q.before not in weak:
        q.comparator = c["before"][q.before]
    elif q.after:
        q.comparator = c["after"][q.after]
    elif q.before:
        q.comparator = c["before"][q.before]
    else:
        q.comparator = ""


def _trim_name(name: str) -> str:
    r = rules()
    p = r["periods"]
    name = re.sub(p["by_year"], "", name)
    name = re.sub(p["range"], "", name)
    name = re.sub(p["single_year"], "", name)
    name = name.strip(PUNCT + "、 ")
    changed = True
    while changed and name:
        changed = False
        for w in sorted(r["name_fillers"], key=len, reverse=True):
            if name.startswith(w) and len(name) > len(w):
                name, changed = name[len(w) :], True
        for w in sorted(r["name_trailing"], key=len, reverse=True):
            if name.endswith(w) and len(name) > len(w):
                name, changed = name[: -len(w)], True
        for w in r["comparators"]["before"]:
            if name.endswith(w) and len(name) > len(w):
                name, changed = name[: -len(w)], True
    return name.strip(PUNCT + "、 ")


def _kind(prefix: str, unit: str) -> str:
    """amount, count, level, or for ratios the nearest kind word before the number."""
    if unit in ("CNY/mu", "CNY/person-year"):
        return "level"
    if unit in ("count", "set"):
        return "count"
    if unit != "ratio":
        return "amount"
    words = rules()["kinds"]
    ends = {
        kind: max((prefix.rfind(w) + len(w) for w in words[kind] if w in prefix), default=-1)
        for kind in ("average_growth", "growth", "share")
    }
    if ends["average_growth"] >= 0 and ends["average_growth"] >= ends["growth"]:
        return "average_growth"
    kind, end = max(((k, e) for k, e in ends.items() if k != "average_growth"), key=lambda x: x[1])
    return kind if end >= 0 else "level"


def first_year(period: dict) -> int:
    value = next(iter(period.values()))
    return value if isinstance(value, int) else int(str(value)[:4])


def _period(marks: list[PeriodMark], pos: int, kind: str, clause: tuple[int, int], ctx: Context, text: str):
    """The period of a number at ``pos``: the period words before it in the paragraph."""
    anchor: PeriodMark | None = None
    mode: PeriodMark | None = None
    for m in marks:
        if m.pos >= pos:
            break
        if m.kind in ("by", "range", "single"):
            anchor, mode = m, None
        else:
            mode = m
    notes: list[str] = []
    level = kind in ("share", "level")
    if mode and mode.kind == "each" and level and not (clause[0] <= mode.pos < clause[1]):
        mode = None  # 每年 in an earlier clause does not make a ratio a yearly one (到2027年…每年…占比55%)
    start, end = ctx.start_year, ctx.end_year
    if anchor and anchor.kind == "range":
        start, end = anchor.years
    elif anchor and anchor.kind == "by":
        end = anchor.years[0]
        earlier = [y for y in ctx.single_years if y < end]
        if mode and mode.kind == "each" and earlier:
            start = max(earlier) + 1  # 2024年 has its own goal; 到2027年每年 means 2025–2027
    elif anchor:
        start = end = anchor.years[0]
    if kind == "average_growth":
        return {
            "each_year": f"{ctx.start_year if not anchor or anchor.kind != 'range' else start}-{end}"
        }, notes
    if mode and mode.kind == "each":
        return ({"year": start} if start == end else {"each_year": f"{start}-{end}"}), notes
    if mode and mode.kind == "cum":
        return {"cumulative": f"{start}-01..{end}-12"}, notes
    if anchor and anchor.kind == "single":
        return {"year": start}, notes
    if anchor and anchor.kind == "by":
        if kind != "count":  # 到2027年，增加值突破1800亿元: the level reached in that year
            return {"by": end}, notes
        return {"cumulative": f"{start}-01..{end}-12"}, notes
    if anchor and anchor.kind == "range":
        return ({"by": end} if level else {"cumulative": f"{start}-01..{end}-12"}), notes
    if level:
        notes.append(f"期间未写明：按方案期末 {end} 年")
        return {"by": end}, notes
    return None, notes


def _display(text: str, q: Quantity) -> str:
    b = len(q.before) if q.before and text[: q.start].rstrip().endswith(q.before) else 0
    return text[q.start - b : q.end + len(q.after)]


@dataclass
class Found:
    """A number found in a paragraph, classified."""

    q: Quantity
    role: str  # target | parameter | qualifier
    name: str
    kind: str
    period: dict | None
    baseline: dict | None
    notes: list[str]
    confidence: float
    clause_text: str
    param_kind: str = ""


def analyse(text: str, ctx: Context) -> list[Found]:
    """Every number of one paragraph, as targets, parameters or qualifiers, in order."""
    r = rules()
    clauses = _clauses(text)
    qs = find_quantities(text)
    marks = period_marks(text)
    for q in qs:
        q.clause = next(i for i, (a, b) in enumerate(clauses) if a <= q.start < b)
        _comparators(text, q, clauses[q.clause][0])
    found: list[Found] = []
    respectively: dict[int, list[str]] = {}
    for ci, (a, b) in enumerate(clauses):
        ctext = text[a:b]
        if "分别" in ctext:
            in_list = [q for q in qs if q.clause == ci and q.start > a + ctext.index("分别")]
            if len(in_list) >= 2:
                names = _split_top(_trim_name(ctext[: ctext.index("分别")]), "、")
                first, last = in_list[0], in_list[-1]
                for q in in_list:
                    q.before, q.after = first.before, last.after
                    q.comparator = first.comparator or (r["comparators"]["after"].get(last.after, ""))
                respectively[ci] = names if len(names) == len(in_list) else []
    for q in qs:
        a, b = clauses[q.clause]
        ctext = text[a:b]
        notes: list[str] = []
        confidence = 0.9
        later_in_clause = any(o.clause == q.clause and o.start > q.start for o in qs)
        nxt = text[q.end + len(q.after) : q.end + len(q.after) + 1]
        window = text[
            max(a, q.start - r["parameters"]["window"]) : q.end + len(q.after) + r["parameters"]["window"]
        ]
        rate_word = next((w for w in r["parameters"]["rate_words"] if w in window), None)
        comparator = q.comparator
        if rate_word or (comparator in ("<=", "<") and q.unit in r["parameters"]["upper_bound_units"]):
            kind = (
                "rate"
                if q.unit == "ratio"
                else ("cap" if "最高" in q.before or "上限" in window else "limit")
            )
            found.append(
                Found(q, "parameter", _trim_name(text[a : q.start]), "", None, None, notes, 0.8, ctext, kind)
            )
            continue
        if later_in_clause and nxt and nxt not in PUNCT + "、":
            found.append(Found(q, "qualifier", "", "", None, None, [], 0.0, ctext))
            continue  # 总投资10亿元以上项目达到10个以上: the first number says which projects
        if not comparator:
            if q.chinese:
                continue  # a Chinese numeral with no comparator is prose (一个中心、两个基本点)
            comparator = r["comparators"]["default"]
            notes.append("未见比较词，按“不低于”处理")
            confidence -= 0.15
        q.comparator = comparator
        prefix = text[a : q.start]
        if q.clause in respectively and respectively[q.clause]:
            group = [o for o in qs if o.clause == q.clause and o.start > a + ctext.index("分别")]
            name = respectively[q.clause][group.index(q)]
            prefix = ctext[: ctext.index("分别")]
        elif q.clause in respectively:
            name = _trim_name(ctext[: ctext.index("分别")])
            notes.append("“分别”前后的项数不一致，请核对名称")
            confidence -= 0.3
        else:
            name = _trim_name(prefix)
        if len(name) <= 2 and q.clause > 0:
            pa, pb = clauses[q.clause - 1]
            name = _trim_name(text[pa:pb]) + name
            confidence -= 0.1
        kind = _kind(prefix, q.unit)
        period, pnotes = _period(marks, q.start, kind, (a, b), ctx, text)
        notes += pnotes
        if period is None:
            money_annual = q.unit == "CNY" and any(w in ctext for w in r["periods"]["annual_words"])
            if money_annual:
                period = {"each_year": f"{ctx.start_year}-{ctx.end_year}"}
                notes.append("期间未写明：资金按年度预算，按方案期内每年")
            else:
                period = {"cumulative": f"{ctx.start_year}-01..{ctx.end_year}-12"}
                notes.append("期间未写明：按方案期累计")
            confidence -= 0.15
        if pnotes:
            confidence -= 0.1
        baseline = None
        if kind in ("growth", "average_growth", "share", "level"):
            m = re.search(r["periods"]["baseline"], prefix)
            year0 = first_year(period)
            if m:
                baseline = {"year": int(m.group(1))}
            elif any(w in prefix for w in r["periods"]["year_on_year"]):
                baseline = {"year": year0 - 1, "note": "同比"}
            else:
                base_year = (year0 if "year" in period else ctx.start_year) - 1
                baseline = {"year": base_year, "note": "文中未写明基期，按上年"}
        found.append(Found(q, "target", name, kind, period, baseline, notes, round(confidence, 2), ctext))
    # relative targets: 市本级资金不少于省级以上补助资金 (a comparator word followed by no number)
    for ci, (a, b) in enumerate(clauses):
        ctext = text[a:b]
        if any(q.clause == ci for q in qs):
            continue
        for w in r["comparators"]["relative"]:
            i = ctext.find(w)
            if i > 0 and not re.search(r"\d", ctext[i:]):
                obj = ctext[i + len(w) :].strip(PUNCT)
                earlier = [f for f in found if f.role == "target" and f.q.start < a]
                ref = max(earlier, key=lambda f: _common(f.name, obj), default=None)
                if ref is None or _common(ref.name, obj) < 2:
                    break
                q = Quantity(
                    a + i,
                    a + i + len(w),
                    Decimal(0),
                    ref.q.unit,
                    w,
                    False,
                    w,
                    "",
                    r["comparators"]["before"][w],
                    ci,
                )
                f = Found(
                    q,
                    "relative",
                    _trim_name(ctext[:i]),
                    "relative",
                    ref.period,
                    None,
                    [f"与“{ref.name}”比较（无具体数值）"],
                    0.6,
                    ctext,
                )
                f.param_kind = obj
                found.append(f)
                found[-1].relative_to = ref  # type: ignore[attr-defined]
                break
    return sorted(found, key=lambda f: f.q.start)


def _common(a: str, b: str) -> int:
    """Length of the longest common substring (to pair 省级以上补助资金 with its target)."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best
