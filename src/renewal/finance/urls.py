"""Pages of finance (P12): the funnel (/finance/), batches, a bank's page."""

app_name = "finance"

urlpatterns: list = [
    # filled by the pages: funnel (views_funnel), batches and the bank's page (views_batches)
]
