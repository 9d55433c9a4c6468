from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("export.xlsx", views.export, name="export"),
    path("adjustments/", views.adjustment_add, name="adjustment_add"),
    path("adjustments/<int:pk>/withdraw/", views.adjustment_withdraw, name="adjustment_withdraw"),
]
