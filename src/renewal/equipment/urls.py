from django.urls import path

from . import views

app_name = "equipment"
urlpatterns = [
    path("candidates/", views.candidates, name="candidates"),
    path("candidates.xlsx", views.candidates_export, name="candidates_export"),
    path("lines/", views.lines, name="lines"),
]
