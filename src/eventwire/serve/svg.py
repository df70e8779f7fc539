"""Charts drawn on the server as inline SVG: events over time, the network, the map.

Drawing on the server keeps the pages fast, printable and usable offline with no chart library
in the browser; the page's own small script only adds clicks. Every text that comes from the
data is escaped; colours are SVG attributes (not inline styles), so a strict
Content-Security-Policy holds.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from eventwire.record import EVENT_TYPES
from eventwire.serve.geo import HEIGHT, WIDTH, project, world_paths

_PALETTE = (
    "#4e79a7", "#59a14f", "#8cd17d", "#b6992d", "#499894", "#86bcb6", "#f1ce63", "#a0cbe8",
    "#e15759", "#ff9d9a", "#f28e2b", "#d37295", "#fabfd2", "#b07aa1", "#9d7660", "#79706e",
)  # fmt: skip
COLOURS = dict(zip(EVENT_TYPES, _PALETTE, strict=True))


def colour(category: str) -> str:
    return COLOURS.get(category, "#999999")


def timeline(rows: list[tuple[str, str, int]], *, width: int = 900, height: int = 260) -> Markup:
    """A stacked bar chart: one bar per month, one colour per category."""
    months = sorted({m for m, _t, _n in rows})
    if not months:
        return Markup('<p class="empty">No dated events yet.</p>')
    stacks: dict[str, dict[str, int]] = defaultdict(dict)
    for month, category, n in rows:
        stacks[month][category] = n
    top = max(sum(s.values()) for s in stacks.values())
    left, bottom, plot_h = 40, 30, height - 40
    step = (width - left - 10) / len(months)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Events over time by category">',
        f'<text x="4" y="14" class="axis">{top}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        'stroke="#888"/>',
    ]
    for i, month in enumerate(months):
        parts.append(
            _bar(
                stacks[month],
                month,
                x=left + i * step,
                w=max(step - 2, 1),
                base=height - bottom,
                scale=plot_h / top,
            )
        )
        if len(months) <= 24 or i % math.ceil(len(months) / 24) == 0:
            parts.append(
                f'<text x="{left + i * step:.1f}" y="{height - 12}" class="axis">'
                f"{escape(month)}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _bar(
    stack: dict[str, int], month: str, *, x: float, w: float, base: float, scale: float
) -> str:
    out, y = [], base
    for category in EVENT_TYPES:
        n = stack.get(category, 0)
        if not n:
            continue
        h = n * scale
        y -= h
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{colour(category)}"><title>{escape(month)} {category}: {n}</title>'
            "</rect>"
        )
    return "".join(out)


def legend(categories: list[str]) -> Markup:
    items = "".join(
        f'<li><svg width="12" height="12"><rect width="12" height="12" fill="{colour(c)}"/>'
        f"</svg> {escape(c)}</li>"
        for c in categories
    )
    return Markup(f'<ul class="legend">{items}</ul>')


def _layout(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, tuple]:
    """Node positions from a force-directed layout (networkx), fixed seed: same graph, same map."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(n["key"] for n in nodes)
    for e in edges:
        graph.add_edge(e["source"], e["target"], weight=math.log1p(e["weight"]))
    if len(graph) == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    return {k: tuple(v) for k, v in nx.spring_layout(graph, seed=7, weight="weight").items()}


def network(
    graph: dict[str, Any], *, width: int = 900, height: int = 600, link_params: str = ""
) -> Markup:
    """Nodes (actors) and directed edges (events, width by weight) that a click can open."""
    nodes, edges = graph["nodes"], graph["edges"]
    if not nodes:
        return Markup('<p class="empty">No events between actors match these filters.</p>')
    pos = _layout(nodes, edges)

    def xy(key: str) -> tuple[float, float]:
        x, y = pos[key]
        return 60 + (x + 1) / 2 * (width - 120), 30 + (y + 1) / 2 * (height - 60)

    parts = [
        f'<svg class="network" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Actor network"><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" '
        'refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
        '<path d="M0 0L10 5L0 10z" fill="#777"/></marker></defs>'
    ]
    parts += [_edge(e, xy) for e in edges]
    parts += [_node(n, xy, link_params) for n in nodes]
    parts.append("</svg>")
    return Markup("".join(parts))


def _edge(edge: dict[str, Any], xy: Any) -> str:
    (x1, y1), (x2, y2) = xy(edge["source"]), xy(edge["target"])
    main = next(iter(edge["types"]), "")
    kinds = ", ".join(f"{k} {n}" for k, n in edge["types"].items())
    stroke = 1 + 2 * math.log1p(edge["weight"])
    return (
        f'<line class="edge" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="{colour(main)}" stroke-width="{stroke:.1f}" marker-end="url(#arrow)" '
        f'data-source="{escape(edge["source"])}" data-target="{escape(edge["target"])}" '
        f'tabindex="0"><title>{edge["weight"]} events: {escape(kinds)}</title></line>'
    )


def _node(node: dict[str, Any], xy: Any, link_params: str) -> str:
    x, y = xy(node["key"])
    r = 4 + 2 * math.log1p(node["weight"])
    href = f"/actors/{quote(node['key'], safe='')}"
    return (
        f'<a href="{escape(href)}" class="node"><circle cx="{x:.1f}" cy="{y:.1f}" '
        f'r="{r:.1f}" fill="#fff" stroke="#333"/><text x="{x + r + 2:.1f}" y="{y + 4:.1f}">'
        f"{escape(node['name'])}</text></a>"
    )


def world_map(points: list[dict[str, Any]]) -> Markup:
    """Country outlines and one dot per geolocated event, coloured by category."""
    parts = [
        f'<svg class="map" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-label="Map of geolocated events">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#eaf2f8"/>',
    ]
    parts += [
        f'<path d="{d}" fill="#f7f5ef" stroke="#aaa" stroke-width="0.4">'
        f"<title>{escape(name)}</title></path>"
        for _iso, name, d in world_paths()
    ]
    for p in points:
        x, y = project(p["lon"], p["lat"])
        label = f"{p['type']} · {p.get('place') or ''} · {p.get('date') or 'undated'}"
        href = f"/articles/{quote(p['article_id'], safe='')}#ev-{p['pk']}"
        parts.append(
            f'<a href="{escape(href)}" class="point"><circle cx="{x:.1f}" '
            f'cy="{y:.1f}" r="4" fill="{colour(p["type"])}" stroke="#222" '
            f'stroke-width="0.5"><title>{escape(label)}</title></circle></a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
