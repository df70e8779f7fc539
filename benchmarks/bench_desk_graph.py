"""The network explorer in Chromium at N actors: layout time, labels shown, zoom response.

The desk's network page is loaded over an empty store while Playwright answers its graph
request with a synthetic network (N nodes, about 1.2 N edges, heavy-tailed weights, like a
news corpus's actor network), so the figure measures the browser side only: Cytoscape.js's
force-directed layout and drawing, with the page's own code and styles.

    PYTHONPATH=src python benchmarks/bench_desk_graph.py --nodes 500
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

QUADS = ["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"]
TYPES = ["CONSULT", "AID", "ACCUSE", "ASSAULT"]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def synthetic_graph(nodes: int, seed: int = 7) -> dict[str, Any]:
    """A preferential-attachment network: a few hubs, many actors seen once or twice."""
    rng = random.Random(seed)
    keys = [f"a{i}" for i in range(nodes)]
    edges: dict[tuple[str, str], int] = {}
    for i in range(1, nodes):
        for _ in range(1 if rng.random() < 0.8 else 2):
            j = min(int(rng.paretovariate(1.2)) - 1, i - 1)
            pair = (keys[i], keys[j]) if rng.random() < 0.5 else (keys[j], keys[i])
            edges[pair] = edges.get(pair, 0) + rng.choice([1, 1, 1, 2, 3, 8])
    degree: dict[str, int] = dict.fromkeys(keys, 0)
    for (s, t), w in edges.items():
        degree[s] += w
        degree[t] += w
    out_edges = []
    for (s, t), w in edges.items():
        k = rng.randrange(4)
        out_edges.append(
            {"source": s, "target": t, "weight": w, "types": {TYPES[k]: w}, "quad": QUADS[k]}
        )
    return {
        "window": {"from": "2024-01-01", "to": "2024-12-31"},
        "nodes": [
            {"key": k, "name": f"Actor {k}", "weight": degree[k], "generic": False} for k in keys
        ],
        "edges": out_edges,
        "total_edges": len(out_edges),
    }


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--screenshot", help="save the drawn network as this PNG")
    args = parser.parse_args()

    import uvicorn
    from playwright.sync_api import sync_playwright

    from eventwire.serve.app import create_app
    from eventwire.store.db import open_store

    graph = synthetic_graph(args.nodes)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(str(Path(folder) / "empty.db"))
        port = _port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            with sync_playwright() as play:
                browser = play.chromium.launch(executable_path=args.chromium, args=ARGS)
                page = browser.new_page(viewport={"width": 1366, "height": 900})
                body = json.dumps(graph)
                page.route(
                    "**/api/views/graph*",
                    lambda route: route.fulfill(
                        status=200, content_type="application/json", body=body
                    ),
                )
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/network")
                page.locator("#graph[data-ready=yes]").wait_for(state="attached", timeout=120_000)
                ready = time.perf_counter() - start
                labelled = page.evaluate("window.deskGraph.nodes('.labelled').length")
                if args.screenshot:
                    page.locator("#graph").screenshot(path=args.screenshot)
                box = page.locator("#graph").bounding_box()
                page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                zoom_start = time.perf_counter()
                for _ in range(5):
                    page.mouse.wheel(0, -200)
                    page.evaluate("new Promise((r) => requestAnimationFrame(() => r()))")
                zoom = (time.perf_counter() - zoom_start) / 5
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            store.close()
    print(
        json.dumps(
            {
                "nodes": len(graph["nodes"]),
                "edges": len(graph["edges"]),
                "page_to_drawn_s": round(ready, 2),
                "labelled_nodes": labelled,
                "zoom_step_ms": round(zoom * 1000, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
