from django.urls import path

from . import views

app_name = "settlement"
urlpatterns = [
    path("policy/calculator/", views.calculator, name="calculator"),
    path("policy/calculator/xlsx", views.calculator_xlsx, name="calculator_xlsx"),
    path("policy/simulation/", views.simulation_page, name="simulation"),
    path("settlement/", views.settlement_home, name="home"),
    path("settlement/start", views.settlement_start, name="start"),
    path("settlement/records.xlsx", views.records_export, name="records_export"),
    path("settlement/runs/<int:pk>/", views.settlement_run, name="run"),
    path("settlement/runs/<int:pk>/retry", views.settlement_run_retry, name="run_retry"),
    path("settlement/records/<int:pk>/", views.record_detail, name="record"),
    path("settlement/projects/<str:code>/settle", views.project_settle, name="project_settle"),
    path("settlement/interest-subsidy/settle", views.interest_subsidy_settle, name="interest_subsidy_settle"),
]
