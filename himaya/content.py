"""Loading every content pack in one go (`himaya load_content [--demo]`).

The packs register themselves in `himaya.core.content` from their apps' ready() (curriculum and
demo in training, the bench book in benchbook, the questions in assessments, …)."""

from __future__ import annotations

from pathlib import Path

from himaya.core import content as core_content
from himaya.core.content import LoadResult

__all__ = ["LoadResult", "load"]


def load(root: Path, *, demo: bool = False) -> LoadResult:
    """Validate every file under `root`; raise ContentInvalid with 'file:line: message' lines
    and write nothing if any is wrong; otherwise upsert everything (idempotent)."""
    return core_content.load(root, demo=demo)
