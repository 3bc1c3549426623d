from django.urls import path

from . import views

app_name = "tools"

urlpatterns = [
    path("", views.home, name="home"),
    path("measures/", views.measures, name="measures"),
    path("risk/new/", views.risk_new, name="risk_new"),
    path("risk/<int:pk>/", views.assessment, name="assessment"),
    path("risk/<int:pk>/pdf/", views.assessment_pdf, name="assessment_pdf"),
    path("risk/<int:pk>/reassess/", views.reassess, name="reassess"),
    path("risk/<int:pk>/incident/", views.assessment_incident, name="assessment_incident"),
    path("records/", views.my_records, name="my_records"),
    path("records/export/", views.export_records, name="export_records"),
    path("records/delete-all/", views.delete_all, name="delete_all"),
    path("records/<str:kind>/<int:pk>/keep/", views.record_keep, name="record_keep"),
    path("records/<str:kind>/<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("checklists/", views.checklists, name="checklists"),
    path("checklists/<slug:key>/", views.checklist, name="checklist"),
    path("checklists/<slug:key>/use/", views.checklist_new, name="checklist_new"),
    path("checklists/records/<int:pk>/", views.checklist_record, name="checklist_record"),
    path("practice/<slug:slug>/", views.cycle_practice, name="cycle_practice"),
    path("exercises/<int:pk>/", views.exercise_answer, name="exercise_answer"),
    path("exercises/<int:pk>/results/", views.exercise_results, name="exercise_results"),
    path("figures/", views.usage, name="usage"),
]
