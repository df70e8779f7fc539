"""The watcher's fetches are bounded and careful (issue 19, items 2 and 3).

Local servers made here: one that drips its answer a byte at a time (each byte well within the
read timeout, the whole far past the deadline), and sites on two loopback addresses to check
that the default refuses private addresses, that every redirect hop is checked, and that the
address actually connected to is checked too (a name resolving differently the second time).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from test_watch_helpers import Route, Site, rss, serve

from eventwire.analyse import fetch
from eventwire.analyse.fetch import FetchError, HttpFetcher, RefusedURL, public


@contextmanager
def dripping(head: bytes, body: bytes, every: float, *, stop_after: float = 20.0) -> Iterator[str]:
    """A server on 127.0.0.1 sending ``head`` at once, then ``body`` a byte per ``every`` s."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    done = threading.Event()

    def run() -> None:
        while not done.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(1.0)
                try:
                    conn.recv(65536)
                    ends = time.monotonic() + stop_after
                    conn.sendall(head)
                    for byte in body:
                        if done.is_set() or time.monotonic() > ends:
                            break
                        conn.sendall(bytes([byte]))
                        time.sleep(every)
                except OSError:
                    continue

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/feed"
    finally:
        done.set()
        server.close()
        thread.join(timeout=5)


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 500\r\n\r\n"


@pytest.mark.parametrize("where", ["body", "headers"])
def test_a_dripping_server_cannot_hold_a_fetch_past_its_deadline(where: str) -> None:
    head, body = (HEAD[:8], HEAD[8:] + b"x" * 500) if where == "headers" else (HEAD, b"x" * 500)
    with (
        dripping(head, body, every=0.2) as url,
        HttpFetcher(
            timeout=1.0, deadline=1.5, retries=2, backoff=0.0, rate=0.0, allow_private=True
        ) as client,  # fmt: skip
    ):
        started = time.monotonic()
        with pytest.raises(FetchError, match="deadline"):
            client.get(url)
        took = time.monotonic() - started
    assert took < 4.0, f"the fetch took {took:.1f} s"


@pytest.fixture()
def site():  # type: ignore[no-untyped-def]
    with serve(Site()) as running:
        running.routes["/feed"] = Route(rss("Wire", []))
        yield running


def test_private_addresses_are_refused_by_default(site: Site) -> None:
    with HttpFetcher(rate=0.0) as client, pytest.raises(RefusedURL, match="not a public address"):
        client.get(site.url("/feed"))
    assert site.requests == []  # refused before connecting
    with HttpFetcher(rate=0.0, allow_private=True) as client:
        assert client.get(site.url("/feed")).status == 200


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/feed", "gopher://127.0.0.1:70/"]
)
def test_only_http_and_https_are_fetched(url: str) -> None:
    with (
        HttpFetcher(rate=0.0, allow_private=True) as client,
        pytest.raises(RefusedURL, match="only http"),
    ):
        client.get(url)


def test_addresses_the_policy_names() -> None:
    import ipaddress

    refused = ["127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.4", "169.254.169.254", "100.64.0.1",
               "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1"]  # fmt: skip
    assert not any(public(ipaddress.ip_address(a)) for a in refused)
    assert all(public(ipaddress.ip_address(a)) for a in ["93.184.216.34", "2606:4700::1111"])


def test_every_redirect_hop_is_checked(site: Site) -> None:
    """127.0.0.1 stands for a public host, 127.0.0.2 for a private one."""
    inside = Site()
    with serve(inside, host="127.0.0.2"):
        inside.routes["/secret"] = Route("internal data")
        site.routes["/hop"] = Route(status=302, headers={"Location": inside.url("/secret")})
        site.routes["/local"] = Route(status=301, headers={"Location": "/feed"})
        site.routes["/file"] = Route(status=302, headers={"Location": "file:///etc/passwd"})
        only_first = lambda address: str(address) == "127.0.0.1"  # noqa: E731
        with HttpFetcher(rate=0.0, allowed=only_first) as client:
            with pytest.raises(RefusedURL, match="127.0.0.2 is not a public address"):
                client.get(site.url("/hop"))
            with pytest.raises(RefusedURL, match="only http"):
                client.get(site.url("/file"))
            followed = client.get(site.url("/local"))
        assert inside.requests == []
        assert followed.status == 200 and followed.url == site.url("/feed")


def test_the_address_connected_to_is_checked_too(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name that resolves to a public address when checked and to loopback when connecting."""
    real = socket.getaddrinfo
    calls: list[str] = []

    def rebinding(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)
        calls.append(host)
        address = "93.184.216.34" if len(calls) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(fetch.socket, "getaddrinfo", rebinding)
    port = site.base.rsplit(":", 1)[1]
    with HttpFetcher(rate=0.0, retries=0) as client, pytest.raises(RefusedURL, match="127.0.0.1"):
        client.get(f"http://rebind.test:{port}/feed")
    assert len(calls) == 2 and site.requests == []


def test_the_operators_webhook_may_be_on_a_private_address(site: Site) -> None:
    site.routes["/hook"] = Route("ok")
    with HttpFetcher(rate=0.0) as client:
        assert client.post_json(site.url("/hook"), {"alert": 1}).status == 200
        with pytest.raises(RefusedURL, match="only http"):
            client.post_json("file:///tmp/hook", {"alert": 1})
