"""#19 item 12: a held socket cannot keep a desk connection forever (no request, or a request
head sent a byte at a time); a normal request still works."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_serve_data import small_store

pytest.importorskip("fastapi", reason="the desk needs the web extra: pip install -e .[web]")
import uvicorn  # noqa: E402

from eventwire.cli.serve import _uvicorn_options  # noqa: E402
from eventwire.serve import timeouts  # noqa: E402
from eventwire.serve.app import create_app  # noqa: E402


@pytest.fixture()
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """The desk served by uvicorn with the command's options, on a free port; yields the port."""
    monkeypatch.setattr(timeouts, "HEADER_TIMEOUT", 0.5)
    store = small_store(tmp_path / "t.db")
    options = _uvicorn_options("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(create_app(store), **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield server.servers[0].sockets[0].getsockname()[1]
    server.should_exit = True
    thread.join(10)
    store.close()


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """Whether the server closes ``sock`` (recv returns b"") within ``seconds``."""
    sock.settimeout(seconds)
    try:
        return sock.recv(1024) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_a_connection_that_sends_nothing_is_closed(desk: int) -> None:
    with socket.create_connection(("127.0.0.1", desk)) as held:
        assert _closed_within(held, 5.0)


def test_a_request_head_sent_a_byte_at_a_time_is_cut_off(desk: int) -> None:
    with socket.create_connection(("127.0.0.1", desk)) as slow:
        start = time.monotonic()
        closed = False
        for byte in b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 100:
            try:
                slow.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            time.sleep(0.1)
            if time.monotonic() - start > 5:
                break
        assert closed or _closed_within(slow, 2.0)
        assert time.monotonic() - start < 5


def test_a_normal_request_is_answered(desk: int) -> None:
    with socket.create_connection(("127.0.0.1", desk)) as client:
        client.sendall(b"GET /api/overview HTTP/1.1\r\nHost: localhost\r\n\r\n")
        client.settimeout(10)
        assert client.recv(64).startswith(b"HTTP/1.1 200")
