from ninja import Router
from ninja.errors import HttpError

from . import selectors

router = Router(tags=["行动方案"])


@router.get("", summary="当前行动方案（目标、参数、任务）")
def plan_show(request):
    """The loaded plan in the shape of `renewal plan show --json`."""
    try:
        return selectors.plan_as_json(selectors.active_plan())
    except selectors.NoPlanLoaded as exc:
        raise HttpError(404, str(exc)) from None
