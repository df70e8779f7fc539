"""``eventwire demo --serve``: the bundled examples, ingested into a fresh store, on the desk."""

from __future__ import annotations

import tempfile
from pathlib import Path

from eventwire.store.db import Store


def build_demo_store(db: str | Path) -> Store:
    """Ingest every bundled example into the store at ``db`` and resolve actors and stories."""
    from eventwire.engine import EngineOptions
    from eventwire.examples import example_paths
    from eventwire.resolve import resolve_store
    from eventwire.store.db import open_store
    from eventwire.store.ingest import ingest_paths

    store = open_store(str(db))
    ingest_paths(store, [str(p) for p in example_paths()], EngineOptions(workers=1))
    resolve_store(store)
    return store


def serve_demo(*, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Build a demo store in a temporary folder and serve the desk on it until interrupted."""
    import uvicorn

    from eventwire.serve.app import create_app
    from eventwire.serve.security import trusted_hosts

    with tempfile.TemporaryDirectory(prefix="eventwire-demo-") as folder:
        store = build_demo_store(Path(folder) / "demo.db")
        try:
            app = create_app(store, token=token, warm=True, allowed_hosts=trusted_hosts(host))
            uvicorn.run(app, host=host, port=port, log_level="info")
        finally:
            store.close()
