"""Time the cycle page and the attendance sheet with 500 participants against a bare Django
view, in the same run, through the full middleware stack (Django's test client).

Run: .venv/bin/python bench/pages.py"""

import datetime
import sys
import types

from _common import make_cycle, median_ms, setup_django, timed

PARTICIPANTS = 500
SESSIONS = 10
REPEAT = 30


def build_urlconf():
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.urls import path

    import himaya.urls

    @login_required
    def bare(request):
        return HttpResponse("ok")

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path("bare/", bare), *himaya.urls.urlpatterns]
    sys.modules["bench_urls"] = module
    return "bench_urls"


def main():
    setup_django(urlconf="bench_urls")
    build_urlconf()
    from django.test import Client
    from django.utils import timezone

    from himaya.accounts.choices import Role
    from himaya.accounts.models import User
    from himaya.training.models import Attendance, Enrolment, Partner, Programme, Session

    partner = Partner.objects.create(slug="amj", name="AMJ")
    programme = Programme.objects.create(slug="bench", title="Bench")
    programme.partners.add(partner)
    cycle = make_cycle(programme, "bench", 1, capacity=600)
    coordinator = User.objects.create_user(
        email="coord@bench.test",
        password="x",
        role=Role.COORDINATOR,
        partner=partner,
        is_staff=True,
    )
    people = User.objects.bulk_create(
        User(
            email=f"p{i}@bench.test",
            first_name=f"Prénom{i}",
            last_name=f"Nom{i}",
            first_name_ar="سعاد",
            last_name_ar="العلوي",
            function="judge",
            gender="F",
            password="!x",
        )
        for i in range(PARTICIPANTS)
    )
    Enrolment.objects.bulk_create(Enrolment(cycle=cycle, participant=p) for p in people)
    sessions = [
        Session.objects.create(
            cycle=cycle,
            title=f"Session {i}",
            date=cycle.start_date + datetime.timedelta(days=i % 2),
            start_time=datetime.time(8 + i % 9),
            end_time=datetime.time(9 + i % 9),
        )
        for i in range(SESSIONS)
    ]
    now = timezone.now()
    Attendance.objects.bulk_create(
        Attendance(
            session=s, participant=p, status="present", recorded_by=coordinator, recorded_at=now
        )
        for s in sessions
        for p in people
    )

    client = Client()
    client.force_login(coordinator)
    targets = {
        "bare view": "/bare/",
        "cycle page": f"/fr/cycles/{cycle.slug}/",
        "attendance sheet": f"/fr/sessions/{sessions[0].pk}/attendance/",
    }
    for url in targets.values():  # warm up and check
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    results = {
        name: median_ms(timed(lambda u=url: client.get(u), REPEAT)) for name, url in targets.items()
    }
    base = results["bare view"]
    print(f"{PARTICIPANTS} participants, {SESSIONS} sessions, median of {REPEAT} requests each")
    for name in ("cycle page", "attendance sheet"):
        print(
            f"{name}: {results[name]:.1f} ms (baseline: {base:.2f} ms, ratio {results[name] / base:.0f})"
        )


if __name__ == "__main__":
    main()
