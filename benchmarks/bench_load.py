"""Load test of the desk on loopback: concurrent clients against `eventwire serve` (target: no
errors, p99 <= 200 ms with 50 concurrent clients on SQLite).

The server is the real command (`eventwire serve --host 127.0.0.1 --workers N`, ``--workers``
here, default 1) in a child process; the clients are ``--clients`` asyncio tasks in this
process (see below), each sending ``--requests`` requests over the main API endpoints (and two
pages) in a seeded random order with varied parameters, so the result cache does not answer
everything. The run is bounded: at most clients x requests requests, and a hard time cap after
which unfinished requests are counted as not run. Per endpoint it prints the count, errors
(non-200 answers and transport failures), p50 and p99 latency in ms, and p99 as a ratio to the
p99 of ``/api/health`` measured in the same run, so figures from different machines can be
compared.

The load generator shares the machine's cores with the server, so it is kept cheap: each client
holds one keep-alive HTTP/1.1 connection, as a browser does (``--new-connections``: a new one
per request, as a script without a session does), on an asyncio stream (uvloop's event loop
when it is installed) and parses answers with httptools, uvicorn's own C parser. It sends the
same GET requests over real HTTP as an httpx client would, at about a fifth of httpx's CPU per
request; httpx still reads the ids and keys before the run.

    python benchmarks/bench_load.py                       # the demo store (bundled examples)
    python benchmarks/bench_load.py --articles 100000     # also a generated store of that size
    python benchmarks/bench_load.py --workers 2 --demo-db /tmp/demo.db  # keep/reuse the demo store
    python benchmarks/bench_load.py --new-connections     # clients that reconnect every time

Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.util
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httptools
import httpx

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
TARGET_P99_MS = 200.0
WARM_WAIT = 600.0
#: Answers in a row, per worker process, that must say "warm" before the run starts: with
#: ``--workers``, each process warms its own caches, and one warm answer shows only one.
WARM_IN_A_ROW = 10
TYPES = ["ASSAULT", "CONSULT", "AGREE", "ACCUSE", "PROTEST", "COERCE", "AID", "THREATEN"]


@dataclass
class Samples:
    """Latencies (ms) and errors per endpoint name."""

    ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    failed: int = 0  # requests that got no answer at all (they have no latency)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    """`eventwire serve` on loopback, read-only; returns once /api/health says it is warm.

    The desk warms its common answers in the background at start-up (see
    ``eventwire.serve.warmup``), each worker process its own. The run starts when that is
    done, as for a desk that has been up for a while: ``WARM_IN_A_ROW`` warm answers in a row
    per worker, waiting at most ``WARM_WAIT`` s. The wait is printed.
    """
    cmd = [sys.executable, "-c", "from eventwire.cli import main; main()", "serve"]
    cmd += ["--db", str(db), "--host", HOST, "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    start, warm_in_a_row = time.monotonic(), 0
    while time.monotonic() < start + WARM_WAIT and proc.poll() is None:
        try:
            health = httpx.get(f"http://{HOST}:{port}/api/health", timeout=1)
        except httpx.TransportError:
            time.sleep(0.2)
            continue
        if health.status_code == 200 and health.json().get("warm", True):
            warm_in_a_row += 1  # each on a new connection, which any worker may take
            if warm_in_a_row >= WARM_IN_A_ROW * workers:
                print(f"server up and warm in {time.monotonic() - start:.1f} s", file=sys.stderr)
                return proc
            continue
        warm_in_a_row = 0
        time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"server did not start: {proc.stderr.read().decode() if proc.stderr else ''}")


def url_makers(base: str) -> dict[str, Callable[[random.Random], str]]:
    """Endpoint name -> a maker of one URL for it (ids and keys are read from the store first)."""
    articles = [a["id"] for a in httpx.get(f"{base}/api/articles?per_page=200").json()["items"]]
    actors = [a["key"] for a in httpx.get(f"{base}/api/actors?per_page=200").json()["items"]]
    if not articles or not actors:
        raise SystemExit("the store has no articles or actors to query")
    words = ["police", "minister", "talks", "attack", "border", "protest", "aid", "group"]
    return {
        "baseline /api/health": lambda r: "/api/health",
        "/api/overview": lambda r: "/api/overview",
        "/api/articles": lambda r: f"/api/articles?page={r.randint(1, 3)}&per_page=20",
        "/api/articles/{id}": lambda r: f"/api/articles/{r.choice(articles)}",
        "/api/events (type)": lambda r: f"/api/events?type={r.choice(TYPES)}",
        "/api/events (q)": lambda r: f"/api/events?q={r.choice(words)}",
        "/api/actors": lambda r: f"/api/actors?page={r.randint(1, 2)}",
        "/api/actors/{key}": lambda r: "/api/actors/" + quote(r.choice(actors), safe=""),
        "/api/network": lambda r: f"/api/network?type={r.choice(TYPES)}",
        "/api/map": lambda r: f"/api/map?type={r.choice(TYPES)}",
        "/api/quotes": lambda r: f"/api/quotes?q={r.choice(words)}",
        "/api/search": lambda r: f"/api/search?q={r.choice(words)}",
        "page /events": lambda r: f"/events?type={r.choice(TYPES)}",
        "page /articles/{id}": lambda r: f"/articles/{r.choice(articles)}",
    }


class Connection:
    """One keep-alive HTTP/1.1 connection to the server, answers parsed by httptools."""

    def __init__(self, host: str, port: int, *, keep_alive: bool = True) -> None:
        self.host, self.port = host, port
        close = "" if keep_alive else "Connection: close\r\n"
        head = f"Host: {host}:{port}\r\nUser-Agent: eventwire-bench-load\r\n{close}\r\n"
        self.head = head.encode()
        self.opened = 0  # connections made so far
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> int:
        """The status of ``GET path`` once its whole body has arrived (reconnects when closed)."""
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
            self.opened += 1
        reader, writer = self.streams
        writer.write(b"GET " + path.encode() + b" HTTP/1.1\r\n" + self.head)
        answer = Answer()
        parser = httptools.HttpResponseParser(answer)
        answer.parser = parser
        while not answer.complete:
            data = await reader.read(65536)
            if not data:
                raise ConnectionError("connection closed before the answer was complete")
            parser.feed_data(data)
        if not answer.keep_alive:
            await self.close()
        return parser.get_status_code()

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


class Answer:
    """httptools callbacks: whether the answer is complete, and whether the server keeps the
    connection open (httptools can say so only while it parses the headers: asked after the
    answer, it says no, and every request used to open a connection of its own)."""

    complete = False
    keep_alive = False
    parser: httptools.HttpResponseParser | None = None

    def on_headers_complete(self) -> None:
        self.keep_alive = self.parser is not None and self.parser.should_keep_alive()

    def on_message_complete(self) -> None:
        self.complete = True


async def client_task(
    base: str,
    makers: dict[str, Callable[[random.Random], str]],
    n: int,
    seed: int,
    out: Samples,
    keep_alive: bool = True,
) -> None:
    rng = random.Random(seed)
    names = list(makers)
    url = httpx.URL(base)
    connection = Connection(url.host, url.port or 80, keep_alive=keep_alive)
    for _ in range(n):
        name = rng.choice(names)
        path = makers[name](rng)
        start = time.perf_counter()
        try:
            status = await connection.get(path)
        except (OSError, httptools.HttpParserError) as exc:
            out.errors[name].append(f"{path}: {type(exc).__name__}")
            out.failed += 1
            await connection.close()
            continue
        out.ms[name].append((time.perf_counter() - start) * 1000)
        if status != 200:
            out.errors[name].append(f"{path}: HTTP {status}")
    await connection.close()


async def load(
    base: str, clients: int, requests: int, cap: float, seed: int, keep_alive: bool = True
) -> Samples:
    makers = url_makers(base)
    out = Samples()
    tasks = [
        asyncio.create_task(client_task(base, makers, requests, seed + k, out, keep_alive))
        for k in range(clients)
    ]
    _done, pending = await asyncio.wait(tasks, timeout=cap)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


def report(title: str, out: Samples, planned: int, seconds: float) -> bool:
    """Print the table; True when the target is met (no errors, every p99 within the target)."""
    done = sum(len(v) for v in out.ms.values()) + out.failed
    print(f"\n{title}: {done} of {planned} requests in {seconds:.1f} s ({done / seconds:.0f}/s)")
    base = max(pct(out.ms["baseline /api/health"], 0.99), 0.001)
    print(f"{'endpoint':24} {'n':>5} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8} {'p99/base':>9}")
    ok = done == planned
    for name in sorted(out.ms, key=lambda n: (not n.startswith("baseline"), n)):
        values, errors = out.ms[name], len(out.errors.get(name, []))
        p99 = pct(values, 0.99)
        flag = "ok" if p99 <= TARGET_P99_MS and not errors else "MISS"
        ok = ok and flag == "ok"
        print(
            f"{name:24} {len(values):5d} {errors:6d} {pct(values, 0.5):8.1f} {p99:8.1f} "
            f"{p99 / base:9.1f}  {flag}"
        )
    for name, errors in out.errors.items():
        print(f"  errors on {name}: {errors[:3]}")
    verdict = "met" if ok else "NOT met"
    print(f"target (no errors, p99 <= {TARGET_P99_MS:.0f} ms, all requests run): {verdict}")
    return ok


def run_on(db: Path, title: str, args: argparse.Namespace) -> bool:
    port = free_port()
    server = start_server(db, port, args.workers)
    base = f"http://{HOST}:{port}"
    try:
        run_loop(load(base, 2, 10, args.cap, args.seed))  # warm-up: first hits, page cache
        with paused_collector():
            start = time.perf_counter()
            keep_alive = not args.new_connections
            job = load(base, args.clients, args.requests, args.cap, args.seed, keep_alive)
            out = run_loop(job)
        return report(title, out, args.clients * args.requests, time.perf_counter() - start)
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def paused_collector() -> Iterator[None]:
    """No garbage collection in this (the clients') process during a measured run.

    The clients' own collections paused every client at once: a full one took 80 ms here,
    which was counted as latency of every request in flight. The run is bounded, so what it
    allocates meanwhile is small; everything allocated before is frozen out of later passes.
    """
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def run_loop(job: Any) -> Any:
    """Run a coroutine on uvloop's event loop when it is installed (cheaper), else asyncio's."""
    if importlib.util.find_spec("uvloop") is not None:
        import uvloop

        return uvloop.run(job)
    return asyncio.run(job)


def demo_store(folder: Path, keep: Path | None) -> Path:
    """The bundled examples ingested and resolved through the store's API (default model).

    With ``keep``, the store is built there once and reused by later runs.
    """
    from eventwire.serve.demo import build_demo_store

    path = keep or folder / "demo.db"
    if keep is None or not keep.exists():
        build_demo_store(path).close()
    return path


def generated_store(articles: int, db: Path | None) -> Path:
    """A generated store from benchmarks/bench_serve.py's generator (reused if already built)."""
    spec = importlib.util.spec_from_file_location("bench_serve", HERE / "bench_serve.py")
    if spec is None or spec.loader is None:
        raise SystemExit("benchmarks/bench_serve.py is needed for --articles")
    module: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = db or Path(f"/tmp/eventwire-bench-serve-{articles}.db")
    builder = module._query_generator() or module.build_store
    builder(path, articles).close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=20, help="requests per client")
    parser.add_argument("--cap", type=float, default=120.0, help="hard time cap per run, s")
    parser.add_argument("--articles", type=int, default=0, help="also load a generated store")
    parser.add_argument("--db", type=Path, default=None, help="file of the generated store")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo store")
    parser.add_argument(
        "--demo-db", type=Path, default=None, help="build/reuse the demo store here"
    )
    parser.add_argument("--workers", type=int, default=1, help="eventwire serve --workers")
    parser.add_argument(
        "--new-connections",
        action="store_true",
        help="open a new connection for every request (Connection: close), as scripts that "
        "keep no session do; by default each client keeps one, as browsers do",
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    results = []
    how = ", a new connection per request" if args.new_connections else ", keep-alive"
    with tempfile.TemporaryDirectory(prefix="eventwire-load-") as folder:
        if not args.no_demo:
            print("building the demo store from the bundled examples ...", file=sys.stderr)
            db = demo_store(Path(folder), args.demo_db)
            title = f"demo store, {args.clients} clients, {args.workers} worker(s){how}"
            results.append(run_on(db, title, args))
        if args.articles:
            print(f"building or reusing a {args.articles}-article store ...", file=sys.stderr)
            db = generated_store(args.articles, args.db)
            title = (
                f"{args.articles} articles, {args.clients} clients, {args.workers} worker(s){how}"
            )
            results.append(run_on(db, title, args))
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
