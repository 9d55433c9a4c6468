from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("projects/<str:code>/", views.project_detail, name="project_detail"),
    path("projects/<str:code>/transition", views.project_transition, name="project_transition"),
    path("projects/<str:code>/delete", views.project_delete, name="project_delete"),
]
