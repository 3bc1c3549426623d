"""The rules of core's own pages. (Role predicates live in accounts; core cannot import it.)"""

import rules


@rules.predicate
def is_administrator(user):
    return user.is_authenticated and bool(getattr(user, "is_admin", False))


rules.add_perm("core.reload_content", is_administrator)
