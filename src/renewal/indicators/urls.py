from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("cockpit/", views.cockpit, name="cockpit"),
    path("cockpit/areas/", views.matrix, name="matrix"),
    path("cockpit/export.xlsx", views.export, name="export"),
    path("cockpit/targets/<str:target_id>/", views.target_detail, name="target"),
    path("cockpit/targets/<str:target_id>/records/", views.records, name="records"),
    path("cockpit/targets/<str:target_id>/records.xlsx", views.records_export, name="records_export"),
]
