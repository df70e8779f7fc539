"""Shared helpers, not tests: a local HTTP server on 127.0.0.1 serving test-written routes.

Routes map a path to a status, headers, body and an optional delay; tests change them between
cycles. The server honours If-None-Match for routes with an ETag and records every request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    fail_first: int = 0  # answer 503 this many times first


@dataclass
class Site:
    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for _, p, headers, _ in self.requests if p == path]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output clean
            return

        def do_GET(self) -> None:
            self._answer(b"")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self._answer(self.rfile.read(length))

        def _answer(self, payload: bytes) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            site.requests.append((self.command, self.path, headers, payload))
            route = site.routes.get(self.path)
            if route is None:
                self._send(404, {}, b"not found")
                return
            time.sleep(route.delay)
            if route.fail_first > 0:
                route.fail_first -= 1
                self._send(503, {"Retry-After": "0"}, b"busy")
                return
            etag = route.headers.get("ETag")
            if etag and headers.get("if-none-match") == etag:
                self._send(304, {"ETag": etag}, b"")
                return
            body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
            self._send(route.status, route.headers, body)

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    return Handler


class _QuietServer(ThreadingHTTPServer):
    """A client giving up on a slow answer (a timeout test) is expected, not an error to print."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        return


@contextmanager
def serve(site: Site, host: str = "127.0.0.1") -> Iterator[Site]:
    """Run ``site`` on ``host`` (a loopback address) on a free port in a thread; stop it after."""
    server = _QuietServer((host, 0), _handler(site))
    site.base = f"http://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def rss(title: str, items: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 document: items are (guid, link, title)."""
    body = "".join(
        f"<item><guid>{guid}</guid><link>{link}</link><title>{name}</title>"
        f"<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>"
        for guid, link, name in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{body}</channel></rss>'


def page(title: str, paragraph: str) -> str:
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{paragraph}</p></article></body></html>")  # fmt: skip
