from django.core.management.base import BaseCommand

from himaya.accounts import reminders


class Command(BaseCommand):
    help = (
        "E-mails each participant whose pre/post-test or survey is open and not yet done, once "
        "per test or survey. Idempotent: run it from cron as often as you like (hourly or daily)."
    )

    def handle(self, *args, **options):
        sent = reminders.send_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
