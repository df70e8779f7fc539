"""Start-up warm-up: the answers most visitors ask for first, made before anyone asks.

A freshly started desk answers everything from scratch; when many analysts arrive at once,
each cold answer holds the interpreter for milliseconds (on a large store, a tenth of a
second) and everyone else waits behind it. ``eventwire serve`` therefore requests the common
answers itself, in a background thread, through the whole app, so that the response cache
(:mod:`.responses`) keeps them: the landing pages and lists, each category's events, network
and map, the most active actors and the newest articles. The thread pauses as long as each
answer took, so visitors arriving meanwhile get at least half the interpreter. Answers stay
cached only while the store is unchanged, like any other.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import quote

import httpx
from sqlalchemy.orm import Session

from eventwire.query import queries as Q
from eventwire.query.corrections import Overlay
from eventwire.query.network import top_actors
from eventwire.record import EVENT_TYPES

#: Pages and lists without parameters (each page and its API twin).
LANDING = ("/", "/api/overview", "/articles", "/actors", "/events", "/network", "/map")
LISTS = ("/api/articles", "/api/actors", "/api/events", "/api/network", "/api/map", "/stories")
#: Routes warmed once per event category.
BY_TYPE = ("/events", "/api/events", "/network", "/api/network", "/map", "/api/map")


def common_urls(
    session: Session, overlay: Overlay, *, actors: int = 20, articles: int = 20
) -> list[str]:
    """The URLs to warm: landing pages, lists, one filter per category, top actors, new articles."""
    urls = [*LANDING, *LISTS]
    urls += [f"{path}?type={kind}" for kind in EVENT_TYPES for path in BY_TYPE]
    for actor in top_actors(session, overlay, limit=actors):
        key = quote(actor["key"], safe="")
        urls += [f"/actors/{key}", f"/api/actors/{key}"]
    newest, _total = Q.list_articles(
        session, q=None, source=None, since=None, until=None, limit=articles, offset=0
    )
    for article in newest:
        key = quote(article["id"], safe="")
        urls += [f"/articles/{key}", f"/api/articles/{key}"]
    return urls


def warm_responses(app: Any, urls: list[str]) -> int:
    """Request ``urls`` through ``app`` on this thread's own event loop; the number answered 200.

    Meant for a background thread: it sleeps as long as each answer took before the next.
    """

    async def run() -> int:
        transport = httpx.ASGITransport(app=app)
        answered = 0
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            for url in urls:
                start = time.monotonic()
                response = await client.get(url)
                answered += response.status_code == 200
                await asyncio.sleep(time.monotonic() - start)
        return answered

    return asyncio.run(run())
