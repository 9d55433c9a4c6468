from django.urls import path

from . import views

app_name = "drafting"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.review, name="review"),
]
