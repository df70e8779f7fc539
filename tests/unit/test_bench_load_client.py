"""The load benchmark's HTTP client does what its figures claim: one connection per client
kept alive across requests (or, on request, a new one each time), statuses read right.

A keep-alive check made after the answer was parsed once said "close" for every answer, so
each request opened a connection of its own while the script said otherwise.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_load.py"


@pytest.fixture(scope="module")
def bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_load", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["bench_load"]
    return module


async def _serve_and_ask(bench: Any, paths: list[str], keep_alive: bool) -> tuple[list, int, int]:
    """A tiny HTTP/1.1 server on loopback (200 for /ok, 404 otherwise, honours Connection:
    close); returns the statuses, connections the server accepted, connections the client
    opened."""
    accepted = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal accepted
        accepted += 1
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if not head:
                break
            path = head.split(b" ", 2)[1]
            closing = b"connection: close" in head.lower()
            status = b"200 OK" if path == b"/ok" else b"404 Not Found"
            extra = b"Connection: close\r\n" if closing else b""
            writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: 2\r\n" + extra + b"\r\nok")
            await writer.drain()
            if closing:
                break
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    connection = bench.Connection("127.0.0.1", port, keep_alive=keep_alive)
    statuses = [await connection.get(path) for path in paths]
    await connection.close()
    server.close()
    await server.wait_closed()
    return statuses, accepted, connection.opened


def test_clients_keep_one_connection_alive(bench: Any) -> None:
    paths = ["/ok", "/missing", "/ok", "/ok", "/ok"]
    statuses, accepted, opened = asyncio.run(_serve_and_ask(bench, paths, keep_alive=True))
    assert statuses == [200, 404, 200, 200, 200]
    assert accepted == opened == 1


def test_new_connections_open_one_per_request(bench: Any) -> None:
    paths = ["/ok", "/ok", "/missing"]
    statuses, accepted, opened = asyncio.run(_serve_and_ask(bench, paths, keep_alive=False))
    assert statuses == [200, 200, 404]
    assert accepted == opened == 3
