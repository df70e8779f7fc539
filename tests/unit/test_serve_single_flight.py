"""The response cache answers a burst of identical requests with one computation."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

pytest.importorskip("httpx", reason="the desk's tests need httpx")

import httpx  # noqa: E402

from eventwire.serve.responses import ResponseCache  # noqa: E402


class FixedFreshness:
    """A store fingerprint that never changes (the cache's only question to the store)."""

    def current(self) -> tuple[Any, ...]:
        return ("stamp",)


def slow_app(calls: list[str], status: int = 200) -> Any:
    """An ASGI app that takes 50 ms per answer and records each path it computes."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        calls.append(scope["path"] + "?" + scope["query_string"].decode())
        await asyncio.sleep(0.05)
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": scope["path"].encode()})

    return app


def burst(app: Any, urls: list[str]) -> list[httpx.Response]:
    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return list(await asyncio.gather(*(client.get(u) for u in urls)))

    return asyncio.run(run())


def test_identical_concurrent_requests_are_computed_once() -> None:
    calls: list[str] = []
    cache = ResponseCache(slow_app(calls), freshness=FixedFreshness(), sessions=lambda: None)  # type: ignore[arg-type]
    answers = burst(cache, ["/api/events?q=group"] * 10 + ["/api/events?q=police"] * 3)
    assert [a.status_code for a in answers] == [200] * 13
    assert all(a.content == b"/api/events" for a in answers)
    assert sorted(calls) == ["/api/events?q=group", "/api/events?q=police"]


def test_waiters_compute_themselves_when_the_first_answer_is_not_kept() -> None:
    calls: list[str] = []
    cache = ResponseCache(
        slow_app(calls, status=500),
        freshness=FixedFreshness(),
        sessions=lambda: None,  # type: ignore[arg-type]
    )
    answers = burst(cache, ["/api/x"] * 4)
    assert [a.status_code for a in answers] == [500] * 4
    assert len(calls) == 4  # errors are never replayed to others
