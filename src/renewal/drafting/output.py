"""A draft as YAML (the plan file to review), as JSON (the shape of `renewal plan show --json`), and
as a plan file once reviewed (draft-only fields and rejected items removed). Pure: no ORM."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from renewal.planning import schema

from .build import DRAFT_KEYS, draft_text
from .reader import read_bytes, read_document

SECTIONS = ("areas", "units", "clauses", "targets", "parameters")
YAML_HEAD = (
    "# 方案草稿（renewal plan draft 自动生成）：每一项附 source_text（原文）、position（位置）、\n"
    "# confidence（置信度）与 notes（推定说明）。须经人工逐项核对、填写区划代码与数据来源后，\n"
    "# 在审核页校验并确认载入；rejected: true 的项不会载入。\n"
)


def draft_file(path: str | Path) -> dict:
    path = Path(path)
    return draft_text(read_document(path), source=path.name)


def draft_upload(name: str, data: bytes) -> tuple[dict, str]:
    """(draft, the document's text) of an uploaded file."""
    text = read_bytes(name, data)
    return draft_text(text, source=Path(name).name), text


def draft_to_yaml(draft: dict) -> str:
    return YAML_HEAD + yaml.safe_dump(draft, allow_unicode=True, sort_keys=False, width=200)


def plan_data(draft: dict) -> dict:
    """The plan-file mapping of a reviewed draft: draft fields and rejected items removed."""
    data = {k: copy.deepcopy(v) for k, v in draft.items() if k != "draft"}
    for section in SECTIONS:
        kept = []
        for item in data.get(section, []):
            if item.get("rejected"):
                continue
            for key in DRAFT_KEYS:
                item.pop(key, None)
            if section == "parameters":
                item.pop("comparator", None)
            if section == "targets" and item.get("kind") != "relative":
                item.pop("relative_to", None)
            kept.append(item)
        data[section] = kept
    return data


def plan_from_draft(draft: dict, file: str = "草稿") -> schema.Plan:
    """Validate a reviewed draft against the plan schema (raises ``schema.PlanError``)."""
    return schema.parse_plan(plan_data(draft), file)


def _period(period: dict | None) -> dict | None:
    if not period:
        return None
    try:
        return schema.Period(**period).as_dict()
    except ValueError:
        return dict(period)


def draft_as_json(draft: dict) -> dict:
    """The draft in the shape of `renewal plan show --json`, with the draft fields on every item."""
    extra = {k: None for k in DRAFT_KEYS if k != "rejected"}
    targets = [
        {
            "id": t["id"],
            "clause": t["clause"],
            "name": t["name"],
            "kind": t["kind"],
            "comparator": schema.COMPARATOR_LABELS.get(t["comparator"], t["comparator"]),
            "value": t["value"],
            "relative_to": t.get("relative_to"),
            "unit": t["unit"],
            "unit_label": schema.UNIT_LABELS.get(t["unit"], t["unit"]),
            "display": t["display"],
            "period": _period(t["period"]),
            "source": t.get("source"),
            "baseline": t.get("baseline"),
        }
        | {k: t.get(k) for k in extra}
        for t in draft["targets"]
    ]
    parameters = [
        {
            "id": p["id"],
            "clause": p["clause"],
            "description": p["description"],
            "value": p["values"][-1]["value"],
            "unit": p["unit"],
            "comparator": schema.COMPARATOR_LABELS.get(p.get("comparator", "="), "="),
            "effective_from": p["values"][-1]["effective_from"],
            "reference": p["reference"],
            "values": p["values"],
        }
        | {k: p.get(k) for k in extra}
        for p in draft["parameters"]
    ]
    names = {u["id"]: u["name"] for u in draft["units"]}
    clauses = [c | {"lead_unit_names": [names.get(u, u) for u in c["lead_units"]]} for c in draft["clauses"]]
    return {
        "plan": {
            "id": draft["id"],
            "title": draft["document"]["title"],
            "document_number": draft["document"]["number"],
            "issuer": draft["document"]["issuer"],
            "issued_on": draft["document"]["issued_on"],
            "city": draft["city"],
            "start_year": draft["start_year"],
            "end_year": draft["end_year"],
        },
        "targets": targets,
        "parameters": parameters,
        "tasks": [c for c in clauses if c["id"].startswith("T")],
        "clauses": clauses,
        "areas": draft["areas"],
        "units": draft["units"],
        "draft": draft["draft"],
    }
