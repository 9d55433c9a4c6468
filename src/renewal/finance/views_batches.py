"""Pages of finance (P12): batches."""

urlpatterns: list = []
