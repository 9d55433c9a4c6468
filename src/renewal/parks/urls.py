from django.urls import path

from . import views

app_name = "parks"
urlpatterns = [
    path("", views.index, name="index"),
    path("figures/<str:name>/", views.figure, name="figure"),
    path("<str:code>/", views.detail, name="detail"),
]
