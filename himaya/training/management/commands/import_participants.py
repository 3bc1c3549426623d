import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from himaya.accounts.models import User
from himaya.training import participant_io, services
from himaya.training.models import Cycle


class Command(BaseCommand):
    help = (
        "Import participants into a cycle from CSV (',' or ';'; UTF-8 with or without BOM, or "
        "Windows-1252) or XLSX. All rows or none: exit 0 when imported, 1 when any row is invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV or XLSX file")
        parser.add_argument("--cycle", required=True, help="the cycle's slug")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report; write nothing"
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="EMAIL",
            help=(
                "import with this user's rights and record them as the actor in the audit log "
                "(default: the system, with an administrator's rights)"
            ),
        )

    def handle(self, *args, file, cycle, dry_run=False, json=False, as_user=None, **options):
        try:
            cycle_obj = Cycle.objects.get(slug=cycle)
        except Cycle.DoesNotExist as exc:
            raise CommandError(f"No cycle with the slug '{cycle}'.") from exc
        actor = None
        if as_user:
            actor = User.objects.filter(email__iexact=as_user.strip(), is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user with the e-mail address '{as_user}'.")
            if not actor.has_perm("training.manage_cycle", cycle_obj):
                raise CommandError(f"{actor.email} may not manage the cycle '{cycle}'.")
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        try:
            report = services.import_participants(
                cycle=cycle_obj, data=data, filename=path.name, actor=actor, dry_run=dry_run
            ).as_dict()
        except participant_io.ImportFileError as exc:
            report = {
                "created": 0,
                "updated": 0,
                "unchanged": 0,
                "waiting": 0,
                "errors": [{"row": 0, "field": "", "message": str(exc)}],
            }
        self._print(report, as_json=json, dry_run=dry_run)
        if report["errors"]:
            sys.exit(1)

    def _print(self, report, *, as_json, dry_run):
        if as_json:
            self.stdout.write(json_dumps(report))
            return
        for error in report["errors"]:
            where = f"row {error['row']}" if error["row"] else "file"
            field = f" [{error['field']}]" if error["field"] else ""
            self.stderr.write(f"{where}{field}: {error['message']}")
        for warning in report.get("warnings", []):
            field = f" [{warning['field']}]" if warning["field"] else ""
            self.stderr.write(f"row {warning['row']}{field} (warning): {warning['message']}")
        if report["errors"]:
            self.stderr.write(f"{len(report['errors'])} error(s): nothing was imported.")
        else:
            verb = "Would import" if dry_run else "Imported"
            self.stdout.write(
                f"{verb}: {report['created']} created, {report['updated']} updated, "
                f"{report['unchanged']} unchanged"
                + (f" ({report['waiting']} on the waiting list)." if report["waiting"] else ".")
            )


def json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
