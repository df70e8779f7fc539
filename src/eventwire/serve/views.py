"""JSON behind the desk's interactive views: the time chart, the network and the map.

The pages stay server-rendered (tables, evidence, forms); the browser draws these answers with
the vendored libraries in ``static/vendor`` (uPlot, Cytoscape.js, Leaflet): nothing is fetched
from outside. Every view reads a date window ``from``/``to`` (ISO dates, kept in the page's
URL so views can be shared); without one it takes the dense range of the data, the last twelve
months that hold events (:func:`eventwire.query.series.dense_window`).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files
from importlib.util import find_spec
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy import select

from eventwire.query import queries as Q
from eventwire.query.filters import EventFilter
from eventwire.query.keys import is_key, key_expr
from eventwire.query.network import network
from eventwire.query.series import Role, daily_counts, dense_window
from eventwire.record import EVENT_TYPES
from eventwire.serve.api import Answer, FilterDep, _date
from eventwire.serve.context import Ctx, get_ctx
from eventwire.serve.handlers import QueuedRoute
from eventwire.serve.security import ApiError
from eventwire.serve.svg import colour
from eventwire.store.schema import EntityRow

router = APIRouter(prefix="/api/views", route_class=QueuedRoute, tags=["views"])
CtxDep = Annotated[Ctx, Depends(get_ctx)]
Period = Literal["auto", "day", "week", "month"]
#: Periods "auto" picks: the finest that keeps the chart under this many bars.
MAX_BUCKETS = 120


async def window_args(
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: str | None = None,
) -> tuple[str | None, str | None]:
    """The date window from the URL, each end checked like every date filter."""
    return _date(from_, "from"), _date(to, "to")


WindowDep = Annotated[tuple[str | None, str | None], Depends(window_args)]


def windowed(ctx: Ctx, flt: EventFilter, window: tuple[str | None, str | None]) -> EventFilter:
    """``flt`` narrowed to the window, or to the dense range of the data when none is given.

    The dense range is the store's (an actor's, when the filter names one): changing the
    category or the country keeps the window where it is.
    """
    start, end = window
    if start is None and end is None and flt.since is None and flt.until is None:
        dense = dense_window([d for d, _t, _n in _counts(ctx, EventFilter(actor=flt.actor))])
        if dense is not None:
            start, end = dense
    return replace(flt, since=start or flt.since, until=end or flt.until)


def explicit(flt: EventFilter, window: tuple[str | None, str | None]) -> EventFilter:
    """``flt`` narrowed to the URL's window only (no dense default).

    The network and the map read events through the read layer, whose window holds events by
    their own date: undated events (most of them in news text) would drop out of a default
    window, so these views take one only when the analyst sets it.
    """
    start, end = window
    return replace(flt, since=start or flt.since, until=end or flt.until)


def page_window(ctx: Ctx, window: tuple[str | None, str | None]) -> EventFilter:
    """The filter of a list page's window (the dense range when the URL gives none)."""
    return windowed(ctx, EventFilter(), window)


def window_lists(ctx: Ctx, window: tuple[str | None, str | None]) -> dict[str, Any]:
    """The overview's lists in a window: the most active actors, the stories dated in it."""
    from eventwire.query.window import active_actors, stories_between

    flt = page_window(ctx, window)

    def compute() -> dict[str, Any]:
        actors, _ = active_actors(ctx.session, flt, ctx.overlay, limit=10, offset=0)
        stories, _ = stories_between(ctx.session, flt.since, flt.until, limit=10, offset=0)
        return {"top_actors": actors, "latest_stories": stories}

    return ctx.cached("overview-window", (flt,), compute)


