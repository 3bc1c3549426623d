from django.core.management.base import BaseCommand

from himaya.tools import services


class Command(BaseCommand):
    help = (
        "Deletes the judges' risk assessments and checklist records that their authors did not "
        "keep, once HIMAYA_TOOLS_RETENTION_DAYS (180) days have passed since their last use. "
        "Idempotent: run it daily from cron."
    )

    def handle(self, *args, **options):
        counts = services.purge_expired()
        self.stdout.write(
            f"{counts['assessments']} assessment(s) and {counts['checklists']} checklist "
            "record(s) deleted."
        )
