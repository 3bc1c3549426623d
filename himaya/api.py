"""The JSON API (/api/v1). One NinjaAPI; each app adds its router here.

Every route requires a signed-in session unless its router says `auth=None`; the pages'
LoginRequiredMiddleware is told to leave the API alone so that it answers 401 in JSON
instead of redirecting to the sign-in page."""

from django.contrib.auth.decorators import login_not_required
from ninja import NinjaAPI
from ninja.security import django_auth

from himaya.benchbook.api import router as benchbook_router
from himaya.tools.api import router as tools_router
from himaya.training.api import router as training_router

api = NinjaAPI(
    title="Himaya API",
    version="1",
    description="Training cycles and the bench book of the Himaya platform.",
    auth=django_auth,
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/", training_router)
api.add_router("/benchbook", benchbook_router)
api.add_router("/tools", tools_router)


def _public(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _public(pattern.url_patterns)
        elif hasattr(pattern, "callback"):
            login_not_required(pattern.callback)
    return patterns


# Built once: each access to api.urls makes new view functions.
urls = api.urls
_public(urls[0])
