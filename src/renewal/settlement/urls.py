from django.urls import path

app_name = "settlement"
urlpatterns = []
