from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("cycles/<slug:slug>/certificates/", views.cycle_certificates, name="cycle_certificates"),
    path("cycles/<slug:slug>/certificates/rule/", views.completion_rule, name="rule"),
    path("cycles/<slug:slug>/certificates/issue/", views.issue, name="issue"),
    path("cycles/<slug:slug>/certificates/signatories/", views.signatories, name="signatories"),
    path("cycles/<slug:slug>/certificates.zip", views.certificates_zip, name="zip"),
    path("certificates/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("certificates/<int:pk>/reissue/", views.reissue, name="reissue"),
    path("certificates/<int:pk>/keep/", views.keep, name="keep"),
    path("certificates/<int:pk>.pdf", views.certificate_pdf, name="pdf"),
]
