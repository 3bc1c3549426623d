from django.urls import path

from . import views

app_name = "casestudies"

urlpatterns = [
    path("", views.library, name="library"),
    path("upload/", views.upload, name="upload"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:pk>/", views.review, name="review"),
    path("documents/<int:pk>/entry/", views.entry, name="entry"),
    path("<int:pk>/", views.case, name="case"),
    path("c/<slug:key>/", views.case_detail, name="case_detail"),
    path("cycles/<slug:slug>/", views.cycle_cases, name="cycle_cases"),
]
