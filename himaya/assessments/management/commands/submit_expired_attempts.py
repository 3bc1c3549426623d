from django.core.management.base import BaseCommand

from himaya.assessments import services


class Command(BaseCommand):
    help = "Submit, with the answers saved so far, every test attempt whose time is over."

    def handle(self, *args, **options):
        count = services.submit_expired_attempts()
        self.stdout.write(f"{count} attempt(s) submitted.")
