"""Background work of the tools: the retention schedule of judges' private records."""

from django_tasks import task


@task()
def purge_expired_records() -> dict:
    from . import services

    return services.purge_expired()
