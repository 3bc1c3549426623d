"""Demo certificates: the completion rule, the batch issue, one revocation (idempotent)."""

from decimal import Decimal

from himaya.core.content import ContentPack, upsert

from . import services
from .models import Certificate, CompletionRule


def apply_demo(plan: dict, *, cycle, participants: list, counts: dict) -> None:
    rule = plan.get("completion_rule") or {}
    upsert(
        CompletionRule,
        {"cycle": cycle},
        {
            "min_attendance": Decimal(str(rule.get("min_attendance", "0.80"))).quantize(
                Decimal("0.01")
            ),
            "require_post_test": rule.get("require_post_test", True),
        },
        counts,
        clean=False,
    )
    if plan.get("issue_certificates") and services.issue_refusal(cycle) is None:
        result = services.issue_certificates(cycle=cycle)
        counts["created"] += len(result["issued"])
    for item in plan.get("revoke") or []:
        person = participants[item["participant"] - 1]
        certificate = Certificate.objects.filter(
            cycle=cycle, participant=person, revoked_at__isnull=True
        ).first()
        if certificate is not None:
            services.revoke_as_system(certificate=certificate, reason=item["reason"])


def apply(plan: dict, context) -> None:
    """Certificates of the cycle that the assessments demo plays out (its plan holds the
    completion rule, the issue and the revocations: content/demo/assessments.yaml)."""
    cycle, participants = context.results["demo"][plan["cycle"]]
    apply_demo(plan, cycle=cycle, participants=participants, counts=context.counts)


DEMO = ContentPack(
    key="certificates-demo",
    validate=lambda root, errors, plans: plans["assessments-demo"],
    apply=apply,
    depends_on=("demo", "assessments-demo"),
    demo=True,
)
