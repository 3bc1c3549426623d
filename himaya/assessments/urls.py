from django.urls import path

from . import views

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
]
