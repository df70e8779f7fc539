"""The FastAPI application over a store: JSON API under ``/api``, pages at the root.

``create_app(store, token=...)`` builds the app; ``eventwire serve`` runs it with uvicorn.
Without a token the app is read-only; with one, correction routes accept requests that carry
``Authorization: Bearer <token>``. Given ``allowed_hosts`` (``eventwire serve`` always gives
them), requests whose ``Host`` header names another host get 400. Static assets are this package's own CSS and JavaScript;
the interactive views (:mod:`.views`) use browser libraries vendored in ``static/vendor`` (see
``scripts/vendor_desk_assets.sh``), so nothing is fetched from outside.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp

from eventwire import __version__
from eventwire.query.edges import EdgeIndex, freeze_heap
from eventwire.serve import THREADS
from eventwire.serve.cache import Freshness, ResultCache, record_weight, store_fingerprint
from eventwire.serve.context import RECORD_BYTES, RECORDS, Ctx
from eventwire.serve.handlers import set_threads
from eventwire.serve.responses import ResponseCache
from eventwire.serve.security import (
    GuardMiddleware,
    http_error,
    unexpected_error,
    validation_error,
)
from eventwire.store.db import Store

HERE = Path(__file__).resolve().parent
MAX_BODY = 64 * 1024
MAX_QUERY = 4096


class Desk(FastAPI):
    """The desk's app: FastAPI with the response cache (:mod:`.responses`) outermost."""

    def build_middleware_stack(self) -> ASGIApp:
        state = self.state
        return ResponseCache(
            super().build_middleware_stack(),
            freshness=state.freshness,
            sessions=state.store.session,
            hosts=state.allowed_hosts,
        )


def create_app(
    store: Store,
    *,
    token: str | None = None,
    max_body: int = MAX_BODY,
    max_query: int = MAX_QUERY,
    warm: bool = False,
    allowed_hosts: Sequence[str] | None = None,
    threads: int = THREADS,
) -> FastAPI:
    """The desk app over an open store (its corrections table is created if missing).

    ``allowed_hosts`` (see :func:`.security.trusted_hosts`) turns on the Host header check;
    None leaves it off, for an app embedded behind something that checks hosts itself.
    ``warm`` (``eventwire serve`` sets it) computes the overview, the network's edge table
    (:mod:`.edges`) and the trends in a background thread at once, so that the first visitors
    of a large store do not wait for them (see :mod:`.warmup`), and keeps the edge table up to
    date; ``app.state.warmed`` is set once all is done (``/api/health`` then says ``"warm":
    true``). Without it the network is counted in SQL.

    ``threads`` sizes the pool the route handlers are queued on (:mod:`.handlers`; set when
    the server starts). With one, fresh answers are made one after another in arrival order,
    and answers the response cache already holds (served on the event loop) are never stuck
    behind them.
    """
    from eventwire.serve.api import router as api_router
    from eventwire.serve.pages import router as page_router
    from eventwire.serve.views import router as views_router

    app = Desk(
        lifespan=_lifespan(threads),
        title="eventwire desk",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        description="Read-only JSON over an eventwire store; corrections need the "
        "start-up token as 'Authorization: Bearer <token>'.",
    )
    app.state.store, app.state.token, app.state.cache = store, token or None, ResultCache()
    app.state.allowed_hosts = list(allowed_hosts) if allowed_hosts is not None else None
    app.state.freshness = Freshness(changes=store.change_counter())
    app.state.records = ResultCache(size=RECORDS, weigh=record_weight, max_weight=RECORD_BYTES)
    app.state.edges = EdgeIndex(store.session, store_fingerprint) if warm else None
    app.state.warmed = threading.Event()
    app.state.templates = _templates()
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected_error)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api_router)
    app.include_router(views_router)
    app.include_router(page_router)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=app.state.allowed_hosts)
    app.add_middleware(GuardMiddleware, max_body=max_body, max_query=max_query)
    app.state.warm_thread = None
    if warm:
        app.state.warm_thread = threading.Thread(
            target=_warm, args=(app,), name="eventwire-warm", daemon=True
        )
        app.state.warm_thread.start()
    return app


def _lifespan(threads: int) -> Any:
    """Size the handlers' pool when the server starts (see :mod:`.handlers`)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        set_threads(threads)
        yield

    return lifespan


def _warm(app: FastAPI) -> None:
    """The overview, the edge table, the common answers, then the trends, one at a time."""
    from eventwire.serve.api import overview_data
    from eventwire.serve.trends import warm_trends
    from eventwire.serve.warmup import common_urls, warm_responses

    state = app.state
    with state.store.session() as session:
        ctx = Ctx(session, state.cache, False, state.store, state.freshness, state.edges)
        overview_data(ctx)
        state.edges.build()  # frozen out of the collector's full passes, see freeze_heap
        urls = common_urls(session, ctx.overlay)
    warm_responses(app, urls)
    with state.store.session() as session:
        warm_trends(state.cache, state.freshness.stamp(state.store.session), session)
    freeze_heap()  # the cached answers and trends too
    state.warmed.set()


def _templates() -> Jinja2Templates:
    from urllib.parse import quote

    from eventwire.serve import svg

    templates = Jinja2Templates(directory=HERE / "templates")
    # The templates are package files: checking each one's modification time on every render
    # (Jinja's default) cost a file-system call per template and page, 3% of a page's time.
    templates.env.auto_reload = False
    templates.env.filters["urlkey"] = lambda value: quote(str(value), safe="")
    templates.env.globals["colour"] = svg.colour
    templates.env.globals["version"] = __version__
    return templates
