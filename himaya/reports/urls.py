from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("cycles/<slug:slug>/report/", views.cycle_report, name="cycle_report"),
    path(
        "cycles/<slug:slug>/report.<str:file_format>",
        views.cycle_report_file,
        name="cycle_report_file",
    ),
    path("programmes/<slug:slug>/report/", views.programme_report, name="programme_report"),
]
