"""The watcher's HTTP layer: one interface (:class:`Fetcher`), one httpx implementation.

The watcher only ever calls ``get`` and ``post_json``, so tests point it at a local server or
hand it an ``httpx.MockTransport``. :class:`HttpFetcher` is polite by default: a User-Agent
that names eventwire, a timeout on every request, a least interval between two requests to the
same host, and retries with exponential back-off (honouring ``Retry-After``) for connection
errors, timeouts, 408, 429 and 5xx answers.

It is also careful (issue 19, items 2 and 3), since feeds and their entries name any URL:

- a total ``deadline`` per fetch, retries and redirects included: httpx's timeout bounds each
  socket read, so a server sending one byte every few seconds could hold a fetch for ever. A
  timer shuts the connection's socket down when the deadline passes, whatever phase the
  request is in;
- only ``http``/``https`` URLs, and by default only public addresses (see :func:`public`):
  every redirect hop is followed here, one at a time, and each hop's host is resolved and
  checked, and the address actually connected to is checked again (a name that resolves to a
  public address and then to a private one gains nothing). ``allow_private`` (``watch
  --allow-private``) is for intranet feeds. The alert webhook (``post_json``) is the
  operator's own URL and may be on any address. Proxies from the environment are not used, since
  the address check would then see the proxy, not the server.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from eventwire import __version__
from eventwire.errors import EventwireError

USER_AGENT = f"eventwire/{__version__} (news monitor; +https://pypi.org/project/eventwire/)"
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
SCHEMES = frozenset({"http", "https"})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: Which addresses a request may reach; None: any.
Allowed = Callable[[IPAddress], bool] | None


class FetchError(EventwireError):
    """A URL could not be fetched (after retries): connection error, timeout, oversize body."""


class RefusedURL(FetchError):
    """A URL the fetcher will not fetch: not http(s), or a private address (never retried)."""


def public(address: IPAddress) -> bool:
    """True for an address on the public internet: not loopback, private, link-local,
    shared (carrier NAT), reserved, multicast or unspecified (IPv4 inside IPv6 included)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def permanent_status(status: int) -> bool:
    """An HTTP answer that asking again will not change: 4xx other than 408 and 429."""
    return 400 <= status < 500 and status not in (408, 429)


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
    """httpx with timeouts, a total deadline, checked redirects, retries and a per-host pace."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        deadline: float = 60.0,
        retries: int = 2,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        rate: float = 1.0,
        allow_private: bool = False,
        allowed: Callable[[IPAddress], bool] | None = None,
        user_agent: str = USER_AGENT,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.timeout = timeout
        self.deadline = deadline
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        #: Which addresses may be fetched; None: any (``allow_private``).
        self.allowed = allowed if allowed is not None else (None if allow_private else public)
        self.pacer = HostPacer(rate, sleep=sleep)
        # No kept-alive connections: each request's socket is its own, so the deadline's timer
        # can shut it down and the connected address is checked on every request.
        self.client = httpx.Client(
            timeout=timeout, follow_redirects=False, transport=transport, trust_env=False,
            headers={"User-Agent": user_agent}, limits=httpx.Limits(max_keepalive_connections=0),
        )  # fmt: skip

    def get(self, url: str, *, headers: Mapping[str, str] | None = None) -> Response:
        return self._request("GET", url, self.allowed, headers=dict(headers or {}))

    def post_json(self, url: str, payload: Any) -> Response:
        """POST to a URL the operator gave (the alert webhook): any address, http(s) only."""
        return self._request("POST", url, None, json=payload)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> HttpFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(self, method: str, url: str, allowed: Allowed, **kwargs: Any) -> Response:
        """One fetch with retries, all within the deadline; the last answer is returned even
        when it is an error."""
        ends = time.monotonic() + self.deadline
        for attempt in range(self.retries + 1):
            self.pacer.wait(url)
            last_try = attempt == self.retries
            try:
                response = self._send(method, url, ends, allowed, **kwargs)
            except httpx.HTTPError as exc:  # (a FetchError: refused, too large, too late)
                if time.monotonic() >= ends:
                    raise FetchError(f"{url}: {self._late()}") from exc
                if last_try or not self._pause(attempt, None, ends):
                    raise FetchError(f"{url}: {_describe(exc)}") from exc
                continue
            if response.status not in RETRY_STATUSES or last_try:
                return response
            if not self._pause(attempt, response.headers.get("retry-after"), ends):
                return response
        raise FetchError(f"{url}: no attempt made")  # unreachable: retries >= 0

    def _pause(self, attempt: int, retry_after: str | None, ends: float) -> bool:
        """Sleep before a retry; False (no sleep) when the retry could not start in time."""
        delay = self._delay(attempt, retry_after)
        if time.monotonic() + delay >= ends:
            return False
        self.sleep(delay)
        return True

    def _late(self) -> str:
        return f"took longer than the {self.deadline:g} s deadline for one fetch"

    def _send(self, method: str, url: str, ends: float, allowed: Allowed,
              **kwargs: Any) -> Response:  # fmt: skip
        """One attempt, following at most :data:`MAX_REDIRECTS` redirects, each one checked."""
        request = self.client.build_request(method, url, **kwargs)
        for _hop in range(MAX_REDIRECTS + 1):
            _check(str(request.url), allowed)
            left = ends - time.monotonic()
            if left <= 0:
                raise FetchError(f"{url}: {self._late()}")
            request.extensions["timeout"] = httpx.Timeout(min(self.timeout, left)).as_dict()
            with _watch(request, ends, allowed):
                answer = self.client.send(request, stream=True)
                try:
                    if answer.next_request is None:
                        content = _read_capped(answer, url, ends, self._late)
                        text = content.decode(answer.encoding or "utf-8", errors="replace")
                        return Response(str(answer.url), answer.status_code, content, text,
                                        dict(answer.headers))  # fmt: skip
                    request = answer.next_request
                finally:
                    answer.close()
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        """Exponential back-off, or the server's Retry-After when it says so (both capped)."""
        wanted = _retry_after_seconds(retry_after)
        if wanted is None:
            wanted = self.backoff * (2**attempt)
        return min(wanted, self.max_backoff)


