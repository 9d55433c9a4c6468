"""The review page: upload a document, review the draft beside its source, validate, confirm, load."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from renewal.accounts.pages import requires
from renewal.planning import schema

from . import forms, selectors, services
from .reader import DraftError


@requires("plans.draft")  # the city office (市级管理员) only
def index(request):
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["document"]
            try:
                review = services.draft_review_create(user=request.user, name=upload.name, data=upload.read())
            except DraftError as exc:
                form.add_error("document", str(exc))
                status = 400
            else:
                return redirect("drafting:review", pk=review.pk)
        else:
            status = 400
    return render(
        request,
        "drafting/index.html",
        {"form": form, "reviews": selectors.draft_review_list()},
        status=status,
    )


def _marked_source(text: str, draft: dict) -> str:
    """The original text with every drafted number (and responsibility list) marked, linkable by id."""
    spans: dict[int, tuple[int, str]] = {}
    for kind, items in (
        ("target", draft["targets"]),
        ("param", draft["parameters"]),
        ("unit", draft["units"]),
    ):
        for item in items:
            pos = item.get("position")
            if pos and pos["offset"] not in spans:
                spans[pos["offset"]] = (pos["length"], kind)
    html, cursor = [], 0
    for offset in sorted(spans):
        length, kind = spans[offset]
        if offset < cursor:
            continue
        html.append(escape(text[cursor:offset].replace("\n\n", "\n")))
        marked = escape(text[offset : offset + length].replace("\n\n", "\n"))
        html.append(f'<mark id="m-{offset}" class="m-{kind}">{marked}</mark>')
        cursor = offset + length
    html.append(escape(text[cursor:].replace("\n\n", "\n")))
    return mark_safe("".join(html))  # every piece of document text above is escaped


@requires("plans.draft")  # the city office (市级管理员) only
def review(request, pk: int):
    item = selectors.draft_review_get(pk)
    if item is None:
        raise Http404("草稿不存在")
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action in ("save", "validate"):
                draft, errors = forms.apply_post(item.draft, request.POST)
                if not errors:
                    services.draft_review_update(review=item, user=request.user, draft=draft)
                    if action == "validate":
                        problems = services.draft_review_validate(review=item)
                        if problems:
                            messages.error(request, f"校验未通过：{len(problems)} 处问题，见页首列表")
                        else:
                            messages.success(request, "校验通过：可以确认载入")
                    else:
                        messages.success(request, "已保存修改")
                    return redirect("drafting:review", pk=item.pk)
            elif action == "confirm":
                services.draft_review_confirm(
                    review=item, user=request.user, confirmed=bool(request.POST.get("confirmed"))
                )
                messages.success(request, f"已确认并载入方案 {item.loaded_plan_id}")
                return redirect("drafting:review", pk=item.pk)
        except services.ReviewError as exc:
            errors = [str(exc)]
    draft = item.draft
    units = {u["id"]: u["name"] for u in draft["units"]}
    for t in draft["targets"]:
        t["period_text"] = forms.period_text(t.get("period"))
        t["source_code"] = forms.source_text(t.get("source"))
    for c in draft["clauses"]:
        c["lead_text"] = "、".join(c["lead_units"])
        c["lead_names"] = "、".join(units.get(u, u) for u in c["lead_units"])
    return render(
        request,
        "drafting/review.html",
        {
            "review": item,
            "draft": draft,
            "errors": errors,
            "source": _marked_source(item.source_text, draft),
            "history": selectors.draft_review_history(item),
            "comparators": forms.COMPARATORS,
            "units": forms.UNIT_CHOICES,
            "param_units": forms.PARAM_UNITS,
            "area_kinds": forms.AREA_KINDS,
            "unit_labels": schema.UNIT_LABELS,
        },
        status=400 if errors else 200,
    )