def actor_window_events(
    ctx: Ctx, key: str, window: tuple[str | None, str | None]
) -> dict[str, Any]:
    """The actor page's latest events as source and as target, in the URL's window."""
    from eventwire.query.events import list_events

    flt = replace(page_window(ctx, window), actor=key)
    items, _total = list_events(ctx.session, flt, ctx.overlay, limit=ACTOR_EVENTS, offset=0)

    def side(name: str) -> list[dict[str, Any]]:
        return [e for e in items if any(a["key"] == key for a in e["actors"][name])]

    return {"as_source": side("source"), "as_target": side("target"), "windowed": True}


#: How many of an actor's events its page lists in a window (newest first).
ACTOR_EVENTS = 100


def window_params(flt: EventFilter) -> dict[str, str]:
    """The window as URL parameters, for pager links."""
    found = {"from": flt.since, "to": flt.until}
    return {k: v for k, v in found.items() if v}


def _counts(
    ctx: Ctx,
    flt: EventFilter,
    role: Role | None = None,
    happened: bool = False,
    dyad: str | None = None,
) -> list[tuple[str, str, int]]:
    return ctx.cached(
        "daily",
        (flt, role, happened, dyad),
        lambda: daily_counts(ctx.session, flt, ctx.overlay, role, happened=happened, dyad=dyad),
    )


def bucket_of(day: str, period: str) -> str:
    """The first day of the period (ISO week from Monday, calendar month) that holds ``day``."""
    value = date.fromisoformat(day)
    if period == "week":
        value -= timedelta(days=value.weekday())
    elif period == "month":
        value = value.replace(day=1)
    return value.isoformat()


def buckets(start: str, end: str, period: str) -> list[str]:
    """Every period from ``start`` to ``end``, empty ones included: gaps stay visible."""
    first, last = date.fromisoformat(bucket_of(start, period)), date.fromisoformat(end)
    found = []
    while first <= last:
        found.append(first.isoformat())
        if period == "day":
            first += timedelta(days=1)
        elif period == "week":
            first += timedelta(days=7)
        else:
            first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return found


def pick_period(start: str, end: str) -> str:
    """The finest period that keeps the chart readable (at most MAX_BUCKETS bars)."""
    span = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    if span <= MAX_BUCKETS:
        return "day"
    return "week" if span <= MAX_BUCKETS * 7 else "month"


def _full_day(value: str, *, end: bool) -> str:
    """A window end as a day: ``2024`` is 2024-01-01 as a start, 2024-12-31 as an end."""
    parts = value.split("-")
    if len(parts) == 3:
        return value
    year, month = int(parts[0]), int(parts[1]) if len(parts) > 1 else (12 if end else 1)
    if not end:
        return date(year, month, 1).isoformat()
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).isoformat()


def series(rows: list[tuple[str, str, int]], start: str, end: str, period: str) -> dict[str, Any]:
    """Counts per category and period on a continuous axis, with the mean intensity."""
    axis = buckets(start, end, period)
    index = {b: i for i, b in enumerate(axis)}
    counts: dict[str, list[int]] = {}
    for day, kind, n in rows:
        if start <= day <= end:
            counts.setdefault(kind, [0] * len(axis))[index[bucket_of(day, period)]] += n
    ordered = {k: counts[k] for k in sorted(counts, key=_category_order)}
    return {
        "buckets": axis,
        "counts": ordered,
        "colours": {k: colour(k) for k in ordered},
        "intensity": intensity(ordered, len(axis)),
    }


def _category_order(kind: str) -> int:
    return EVENT_TYPES.index(kind) if kind in EVENT_TYPES else len(EVENT_TYPES)


def intensity(counts: dict[str, list[int]], size: int) -> list[float | None] | None:
    """Mean conflict (-10) to cooperation (+10) weight per period, from the analysis scale.

    The weights live with :mod:`eventwire.analyse` (the same as ``eventwire trends``); without
    it installed there is no intensity line (None).
    """
    if find_spec("eventwire.analyse.scale") is None:
        return None
    from eventwire.analyse.scale import load_scale

    scale = load_scale()
    totals, weights = [0] * size, [0.0] * size
    for kind, values in counts.items():
        for i, n in enumerate(values):
            totals[i] += n
            weights[i] += n * scale.weight(kind)
    return [round(w / t, 2) if t else None for w, t in zip(weights, totals, strict=True)]


