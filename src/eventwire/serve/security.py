"""The desk's guard rails: size limits, security headers, one error shape, the write token.

Errors from every route become ``{"error": {"code": ..., "message": ...}}`` on the API and a
plain error page on the UI; an unexpected exception becomes a 500 with a fixed message, so no
stack trace or SQL ever reaches a client.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("eventwire.serve")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    414: "uri_too_long",
    422: "invalid_request",
    500: "internal_error",
}
#: Host names a desk bound to this machine answers to (the Host header, without its port).
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
_WILDCARD_BINDS = {"0.0.0.0", "::", ""}


def trusted_hosts(bind: str, extra: tuple[str, ...] = ()) -> list[str]:
    """Host header values the desk accepts: this machine's names, the bound address, ``extra``.

    A page on another site can point its own domain name at 127.0.0.1 (DNS rebinding) and then
    read the desk as if it were same-origin; its requests still carry that domain as ``Host``,
    so refusing unknown hosts closes the hole. A wildcard bind (``0.0.0.0``, ``::``) adds the
    machine's host name; other names clients use must be given (``--allow-host``).
    """
    import platform  # node() is the host name, without importing a network module

    hosts = list(LOCAL_HOSTS)
    if bind in _WILDCARD_BINDS:
        hosts.append(platform.node().lower())
    else:
        hosts.append(f"[{bind}]" if ":" in bind and not bind.startswith("[") else bind.lower())
    hosts += [h.lower() for h in extra]
    return list(dict.fromkeys(hosts))


class ApiError(HTTPException):
    """An error with a machine-readable code, raised by routes."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(status_code=status, detail=message)
        self.code = code


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path.endswith((".json", ".csv"))


def error_response(request: Request, status: int, code: str, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
    templates = request.app.state.templates
    context = {
        "status": status,
        "code": code,
        "message": message,
        "nav": "",
        "writable": bool(request.app.state.token),
    }
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    code = getattr(exc, "code", None) or CODES.get(status, "error")
    detail = getattr(exc, "detail", None)
    message = detail if isinstance(detail, str) else "request failed"
    return error_response(request, status, code, message)


async def validation_error(request: Request, exc: Exception) -> Response:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    where = ", ".join(
        ".".join(str(p) for p in e.get("loc", ())[1:]) or "request" for e in errors[:5]
    )
    return error_response(request, 422, "invalid_request", f"invalid value for: {where}")


async def unexpected_error(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s", request.url.path, exc_info=exc)
    return error_response(request, 500, "internal_error", "internal error; see the server log")


def token_ok(request: Request) -> bool:
    """True when the app has a write token and the request carries it as a Bearer token."""
    expected: str | None = request.app.state.token
    given = request.headers.get("authorization", "")
    if not expected or not given.lower().startswith("bearer "):
        return False
    return hmac.compare_digest(given[7:].strip().encode(), expected.encode())


async def require_token(request: Request) -> None:
    """FastAPI dependency for write routes (no I/O, so it runs on the event loop)."""
    if not request.app.state.token:
        raise ApiError(
            403, "read_only", "this server is read-only: start it with --token to allow corrections"
        )
    if not token_ok(request):
        raise ApiError(401, "unauthorized", "corrections need 'Authorization: Bearer <token>'")


class GuardMiddleware:
    """Refuse oversized bodies and query strings; add security headers to every response; answer
    HEAD as GET without the body (it was a 405)."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_query: int) -> None:
        self.app, self.max_body, self.max_query = app, max_body, max_query

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.max_query or len(scope["path"]) > 2000:
            await _plain_error(send, 414, "uri_too_long", "query string or path too long")
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _plain_error(
                send, 413, "payload_too_large", f"request body larger than {self.max_body} bytes"
            )
            return
        if scope.get("method") == "HEAD":  # answered as GET without the body (HTTP semantics)
            scope, send = {**scope, "method": "GET"}, _headers_only(send)
        await self.app(scope, _limited(receive, self.max_body), _with_headers(send))


def _headers_only(send: Send) -> Send:
    """``send`` that passes a response's status and headers and drops its body."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return wrapped


def _limited(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise ApiError(413, "payload_too_large", f"request body larger than {limit} bytes")
        return message

    return wrapped


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [
                (k, v) for k, v in message.get("headers", []) if k.decode().lower() not in HEADERS
            ]
            headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


async def _plain_error(send: Send, status: int, code: str, message: str) -> None:
    import json

    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    headers: list[Any] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
