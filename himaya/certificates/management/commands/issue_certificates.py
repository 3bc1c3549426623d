import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from himaya.certificates import services
from himaya.training.models import Cycle


class Command(BaseCommand):
    help = "Issue the certificates of a cycle to every eligible participant (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, help="the cycle's slug")
        parser.add_argument(
            "--json", action="store_true", help='print {"issued": [...], "existing": [...]}'
        )

    def handle(self, *args, cycle, json=False, **options):
        try:
            cycle_obj = Cycle.objects.get(slug=cycle)
        except Cycle.DoesNotExist as exc:
            raise CommandError(f"No cycle with the slug '{cycle}'.") from exc
        try:
            result = services.issue_certificates(cycle=cycle_obj)
        except ValidationError as exc:  # the cycle is not over, or has no session
            raise CommandError(" ".join(exc.messages)) from exc
        if json:
            self.stdout.write(_dumps(result))
        else:
            self.stdout.write(
                f"{len(result['issued'])} issued, {len(result['existing'])} already issued."
            )


def _dumps(value):
    return json.dumps(value, ensure_ascii=False)
