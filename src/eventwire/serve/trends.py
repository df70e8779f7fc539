"""The trends page's data, from :mod:`eventwire.analyse` (imported only when it is installed).

The desk does not compute trends itself: it shows what ``eventwire trends`` and ``eventwire
alerts`` compute, so the page and the command never disagree.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any

from sqlalchemy.orm import Session

from eventwire.query.filters import EventFilter
from eventwire.serve.cache import ResultCache

#: The result cache key of the trends page's data.
TRENDS_KEY = ("trends", ())


def trends_for(session: Session, flt: EventFilter) -> dict[str, Any]:
    """Category counts per period and the latest alerts, as plain rows for the template."""
    from eventwire.analyse.trends import trends

    table = trends(session, actor=None, country=flt.country, by="month")
    alerts: list[dict[str, Any]] = []
    if find_spec("eventwire.analyse.alerts") is not None:
        from eventwire.analyse.alerts import recent_alerts

        alerts = recent_alerts(session, limit=20)
    return {"title": table.title, "columns": table.columns, "rows": table.rows, "alerts": alerts}


def warm_trends(cache: ResultCache, stamp: tuple[Any, ...], session: Session) -> None:
    """Compute the trends page's data into ``cache`` now, when :mod:`eventwire.analyse` is here."""
    if find_spec("eventwire.analyse.trends") is None:
        return
    cache.get(TRENDS_KEY, stamp, lambda: trends_for(session, EventFilter()))
