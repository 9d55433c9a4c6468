from django.contrib import admin
from django.urls import include, path

from renewal.api.urls import api

handler404 = "renewal.lib.guard.page_not_found"
handler500 = "renewal.lib.guard.server_error"

admin.site.site_header = "嘉兴市制造业设备更新行动平台 · 管理后台"
admin.site.site_title = "设备更新行动平台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("assessment/", include("renewal.assessment.urls")),
    path("", include("renewal.reports.urls")),
    path("", include("renewal.indicators.urls")),
    path("drafting/", include("renewal.drafting.urls")),
    path("", include("renewal.settlement.urls")),
    path("exchange/", include("renewal.exchange.urls")),
    path("accounts/", include("renewal.accounts.urls")),
    path("registry/", include("renewal.exchange.lists")),
    path("registry/", include("renewal.registry.urls")),
    path("equipment/", include("renewal.equipment.urls")),
    path("reporting/", include("renewal.reporting.urls")),
    path("quality/", include("renewal.quality.urls")),
    path("declaration/", include("renewal.declaration.urls")),
    path("finance/", include("renewal.finance.urls")),
    path("audit/", include("renewal.audit.urls")),
    path("parks/", include("renewal.parks.urls")),
    path("mujun/", include("renewal.mujun.urls")),
    path("notices/", include("renewal.notices.urls")),
    path("", include("renewal.web.urls")),
]
