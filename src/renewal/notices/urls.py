from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read", views.read, name="read"),
    path("read-all", views.read_all, name="read_all"),
]
