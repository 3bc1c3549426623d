from django.core.management.base import BaseCommand, CommandError

from himaya.core import crypto


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field of every model with the first key of "
        "HIMAYA_ENCRYPTION_KEYS. Rows already on that key are skipped, so it can be re-run. "
        "Remove an old key only after this reports success."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            rotated = crypto.rotate_all(batch_size=batch_size)
        except crypto.DecryptionError as exc:
            raise CommandError(f"Rotation stopped: {exc}") from exc
        for label, count in rotated.items():
            self.stdout.write(f"{label}: {count} row(s) re-encrypted.")
        self.stdout.write(
            f"Every encrypted value is now on key {crypto.current_key_id()} "
            f"({len(rotated)} model(s) with encrypted fields)."
        )
