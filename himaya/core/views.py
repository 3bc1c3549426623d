from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from himaya.accounts.choices import Role


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
def permission_denied(request, exception=None):
    return render(request, "core/error.html", {"status": 403}, status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "core/error.html", {"status": 404}, status=404)


@login_not_required
def server_error(request):
    return render(request, "core/error.html", {"status": 500}, status=500)
