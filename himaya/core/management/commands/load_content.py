from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from himaya import content
from himaya.core.content import ContentInvalid


class Command(BaseCommand):
    help = (
        "Validate and load the content packs under content/ (idempotent upsert by key). "
        "With --demo, also the demo packs: the demo cycles of two unrelated partners, their "
        "people and one account per role. Every registered content pack is validated first: "
        "nothing is loaded if any file is invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="also load the demo data")
        parser.add_argument(
            "--path",
            default=str(settings.BASE_DIR / "content"),
            help="content folder (default: content/)",
        )

    def handle(self, *args, demo=False, path=None, verbosity=1, **options):
        root = Path(path)
        if not root.is_dir():
            raise CommandError(f"{root}: no such content folder")
        try:
            result = content.load(root, demo=demo)
        except ContentInvalid as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(
                f"{len(exc.messages)} problem(s) in the content: nothing was loaded."
            ) from exc
        counts, accounts = result.counts, result.accounts
        if verbosity < 1:
            return
        self.stdout.write(
            f"Content loaded: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged."
        )
        if accounts:
            self.stdout.write("\nDemo accounts (local demo only):")
            for account in accounts:
                self.stdout.write(
                    f"  {account['role']:<12} {account['email']:<45} {account['password']}"
                )