def quads() -> dict[str, str]:
    """Quad class of each category (for edge colours), empty without the analysis module."""
    if find_spec("eventwire.analyse.scale") is None:
        return {}
    from eventwire.analyse.scale import load_scale

    return dict(load_scale().quads)


def alert_dates(ctx: Ctx, start: str, end: str) -> list[dict[str, Any]]:
    """Alert firings inside the window (rule, date, message), when the alerts module is here."""
    if find_spec("eventwire.analyse.alerts") is None:
        return []
    from eventwire.analyse.alerts import recent_alerts

    found = ctx.cached("alerts", (), lambda: recent_alerts(ctx.session, limit=None))
    return [
        {"date": a["date"], "rule": a["rule"], "message": a["message"]}
        for a in found
        if start <= a["date"] <= end
    ]


def series_answer(
    ctx: Ctx,
    flt: EventFilter,
    window: tuple[str | None, str | None],
    period: str,
    role: Role | None,
    happened: bool = False,
    dyad: str | None = None,
) -> dict[str, Any]:
    """The time chart's data: the window (default: the dense range), its periods, counts per
    category, intensity and the alerts that fired in it."""
    if (role is not None or dyad is not None) and not flt.actor:
        raise ApiError(400, "bad_filter", "role and dyad need an actor")
    if dyad is not None and not is_key(dyad):
        raise ApiError(400, "bad_filter", "dyad must be an actor key such as a12 or n:hamas")
    narrowed = windowed(ctx, flt, window)
    rows = _counts(ctx, replace(flt, since=None, until=None), role, happened, dyad)
    if narrowed.since is None and narrowed.until is None:
        return {"window": None, "period": None, "buckets": [], "counts": {}, "alerts": []}
    days = [d for d, _t, _n in rows] or [date.today().isoformat()]
    start = _full_day(narrowed.since, end=False) if narrowed.since else min(days)
    end = _full_day(narrowed.until, end=True) if narrowed.until else max(days)
    if start > end:
        raise ApiError(400, "bad_filter", "from must not be after to")
    chosen = pick_period(start, end) if period == "auto" else period
    if len(buckets(start, end, chosen)) > MAX_PERIODS:
        raise ApiError(400, "bad_filter", "window too long for this period; choose a longer one")
    data = series(rows, start, end, chosen)
    return {"window": {"from": start, "to": end}, "period": chosen, **data,
            "alerts": alert_dates(ctx, start, end)}  # fmt: skip


#: The most periods one answer holds (about 14 years of days).
MAX_PERIODS = 5000


@router.get("/series")
def series_api(
    ctx: CtxDep,
    flt: FilterDep,
    window: WindowDep,
    period: Period = "auto",
    role: Role | None = None,
    happened: bool = False,
    dyad: str | None = None,
) -> Answer:
    """Events per category and period in the window (default: the dense range), intensity and
    alert firings; dates flagged as implausible are left out. ``role`` (with ``actor``) keeps
    the events in which that actor is the source, or the target; ``happened`` leaves out
    negated, hypothetical and future events (as ``eventwire trends`` does); ``dyad`` (another
    actor key, with ``actor``) keeps the events between the two actors, either way."""
    return Answer(series_answer(ctx, flt, window, period, role, happened, dyad))


@router.get("/series.csv")
def series_csv(
    ctx: CtxDep,
    flt: FilterDep,
    window: WindowDep,
    period: Period = "auto",
    role: Role | None = None,
    happened: bool = False,
    dyad: str | None = None,
) -> Response:
    """The same table as CSV: one row per period, one column per category, total, intensity."""
    data = series_answer(ctx, flt, window, period, role, happened, dyad)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    kinds = list(data["counts"])
    writer.writerow(["period", *kinds, "total", "intensity"])
    for i, bucket in enumerate(data["buckets"]):
        values = [data["counts"][k][i] for k in kinds]
        level = (data.get("intensity") or [None] * len(data["buckets"]))[i]
        writer.writerow([bucket, *values, sum(values), "" if level is None else level])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="eventwire-trends.csv"'},
    )


