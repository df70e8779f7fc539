"""The watcher's HTTP layer: one interface (:class:`Fetcher`), one httpx implementation.

The watcher only ever calls ``get`` and ``post_json``, so tests point it at a local server or
hand it an ``httpx.MockTransport``. :class:`HttpFetcher` is polite by default: a User-Agent
that names eventwire, a timeout on every request, a least interval between two requests to the
same host, and retries with exponential back-off (honouring ``Retry-After``) for connection
errors, timeouts, 429 and 5xx answers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from eventwire import __version__
from eventwire.errors import EventwireError

USER_AGENT = f"eventwire/{__version__} (news monitor; +https://pypi.org/project/eventwire/)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_BYTES = 10 * 1024 * 1024


class FetchError(EventwireError):
    """A URL could not be fetched (after retries): connection error, timeout, oversize body."""


@dataclass(frozen=True, slots=True)
class Response:
    """What a fetch returned. ``url`` is the final URL after redirects."""

    url: str
    status: int
    content: bytes
    text: str
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class Fetcher(Protocol):
    """What the watcher needs from HTTP."""

    def get(self, url: str, *, headers: Mapping[str, str] | None = None) -> Response: ...

    def post_json(self, url: str, payload: Any) -> Response: ...


class HostPacer:
    """Keeps at least ``interval`` seconds between two requests to the same host."""

    def __init__(self, interval: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:  # fmt: skip
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._last: dict[str, float] = {}

    def wait(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last.get(host)
        if last is not None:
            delay = self.interval - (self.clock() - last)
            if delay > 0:
                self.sleep(delay)
        self._last[host] = self.clock()


class HttpFetcher:
    """httpx with timeouts, redirects, retries with back-off and a per-host pace."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        retries: int = 2,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        rate: float = 1.0,
        user_agent: str = USER_AGENT,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        self.pacer = HostPacer(rate, sleep=sleep)
        self.client = httpx.Client(
            timeout=timeout, follow_redirects=True, max_redirects=5, transport=transport,
            headers={"User-Agent": user_agent},
        )  # fmt: skip

    def get(self, url: str, *, headers: Mapping[str, str] | None = None) -> Response:
        return self._request("GET", url, headers=dict(headers or {}))

    def post_json(self, url: str, payload: Any) -> Response:
        return self._request("POST", url, json=payload)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> HttpFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(self, method: str, url: str, **kwargs: Any) -> Response:
        """One request with retries; the last answer is returned even when it is an error."""
        for attempt in range(self.retries + 1):
            self.pacer.wait(url)
            last_try = attempt == self.retries
            try:
                response = self._send(method, url, **kwargs)
            except httpx.HTTPError as exc:
                if last_try:
                    raise FetchError(f"{url}: {_describe(exc)}") from exc
                self.sleep(self._delay(attempt, None))
                continue
            if response.status not in RETRY_STATUSES or last_try:
                return response
            self.sleep(self._delay(attempt, response.headers.get("retry-after")))
        raise FetchError(f"{url}: no attempt made")  # unreachable: retries >= 0

    def _send(self, method: str, url: str, **kwargs: Any) -> Response:
        with self.client.stream(method, url, **kwargs) as answer:
            content = _read_capped(answer, url)
            text = content.decode(answer.encoding or "utf-8", errors="replace")
            return Response(str(answer.url), answer.status_code, content, text,
                            dict(answer.headers))  # fmt: skip

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        """Exponential back-off, or the server's Retry-After when it says so (both capped)."""
        wanted = _retry_after_seconds(retry_after)
        if wanted is None:
            wanted = self.backoff * (2**attempt)
        return min(wanted, self.max_backoff)


def _read_capped(answer: httpx.Response, url: str) -> bytes:
    chunks, size = [], 0
    for chunk in answer.iter_bytes():
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchError(f"{url}: response larger than {MAX_BYTES // (1024 * 1024)} MB")
        chunks.append(chunk)
    return b"".join(chunks)


def _retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number or an HTTP date), None when absent or bad."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _describe(exc: httpx.HTTPError) -> str:
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else type(exc).__name__
    detail = str(exc)
    return f"{kind}: {detail}" if detail else kind


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from what the last successful fetch returned."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers
