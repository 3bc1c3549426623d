"""Who may see tests, results and surveys. A participant sees only their own attempts."""

import rules

from himaya.training.permissions import (
    coordinates_cycle,
    enrolled_in_cycle,
    is_admin,
    teaches_in_cycle,
)


@rules.predicate
def owns_attempt(user, attempt):
    return attempt is not None and user.is_authenticated and attempt.participant_id == user.pk


rules.add_perm("assessments.take_test", enrolled_in_cycle)
rules.add_perm("assessments.view_results", is_admin | coordinates_cycle | teaches_in_cycle)
rules.add_perm("assessments.view_attempt", is_admin | owns_attempt)
rules.add_perm("assessments.answer_survey", enrolled_in_cycle)
