"""The tools' tests read the real content of content/tools/, validated once per test session
(against the real curriculum and bench book) and written to each test's database in a few
rows, so that every test sees what users see without loading the whole bench book."""

from pathlib import Path

import pytest
from django.conf import settings

from himaya.core import content as packs

CONTENT_ROOT = Path(settings.BASE_DIR) / "content"


@pytest.fixture(scope="session")
def tools_plan():
    errors = packs.ContentErrors(root=CONTENT_ROOT)
    plans = {}
    for pack in packs.registered_packs():
        if pack.key in ("curriculum", "benchbook", "tools"):
            needed = {k: plans.get(k) for k in pack.depends_on}
            plans[pack.key] = pack.validate(CONTENT_ROOT, errors, needed)
    assert not errors, "\n".join(errors.messages)
    return plans["tools"]


@pytest.fixture
def tools_content(db, tools_plan):
    from himaya.tools.content import apply

    apply(tools_plan, {"created": 0, "updated": 0, "unchanged": 0})
    return tools_plan
