"""The server-rendered pages (Jinja2): overview, articles, actors, network, map, events, stories.

Pages call the same query functions as the API and pass plain dicts to templates, which
autoescape everything; charts are SVG drawn in :mod:`.svg`.
"""

from __future__ import annotations

import importlib.util
import threading
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from eventwire.query import queries as Q
from eventwire.query.corrections import list_corrections
from eventwire.query.events import list_events
from eventwire.query.filters import EventFilter
from eventwire.query.keys import is_key
from eventwire.query.network import network
from eventwire.query.window import active_actors, stories_between
from eventwire.record import EVENT_TYPES, MODALITIES
from eventwire.serve import svg
from eventwire.serve.api import FilterDep, PageDep, RowId, _offset, found_or_404, overview_data
from eventwire.serve.context import Ctx, get_ctx
from eventwire.serve.handlers import QueuedRoute
from eventwire.serve.highlight import in_part, part_number, part_of, segments
from eventwire.serve.trends import TRENDS_KEY
from eventwire.serve.views import (
    WindowDep,
    actor_window_events,
    page_window,
    window_lists,
    window_params,
)
from eventwire.store import MAX_ROW_ID

router = APIRouter(include_in_schema=False, route_class=QueuedRoute)
CtxDep = Annotated[Ctx, Depends(get_ctx)]


def render(request: Request, ctx: Ctx, name: str, **context: Any) -> HTMLResponse:
    base = {
        "writable": ctx.token_set,
        "event_types": EVENT_TYPES,
        "modalities": MODALITIES,
        "nav": name.removesuffix(".html"),
    }
    templates = request.app.state.templates
    return templates.TemplateResponse(request, name, base | context)


def pager(page: tuple[int, int], total: int, params: dict[str, Any]) -> dict[str, Any]:
    """Links to the previous and next pages, keeping the filters."""
    number, per_page = page
    last = max(1, -(-total // per_page))

    def link(n: int) -> str:
        return "?" + urlencode({**params, "page": n, "per_page": per_page})

    return {
        "page": number,
        "last": last,
        "total": total,
        "prev": link(number - 1) if number > 1 else None,
        "next": link(number + 1) if number < last else None,
    }


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, ctx: CtxDep, window: WindowDep) -> HTMLResponse:
    data = overview_data(ctx)
    if window != (None, None):  # a window in the URL narrows the lists too (views.py)
        data = {**data, **window_lists(ctx, window)}
    rows = [(r["month"], r["type"], r["events"]) for r in data["timeline"]]
    categories = sorted({t for _m, t, _n in rows}, key=EVENT_TYPES.index)
    return render(
        request,
        ctx,
        "overview.html",
        data=data,
        chart=svg.timeline(rows),
        legend=svg.legend(categories),
    )


@router.get("/articles", response_class=HTMLResponse)
def articles_page(
    request: Request,
    ctx: CtxDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    items, total = Q.list_articles(
        ctx.session, q=q, source=None, since=None, until=None, limit=page[1], offset=_offset(page)
    )
    return render(
        request,
        ctx,
        "articles.html",
        items=items,
        q=q or "",
        pager=pager(page, total, {"q": q} if q else {}),
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request,
    ctx: CtxDep,
    article_id: str,
    part: Annotated[int, Query(ge=1, le=100_000)] = 1,
    event: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
) -> HTMLResponse:
    """One part of the article's text (long texts are paged, see :mod:`.highlight`), with the
    events and quotes found in that part; ``event`` picks the part that holds that event."""
    data = found_or_404(ctx.article(article_id), "article")
    part = part_number(data, event) if event is not None else part
    shown = found_or_404(part_of(data, part), "part of the article")
    return render(request, ctx, "article.html", a=data, part=shown,
                  segments=segments(data, shown.start, shown.end),
                  events=in_part(data["events"], shown, key="trigger"),
                  quotes=in_part(data["quotes"], shown))  # fmt: skip


@router.get("/actors", response_class=HTMLResponse)
def actors_page(
    request: Request,
    ctx: CtxDep,
    page: PageDep,
    window: WindowDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    if not q:  # the most active actors in the date window (views.py); a name search is not
        flt = page_window(ctx, window)
        at = {"limit": page[1], "offset": _offset(page)}
        found, n = active_actors(ctx.session, flt, ctx.overlay, **at)
        more = pager(page, n, window_params(flt))
        return render(request, ctx, "actors.html", items=found, q="", windowed=True, pager=more)
    items, total = Q.list_actors(
        ctx.session, ctx.overlay, q=q, type_=None, limit=page[1], offset=_offset(page)
    )
    return render(
        request,
        ctx,
        "actors.html",
        items=items,
        q=q or "",
        pager=pager(page, total, {"q": q} if q else {}),
    )


@router.get("/actors/{key:path}", response_class=HTMLResponse)
def actor_page(request: Request, ctx: CtxDep, key: str, window: WindowDep) -> HTMLResponse:
    data = found_or_404(
        Q.get_actor(ctx.session, key, ctx.overlay, table=ctx.edge_table()) if is_key(key) else None,
        "actor",
    )
    if window != (None, None):  # the latest events in the URL's window (views.py)
        data = {**data, **actor_window_events(ctx, data["key"], window)}
    return render(
        request, ctx, "actor.html", actor=data, ego=svg.network(data["ego"], width=700, height=420)
    )


@router.get("/network", response_class=HTMLResponse)
def network_page(
    request: Request, ctx: CtxDep, flt: FilterDep, max_edges: int = Query(80, ge=1, le=500)
) -> HTMLResponse:
    graph = ctx.cached(
        "network",
        (flt, max_edges),
        lambda: network(ctx.session, flt, ctx.overlay, max_edges=max_edges, table=ctx.edge_table()),
    )
    return render(
        request,
        ctx,
        "network.html",
        graph=graph,
        flt=flt,
        chart=svg.network(graph),
        filter_query=urlencode(flt.params()),
    )


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, ctx: CtxDep, flt: FilterDep) -> HTMLResponse:
    points = Q.map_points(ctx.session, flt, ctx.overlay)
    categories = sorted({p["type"] for p in points}, key=EVENT_TYPES.index)
    return render(
        request,
        ctx,
        "map.html",
        flt=flt,
        points=points,
        chart=svg.world_map(points),
        legend=svg.legend(categories),
    )


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, ctx: CtxDep, flt: FilterDep, page: PageDep) -> HTMLResponse:
    items, total = list_events(ctx.session, flt, ctx.overlay, limit=page[1], offset=_offset(page))
    params = flt.params()
    export = urlencode({**params, "page": page[0], "per_page": page[1]})
    return render(
        request,
        ctx,
        "events.html",
        items=items,
        flt=flt,
        export=export,
        pager=pager(page, total, params),
    )


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, ctx: CtxDep, page: PageDep, window: WindowDep) -> HTMLResponse:
    flt = page_window(ctx, window)  # stories dated in the date window (views.py)
    at = {"limit": page[1], "offset": _offset(page)}
    items, total = stories_between(ctx.session, flt.since, flt.until, **at)
    more = pager(page, total, window_params(flt))
    return render(request, ctx, "stories.html", items=items, pager=more)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, ctx: CtxDep, story_id: RowId) -> HTMLResponse:
    data = found_or_404(Q.get_story(ctx.session, story_id, ctx.overlay), "story")
    return render(request, ctx, "story.html", story=data)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, ctx: CtxDep, q: Annotated[str | None, Query(max_length=200)] = None
) -> HTMLResponse:
    hits = Q.search(ctx.session, q) if q else []
    return render(
        request, ctx, "search.html", q=q or "", hits=hits, marks=(Q.MARK_OPEN, Q.MARK_CLOSE)
    )


