from django.urls import path

from . import manage_views, views

app_name = "assessments"
urlpatterns = [
    path("cycles/<slug:slug>/tests/", views.my_tests, name="my_tests"),
    path("cycles/<slug:slug>/results/", views.cycle_results, name="cycle_results"),
    path("tests/<int:pk>/", views.take_test, name="take_test"),
    path("tests/<int:pk>/answer/", views.save_answer, name="save_answer"),
    path("tests/<int:pk>/submit/", views.submit_test, name="submit_test"),
    path("attempts/<int:pk>/", views.attempt_result, name="attempt_result"),
    path("surveys/<int:pk>/", views.answer_survey, name="survey"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("cycles/<slug:slug>/surveys/", views.cycle_surveys, name="cycle_surveys"),
    # the coordinators' screens
    path("cycles/<slug:slug>/assessments/tests/", manage_views.manage_tests, name="manage_tests"),
    path(
        "cycles/<slug:slug>/assessments/tests/<str:phase>/",
        manage_views.schedule_test,
        name="schedule_test",
    ),
    path(
        "cycles/<slug:slug>/assessments/tests/<str:phase>/close/",
        manage_views.close_test,
        name="close_test",
    ),
    path(
        "cycles/<slug:slug>/assessments/tests/<str:phase>/delete/",
        manage_views.delete_test,
        name="delete_test",
    ),
    path(
        "cycles/<slug:slug>/assessments/surveys/",
        manage_views.manage_surveys,
        name="manage_surveys",
    ),
    path(
        "cycles/<slug:slug>/assessments/surveys/new/",
        manage_views.create_survey,
        name="create_survey",
    ),
    path("surveys/<int:pk>/edit/", manage_views.edit_survey, name="edit_survey"),
    path("surveys/<int:pk>/close/", manage_views.close_survey, name="close_survey"),
    path("surveys/<int:pk>/delete/", manage_views.delete_survey, name="delete_survey"),
]
