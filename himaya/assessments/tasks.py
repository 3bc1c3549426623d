"""Background work of the assessments: submitting attempts whose time ran out."""

from django_tasks import default_task_backend, task


@task()
def submit_expired_attempts() -> int:
    from . import services

    return services.submit_expired_attempts()


def schedule_expiry(cutoff) -> None:
    """Ask the worker to submit attempts at their cutoff. Backends that cannot defer (the
    immediate one of `make run` and the tests) skip this: results and eligibility already count
    an expired attempt as submitted, and `himaya submit_expired_attempts` can run from cron."""
    if default_task_backend.supports_defer:
        submit_expired_attempts.using(run_after=cutoff).enqueue()
