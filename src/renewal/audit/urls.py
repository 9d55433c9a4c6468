from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("history/<str:label>/<str:pk>/", views.history, name="history"),
    path("export.xlsx", views.export, name="export"),
    path("trash/", views.trash, name="trash"),
    path("trash/export.xlsx", views.trash_export, name="trash_export"),
    path("trash/<str:label>/<str:pk>/restore", views.restore, name="restore"),
]
