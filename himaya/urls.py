from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from himaya.api import urls as api_urls
from himaya.certificates import views as certificate_views
from himaya.core import views as core_views

urlpatterns = [
    path("i18n/setlang/", core_views.switch_language, name="set_language"),
    path("api/v1/", api_urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("verify/", certificate_views.verify_form, name="verify_form"),
    path("verify/<str:code>", certificate_views.verify, name="verify"),
]
urlpatterns += i18n_patterns(
    path("", include("himaya.core.urls")),
    path("accounts/", include("himaya.accounts.urls")),
    path("", include("himaya.training.urls")),
    path("benchbook/", include("himaya.benchbook.urls")),
    path("", include("himaya.assessments.urls")),
    path("", include("himaya.certificates.urls")),
    path("", include("himaya.reports.urls")),
    path("tools/", include("himaya.tools.urls")),
    path("cases/", include("himaya.casestudies.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler403 = "himaya.core.views.permission_denied"
handler404 = "himaya.core.views.page_not_found"
handler500 = "himaya.core.views.server_error"
