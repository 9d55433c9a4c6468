from django import template

from renewal.lib import units

register = template.Library()

MAIN_PATH = ["草稿", "已申报", "区县审核通过", "已入库", "在建", "竣工", "验收通过", "已兑现"]


@register.filter
def wan(value) -> str:
    """Yuan → 万元 with two decimals (pages show 万元 and say so in the header)."""
    return units.wan(value)


@register.simple_tag
def status_path(status: str) -> list[dict]:
    """The main path of the workflow with each state marked done / current / todo."""
    if status not in MAIN_PATH:
        return [{"name": s, "state": "todo"} for s in MAIN_PATH]
    i = MAIN_PATH.index(status)
    return [
        {"name": s, "state": "done" if k < i else ("current" if k == i else "todo")}
        for k, s in enumerate(MAIN_PATH)
    ]


@register.filter
def status_class(status: str) -> str:
    return {"退回": "st-returned", "撤销": "st-withdrawn", "已兑现": "st-final"}.get(status, "st-normal")


@register.filter
def plain(value) -> str:
    """A decimal without trailing zeros, with thousands separators: 1234567.500000 → 1,234,567.5."""
    return units.plain(value)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, key)
