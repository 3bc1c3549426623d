import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from himaya.core.languages import LANGUAGE_CODES
from himaya.training import services
from himaya.training.models import Cycle


class Command(BaseCommand):
    help = "Export a cycle's participants in the columns that import_participants reads."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, help="the cycle's slug")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        parser.add_argument(
            "--language",
            choices=LANGUAGE_CODES,
            help=(
                "write the people's format in this language instead: labelled headers, "
                "readable values, the enrolment status, attendance and certificate; CSV "
                "separated by semicolons (import_participants reads it back)"
            ),
        )

    def handle(self, *args, cycle, format="csv", output=None, language=None, **options):
        try:
            cycle_obj = Cycle.objects.get(slug=cycle)
        except Cycle.DoesNotExist as exc:
            raise CommandError(f"No cycle with the slug '{cycle}'.") from exc
        if language:
            with translation.override(language):
                data = services.export_participants(
                    cycle=cycle_obj, file_format=format, readable=True
                )
        else:
            data = services.export_participants(cycle=cycle_obj, file_format=format)
        if output:
            with open(output, "wb") as handle:
                handle.write(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
