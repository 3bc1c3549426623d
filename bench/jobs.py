"""A cycle's 500 certificates built into one ZIP as a background job, with its progress
recorded: total time, how often the progress was written, and the job machinery's overhead
against building the same ZIP directly in the same run (the baseline).

Run: .venv/bin/python bench/jobs.py [N]"""

import sys
import time

from _common import make_cycle, setup_django

N = int(sys.argv[1]) if len(sys.argv) > 1 else 500


def main():
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from himaya.accounts.choices import Role
    from himaya.accounts.models import User
    from himaya.certificates import documents
    from himaya.certificates.models import Certificate
    from himaya.core import jobs
    from himaya.core.models import Job
    from himaya.training.models import Enrolment, Partner, Programme

    partner = Partner.objects.create(slug="bench", name="Bench", short_name="B")
    programme = Programme.objects.create(slug="bench", title="Bench programme")
    programme.partners.add(partner)
    cycle = make_cycle(programme, "bench-jobs", 1, capacity=N)
    coordinator = User.objects.create_user(
        email="coordinator@bench.test", role=Role.COORDINATOR, partner=partner
    )
    people = User.objects.bulk_create(
        [
            User(
                email=f"p{i}@bench.test",
                first_name=f"Prénom{i}",
                last_name=f"Nom{i}",
                first_name_ar="فاطمة",
                last_name_ar="الإدريسي",
            )
            for i in range(N)
        ]
    )
    Enrolment.objects.bulk_create([Enrolment(cycle=cycle, participant=p) for p in people])
    Certificate.objects.bulk_create(
        [
            Certificate(cycle=cycle, participant=p, language="fr", issued_on=timezone.localdate())
            for p in people
        ]
    )
    base_url = "https://himaya.example.org/"

    start = time.perf_counter()
    certificates = list(
        Certificate.objects.filter(cycle=cycle).select_related("participant", "cycle__programme")
    )
    documents.certificates_zip(base_url=base_url, certificates=certificates)
    direct = time.perf_counter() - start

    job = Job.objects.create(
        owner=coordinator,
        kind="certificates.zip",
        title="bench",
        params={"cycle": cycle.pk, "base_url": base_url},
    )
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        jobs.execute(str(job.pk))
        as_job = time.perf_counter() - start
    job.refresh_from_db()
    writes = sum(1 for q in queries if q["sql"].startswith('UPDATE "core_job"'))
    assert job.status == "succeeded" and job.progress_done == job.progress_total == N, job.message
    print(f"{N} certificates: direct ZIP {direct:.1f} s, as a job {as_job:.1f} s")
    print(
        f"progress written {writes} times ({writes / as_job:.1f} per second), ZIP {len(job.result) / 2**20:.1f} MiB"
    )
    print(
        f"jobs_certificates_zip: {as_job:.1f} s for {N} certificates "
        f"(baseline: {direct:.1f} s, ratio {as_job / direct:.2f})"
    )


if __name__ == "__main__":
    main()