def generic_keys(ctx: Ctx, keys: list[str]) -> set[str]:
    """Which of these actor keys are generic actors (police, troops: kb ids ``agent:...``)."""
    if not keys:
        return set()
    key = key_expr()
    query = select(key).where(EntityRow.kb_id.like("agent:%"), key.in_(keys)).distinct()
    return set(ctx.session.scalars(query))


@router.get("/graph")
def graph_api(
    ctx: CtxDep,
    flt: FilterDep,
    window: WindowDep,
    max_edges: int = Query(600, ge=1, le=2000),
    min_events: int = Query(1, ge=1, le=100_000),
    hide_generic: bool = False,
    ego: str | None = None,
) -> Answer:
    """The network in the window: nodes (events, generic or not), edges (categories, quad)."""
    if ego is not None and not is_key(ego):
        raise ApiError(400, "bad_filter", "ego must be an actor key such as a12 or n:hamas")
    narrowed = explicit(flt, window)
    graph = ctx.cached(
        "network",
        (narrowed, max_edges),
        lambda: network(
            ctx.session, narrowed, ctx.overlay, max_edges=max_edges, table=ctx.edge_table()
        ),
    )
    generic = generic_keys(ctx, [n["key"] for n in graph["nodes"]])
    edges = [e for e in graph["edges"] if e["weight"] >= min_events]
    if hide_generic:
        edges = [e for e in edges if e["source"] not in generic and e["target"] not in generic]
    if ego:
        edges = [e for e in edges if ego in (e["source"], e["target"])]
    quad = quads()
    kept = {k for e in edges for k in (e["source"], e["target"])}
    nodes = [{**n, "generic": n["key"] in generic} for n in graph["nodes"] if n["key"] in kept]
    out = [{**e, "quad": quad.get(next(iter(e["types"]), ""), None)} for e in edges]
    window_out = {"from": narrowed.since, "to": narrowed.until}
    return Answer({"window": window_out, "nodes": nodes, "edges": out,
                   "total_edges": graph["total_edges"]})  # fmt: skip


@router.get("/points")
def points_api(ctx: CtxDep, flt: FilterDep, window: WindowDep) -> Answer:
    """Geolocated events in the window, with events per country for shading."""
    narrowed = explicit(flt, window)
    points = Q.map_points(ctx.session, narrowed, ctx.overlay)
    per_country: dict[str, int] = {}
    for p in points:
        if p["country"]:
            per_country[p["country"]] = per_country.get(p["country"], 0) + 1
    window_out = {"from": narrowed.since, "to": narrowed.until}
    return Answer({"window": window_out, "points": points, "countries": per_country})


@router.get("/boundaries.json")
def boundaries_api() -> Answer:
    """Country boundaries (GeoJSON) from the ``countryinfo`` package: the offline base map."""
    return Answer(boundaries())


@lru_cache(maxsize=1)
def boundaries() -> dict[str, Any]:
    """One FeatureCollection of every country file ``countryinfo`` ships, ids in ISO alpha-3."""
    folder = files("countryinfo") / "data"
    features: list[dict[str, Any]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        iso = str((data.get("ISO") or {}).get("alpha3") or "")
        for feature in (data.get("geoJSON") or {}).get("features", []):
            if feature.get("geometry"):
                features.append(
                    {
                        "type": "Feature",
                        "id": str(feature.get("id") or iso),
                        "properties": {"name": str(data.get("name", iso))},
                        "geometry": feature["geometry"],
                    }
                )
    return {"type": "FeatureCollection", "features": features}
