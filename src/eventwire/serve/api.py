"""The JSON API (``/api/...``): articles, actors, events, stories, quotes, network, search.

Lists are paginated (``page``, ``per_page`` up to 200) and answer ``{"items", "page",
"per_page", "total"}``. Filters are validated before they reach a query; every error has the
shape ``{"error": {"code", "message"}}``. Writes (corrections) need the start-up token.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from eventwire.export import csv_text
from eventwire.query import queries as Q
from eventwire.query.corrections import (
    CorrectionError,
    add_correction,
    anchor_of,
    check_merge,
    check_split,
    check_undo,
    correction_dict,
    list_corrections,
    validate_event_change,
)
from eventwire.query.events import event_by_key, get_event, list_events
from eventwire.query.filters import EventFilter, FilterError, checked_date, checked_filter
from eventwire.query.keys import is_key
from eventwire.query.network import edge_events, events_over_time, network, top_actors
from eventwire.serve.context import Ctx, get_ctx
from eventwire.serve.handlers import QueuedRoute
from eventwire.serve.security import ApiError, require_token
from eventwire.store import MAX_ROW_ID

#: A row id in a path: a number past a 64-bit row id is a 422, not an OverflowError (a 500).
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]

router = APIRouter(prefix="/api", route_class=QueuedRoute)


class Answer(Response):
    """A JSON answer rendered by orjson straight from the route's dict.

    A route annotated ``-> dict`` had FastAPI validate and re-encode the whole answer through
    pydantic before ``json.dumps``: for an actor page (about 100 KB) that took longer than
    reading it from the store. Answers hold plain JSON types only (str, int, float, bool,
    None, lists and str-keyed dicts).
    """

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)


CtxDep = Annotated[Ctx, Depends(get_ctx)]
PER_PAGE_MAX = 200


async def page_args(
    page: int = Query(1, ge=1, le=100_000), per_page: int = Query(50, ge=1, le=PER_PAGE_MAX)
) -> tuple[int, int]:
    """Paging arguments. Dependencies that do no I/O are ``async``: they run on the event
    loop instead of taking a turn on the handlers' thread (see :func:`.context.get_ctx`)."""
    return page, per_page


PageDep = Annotated[tuple[int, int], Depends(page_args)]


def _date(value: str | None, name: str) -> str | None:
    try:
        return checked_date(value, name)
    except FilterError as exc:
        raise ApiError(400, "bad_filter", str(exc)) from None


async def event_filter(
    since: str | None = None,
    until: str | None = None,
    type: str | None = None,  # noqa: A002
    country: str | None = None,
    actor: str | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    modality: str | None = None,
    article: str | None = None,
    story: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: str | None = None,
) -> EventFilter:
    """Validate the event filters shared by events, network, map and exports (the same checks
    as the command line's: :func:`eventwire.query.filters.checked_filter`). ``from``/``to`` is
    the desk's date window (shared URLs), the same as ``since``/``until``."""
    try:
        return checked_filter(
            since=since or from_, until=until or to, type=type, country=country, actor=actor, q=q,
            modality=modality, article=article, story=story,
        )  # fmt: skip
    except FilterError as exc:
        raise ApiError(400, "bad_filter", str(exc)) from None


FilterDep = Annotated[EventFilter, Depends(event_filter)]


def paged(items: list[Any], total: int, page: tuple[int, int]) -> dict[str, Any]:
    return {"items": items, "page": page[0], "per_page": page[1], "total": total}


def _offset(page: tuple[int, int]) -> int:
    return (page[0] - 1) * page[1]


def found_or_404(found: dict[str, Any] | None, what: str) -> dict[str, Any]:
    """The record asked for, or the one 404 every detail route and page answers when it is absent."""
    if found is None:
        raise ApiError(404, "not_found", f"no such {what}")
    return found


@router.get("/health", tags=["meta"])
async def health(request: Request) -> dict[str, Any]:
    """A trivial endpoint: the server is up, and whether its start-up warm-up is done."""
    return {"status": "ok", "warm": request.app.state.warmed.is_set()}


