"""Assemble a draft plan (plan-file shape + source_text/position/confidence on every item). Pure."""

from __future__ import annotations

import datetime as dt
import re
import string
from decimal import Decimal

from .extract import PUNCT, Context, Doc, Para, _split_top, analyse, parse, period_marks, rules

DRAFT_KEYS = ("source_text", "position", "confidence", "notes", "rejected")


def number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# ---------------------------------------------------------------- cover letter


def _header(doc: Doc) -> dict:
    lines = doc.header
    out: dict = {"number": "", "title": "", "issuer": "", "issued_on": "", "addressee": None}
    for p in lines:
        m = re.search(r"\S+?[〔\[(（]\d{4}[〕\])）]\d+号", p.text)
        if m and not out["number"]:
            out["number"] = m.group(0)
    whole = "".join(p.text for p in lines)
    titles = re.findall(r"《([^《》]+?(?:方案|计划|意见|措施|办法|规划))》", whole)
    if titles:
        after = re.search(r"(?:制定了?|印发)《([^《》]+)》", whole)
        out["title"] = after.group(1) if after else titles[-1]
    words = rules()["addressee"]["words"]
    for i, p in enumerate(lines[:8]):
        if out["number"] and out["number"] in p.text:
            continue
        joined, group = p.text, [p]
        j = i
        while not joined.endswith(("：", ":")) and j + 1 < len(lines) and j - i < 3:
            j += 1
            joined += lines[j].text
            group.append(lines[j])
        if joined.endswith(("：", ":")) and any(w in joined for w in words):
            out["addressee"] = (joined, group)
            break
    for i, p in enumerate(lines):
        m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", p.text)
        if m:
            out["issued_on"] = dt.date(*map(int, m.groups())).isoformat()
            issuer = []
            for q in reversed(lines[:i]):
                if q.text.endswith(("。", "：", ":")) or len(issuer) >= 2:
                    break
                issuer.insert(0, q.text)
            out["issuer"] = "".join(issuer)
            break
    if not out["issued_on"]:
        m = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", doc.raw.replace(" ", ""))
        if m:
            out["issued_on"] = dt.date(*map(int, m.groups())).isoformat()
    return out


def _area_kind(name: str) -> str:
    kinds = rules()["addressee"]["kinds"]
    for suffix in sorted(kinds, key=len, reverse=True):
        if name.endswith(suffix):
            return kinds[suffix]
    return "district"


def _areas(doc: Doc, header: dict, city: str) -> tuple[list[dict], list[str]]:
    r = rules()["addressee"]
    if not header["addressee"]:
        return [], ["未找到收文对象（主送）行：请在审核页补全区域"]
    text, group = header["addressee"]
    para = Para("".join(p.text for p in group), sum((p.offsets for p in group), []))
    areas, warnings = [], []
    for piece in _split_top(text.rstrip("：:"), "，,、"):
        name = piece
        for suffix in sorted(r["org_suffixes"], key=len, reverse=True):
            name = name.removesuffix(suffix)
        if not name or any(w in name for w in r["not_areas"]):
            continue
        start = text.find(piece)
        position = doc.position(para, start, start + len(piece))
        if re.match(r["collective"], name):
            warnings.append(f"收文对象“{piece}”指本市所有县（市、区）：请在审核页逐一补全并填写区划代码")
            continue
        inner = re.search(r"[（(〔]([^）)〕]+)[）)〕]$", name)
        aliases = [name] if inner else []
        display = inner.group(1) if inner else name
        short = display.removeprefix(city.removesuffix("市")) if city else display
        if len(short) >= 3 and short[-1] in "区县市" and not short.endswith(("开发区", "港区", "新区")):
            short = short[:-1]
        areas.append(
            {
                "code": "",
                "name": display,
                "short_name": short or display,
                "aliases": aliases,
                "kind": _area_kind(display),
                "source_text": text,
                "position": position,
                "confidence": 0.8,
                "notes": ["区划代码待填写（GB/T 2260；功能区用小写英文标识）"],
            }
        )
    return areas, warnings


# ---------------------------------------------------------------- responsible units


def _responsibility(text: str) -> tuple[str, list[str], list[str] | None, int]:
    """(text without the parenthesis, units, standing units or None, start of the parenthesis)."""
    r = rules()["responsibility"]
    markers = "|".join(r["markers"])
    m = re.search(rf"[（(](?:{markers})[:：](.*)[）)]$", text)
    if not m:
        return text, [], None, -1
    body = m.group(1)
    standing = None
    s = re.search(r["standing"], body)
    if s:
        standing = _split_top(s.group(1), "、，,")
        body = body[: s.start()]
    for w in r["drop"]:
        body = body.replace(w, "")
    return text[: m.start()], _split_top(body, "、，,"), standing, m.start()


