from django.urls import path

from . import views
from .jobs import views as job_views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("content/", views.reload_content, name="reload_content"),
    path("jobs/<uuid:pk>/", job_views.job_page, name="job"),
    path("jobs/<uuid:pk>/status", job_views.job_status, name="job_status"),
    path("jobs/<uuid:pk>/download", job_views.job_download, name="job_download"),
]
