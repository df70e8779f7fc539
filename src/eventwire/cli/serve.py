"""Desk commands (`serve`): registered on the main CLI through ``COMMANDS``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from eventwire.cli.extras import require_extra
from eventwire.serve import THREADS

CONFIG_ENV = "EVENTWIRE_DESK_CONFIG"


@click.command()
@click.option(
    "--db",
    metavar="URL",
    help="Store to serve: a SQLite file path or a database URL "
    "(default: $EVENTWIRE_DB or ./eventwire.db).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind. The default only accepts connections from this machine.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option(
    "--token-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Allow corrections from requests that carry 'Authorization: Bearer T', T being the "
    "first line of FILE (keep it readable by you only). The other way: $EVENTWIRE_TOKEN. "
    "Without a token the desk is read-only.",
)
@click.option(
    "--token",
    metavar="T",
    help="The token itself (discouraged: a command line is visible to every local user; use "
    "--token-file or $EVENTWIRE_TOKEN).",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    metavar="NAME",
    multiple=True,
    help="Also answer requests addressed to this host name (repeatable). By default only "
    "localhost, 127.0.0.1, [::1] and the --host address are answered; any other Host header "
    "gets 400, which stops DNS-rebinding pages from reading the desk.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes. One suits a few analysts; with many concurrent users give about "
    "the number of CPU cores. Each process keeps its own result cache; a correction made "
    "through one shows in the others within a second.",
)
@click.option(
    "--threads",
    default=THREADS,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Fresh answers made at once per process. The work is Python under one interpreter "
    "lock, so more threads interleave answers rather than speed them up; one finishes each "
    "in arrival order. More can help a store on slow disks, whose reads wait on I/O.",
)
def serve(
    db: str | None,
    host: str,
    port: int,
    token_file: Path | None,
    token: str | None,
    allow_hosts: tuple[str, ...],
    workers: int,
    threads: int,
) -> None:
    """Serve the analyst's desk: a web UI and a JSON API over a store.

    \b
    Pages: overview, articles (text with entities, triggers and quotes highlighted),
    actors, network explorer, map, event table with export, stories, search, trends,
    corrections. The API lives under /api (OpenAPI document at /api/openapi.json).
    Everything is served locally; nothing is fetched from the internet.
    """
    require_extra("web", "the desk (serve)")
    token = write_token(token, token_file)
    import uvicorn

    from eventwire.serve.app import create_app
    from eventwire.serve.security import trusted_hosts
    from eventwire.store.db import READER_MMAP, open_store

    store = open_store(
        db,
        create=False,
        on_migrate=lambda msg: click.echo(f"eventwire: {msg}", err=True),
        mmap_bytes=READER_MMAP,
    )
    mode = "corrections enabled (token set)" if token else "read-only"
    click.echo(f"eventwire desk on http://{host}:{port}/ ({mode}, {workers} worker(s))", err=True)
    hosts = trusted_hosts(host, allow_hosts)
    if workers > 1:
        store.close()  # each worker process opens its own
        os.environ[CONFIG_ENV] = json.dumps(
            {"db": store.url, "token": token, "hosts": hosts, "threads": threads}
        )
        target = "eventwire.cli.serve:app_from_env"
        uvicorn.run(target, factory=True, workers=workers, **_uvicorn_options(host, port))
        return
    try:
        app = create_app(store, token=token, warm=True, allowed_hosts=hosts, threads=threads)
        uvicorn.run(app, **_uvicorn_options(host, port))
    finally:
        store.close()


#: The environment variable that holds the desk's write token.
TOKEN_ENV = "EVENTWIRE_TOKEN"


def write_token(token: str | None, token_file: Path | None) -> str | None:
    """The desk's write token from ``--token-file``, ``--token`` or ``$EVENTWIRE_TOKEN``.

    A token on the command line is readable by every local user (``ps``), so it draws a
    warning; a token file others can read draws one too. Giving two sources is a usage error.
    """
    if token and token_file:
        raise click.UsageError("give --token-file or --token, not both")
    if token_file is not None:
        lines = token_file.read_text(encoding="utf-8").splitlines()
        token = lines[0].strip() if lines else ""
        if not token:
            raise click.BadParameter(f"{token_file} is empty", param_hint="--token-file")
        if os.name == "posix" and token_file.stat().st_mode & 0o077:
            click.echo(
                f"eventwire: warning: {token_file} is readable by other users (chmod 600 it)",
                err=True,
            )
        return token
    if token:
        click.echo(
            "eventwire: warning: a --token on the command line is visible to every local user; "
            f"use --token-file or ${TOKEN_ENV}",
            err=True,
        )
        return token
    return os.environ.get(TOKEN_ENV) or None


def _uvicorn_options(host: str, port: int) -> dict[str, Any]:
    """Quiet logs; no X-Forwarded-* rewriting (the desk uses no client address, and the layer
    it adds sat in front of every answer, cached or not); no access log (at this log level its
    lines were never shown, yet each answer still formatted the client address and path).
    Every connection must complete a request head within a deadline and idle keep-alive
    connections are closed (:mod:`eventwire.serve.timeouts`): held sockets cannot exhaust the
    desk's file descriptors."""
    from eventwire.serve.timeouts import KEEP_ALIVE

    return {
        "host": host,
        "port": port,
        "log_level": "warning",
        "proxy_headers": False,
        "access_log": False,
        "http": _protocol(),
        "timeout_keep_alive": KEEP_ALIVE,
    }


def _protocol() -> type[Any]:
    """The desk's guarded protocol on the parser uvicorn would pick (httptools when there)."""
    from importlib.util import find_spec

    if find_spec("httptools") is None:
        from eventwire.serve.timeouts import GuardedH11

        return GuardedH11
    from eventwire.serve.timeouts_httptools import GuardedHttpTools

    return GuardedHttpTools


def app_from_env() -> Any:
    """The app factory each ``--workers`` process calls: settings come from the parent.

    uvicorn starts worker processes from an import string, so the parent passes the store URL,
    the token and the allowed hosts in one environment variable of its own children.
    """
    from eventwire.serve.app import create_app
    from eventwire.store.db import READER_MMAP, open_store

    config = json.loads(os.environ[CONFIG_ENV])
    store = open_store(config["db"], create=False, mmap_bytes=READER_MMAP)
    return create_app(
        store,
        token=config["token"],
        warm=True,
        allowed_hosts=config["hosts"],
        threads=config.get("threads", THREADS),
    )


COMMANDS: list[click.Command] = [serve]