@router.get("/overview", tags=["overview"])
def overview(ctx: CtxDep) -> Answer:
    """Counts, events per month and category, the most active actors, the latest stories."""
    return Answer(overview_data(ctx))


def overview_data(ctx: Ctx) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        stories, _ = Q.list_stories(ctx.session, type_=None, limit=10, offset=0)
        timeline = events_over_time(ctx.session, EventFilter(), ctx.overlay)
        return {
            "counts": Q.counts(ctx.session),
            "timeline": [{"month": m, "type": t, "events": n} for m, t, n in timeline],
            "top_actors": top_actors(ctx.session, ctx.overlay),
            "latest_stories": stories,
        }

    return ctx.cached("overview", (), compute)


@router.get("/articles", tags=["articles"])
def articles(
    ctx: CtxDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    source: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Answer:
    """Articles, newest first; ``q`` searches their text."""
    items, total = Q.list_articles(
        ctx.session,
        q=q,
        source=source,
        since=_date(since, "since"),
        until=_date(until, "until"),
        limit=page[1],
        offset=_offset(page),
    )
    return Answer(paged(items, total, page))


@router.get("/articles/{article_id}", tags=["articles"])
def article(ctx: CtxDep, article_id: str) -> Answer:
    """One article's record: cleaned text, removed boilerplate, entities, events, quotes."""
    return Answer(found_or_404(ctx.article(article_id), "article"))


@router.get("/actors", tags=["actors"])
def actors(
    ctx: CtxDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    type: str | None = None,
) -> Answer:  # noqa: A002
    """Actors by the number of articles that name them; ``q`` matches names."""
    items, total = Q.list_actors(
        ctx.session, ctx.overlay, q=q, type_=type, limit=page[1], offset=_offset(page)
    )
    return Answer(paged(items, total, page))


@router.get("/actors/{key:path}", tags=["actors"])
def actor(ctx: CtxDep, key: str) -> Answer:
    """One actor: names, roles over time, events as source and target, quotes, ego network."""
    found = (
        Q.get_actor(ctx.session, key, ctx.overlay, table=ctx.edge_table()) if is_key(key) else None
    )
    return Answer(found_or_404(found, "actor"))


@router.get("/events", tags=["events"], response_model=None)
def events(
    ctx: CtxDep, flt: FilterDep, page: PageDep, format: str = Query("json", pattern="^(json|csv)$")
) -> Answer | Response:  # noqa: A002
    """Events, newest first, filtered; ``format=csv`` exports the same page as CSV."""
    items, total = list_events(ctx.session, flt, ctx.overlay, limit=page[1], offset=_offset(page))
    if format == "csv":
        return csv_response(items)
    return Answer(paged(items, total, page))


CSV_COLUMNS = (
    "pk",
    "key",
    "date",
    "type",
    "original_type",
    "source",
    "target",
    "trigger",
    "modality",
    "place",
    "country",
    "lat",
    "lon",
    "confidence",
    "attributed_to",
    "article_id",
    "article_title",
    "evidence",
    "corrected",
)


def csv_row(event: dict[str, Any]) -> list[Any]:
    loc = event["location"] or {}
    names = {
        side: "; ".join(a["name"] for a in event["actors"].get(side, []))
        for side in ("source", "target")
    }
    return [
        event["pk"],
        event["key"],
        (event["date"] or {}).get("value"),
        event["type"],
        event.get("original_type", ""),
        names["source"],
        names["target"],
        event["trigger"]["text"],
        event["modality"],
        loc.get("name"),
        loc.get("country"),
        loc.get("lat"),
        loc.get("lon"),
        event["confidence"],
        (event["attributed_to"] or {}).get("name"),
        event["article"]["id"],
        event["article"]["title"],
        event["evidence"]["text"],
        "yes" if event["corrections"] else "",
    ]


def csv_response(items: list[dict[str, Any]]) -> Response:
    """The events as CSV; text that a spreadsheet would run as a formula starts with ``'``."""
    return Response(
        csv_text(CSV_COLUMNS, (csv_row(e) for e in items)),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="events.csv"'},
    )


@router.get("/events/{pk}", tags=["events"])
def event(ctx: CtxDep, pk: RowId) -> Answer:
    """One coded event with its corrections."""
    return Answer(found_or_404(get_event(ctx.session, pk, ctx.overlay), "event"))


@router.get("/stories", tags=["stories"])
def stories(ctx: CtxDep, page: PageDep, type: str | None = None) -> Answer:  # noqa: A002
    """Stories: reports of one real-world event across articles."""
    items, total = Q.list_stories(ctx.session, type_=type, limit=page[1], offset=_offset(page))
    return Answer(paged(items, total, page))


@router.get("/stories/{story_id}", tags=["stories"])
def story(ctx: CtxDep, story_id: RowId) -> Answer:
    return Answer(found_or_404(Q.get_story(ctx.session, story_id, ctx.overlay), "story"))


@router.get("/quotes", tags=["quotes"])
def quotes(
    ctx: CtxDep,
    page: PageDep,
    speaker: str | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Answer:
    """Quotations with speakers; filter by speaker (actor key) or words."""
    if speaker and not is_key(speaker):
        raise ApiError(400, "bad_filter", "speaker must be an actor key")
    items, total = Q.list_quotes(
        ctx.session, ctx.overlay, speaker=speaker, q=q, limit=page[1], offset=_offset(page)
    )
    return Answer(paged(items, total, page))


@router.get("/network", tags=["network"])
def network_api(ctx: CtxDep, flt: FilterDep, max_edges: int = Query(150, ge=1, le=1000)) -> Answer:
    """Actors as nodes, events as directed edges weighted by count, with their categories."""
    return Answer(
        ctx.cached(
            "network",
            (flt, max_edges),
            lambda: network(
                ctx.session, flt, ctx.overlay, max_edges=max_edges, table=ctx.edge_table()
            ),
        )
    )


@router.get("/network/edge", tags=["network"])
def edge(ctx: CtxDep, flt: FilterDep, source: str, target: str) -> Answer:
    """The events behind one edge, each with its evidence sentence and article."""
    if not (is_key(source) and is_key(target)):
        raise ApiError(400, "bad_filter", "source and target must be actor keys")
    items = edge_events(ctx.session, source, target, flt, ctx.overlay)
    return Answer({"source": source, "target": target, "items": items})


@router.get("/search", tags=["search"])
def search(
    ctx: CtxDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    limit: int = Query(50, ge=1, le=200),
) -> Answer:
    """Full-text search over article text, quotes and event evidence."""
    return Answer({"q": q, "items": Q.search(ctx.session, q, limit=limit)})


@router.get("/map", tags=["map"])
def map_api(ctx: CtxDep, flt: FilterDep) -> Answer:
    """Geolocated events as points."""
    return Answer({"items": Q.map_points(ctx.session, flt, ctx.overlay)})


@router.get("/corrections", tags=["corrections"], response_model=None)
def corrections(
    ctx: CtxDep,
    format: str = Query("json", pattern="^(json|csv)$"),  # noqa: A002
) -> Answer | Response:
    """Every correction with who, when and why (the export of the analysts' work)."""
    items = list_corrections(ctx.session)
    if format == "json":
        return Answer({"items": items})
    import json

    header = ["id", "kind", "target", "value", "author", "reason", "created_at"]
    rows = (
        [
            c["id"],
            c["kind"],
            c["target"],
            json.dumps(c["value"]),
            c["author"],
            c["reason"],
            c["created_at"],
        ]
        for c in items
    )
    return Response(csv_text(header, rows), media_type="text/csv; charset=utf-8")


class Note(BaseModel):
    """Who makes a correction and why (both required: a correction without a reason is noise)."""

    author: str = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=2000)


class EventFix(Note):
    key: str = Field(max_length=200, description="the event's stable key (from /api/events)")
    changes: dict[str, Any] = Field(description="any of type, source, target (names), date")


class Merge(Note):
    actor: str = Field(max_length=300)
    into: str = Field(max_length=300)


class Split(Note):
    actor: str = Field(max_length=300)
    articles: list[str] = Field(min_length=1, max_length=500)
    name: str = Field(min_length=1, max_length=200)


Writer = Depends(require_token)


@router.post("/corrections/events", tags=["corrections"], dependencies=[Writer], status_code=201)
def correct_event(ctx: CtxDep, fix: Annotated[EventFix, Body()]) -> dict[str, Any]:
    """Fix an event's category, actors or date; the event then reads as corrected."""
    if event_by_key(ctx.session, fix.key, ctx.overlay) is None:
        raise ApiError(404, "not_found", "no event with this key")
    try:
        value = validate_event_change(fix.changes)
    except CorrectionError as exc:
        raise ApiError(400, "bad_correction", str(exc)) from exc
    for side in ("source", "target"):
        if side in value:
            value[side] = [_actor_ref(ctx, name) for name in value[side]]
    return _store(ctx, "event", fix.key, value, fix)


def _actor_ref(ctx: Ctx, name: str) -> dict[str, str]:
    """An actor named in a correction: an existing actor of that name, else a new name key."""
    from eventwire.query.keys import name_key
    from eventwire.query.network import display_names

    if is_key(name):
        ref = {"key": name, "name": display_names(ctx.session, {name}, ctx.overlay)[name]}
    else:
        found, _ = Q.list_actors(ctx.session, ctx.overlay, q=name, type_=None, limit=20, offset=0)
        exact = [a for a in found if a["name"].lower() == name.lower()]
        ref = (
            {"key": exact[0]["key"], "name": exact[0]["name"]}
            if exact
            else {"key": name_key(name), "name": name}
        )
    return {**ref, "anchor": anchor_of(ctx.session, ref["key"])}


@router.post("/corrections/merge", tags=["corrections"], dependencies=[Writer], status_code=201)
def merge(ctx: CtxDep, fix: Annotated[Merge, Body()]) -> dict[str, Any]:
    """Merge actor ``actor`` into ``into``: both read as one actor everywhere."""
    if not (is_key(fix.actor) and is_key(fix.into)) or fix.actor == fix.into:
        raise ApiError(400, "bad_correction", "give two different actor keys")
    from eventwire.query.network import display_names

    _checked(check_merge, ctx.session, ctx.overlay, fix.actor, fix.into)
    name = display_names(ctx.session, {fix.into}, ctx.overlay)[fix.into]
    value = {
        "into": fix.into,
        "into_name": name,
        "actor_anchor": anchor_of(ctx.session, fix.actor),
        "into_anchor": anchor_of(ctx.session, fix.into),
    }
    return _store(ctx, "merge", fix.actor, value, fix)


@router.post("/corrections/split", tags=["corrections"], dependencies=[Writer], status_code=201)
def split(ctx: CtxDep, fix: Annotated[Split, Body()]) -> dict[str, Any]:
    """Split the mentions of ``actor`` in these articles off into a new actor called ``name``."""
    if not is_key(fix.actor):
        raise ApiError(400, "bad_correction", "actor must be an actor key")
    _checked(check_split, ctx.session, ctx.overlay, fix.actor, fix.articles)
    value = {
        "articles": fix.articles,
        "name": fix.name,
        "actor_anchor": anchor_of(ctx.session, fix.actor),
    }
    return _store(ctx, "split", fix.actor, value, fix)


@router.post(
    "/corrections/{correction_id}/undo",
    tags=["corrections"],
    dependencies=[Writer],
    status_code=201,
)
def undo(ctx: CtxDep, correction_id: RowId, note: Annotated[Note, Body()]) -> dict[str, Any]:
    """Take a correction back: it stays listed (with the undo's who, when and why) and no
    longer applies anywhere."""
    _checked(check_undo, ctx.session, correction_id)
    return _store(ctx, "undo", str(correction_id), {}, note)


def _checked(check: Any, *args: Any) -> None:
    """Run a correction check; what it refuses is a 400 naming the problem."""
    try:
        check(*args)
    except CorrectionError as exc:
        raise ApiError(400, "bad_correction", str(exc)) from exc


def _store(ctx: Ctx, kind: str, target: str, value: dict[str, Any], note: Note) -> dict[str, Any]:
    row = add_correction(
        ctx.session, kind=kind, target=target, value=value, author=note.author, reason=note.reason
    )
    result = correction_dict(row)
    ctx.session.commit()
    ctx.changed()
    return result