def _is_area_unit(name: str) -> bool:
    return any(re.search(p, name) for p in rules()["area_units"])


def _unit_id(name: str, used: dict[str, str]) -> str:
    for word, uid in sorted(rules()["unit_ids"].items(), key=lambda kv: -len(kv[0])):
        if word in name:
            candidate, n = uid, 2
            while candidate in used.values():
                candidate, n = f"{uid}-{n}", n + 1
            return candidate
    return f"unit-{len(used) + 1}"


# ---------------------------------------------------------------- the draft


def _section_rule(title: str) -> dict:
    for s in rules()["sections"]:
        if any(w in title for w in s["words"]):
            return s
    return {"prefix": rules()["default_prefix"]}


def _context(doc: Doc, issued_on: str) -> Context:
    singles, ends = [], []
    for p in doc.paras:
        for m in period_marks(p.text):
            if m.kind == "single":
                singles.append(m.years[0])
            elif m.kind == "by":
                ends.append(m.years[0])
            elif m.kind == "range":
                singles.append(m.years[0])
                ends.append(m.years[1])
    issue_year = int(issued_on[:4]) if issued_on else None
    plausible = [y for y in singles if issue_year is None or abs(y - issue_year) <= 1]
    start = min([y for y in [issue_year, *plausible] if y], default=None) or (
        min(ends) if ends else dt.date.today().year
    )
    end = max([start, *ends])
    return Context(start, end, issued_on, sorted(set(plausible)))


def _source(name: str, clause: str, tid: str) -> tuple[dict, bool]:
    for s in rules()["sources"]:
        if any(w in name for w in s["words"]):
            return {k: v for k, v in s.items() if k != "words"}, True
    return {"statistics": tid.lower().replace(".", "_")}, False


