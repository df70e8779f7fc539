"""What resolution reports, and the event columns both of its modes read.

Kept apart from :mod:`eventwire.resolve.corpus` (which runs a full rebuild or calls the
incremental step) so that :mod:`eventwire.resolve.incremental` needs nothing from it: the two
modes import this module, never each other in both directions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from eventwire.store.schema import ActorRow, ArticleRow, EventRow, StoryRow

EVENT_COLUMNS = (
    EventRow.pk, EventRow.article_id, EventRow.local_id, EventRow.type, EventRow.date_value,
    EventRow.date_granularity, EventRow.loc_name, EventRow.loc_country,
)  # fmt: skip


def event_select() -> Select[Any]:
    """Events as story grouping reads them: :data:`EVENT_COLUMNS`, their article's publication
    date (an undated report's context) and their story."""
    return select(*EVENT_COLUMNS, ArticleRow.published, EventRow.story_id).join(
        ArticleRow, ArticleRow.id == EventRow.article_id
    )


@dataclass(frozen=True, slots=True)
class ResolveSummary:
    """Corpus actors and stories after resolution; how many were written; which mode ran."""

    actors: int
    stories: int
    changed_actors: int = 0
    changed_stories: int = 0
    full: bool = True


def totals(session: Session) -> tuple[int, int]:
    """How many actors and stories the store holds."""
    actors = session.scalar(select(func.count()).select_from(ActorRow)) or 0
    stories = session.scalar(select(func.count()).select_from(StoryRow)) or 0
    return actors, stories
