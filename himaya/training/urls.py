from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("me/", views.participant_home, name="participant_home"),
    path("me/profile/", views.my_profile, name="my_profile"),
    path("trainer/", views.trainer_home, name="trainer_home"),
    path("cycles/<slug:slug>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<slug:slug>/participants/", views.participants, name="participants"),
    path("cycles/<slug:slug>/participants/import/", views.import_upload, name="import_upload"),
    path(
        "cycles/<slug:slug>/participants/import/<int:pk>/",
        views.import_preview,
        name="import_preview",
    ),
    path("cycles/<slug:slug>/calendar.ics", views.cycle_calendar, name="cycle_calendar"),
    path("participants/template.<str:file_format>", views.import_template, name="import_template"),
    path("participants/<int:pk>/", views.participant_profile, name="participant_profile"),
    path("sessions/<int:pk>/attendance/", views.attendance_sheet, name="attendance_sheet"),
    path("sessions/attendance-worker.js", views.attendance_worker, name="attendance_worker"),
    path("sessions/<int:pk>/signatures.pdf", views.signature_sheet, name="signature_sheet"),
    path("modules/<slug:key>/", views.module_detail, name="module_detail"),
]
