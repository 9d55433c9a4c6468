"""Pages of finance (P12) under /finance/: the funnel (views_funnel), batches and a bank's pushed
projects (views_batches), loans with their drawdowns and repayments (views_loans)."""

from . import views_batches, views_funnel, views_loans

app_name = "finance"

urlpatterns = views_funnel.urlpatterns + views_batches.urlpatterns + views_loans.urlpatterns
