from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("jobs/<uuid:job_id>/", views.job, name="job"),
    path("jobs/<uuid:job_id>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<uuid:job_id>/commit/", views.job_commit, name="job_commit"),
    path("jobs/<uuid:job_id>/retry/", views.job_retry, name="job_retry"),
    path("jobs/<uuid:job_id>/annotated.xlsx", views.job_annotated, name="job_annotated"),
    path("template.xlsx", views.template_download, name="template"),
    path("template/<str:kind>.xlsx", views.template_download, name="template_kind"),
    path("export/<str:kind>.xlsx", views.export_download, name="export"),
]
