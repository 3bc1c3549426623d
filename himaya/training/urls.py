from django.urls import path

from . import views, workspace

app_name = "training"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("me/", views.participant_home, name="participant_home"),
    path("me/profile/", views.my_profile, name="my_profile"),
    path("trainer/", views.trainer_home, name="trainer_home"),
    path("new-cycle/", workspace.cycle_create, name="cycle_create"),
    path("trainers/", workspace.trainers, name="trainers"),
    path("cycles/<slug:slug>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<slug:slug>/edit/", workspace.cycle_edit, name="cycle_edit"),
    path("cycles/<slug:slug>/status/", workspace.cycle_status, name="cycle_status"),
    path("cycles/<slug:slug>/duplicate/", workspace.cycle_duplicate, name="cycle_duplicate"),
    path("cycles/<slug:slug>/agenda/", workspace.agenda, name="agenda"),
    path("cycles/<slug:slug>/enrolments/", workspace.enrolments, name="enrolments"),
    path(
        "cycles/<slug:slug>/enrolments/<int:pk>/link/",
        workspace.invitation_link,
        name="invitation_link",
    ),
    path("sessions/<int:pk>/edit/", workspace.session_edit, name="session_edit"),
    path("sessions/<int:pk>/duplicate/", workspace.session_duplicate, name="session_duplicate"),
    path("sessions/<int:pk>/delete/", workspace.session_delete, name="session_delete"),
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