def draft_text(raw: str, *, source: str = "") -> dict:
    """The draft plan of a document's text (plan-file shape; see module docstring)."""
    doc = parse(raw)
    header = _header(doc)
    city_match = re.match(r"^(.{2,6}?市)", header["issuer"] or header["title"])
    city = city_match.group(1) if city_match else ""
    ctx = _context(doc, header["issued_on"])
    areas, warnings = _areas(doc, header, city)
    units: dict[str, str] = {}  # name → id
    unit_items: list[dict] = []
    clauses: list[dict] = []
    targets: list[dict] = []
    parameters: list[dict] = []
    sections: list[dict] = []
    standing: list[str] | None = None
    level1 = level2 = ""
    rule = {"prefix": "G", "per_target": True}  # text before any heading: treated as goals
    seq: dict[str, int] = {}
    by_found: dict[int, dict] = {}
    used_ids: set[str] = set()

    def clause_id(prefix: str, number: str) -> str:
        n = int(number) if number.isdigit() else seq.get(prefix, 0) + 1
        while f"{prefix}{n}" in used_ids:
            n += 1
        seq[prefix] = n
        used_ids.add(f"{prefix}{n}")
        return f"{prefix}{n}"

    for para in doc.paras:
        if para.level == 1:
            level1, level2 = para.text, ""
            rule = _section_rule(para.text)
            sections.append(
                {
                    "level": 1,
                    "number": para.marker.rstrip("、"),
                    "title": para.text[len(para.marker) :],
                    "position": doc.position(para, 0, len(para.text)),
                }
            )
            continue
        if para.level == 2:
            level2 = para.text
            sections.append(
                {
                    "level": 2,
                    "number": para.marker,
                    "title": para.text[len(para.marker) :],
                    "position": doc.position(para, 0, len(para.text)),
                }
            )
            continue
        body, names, new_standing, paren = _responsibility(para.text)
        lead, has_areas = [], False
        for n in names:
            if _is_area_unit(n):
                has_areas = True
                continue
            if n not in units:
                units[n] = _unit_id(n, units)
                unit_items.append(
                    {
                        "id": units[n],
                        "name": n,
                        "source_text": para.text[paren:],
                        "position": doc.position(para, paren, len(para.text)),
                        "confidence": 0.9,
                        "notes": [] if not units[n].startswith("unit-") else ["单位标识待确认"],
                    }
                )
            lead.append(units[n])
        found = analyse(body, ctx)
        section = level1 + level2[: len(level2)] if level2 else level1
        item_clause = None
        if para.level == 3 or (not rule.get("per_target") and found):
            number_text = para.marker.rstrip(".．、") if para.level == 3 else ""
            cid = clause_id(rule["prefix"], number_text)
            title = body[len(para.marker) :].split("。")[0] if para.level == 3 else body[:20]
            item_clause = {
                "id": cid,
                "section": section,
                "number": number_text or cid[1:],
                "title": title.strip(PUNCT),
                "text": body[len(para.marker) :],
                "lead_units": lead,
                "source_text": para.text,
                "position": doc.position(para, 0, len(para.text)),
                "confidence": 0.9 if paren >= 0 else 0.6,
                "notes": [] if paren >= 0 else ["未见（责任单位：…）"],
            }
            if has_areas or standing:
                item_clause["areas"] = "all"
            if standing and not has_areas:
                item_clause["notes"].append("区域来自前文“以下均需…落实，不再列出”")
            clauses.append(item_clause)
        if new_standing:
            standing = new_standing
        per_clause: dict[str, list[dict]] = {}
        for f in found:
            if f.role == "qualifier":
                continue
            cid = item_clause["id"] if item_clause else None
            if cid is None:
                cid = clause_id(rule["prefix"], "")
                clauses.append(
                    {
                        "id": cid,
                        "section": section,
                        "number": para.marker or level1.split("、")[0],
                        "title": f.name or f.clause_text.strip(PUNCT)[:20],
                        "text": f.clause_text.strip(PUNCT),
                        "lead_units": lead,
                        "source_text": f.clause_text,
                        "position": doc.position(para, f.q.start, f.q.end),
                        "confidence": 0.8,
                        "notes": [],
                    }
                )
            position = doc.position(para, f.q.start, f.q.end)
            value = f.q.value
            if f.role == "parameter":
                pid_base = f"{cid}.{f.param_kind}"
                pid, n = pid_base, 2
                while any(p["id"] == pid for p in parameters):
                    pid, n = f"{pid_base}_{n}", n + 1
                parameters.append(
                    {
                        "id": pid,
                        "clause": cid,
                        "description": f.clause_text.strip(PUNCT),
                        "unit": f.q.unit if f.q.unit in ("CNY", "ratio", "tce", "count") else "count",
                        "reference": f"{header['number']} {level1.split('、')[0]}、{item_clause['number'] if item_clause else ''}".strip(),
                        "values": [
                            {
                                "effective_from": ctx.issued_on or f"{ctx.start_year}-01-01",
                                "value": number(value),
                            }
                        ],
                        "comparator": f.q.comparator or "=",
                        "source_text": f.clause_text,
                        "position": position,
                        "confidence": f.confidence,
                        "notes": f.notes,
                    }
                )
                continue
            target = {
                "id": "",
                "clause": cid,
                "name": f.name,
                "kind": f.kind,
                "comparator": f.q.comparator,
                "value": None if f.role == "relative" else number(value),
                "unit": f.q.unit,
                "display": f.q.text if f.role == "relative" else _display_of(body, f),
                "period": f.period,
                "source": {},
                "source_text": f.clause_text,
                "position": position,
                "confidence": f.confidence,
                "notes": list(f.notes),
            }
            if f.role == "relative":
                target["relative_to"] = f.relative_to  # resolved to an id below
                target["display"] = f"{f.q.text}{f.param_kind}"
            if f.baseline:
                target["baseline"] = f.baseline
            per_clause.setdefault(cid, []).append(target)
            targets.append(target)
            by_found[id(f)] = target
        for cid, items in per_clause.items():
            for i, t in enumerate(items):
                t["id"] = cid if len(items) == 1 else f"{cid}.{string.ascii_lowercase[i]}"
    for t in targets:
        t["source"], known = _source(t["name"], t["clause"], t["id"])
        if not known:
            t["notes"].append("数据来源为占位：请指定登记库指标或统计指标代码")
        ref = t.get("relative_to")
        if ref is not None and not isinstance(ref, str):
            t["relative_to"] = by_found[id(ref)]["id"]
    if not targets and not parameters:
        warnings.append("文中未找到带单位的数量目标或政策参数")
    year = ctx.start_year
    number_digits = re.findall(r"\d+", header["number"])
    plan = {
        "draft": {
            "source": source,
            "generated_by": "renewal plan draft",
            "warnings": warnings,
            "sections": sections,
            "standing_units": standing or [],
        },
        "id": f"plan-{year}" + (f"-{number_digits[-1]}" if number_digits else ""),
        "city": {"code": "", "name": city},
        "document": {
            "title": header["title"],
            "number": header["number"],
            "issuer": header["issuer"],
            "issued_on": header["issued_on"],
            "source": source,
        },
        "start_year": ctx.start_year,
        "end_year": ctx.end_year,
        "areas": areas,
        "units": unit_items,
        "clauses": clauses,
        "targets": targets,
        "parameters": parameters,
    }
    return plan


def _display_of(body: str, f) -> str:
    text = f"{f.q.before}{f.q.text}{f.q.after}"
    if f.kind == "average_growth":
        return f"年均增长{text}"
    if f.kind == "growth":
        return f"增长{text}"
    if f.period and "each_year" in f.period:
        return f"每年{text}"
    if f.period and "cumulative" in f.period and "累计" in f.clause_text:
        return f"累计{text}"
    return text
