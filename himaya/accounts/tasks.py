"""Background work of the accounts: reminders when a test or a survey opens."""

from django_tasks import task


@task()
def send_reminders() -> int:
    from . import reminders

    return reminders.send_reminders()
