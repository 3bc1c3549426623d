import sys

from django.core.management.base import BaseCommand, CommandError

from himaya.training import services
from himaya.training.models import Cycle


class Command(BaseCommand):
    help = "Export a cycle's participants in the columns that import_participants reads."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, help="the cycle's slug")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, cycle, format="csv", output=None, **options):
        try:
            cycle_obj = Cycle.objects.get(slug=cycle)
        except Cycle.DoesNotExist as exc:
            raise CommandError(f"No cycle with the slug '{cycle}'.") from exc
        data = services.export_participants(cycle=cycle_obj, file_format=format)
        if output:
            with open(output, "wb") as handle:
                handle.write(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
