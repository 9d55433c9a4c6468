"""The API instance: /api/v1/, OpenAPI schema at /api/v1/openapi.json. Routers live in each app's
``api.py`` and are mounted here."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from renewal.api import errors
from renewal.api.docs import LocalSwagger
from renewal.assessment.api import router as assessment_router
from renewal.declaration.api import router as declaration_router
from renewal.equipment.api import router as equipment_router
from renewal.finance.api import router as finance_router
from renewal.indicators.api import router as indicators_router
from renewal.mujun.api import router as mujun_router
from renewal.planning.api import router as planning_router
from renewal.registry.api import router as registry_router
from renewal.reporting.api import router as reporting_router
from renewal.settlement.api import router as policy_router


class ChineseJSON(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese stays readable in answers


class RenewalAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return errors.describe_statuses(super().get_openapi_schema(*args, **kwargs))


api = RenewalAPI(
    renderer=ChineseJSON(),
    title="设备更新行动平台 API",
    version="1",
    description="金额单位为元，比例为小数（55% 即 0.55）；每个数字注明方案条款。",
    urls_namespace="api",
    docs=LocalSwagger(),
)
errors.install(api)
api.add_router("/plan", planning_router)
api.add_router("/indicators", indicators_router)
api.add_router("", registry_router)
api.add_router("", equipment_router)
api.add_router("", declaration_router)
api.add_router("", finance_router)
api.add_router("", mujun_router)
api.add_router("", reporting_router)
api.add_router("/assessment", assessment_router)
api.add_router("/policy", policy_router)
errors.declare(api)  # after every router: the error answers of every operation
