from django.urls import path

from . import views

app_name = "quality"
urlpatterns = [
    path("flags/", views.flags, name="flags"),
    path("flags/export.xlsx", views.flags_export, name="flags_export"),
    path("flags/<int:pk>/review", views.review, name="review"),
]
