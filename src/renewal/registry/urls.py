from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("honours/", views.honour_list, name="honour_list"),
    path("first-sets/", views.first_set_list, name="first_set_list"),
    path("statistics/", views.statistic_list, name="statistic_list"),
    path("projects/<str:code>/", views.project_detail, name="project_detail"),
    path("projects/<str:code>/transition", views.project_transition, name="project_transition"),
    path("projects/<str:code>/progress", views.progress_report, name="progress_report"),
    path("projects/<str:code>/delete", views.project_delete, name="project_delete"),
]
