from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("cycles/<slug:slug>/certificates/", views.cycle_certificates, name="cycle_certificates"),
    path("cycles/<slug:slug>/certificates/issue/", views.issue, name="issue"),
    path("cycles/<slug:slug>/certificates.zip", views.certificates_zip, name="zip"),
    path("certificates/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("certificates/<int:pk>.pdf", views.certificate_pdf, name="pdf"),
]
