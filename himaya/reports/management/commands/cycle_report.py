from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from himaya.core.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from himaya.reports import documents, selectors
from himaya.training.models import Cycle


class Command(BaseCommand):
    help = "Write the partner report of a cycle as PDF or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, help="the cycle's slug")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("-o", "--output", required=True, help="the file to write")
        parser.add_argument("--language", choices=LANGUAGE_CODES, default=DEFAULT_LANGUAGE)

    def handle(self, *args, cycle, format="pdf", output=None, language="fr", **options):
        try:
            cycle_obj = Cycle.objects.select_related("programme").get(slug=cycle)
        except Cycle.DoesNotExist as exc:
            raise CommandError(f"No cycle with the slug '{cycle}'.") from exc
        with translation.override(language):
            data = selectors.cycle_report(cycle_obj)
            content = (
                documents.report_xlsx(data) if format == "xlsx" else documents.report_pdf(data)
            )
        Path(output).write_bytes(content)
        self.stdout.write(f"{output}: {len(content)} bytes")
