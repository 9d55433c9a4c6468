"""Pages of finance (P12): funnel."""

urlpatterns: list = []
