from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from himaya.accounts.models import User
from himaya.assessments import content as assessments_content
from himaya.assessments import demo as assessments_demo
from himaya.benchbook import content as benchbook_content
from himaya.certificates import demo as certificates_demo
from himaya.core.content import ContentErrors
from himaya.training import content as training_content
from himaya.training.models import Cycle


class Command(BaseCommand):
    help = (
        "Validate and load the content packs under content/ (idempotent upsert by key). "
        "With --demo, also the demo cycle, its people and one account per role. "
        "Nothing is loaded if any file is invalid."
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
        errors = ContentErrors(root=root)
        curriculum = training_content.validate_curriculum(root, errors)
        benchbook = benchbook_content.validate(root, errors)
        questions = assessments_content.validate(
            root,
            errors,
            axis_keys={
                a["key"] for a in ((curriculum or {}).get("programme") or {}).get("axes", [])
            },
            module_keys={m["key"] for m in (curriculum or {}).get("modules", [])},
            provision_keys=benchbook_content.provision_keys(benchbook),
        )
        demo_plan = training_content.validate_demo(root, errors, curriculum) if demo else None
        assessments_plan = assessments_demo.validate_demo(root, errors) if demo else None
        if errors:
            for message in errors.messages:
                self.stderr.write(message)
            raise CommandError(
                f"{len(errors.messages)} problem(s) in the content: nothing was loaded."
            )
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        with transaction.atomic():
            training_content.apply_curriculum(curriculum, counts)
            benchbook_content.apply(benchbook, counts)
            assessments_content.apply(questions, counts)
            accounts = training_content.apply_demo(demo_plan, counts) if demo else []
            if demo:
                cycle = Cycle.objects.get(slug=demo_plan["cycle"]["slug"])
                emails = [p["email"] for p in demo_plan["participants"]]
                by_email = {u.email: u for u in User.objects.filter(email__in=emails)}
                participants = [by_email[e] for e in emails]
                assessments_demo.apply_demo(
                    assessments_plan, cycle=cycle, participants=participants, counts=counts
                )
                certificates_demo.apply_demo(
                    assessments_plan, cycle=cycle, participants=participants, counts=counts
                )
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
