from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("overdue/", views.overdue, name="overdue"),
    path("overdue/export.xlsx", views.overdue_export, name="overdue_export"),
    path("approval/", views.approval_page, name="approval"),
    path("approval/step", views.approval_step, name="approval_step"),
    path("completeness/", views.completeness_board, name="completeness"),
    path("completeness/export.xlsx", views.completeness_export, name="completeness_export"),
    path("completeness/units/", views.completeness_units, name="completeness_units"),
    path("completeness/units/export.xlsx", views.completeness_units_export, name="completeness_units_export"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/export.xlsx", views.tasks_export, name="tasks_export"),
    path("tasks/<str:clause>/<str:unit>/<str:month>/", views.task_report, name="task_report"),
    path("projects/<str:code>/progress", views.progress_report, name="progress_report"),
]
