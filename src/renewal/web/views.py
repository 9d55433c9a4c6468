from itertools import groupby

from django.shortcuts import render

from renewal.planning import selectors as plans
from renewal.registry import selectors as registry


def home(request):
    """The plan at a glance: every target grouped by clause, with value, period and lead units."""
    try:
        plan = plans.active_plan()
    except plans.NoPlanLoaded as exc:
        return render(request, "web/no_plan.html", {"message": str(exc)}, status=503)
    data = plans.plan_as_json(plan)
    document = plans.active_plan_document()
    for p in data["parameters"]:
        parameter = document.parameter(p["id"])
        p["value_text"] = parameter.value_text(p["value"]) if parameter else str(p["value"])
    clauses = {c["id"]: c for c in data["clauses"]}
    for t in data["targets"]:
        t["lead_unit_names"] = clauses[t["clause"]]["lead_unit_names"]
    sections = [
        {"name": name, "clauses": list(items)}
        for name, items in groupby(data["clauses"], key=lambda c: c["section"].split("（")[0])
    ]
    targets_by_clause: dict[str, list] = {}
    for t in data["targets"]:
        targets_by_clause.setdefault(t["clause"], []).append(t)
    for s in sections:
        for c in s["clauses"]:
            c["targets"] = targets_by_clause.get(c["id"], [])
    return render(
        request,
        "web/home.html",
        {
            "plan": data["plan"],
            "sections": sections,
            "targets": data["targets"],
            "parameters": data["parameters"],
            "areas": data["areas"],
            "units": data["units"],
            "counts": registry.registry_counts(),
        },
    )
