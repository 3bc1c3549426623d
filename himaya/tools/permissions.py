"""Who may use what. A judge's assessments and checklist records are their author's alone:
no coordinator, trainer or administrator reads them (no `is_admin` here, on purpose; and
authz asks the rules directly, so a superuser does not pass either)."""

import rules

from himaya.training.permissions import (
    coordinates_cycle,
    coordinates_session,
    enrolled_in_cycle,
    is_admin,
    is_coordinator,
    teaches_in_cycle,
    teaches_session,
)


@rules.predicate
def is_author(user, record):
    return user.is_authenticated and record is not None and record.author_id == user.pk


@rules.predicate
def runs_exercise_session(user, session_tool):
    return session_tool is not None and (
        coordinates_session(user, session_tool.session)
        or teaches_session(user, session_tool.session)
    )


@rules.predicate
def may_answer_exercise(user, session_tool):
    return (
        session_tool is not None
        and session_tool.kind == "vignette"
        and session_tool.is_open
        and enrolled_in_cycle(user, session_tool.session.cycle)
    )


@rules.predicate
def runs_session(user, session):
    return coordinates_session(user, session) or teaches_session(user, session)


rules.add_perm("tools.keep_records", rules.is_authenticated)
rules.add_perm("tools.read_record", is_author)
rules.add_perm("tools.change_record", is_author)
rules.add_perm("tools.plan_cycle_tools", is_admin | coordinates_cycle | teaches_in_cycle)
rules.add_perm("tools.plan_session_tools", is_admin | runs_session)
rules.add_perm("tools.run_exercise", is_admin | runs_exercise_session)
rules.add_perm("tools.answer_exercise", may_answer_exercise)
rules.add_perm("tools.view_usage", is_admin | is_coordinator)
