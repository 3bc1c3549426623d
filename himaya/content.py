"""Loading every content pack in one go (`himaya load_content [--demo]`).

The packs register themselves in `himaya.core.content` from their apps' ready(); this module
only adds the bench-book pack, wrapping `himaya.benchbook.content` as it is (the bench book
needs the curriculum's modules, the questions need the bench book's provisions)."""

from __future__ import annotations

from pathlib import Path

from himaya.benchbook import content as benchbook_content
from himaya.core import content as core_content
from himaya.core.content import ContentPack, LoadResult

__all__ = ["BENCHBOOK", "LoadResult", "load"]

# TODO(benchbook): move to BenchbookConfig.ready() once the search index has moved.
BENCHBOOK = core_content.register(
    ContentPack(
        key="benchbook",
        validate=lambda root, errors, plans: benchbook_content.validate(root, errors),
        apply=lambda plan, context: benchbook_content.apply(plan, context.counts),
        depends_on=("curriculum",),
    )
)


def load(root: Path, *, demo: bool = False) -> LoadResult:
    """Validate every file under `root`; raise ContentInvalid with 'file:line: message' lines
    and write nothing if any is wrong; otherwise upsert everything (idempotent)."""
    return core_content.load(root, demo=demo)