@router.get("/corrections", response_class=HTMLResponse)
def corrections_page(request: Request, ctx: CtxDep) -> HTMLResponse:
    items = list_corrections(ctx.session)
    return render(request, ctx, "corrections.html", items=items, broken=ctx.overlay.broken)


@router.get("/trends", response_class=HTMLResponse)
def trends_page(request: Request, ctx: CtxDep) -> HTMLResponse:
    return render(request, ctx, "trends.html", **trends_context(ctx))


def trends_context(ctx: Ctx) -> dict[str, Any]:
    """Dyad trends and alerts from :mod:`eventwire.analyse` when it is installed.

    They read every event, which takes minutes on a large store, so they are computed in a
    background thread; the page waits a moment, then says they are being computed and
    reloads itself until they are ready.
    """
    if importlib.util.find_spec("eventwire.analyse.trends") is None:
        return {"available": False}
    found, value = ctx.cache.peek(TRENDS_KEY, ctx.stamp)
    if not found:
        worker = None if ctx.cache.busy(TRENDS_KEY) else start_trends(ctx)
        if worker is not None:
            worker.join(timeout=TRENDS_WAIT)
        found, value = ctx.cache.peek(TRENDS_KEY, ctx.stamp)
    return {"available": True, "computing": not found, **(value or {})}


TRENDS_WAIT = 3.0


def start_trends(ctx: Ctx) -> threading.Thread:
    """Compute the trends into the cache in a thread with its own session."""
    from eventwire.serve.trends import trends_for

    store, cache, stamp = ctx.store, ctx.cache, ctx.stamp

    def work() -> None:
        with store.session() as session:
            cache.get(TRENDS_KEY, stamp, lambda: trends_for(session, EventFilter()))

    worker = threading.Thread(target=work, name="eventwire-trends", daemon=True)
    worker.start()
    return worker
