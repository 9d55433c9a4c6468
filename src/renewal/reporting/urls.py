from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("overdue/", views.overdue, name="overdue"),
    path("lock", views.lock, name="lock"),
    path("unlock", views.unlock, name="unlock"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<str:clause>/<str:unit>/<str:month>/", views.task_report, name="task_report"),
]
