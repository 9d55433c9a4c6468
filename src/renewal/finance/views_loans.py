"""Pages of finance (P12): loans."""

urlpatterns: list = []
