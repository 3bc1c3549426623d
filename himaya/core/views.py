import re

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from himaya.accounts.choices import Role
from himaya.core import authz, jobs


def home(request):
    """Send each signed-in person to their own starting page."""
    user = request.user
    if user.is_superuser or user.role in (Role.ADMIN, Role.COORDINATOR):
        return redirect("training:dashboard")
    if user.role == Role.TRAINER:
        return redirect("training:trainer_home")
    return redirect("training:participant_home")


@login_not_required
@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_not_required
@require_GET
def favicon(request):
    return redirect(static("img/himaya.svg"), permanent=True)


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "core/error.html", {"status": 403}, status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "core/error.html", {"status": 404}, status=404)


@login_not_required
def server_error(request):
    return render(request, "core/error.html", {"status": 500}, status=500)


@login_not_required
@require_POST
def switch_language(request):
    """Switch the interface language and stay on the same page in the new language.

    Django's set_language translates `next` only when the language active for this request
    is the one in `next`'s prefix (i18n_patterns resolve the active prefix only); a browser
    whose Accept-Language differs would stay on the old language. Here the prefix of `next`
    is swapped directly."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if language not in dict(settings.LANGUAGES):
        return redirect(next_url)
    codes = "|".join(code for code, _name in settings.LANGUAGES)
    if re.match(rf"^/({codes})(/|$)", next_url):
        next_url = re.sub(rf"^/({codes})(?=/|$)", f"/{language}", next_url, count=1)
    # Pages outside the language prefixes (/verify/<code>) follow the cookie set below.
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@require_http_methods(["GET", "POST"])
def reload_content(request):
    """Administrators reload the content packs from the files, as a background job."""
    authz.require(request.user, "core.reload_content")
    if request.method == "POST":
        job = jobs.start(
            owner=request.user,
            kind="core.load_content",
            title=_("Reloading the content from the files"),
            back_url=reverse("core:reload_content"),
        )
        return jobs.follow(request, job)
    recent = jobs.recent(kind="core.load_content")
    return render(request, "core/reload_content.html", {"recent": recent})