def _check(url: str, allowed: Allowed) -> None:
    """Refuse a URL that is not http(s), or whose host resolves to a refused address."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise RefusedURL(f"{url}: only http and https URLs are fetched")
    if allowed is None:
        return
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or 80, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:  # retried like any connection error
        raise httpx.ConnectError(f"cannot resolve {host!r}: {exc}") from exc
    for info in infos:
        _check_address(url, str(info[4][0]), allowed)


def _check_address(url: str, address: str, allowed: Callable[[IPAddress], bool]) -> None:
    try:
        parsed = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError as exc:
        raise RefusedURL(f"{url}: unknown address {address!r}") from exc
    if not allowed(parsed):
        raise RefusedURL(
            f"{url}: {parsed} is not a public address (watch --allow-private fetches "
            "from intranet hosts)"
        )


@contextmanager
def _watch(request: httpx.Request, ends: float, allowed: Allowed) -> Iterator[None]:
    """Check the address each connection reaches, and shut its socket down at ``ends``."""
    sockets: list[socket.socket] = []
    url = str(request.url)

    def trace(name: str, info: Mapping[str, Any]) -> None:
        if name not in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is None:
            return
        sockets.append(sock)
        if allowed is not None and name.endswith("connect_tcp.complete"):
            _check_address(url, str(sock.getpeername()[0]), allowed)

    def expire() -> None:
        for sock in sockets:
            with suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)

    request.extensions["trace"] = trace
    timer = threading.Timer(max(0.0, ends - time.monotonic()), expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _read_capped(answer: httpx.Response, url: str, ends: float,
                 late: Callable[[], str]) -> bytes:  # fmt: skip
    chunks, size = [], 0
    for chunk in answer.iter_bytes():
        if time.monotonic() >= ends:
            raise FetchError(f"{url}: {late()}")
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
