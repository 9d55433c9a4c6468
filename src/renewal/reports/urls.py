from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("catalogue/", views.products, name="products"),
    path("catalogue/providers/", views.providers, name="providers"),
    path("catalogue/cases/", views.cases, name="cases"),
    path("catalogue/manage/", views.manage, name="manage"),
    path("catalogue/manage/publish/", views.publish, name="publish"),
    path("reports/bulletins/", views.bulletins, name="bulletins"),
    path("reports/bulletins/new/", views.bulletin_request, name="bulletin_request"),
    path("reports/bulletins/<int:pk>/retry", views.bulletin_retry, name="bulletin_retry"),
    path("reports/bulletins/<int:pk>/<str:name>", views.bulletin_file, name="bulletin_file"),
]
